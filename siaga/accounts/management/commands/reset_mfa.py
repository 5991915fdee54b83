"""`siaga reset-mfa USERNAME`: remove an account's authenticator and recovery codes (lost phone and codes).

The account enrols again at its next login. Audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from siaga.accounts.mfa import reset_mfa
from siaga.accounts.models import User


class Command(BaseCommand):
    help = "Remove an account's two-step login devices so it enrols again at its next login."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("Pengguna tidak ditemukan / No such user")
        removed = reset_mfa(actor=None, user=user)
        self.stdout.write(f"{removed} device(s) removed; {user.username} enrols again at the next login")
