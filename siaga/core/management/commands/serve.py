from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from siaga.core.management.base import SiagaCommand

HELP = "Serve Siaga with gunicorn (production entry point). Settings come from the environment."


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
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


def exec_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    argv = gunicorn_argv(host, port, workers, threads)
    os.execv(argv[0], argv)  # noqa: S606 - replaces this process with gunicorn


def serve_without_django(args: list[str]) -> None:
    """`siaga serve`: straight to gunicorn, without setting Django up first. Setting it up here (and running the
    system checks, which import every URL and view) only to replace the process cost seconds of every restart
    after a crash (issue 15, G3: healthy <= 5 s). `siaga check --deploy` is the configuration check."""
    parser = argparse.ArgumentParser(prog="siaga serve", description=HELP)
    add_serve_arguments(parser)
    options = parser.parse_args(args)
    exec_gunicorn(options.host, options.port, options.workers, options.threads)


class Command(SiagaCommand):
    help = HELP
    requires_system_checks: list[
        str
    ] = []  # as `siaga serve`: gunicorn starts at once (see serve_without_django)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_serve_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        exec_gunicorn(options["host"], options["port"], options["workers"], options["threads"])


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
