from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from siaga.accounts.services import DEMO_ACCOUNTS, demo_password, ensure_demo_accounts
from siaga.core.demo import load_all_demos
from siaga.core.management.base import SiagaCommand
from siaga.core.management.commands.serve import gunicorn_argv
from siaga.territory.models import Kecamatan


class Command(SiagaCommand):
    help = "Set up and start the Jember demo: migrate, load demo data if empty, demo accounts, web + worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="do everything but start the server")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SIAGA_DEMO_MODE:
            raise CommandError("Demo mode is off: run `siaga demo`, which switches it on.")
        port = options["port"]
        if not options["no_serve"] and _port_in_use(port):
            raise CommandError(
                f"Port {port} sudah dipakai / is already in use. Coba / try: PORT=8001 make demo"
            )
        call_command("migrate", interactive=False, verbosity=0)
        if not Kecamatan.objects.exists():
            self.stdout.write("Memuat demo Jember / Loading the Jember demo ...")
            started = time.monotonic()
            load_all_demos(self.progress)
            self.stdout.write(f"Demo dimuat dalam / loaded in {time.monotonic() - started:.0f} s")
        ensure_demo_accounts()
        url = f"http://127.0.0.1:{port}/"
        self.stdout.write(self.style.SUCCESS("\nSiaga demo (Polres Jember) siap / ready"))
        self.stdout.write(f"  URL: {url}")
        self.stdout.write(
            f"  Kata sandi / password: {demo_password()}"
            + ("" if settings.SIAGA_DEMO_PASSWORD else "  (set SIAGA_DEMO_PASSWORD to change)")
        )
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  - {account['username']:<18} {account['role']}")
        if options["no_serve"]:
            return
        self.stdout.write("Tekan Ctrl-C untuk berhenti / Press Ctrl-C to stop.\n")
        env = {**os.environ, "SIAGA_DEMO_MODE": "true"}
        manage = [sys.executable, "-m", "siaga.cli"]
        procs = [
            subprocess.Popen(gunicorn_argv("127.0.0.1", port, 2), env=env),
            subprocess.Popen([*manage, "worker"], env=env),
        ]

        def stop(*_: Any) -> None:
            for p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for p in procs:
                p.wait(timeout=10)


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
