"""The alert interface every app feeds the Posko stream through, without importing the Posko.

An app names its alert sources in its AppConfig:

    # siaga/guard/apps.py
    class GuardConfig(AppConfig):
        alert_sources = ["siaga.guard.alert_source.GuardAlertSource"]

A source declares the kinds of alert it raises (`AlertKind`: code, label, default severity and the capability a
reader needs to see it) and answers `collect(now=...)` with the facts in force at that moment (`AlertFact`).
Each fact carries a stable `key`: the same condition gives the same key on every tick, so the stream raises it
once, refreshes it while it lasts and closes it when the source stops reporting it. `collect` is a pure read
with the clock as an argument: tests drive it with a controlled clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.apps import apps
from django.utils.module_loading import import_string

HIGH = "high"
MEDIUM = "medium"
LOW = "low"


@dataclass(frozen=True)
class AlertKind:
    """A kind of alert: `code` is "<app>.<what>" (e.g. "guard.unstaffed")."""

    code: str
    label: Any  # str or a lazy translation
    severity: str = MEDIUM
    # Who may see alerts of this kind on the board and be told about them (siaga.accounts.roles).
    capability: str = "view_posko"
    # A condition (a post unstaffed now) closes itself when the source stops reporting it. A past event (a
    # checkpoint missed at 14:00) does not: it stays until a named user closes it.
    closes_when_gone: bool = True


@dataclass(frozen=True)
class AlertFact:
    """One condition in force now. `title` names what and where in plain words (a post's name, a receipt, a
    count), no personal data and no sentence: screens show it after the kind's label in the reader's language."""

    key: str
    kind: str
    title: str
    since: dt.datetime
    kecamatan_id: int | None
    severity: str = ""  # "" takes the kind's default
    lat: float | None = None
    lng: float | None = None
    url: str = ""


@runtime_checkable
class AlertSource(Protocol):
    name: str
    kinds: Sequence[AlertKind]

    def collect(self, *, now: dt.datetime) -> Iterable[AlertFact]: ...


def alert_sources() -> list[AlertSource]:
    found: list[AlertSource] = []
    for config in apps.get_app_configs():
        for path in getattr(config, "alert_sources", ()):
            target = import_string(path) if isinstance(path, str) else path
            found.append(target() if isinstance(target, type) else target)
    return found


def alert_kinds() -> dict[str, AlertKind]:
    return {kind.code: kind for source in alert_sources() for kind in source.kinds}
