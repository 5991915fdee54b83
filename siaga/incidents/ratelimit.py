"""Fixed-window rate limits counted in the database, so every gunicorn worker and every machine agrees.

One statement per request counts all of its keys at once (INSERT ... ON CONFLICT DO UPDATE ... RETURNING, which
SQLite >= 3.35 and PostgreSQL both support) and returns the new counts.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from siaga.core.errors import DomainError
from siaga.incidents.dbretry import retry_when_locked
from siaga.incidents.models import RateCounter

PRUNE_EVERY = 500  # on average one request in this many deletes windows older than two days
KEEP_S = 2 * 86400


class RateLimited(DomainError):
    """Too many requests from one client or overall; `retry_after` says when to try again (seconds)."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int
    period_s: int


@retry_when_locked
def _count(sql: str, params: list[Any]) -> dict[str, int]:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())
    with transaction.atomic(), connection.cursor() as cursor:
        # Counters are low-value data: do not wait for the WAL flush. Otherwise the hot "all clients" row stays
        # locked through every fsync and serialises all intake behind the disk (a lost count after a crash only
        # lets a few more reports through; the reports themselves stay fully durable).
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _refusal(retry_after: int) -> RateLimited:
    return RateLimited(
        _("Terlalu banyak laporan, coba lagi dalam %(s)d detik") % {"s": retry_after},
        retry_after=retry_after,
    )


def hit_many(requests: Sequence[Sequence[Limit]], *, now: float | None = None) -> list[RateLimited | None]:
    """Count several requests (each with its limits) in one statement, in order; per request, None if it may
    go ahead or the RateLimited refusal. Every request is counted, refused or not, as `hit` does."""
    now = time.time() if now is None else now
    increments: dict[tuple[str, int], int] = {}
    for limits in requests:
        for lim in limits:
            if lim.limit > 0:
                row = (f"{lim.key}/{lim.period_s}", int(now // lim.period_s) * lim.period_s)
                increments[row] = increments.get(row, 0) + 1
    if not increments:
        return [None] * len(requests)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    q = connection.ops.quote_name
    values = ", ".join(["(%s, %s, %s)"] * len(increments))
    sql = (
        f"INSERT INTO {table} ({q('key')}, {q('window_start')}, {q('count')}) VALUES {values} "  # noqa: S608  # nosec B608  # quoted model identifiers, values bound
        f"ON CONFLICT ({q('key')}, {q('window_start')}) DO UPDATE SET {q('count')} = {table}.{q('count')} + "
        f"excluded.{q('count')} RETURNING {q('key')}, {q('count')}"
    )
    counts = _count(sql, [p for (key, window), n in increments.items() for p in (key, window, n)])
    if random.randrange(PRUNE_EVERY) == 0:
        RateCounter.objects.filter(window_start__lt=int(now) - KEEP_S).delete()
    # The count each request saw, in order: the window's total before this statement, plus its own position.
    seen = {row: counts.get(row[0], n) - n for row, n in increments.items()}
    outcome: list[RateLimited | None] = []
    for limits in requests:
        refusal: RateLimited | None = None
        for lim in limits:
            if lim.limit <= 0:
                continue
            window = int(now // lim.period_s) * lim.period_s
            row = (f"{lim.key}/{lim.period_s}", window)
            seen[row] += 1
            if seen[row] > lim.limit and refusal is None:
                refusal = _refusal(max(1, int(window + lim.period_s - now)))
        outcome.append(refusal)
    return outcome


def hit(limits: Sequence[Limit], *, now: float | None = None) -> None:
    """Count one request against every limit; raise RateLimited if any is now exceeded."""
    refusal = hit_many([limits], now=now)[0]
    if refusal is not None:
        raise refusal
