"""The demo calendar: one anchor (the demo Pemilu's voting day) moves every historical date of the demo story.

The test settings pin the anchor to the historical 14 Feb 2024 (so other tests check the real KPU calendar on any
day they run); these tests unpin it, as `siaga demo` runs, and check the anchor and the moved calendar.
"""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from siaga.core.demo import HISTORICAL_VOTING_DAY, demo_date, demo_offset, demo_voting_day, is_moved
from siaga.operations import reference
from siaga.operations.demo import _moved, _source

LIVE = {"SIAGA_DEMO_VOTING_DAY": "", "SIAGA_DEMO_VOTING_IN_DAYS": 3}


def test_the_live_anchor_is_a_few_days_ahead_and_configurable() -> None:
    today = timezone.localdate()
    with override_settings(**LIVE):
        assert demo_voting_day() == today + dt.timedelta(days=3)
        assert demo_date(2024, 2, 14) == today + dt.timedelta(days=3)
        # Every date keeps its distance to voting day: the Sprin four days before, the roster 29 days before.
        assert demo_date(2024, 2, 10) == today - dt.timedelta(days=1)
        assert demo_date(2024, 1, 16) == today - dt.timedelta(days=26)
        assert is_moved()
    with override_settings(SIAGA_DEMO_VOTING_DAY="", SIAGA_DEMO_VOTING_IN_DAYS=10):
        assert demo_voting_day() == today + dt.timedelta(days=10)
    with override_settings(SIAGA_DEMO_VOTING_DAY="2030-04-17"):
        assert demo_date(2024, 2, 13) == dt.date(2030, 4, 16)


def test_the_test_settings_pin_the_historical_calendar() -> None:
    assert demo_voting_day() == HISTORICAL_VOTING_DAY
    assert demo_offset() == dt.timedelta(0) and not is_moved()
    assert _moved(reference.PEMILU_2024_STAGES) == reference.PEMILU_2024_STAGES
    assert _source("PKPU 3/2022") == "PKPU 3/2022"


def test_the_kpu_calendar_moves_with_voting_day_and_says_so() -> None:
    with override_settings(**LIVE):
        moved = _moved(reference.PEMILU_2024_STAGES)
        voting = next(s for s in moved if s[0] == "pemungutan-suara")
        assert voting[2] == timezone.localdate() + dt.timedelta(days=3)
        for (code, name, start, end, key), original in zip(moved, reference.PEMILU_2024_STAGES, strict=True):
            assert (code, name, key) == (original[0], original[1], original[4])
            assert end - start == original[3] - original[2]
        assert _source("PKPU 3/2022") == "PKPU 3/2022 (tanggal digeser untuk demo)"
