"""Retry a short write transaction that SQLite refused because another writer held the lock.

With WAL and IMMEDIATE transactions SQLite normally waits (the busy timeout), but it answers "database table is
locked" at once in shared-cache mode and "database is locked" when the timeout runs out under a burst. A
retry with jittered backoff is then the right answer. PostgreSQL never raises these, and nothing is retried
inside an outer transaction (the caller's transaction would be broken).
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection

P = ParamSpec("P")
R = TypeVar("R")

MAX_WAIT_S = 20.0


def _is_lock_error(exc: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(exc)


def retry_when_locked(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        deadline = time.monotonic() + MAX_WAIT_S
        delay = 0.005
        while True:
            try:
                return fn(*args, **kwargs)
            except OperationalError as exc:
                if not _is_lock_error(exc) or connection.in_atomic_block or time.monotonic() > deadline:
                    raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.2)

    return wrapper
