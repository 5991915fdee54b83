"""The Jember demo: each app contributes its part through `siaga/<app>/demo.py: load_demo(report)`.

Loaders run in INSTALLED_APPS order (territory before sites before operations...), once, on an empty database.

Dates: the demo tells the real Pemilu 2024 story (KPU stage calendar, operations, rosters, patrols, reports), but
moved as a whole so that voting day falls SIAGA_DEMO_VOTING_IN_DAYS (default 3) days after the day the demo is
loaded, and a newcomer finds live boards on any date. Loaders write every date as `demo_date(2024, 2, 14)` (the
historical date) and get it moved by one offset; SIAGA_DEMO_VOTING_DAY pins the anchor (2024-02-14: history).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.utils import timezone

Progress = Callable[[float, str], None]

#: The historical voting day the demo's dates are written around (Pemilu 2024).
HISTORICAL_VOTING_DAY = dt.date(2024, 2, 14)


def demo_voting_day() -> dt.date:
    """The demo Pemilu's voting day: SIAGA_DEMO_VOTING_DAY when set, else today + SIAGA_DEMO_VOTING_IN_DAYS."""
    pinned = getattr(settings, "SIAGA_DEMO_VOTING_DAY", "")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return timezone.localdate() + dt.timedelta(days=getattr(settings, "SIAGA_DEMO_VOTING_IN_DAYS", 3))


def demo_offset() -> dt.timedelta:
    """How far the demo calendar moves the historical dates (zero when the anchor is pinned to history)."""
    return demo_voting_day() - HISTORICAL_VOTING_DAY


def demo_date(year: int, month: int, day: int) -> dt.date:
    """A historical date of the demo story, moved to the demo calendar."""
    return dt.date(year, month, day) + demo_offset()


def is_moved() -> bool:
    """True when the demo's dates are not the historical ones (said so in the stage sources and on screen)."""
    return demo_offset() != dt.timedelta(0)


def demo_loaders() -> list[tuple[str, Callable[..., None]]]:
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("siaga."):
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        loader = getattr(importlib.import_module(module_name), "load_demo", None)
        if loader is not None:
            loaders.append((config.label, loader))
    return loaders


def load_all_demos(report: Progress) -> None:
    loaders = demo_loaders()
    for i, (label, loader) in enumerate(loaders):
        start, span = 100 * i / len(loaders), 100 / len(loaders)

        def sub(
            percent: float, message: str = "", start: float = start, span: float = span, label: str = label
        ) -> None:
            report(start + span * percent / 100, f"{label}: {message}")

        sub(0, "mulai / start")
        loader(report=sub)
        sub(100, "selesai / done")
