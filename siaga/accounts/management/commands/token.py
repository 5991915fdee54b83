from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.accounts.models import User
from siaga.accounts.services import create_api_token
from siaga.core.management.base import SiagaCommand


class Command(SiagaCommand):
    help = "Create an API token for USERNAME and print it (shown once; only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna tidak ada / No such active user: {options['username']}")
        self.stdout.write(create_api_token(user=user, name=options["name"]))
