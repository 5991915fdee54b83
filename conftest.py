"""Shared test fixtures: the Jember territory loaded once per test database, and persona users.

Personas (Healthchecks style): admin, commander (pimpinan), kabagops (Bag Ops staff), polsek_tempurejo
(a Polsek officer), field_officer (Tempurejo), partner_kpu (KPU viewer) and outsider (Polsek Kaliwates,
who must get 404 for Tempurejo's objects); above the Polres, polda_staff (Polda Jatim) and mabes_staff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django.test import Client

if TYPE_CHECKING:
    from siaga.accounts.models import User


def load_shared_data() -> None:
    """The data every test may rely on: reference seeds, the real Jember territory, the demo elections'
    TPS and the operations demo. Loading them per test would cost seconds each."""
    from siaga.operations.demo import load_demo as load_operations
    from siaga.operations.services import ensure_reference_data as seed_operations_reference
    from siaga.personnel import reference
    from siaga.personnel.models import KitItem, Rank
    from siaga.sites.demo import load_demo as load_sites
    from siaga.territory.demo import load_demo as load_territory

    # Seeded by data migrations; a transactional test's flush removes them, so seed again (idempotent).
    reference.seed(Rank, KitItem)
    seed_operations_reference()
    load_territory(report=lambda p, m="": None)
    load_sites(report=lambda p, m="": None)
    load_operations(report=lambda p, m="": None)
    # Caches keyed by the territory's rows must follow a reload (the ids change).
    from siaga.incidents import locate

    locate.refresh()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request through LocaleMiddleware (say after a language
    switch to English) leaves its language active in the thread, and later tests would read English messages."""
    yield
    from django.conf import settings

    if settings.configured:
        from django.utils import translation

        translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the shared data once per test database; tests change it inside their own transaction."""
    with django_db_blocker.unblock():
        load_shared_data()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A transactional test (live_server, concurrency) empties every table when its fixtures are torn down.

    This runs after that flush, and loads the shared data again so later tests in the process find it.
    """
    yield
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(fixtures)
    )
    # After the last test the test database is already gone (nextitem is None): nothing to restore.
    if not transactional or nextitem is None:
        return
    from pytest_django.plugin import blocking_manager_key

    from siaga.territory.models import PoliceUnit

    with item.config.stash[blocking_manager_key].unblock():
        if not PoliceUnit.objects.exists():
            load_shared_data()


@pytest.fixture
def jember_data(transactional_db: Any) -> None:
    """For transactional tests: the shared data, loaded again if an earlier flush removed it.

    Request it before any persona fixture (personas need the police units).
    """
    from siaga.territory.models import PoliceUnit

    if not PoliceUnit.objects.exists():
        load_shared_data()


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Indonesian, as Polri phones: without it Chromium sends Accept-Language en-US and Siaga answers in English.
    "--accept-lang=id-ID,id",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One Debian Chromium per test process, shared by every browser test (Playwright's sync API allows
    only one running instance per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield _IndonesianBrowser(browser)
        browser.close()


class _IndonesianBrowser:
    """The browser as an Indonesian officer's phone has it: pages ask for Indonesian unless a test says
    otherwise (Siaga follows the browser's Accept-Language, and Chromium's default is English)."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **kwargs: Any) -> Any:
        kwargs.setdefault("locale", "id-ID")
        return self._browser.new_context(**kwargs)

    def new_page(self, **kwargs: Any) -> Any:
        kwargs.setdefault("locale", "id-ID")
        return self._browser.new_page(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


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
def polda_staff(db: Any) -> User:
    """Staff of Polda Jawa Timur (issue 20): reads Polres Jember and every other Polres of the Polda."""
    return _make_user("t.polda.jatim", "polda_staff", "polda-jatim")


@pytest.fixture
def mabes_staff(db: Any) -> User:
    """Staff of Mabes Polri: reads every Polda, writes nothing."""
    return _make_user("t.mabes", "mabes_staff", "mabes-polri")


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
        from unittest import mock

        from django_tasks_db.management.commands import db_worker

        # The worker closes "old" connections between tasks; inside a test's transaction on PostgreSQL that
        # would close the test's own connection (Django's test client disconnects the same handler).
        with mock.patch.object(db_worker, "close_old_connections", lambda: None):
            call_command("db_worker", "--batch", verbosity=0)

    return run


@pytest.fixture
def browser(chromium: Any) -> Any:
    return chromium


# --- the RQ task backend on a real Redis (issue 20) ------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Redis: the one `scripts/test.sh` started (SIAGA_TEST_REDIS_URL), else a throwaway redis-server
    for this test process. Each xdist process takes its own database number, so queues never mix."""
    import os
    import shutil
    import subprocess
    import time

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    db = 1 + int(worker.removeprefix("gw") or 0) % 15
    given = os.environ.get("SIAGA_TEST_REDIS_URL")
    if given:
        yield f"{given.rstrip('/')}/{db}"  # given without a database number: redis://HOST:PORT
        return
    server = shutil.which("redis-server")
    assert server, "redis-server is not installed (scripts/bootstrap.sh test installs it)"
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/{db}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def rq_backend(redis_url: str, settings: Any) -> Iterator[str]:
    """Tasks of this test queue on Redis through django-tasks-rq (an empty Redis database for each test)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 600}}
    yield redis_url
    redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture
def run_rq_tasks(rq_backend: str) -> Callable[[], None]:
    """Run every task queued on Redis now, through Siaga's RQ worker in this process (burst mode)."""

    def run() -> None:
        from unittest import mock

        from siaga.core import rq

        # As with run_tasks: inside a test's transaction the worker must not close the test's connection.
        with mock.patch.object(rq, "close_old_connections", lambda: None):
            rq.run_worker(burst=True)

    return run
