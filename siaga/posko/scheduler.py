"""The scheduler: runs the periodic tasks the apps declare (siaga.core.schedule) from inside the worker, so the
Posko's alerts, the guard check-in expiry and the late logistics legs need no cron.

Each task's time is cut into slots (every `every_s` seconds, or one slot per day at a configured local time).
A worker that finds a slot due inserts its `SchedulerTick` row first; the unique (name, slot) constraint lets
exactly one insert win, so two or ten workers run each slot once, and a worker that dies mid-run only loses
that slot (the next one runs). The loop sleeps a second between looks: a tick runs at most ~1 s late.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from siaga.core.schedule import Periodic, periodic_tasks
from siaga.posko.models import SchedulerTick

log = logging.getLogger(__name__)

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Tick rows older than this are pruned (they are a run log, not a record).
KEEP_TICKS = dt.timedelta(days=2)


def slot_of(task: Periodic, now: dt.datetime) -> dt.datetime | None:
    """The slot `now` falls in, or None when a daily task's hour has not come yet today."""
    if task.daily_at_setting:
        hhmm = str(getattr(settings, task.daily_at_setting, "") or "")
        try:
            hour, minute = (int(x) for x in hhmm.split(":"))
            at = dt.time(hour, minute)
        except ValueError:
            log.error(
                "scheduler: %s=%r is not HH:MM; task %s skipped", task.daily_at_setting, hhmm, task.name
            )
            return None
        local = timezone.localtime(now)
        slot = dt.datetime.combine(local.date(), at, tzinfo=local.tzinfo)
        return slot if local >= slot else None
    every = max(1, task.every_s)
    seconds = int((now - EPOCH).total_seconds())
    return EPOCH + dt.timedelta(seconds=seconds - seconds % every)


def _claim(task: Periodic, slot: dt.datetime, now: dt.datetime) -> SchedulerTick | None:
    try:
        with transaction.atomic():
            return SchedulerTick.objects.create(
                name=task.name, slot=slot, started_at=now, worker=f"{socket.gethostname()}:{os.getpid()}"[:80]
            )
    except IntegrityError:
        return None  # another worker has this slot


def run_due(*, now: dt.datetime | None = None, tasks: list[Periodic] | None = None) -> dict[str, Any]:
    """Run every task whose current slot nobody has claimed yet. Returns {task name: result} of those run here."""
    now = now or timezone.now()
    ran: dict[str, Any] = {}
    for task in tasks if tasks is not None else periodic_tasks():
        slot = slot_of(task, now)
        if slot is None or SchedulerTick.objects.filter(name=task.name, slot=slot).exists():
            continue
        tick = _claim(task, slot, now)
        if tick is None:
            continue
        try:
            result = import_string(task.func)(now=now) or {}
        except Exception as exc:  # one failing task must not stop the others or the loop
            log.exception("scheduler: task %s failed", task.name)
            result = {"error": type(exc).__name__}
        SchedulerTick.objects.filter(pk=tick.pk).update(finished_at=timezone.now(), result=result)
        ran[task.name] = result
    return ran


def prune_ticks(*, now: dt.datetime) -> dict[str, int]:
    deleted, _ = SchedulerTick.objects.filter(slot__lt=now - KEEP_TICKS).delete()
    return {"pruned": deleted}


PRUNE_TICKS = Periodic("posko.prune_ticks", "siaga.posko.scheduler.prune_ticks", 3600)


def loop(stop: threading.Event, *, interval_s: float = 1.0) -> None:
    """Look for due tasks every `interval_s` until `stop` is set (the worker's scheduler thread)."""
    log.info("scheduler started")
    while not stop.is_set():
        try:
            run_due()
        except Exception:  # the database may be away for a moment; keep looking
            log.exception("scheduler: look failed")
        finally:
            close_old_connections()
        stop.wait(interval_s)
    log.info("scheduler stopped")


def start_thread(*, interval_s: float = 1.0) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=loop, args=(stop,), kwargs={"interval_s": interval_s}, name="siaga-scheduler", daemon=True
    )
    thread.start()
    return thread, stop
