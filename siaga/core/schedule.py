"""Periodic work the worker runs on its own, so no cron has to be set up (the loop: siaga.posko.scheduler).

An app names its periodic tasks in its AppConfig, as dotted paths to `Periodic` values:

    # siaga/logistics/apps.py
    class LogisticsConfig(AppConfig):
        periodic_tasks = ["siaga.logistics.alert_source.MARK_LATE_LEGS"]

`func` is a dotted path to a function called as `func(now=...)` that returns a small JSON-ready dict (kept on
the tick row) or None. It runs every `every_s` seconds, or once a day at the local time held by the setting
`daily_at_setting` ("HH:MM") when that is given. Every slot runs once whatever the number of workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Periodic:
    name: str
    func: str
    every_s: int = 60
    daily_at_setting: str = ""


def periodic_tasks() -> list[Periodic]:
    found: list[Periodic] = []
    for config in apps.get_app_configs():
        for path in getattr(config, "periodic_tasks", ()):
            found.append(import_string(path) if isinstance(path, str) else path)
    return found
