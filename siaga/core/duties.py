"""Duty commitments: when is an officer already taken by another duty (an event, an escort, a guard shift,
PAM TPS)? One question asked before any assignment, so that no officer stands in two places at once.

Each app that assigns officers answers for its own duties, without this module importing it:

    # siaga/guard/apps.py
    class GuardConfig(AppConfig):
        duty_providers = ["siaga.guard.commitments.GuardDutyProvider"]

A provider is asked for the periods of the given officers (or of every officer, `personnel_ids=None`) that
overlap [start, end) and answers `Busy` rows. Each row names its source (`"events.event:12"`) so that an
assignment can ignore the duty it is itself editing.

This is not `siaga.incidents.commitments`: that one answers whether a unit may be *taken off* a post now;
this one answers whether an officer may be *put on* a new duty for a period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True, slots=True)
class Busy:
    """One period an officer is on a duty: `source` identifies the duty (e.g. "logistics.leg:5")."""

    personnel_id: int
    start: dt.datetime
    end: dt.datetime
    source: str
    label: str

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start < end and start < self.end


@runtime_checkable
class DutyProvider(Protocol):
    def busy(
        self, *, personnel_ids: Collection[int] | None, start: dt.datetime, end: dt.datetime
    ) -> Iterable[Busy]:
        """The duty periods of these officers (None: all officers) overlapping [start, end)."""
        ...


def providers() -> list[DutyProvider]:
    found: list[DutyProvider] = []
    for config in apps.get_app_configs():
        for path in getattr(config, "duty_providers", ()):
            target = import_string(path) if isinstance(path, str) else path
            found.append(target() if isinstance(target, type) else target)
    return found


def busy_periods(
    *,
    personnel_ids: Collection[int] | None,
    start: dt.datetime,
    end: dt.datetime,
    ignore_prefix: str = "",
) -> dict[int, list[Busy]]:
    """{personnel id: duties overlapping [start, end)}, leaving out sources starting with `ignore_prefix`
    (the duty being edited, e.g. "events.event:12")."""
    if personnel_ids is not None and not personnel_ids:
        return {}
    out: dict[int, list[Busy]] = defaultdict(list)
    for provider in providers():
        for row in provider.busy(personnel_ids=personnel_ids, start=start, end=end):
            if ignore_prefix and row.source.startswith(ignore_prefix):
                continue
            if row.overlaps(start, end):
                out[row.personnel_id].append(row)
    return dict(out)


def double_bookings(*, start: dt.datetime, end: dt.datetime) -> list[tuple[Busy, Busy]]:
    """Every pair of overlapping duties of one officer in [start, end), across all providers (a check for
    tests and the demo: it should always be empty)."""
    by_officer = busy_periods(personnel_ids=None, start=start, end=end)
    pairs = []
    for rows in by_officer.values():
        rows = sorted(rows, key=lambda b: (b.start, b.end))
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if b.start >= a.end:
                    break
                if a.source != b.source:
                    pairs.append((a, b))
    return pairs
