"""Fixtures for the operations tests: the operations part of the Jember demo, loaded inside each test."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.operations.models import Election


@pytest.fixture
def ops_demo(db: Any) -> None:
    """Stages, operations, patterns and TPS categories of the Jember demo (rolled back after each test)."""
    from siaga.operations.demo import load_demo

    load_demo(report=lambda p, m="": None)


@pytest.fixture
def pemilu(db: Any) -> Election:
    return Election.objects.get(slug="pemilu-2024")


@pytest.fixture
def pilkada(db: Any) -> Election:
    return Election.objects.get(slug="pilkada-2024")
