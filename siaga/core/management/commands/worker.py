from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from siaga.core.management.base import SiagaCommand


class Command(SiagaCommand):
    help = "Run a background worker for the Django Tasks queue (imports, plans, reports)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="process the queued tasks, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--batch"] if options["batch"] else []
        call_command("db_worker", *extra, "--interval", "0.5")
