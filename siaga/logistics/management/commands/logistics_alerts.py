from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from siaga.logistics.services import alert_late_legs


class Command(BaseCommand):
    help = "Mark logistics legs that are late (run every few minutes from cron or the worker host)."

    def handle(self, *args: Any, **options: Any) -> None:
        late = alert_late_legs()
        self.stdout.write(f"{len(late)} late legs alerted")
