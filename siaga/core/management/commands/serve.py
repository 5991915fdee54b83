from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import CommandParser

from siaga.core.management.base import SiagaCommand


class Command(SiagaCommand):
    help = "Serve Siaga with gunicorn (production entry point). Settings come from the environment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("SIAGA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("SIAGA_WEB_WORKERS", "2")))
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("SIAGA_WEB_THREADS", "32")),
            help="threads per worker (default 32): many threads per process let the public intake write "
            "concurrent reports in one transaction (see docs/incidents.md, bench/intake.py)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        argv = gunicorn_argv(options["host"], options["port"], options["workers"], options["threads"])
        os.execv(argv[0], argv)  # noqa: S606 - replaces this process with gunicorn


def gunicorn_argv(host: str, port: int, workers: int, threads: int = 32) -> list[str]:
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    return [
        gunicorn,
        "siaga.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--backlog",
        "1024",
        # Import the application once in the master and fork the workers from it: after a crash or kill -9
        # the server is healthy again after one import instead of one per worker (issue 15, G3). Nothing opens
        # a database connection or a thread at import time, so forking after it is safe.
        "--preload",
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        "--logger-class",
        "siaga.core.gunicorn.AccessLogger",
    ]
