"""Election calendar arithmetic: H-day labels and the stage in force on a date.

H-n counts calendar days to voting day (H): H-7 is a week before, H+1 the day after. Stages overlap (the
DPD candidacy runs for a year around shorter stages), so "the" stage of a day is the shortest stage covering
it: on 14 Feb 2024 that is voting (1 day), not counting (2 days) or any longer stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar


class StageLike(Protocol):
    starts_on: dt.date
    ends_on: dt.date
    is_key: bool


S = TypeVar("S", bound=StageLike)


def h_day(day: dt.date, voting_on: dt.date) -> int:
    """Days from voting day: negative before (H-n), 0 on the day (H), positive after (H+n)."""
    return (day - voting_on).days


def h_label(offset: int) -> str:
    if offset == 0:
        return "H"
    return f"H{offset:+d}"


def h_label_for(day: dt.date, voting_on: dt.date) -> str:
    return h_label(h_day(day, voting_on))


def stages_on(stages: Iterable[S], day: dt.date) -> list[S]:
    """Every stage whose date range covers `day`, shortest first."""
    covering = [s for s in stages if s.starts_on <= day <= s.ends_on]
    return sorted(covering, key=_specificity)


def current_stage(stages: Iterable[S], day: dt.date) -> S | None:
    """The most specific stage covering `day` (shortest; key stages win ties), or None between stages."""
    covering = stages_on(stages, day)
    return covering[0] if covering else None


def next_stage(stages: Sequence[S], day: dt.date) -> S | None:
    upcoming = [s for s in stages if s.starts_on > day]
    return min(upcoming, key=lambda s: (s.starts_on, _specificity(s))) if upcoming else None


def _specificity(stage: StageLike) -> tuple[int, int, dt.date]:
    return ((stage.ends_on - stage.starts_on).days, 0 if stage.is_key else 1, stage.starts_on)
