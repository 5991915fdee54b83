"""The scheduler in the worker: each slot of each periodic task runs once whatever the number of workers, a
failing task does not stop the others, daily tasks run at their configured local hour."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.test import override_settings

from siaga.core.schedule import Periodic, periodic_tasks
from siaga.posko import scheduler
from siaga.posko.models import SchedulerTick

CALLS: list[str] = []


def record(*, now: dt.datetime) -> dict[str, str]:
    CALLS.append(now.isoformat())
    return {"ok": "1"}


def explode(*, now: dt.datetime) -> None:
    raise RuntimeError("boom")


EVERY_MINUTE = Periodic("test.record", "siaga.posko.tests.test_scheduler.record", 60)
DAILY = Periodic(
    "test.daily", "siaga.posko.tests.test_scheduler.record", daily_at_setting="SIAGA_TEST_DAILY_AT"
)
BROKEN = Periodic("test.broken", "siaga.posko.tests.test_scheduler.explode", 60)
T0 = dt.datetime(2024, 2, 14, 3, 0, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _calls() -> None:
    CALLS.clear()


def test_the_apps_declare_the_periodic_work_the_worker_runs() -> None:
    names = {t.name for t in periodic_tasks()}
    assert {
        "posko.alert_tick",
        "guard.refresh_alerts",
        "logistics.mark_late_legs",
        "posko.prune_ticks",
    } <= names


def test_each_slot_runs_once_and_a_failure_is_kept_on_its_row(db: Any) -> None:
    ran = scheduler.run_due(now=T0, tasks=[BROKEN, EVERY_MINUTE])
    assert ran == {"test.broken": {"error": "RuntimeError"}, "test.record": {"ok": "1"}}
    assert scheduler.run_due(now=T0 + dt.timedelta(seconds=40), tasks=[EVERY_MINUTE]) == {}
    assert scheduler.run_due(now=T0 + dt.timedelta(seconds=50), tasks=[EVERY_MINUTE]) == {
        "test.record": {"ok": "1"}
    }
    assert len(CALLS) == 2
    tick = SchedulerTick.objects.get(name="test.broken")
    assert tick.result == {"error": "RuntimeError"} and tick.finished_at is not None


@override_settings(SIAGA_TEST_DAILY_AT="06:30")
def test_a_daily_task_runs_once_at_its_local_hour(db: Any) -> None:
    local_0620 = dt.datetime(2024, 2, 14, 6, 20, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert scheduler.run_due(now=local_0620, tasks=[DAILY]) == {}
    assert scheduler.run_due(now=local_0620 + dt.timedelta(minutes=15), tasks=[DAILY]) != {}
    assert scheduler.run_due(now=local_0620 + dt.timedelta(hours=5), tasks=[DAILY]) == {}
    assert scheduler.run_due(now=local_0620 + dt.timedelta(days=1, minutes=15), tasks=[DAILY]) != {}
    assert len(CALLS) == 2


@pytest.mark.django_db(transaction=True)
def test_several_workers_racing_for_a_slot_run_it_once() -> None:
    barrier = threading.Barrier(4)
    results: list[dict[str, Any]] = []

    def worker() -> None:
        from django.db import connections

        barrier.wait()
        try:
            results.append(scheduler.run_due(now=T0, tasks=[EVERY_MINUTE]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(1 for r in results if r) == 1
    assert len(CALLS) == 1
    assert SchedulerTick.objects.filter(name="test.record").count() == 1


def test_the_scheduler_thread_starts_and_stops(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = threading.Event()
    monkeypatch.setattr(scheduler, "run_due", lambda **kw: seen.set())
    thread, stop = scheduler.start_thread(interval_s=0.05)
    assert seen.wait(5)
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
