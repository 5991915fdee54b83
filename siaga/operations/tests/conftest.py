"""Fixtures for the operations tests: the operations part of the Jember demo, loaded inside each test."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.operations.models import Election


@pytest.fixture
def ops_demo(db: Any) -> None:
    """Stages, operations, patterns and TPS categories of the Jember demo.

    The root conftest loads them once per test database; this fixture only checks they are there.
    """
    from siaga.operations.models import Operation

    assert Operation.objects.filter(slug="mantap-brata-2023").exists()


@pytest.fixture
def pemilu(db: Any) -> Election:
    return Election.objects.get(slug="pemilu-2024")


@pytest.fixture
def pilkada(db: Any) -> Election:
    return Election.objects.get(slug="pilkada-2024")
