"""Fixtures for this app's tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def jember_data(transactional_db: Any) -> None:
    """For transactional tests: put back the Jember territory and TPS if an earlier one flushed them.

    Request it before any persona fixture (personas need the police units).
    """
    from siaga.incidents.tests.jember import ensure_jember

    ensure_jember()
