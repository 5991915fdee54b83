"""Shared test fixtures: the Jember territory loaded once per test database, and persona users.

Personas (Healthchecks style): admin, commander (pimpinan), kabagops (Bag Ops staff), polsek_tempurejo
(a Polsek officer), field_officer (Tempurejo), partner_kpu (KPU viewer) and outsider (Polsek Kaliwates,
who must get 404 for Tempurejo's objects).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django.test import Client

if TYPE_CHECKING:
    from siaga.accounts.models import User


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the real Jember territory, the demo elections' TPS and the operations once per test database.

    Loading them per test would cost seconds each; tests change them inside their own transaction.
    """
    from siaga.operations.demo import load_demo as load_operations
    from siaga.sites.demo import load_demo as load_sites
    from siaga.territory.demo import load_demo as load_territory

    with django_db_blocker.unblock():
        load_territory(report=lambda p, m="": None)
        load_sites(report=lambda p, m="": None)
        load_operations(report=lambda p, m="": None)


def _make_user(username: str, role: str, unit_code: str | None, **extra: Any) -> User:
    # Imported here so that the pure solver tests can run without Django (-p no:django).
    from siaga.accounts.models import User
    from siaga.territory.models import PoliceUnit

    unit = PoliceUnit.objects.get(code=unit_code) if unit_code else None
    user = User.objects.create_user(
        username=username, password="test-password-123", role=role, police_unit=unit, **extra
    )
    return user


@pytest.fixture
def admin_user(db: Any) -> User:
    return _make_user("t.admin", "admin", None, is_superuser=True, is_staff=True)


@pytest.fixture
def commander(db: Any) -> User:
    return _make_user("t.kapolres", "commander", "polres-jember")


@pytest.fixture
def kabagops(db: Any) -> User:
    return _make_user("t.kabagops", "ops_staff", "polres-jember")


@pytest.fixture
def polsek_tempurejo(db: Any) -> User:
    return _make_user("t.polsek.tempurejo", "polsek_officer", "polsek-tempurejo")


@pytest.fixture
def field_officer(db: Any) -> User:
    return _make_user("t.bripda.tempurejo", "field_officer", "polsek-tempurejo")


@pytest.fixture
def partner_kpu(db: Any) -> User:
    return _make_user("t.mitra.kpu", "partner_viewer", "polres-jember", partner="kpu")


@pytest.fixture
def outsider(db: Any) -> User:
    return _make_user("t.polsek.kaliwates", "polsek_officer", "polsek-kaliwates")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A logged-in test client for a persona: `client_for(kabagops).get(...)`."""

    def make(user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def run_tasks() -> Callable[[], None]:
    """Run every queued background task now, through the real database worker."""

    def run() -> None:
        call_command("db_worker", "--batch", verbosity=0)

    return run
