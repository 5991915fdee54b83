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


def hit(limits: Sequence[Limit], *, now: float | None = None) -> None:
    """Count one request against every limit; raise RateLimited if any is now exceeded."""
    active = [limit for limit in limits if limit.limit > 0]
    if not active:
        return
    now = time.time() if now is None else now
    rows = [(f"{lim.key}/{lim.period_s}", int(now // lim.period_s) * lim.period_s) for lim in active]
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    q = connection.ops.quote_name
    values = ", ".join(["(%s, %s, 1)"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({q('key')}, {q('window_start')}, {q('count')}) VALUES {values} "  # noqa: S608 - identifiers are ours
        f"ON CONFLICT ({q('key')}, {q('window_start')}) DO UPDATE SET {q('count')} = {table}.{q('count')} + 1 "
        f"RETURNING {q('key')}, {q('count')}"
    )
    counts = _count(sql, [p for row in rows for p in row])
    if random.randrange(PRUNE_EVERY) == 0:
        RateCounter.objects.filter(window_start__lt=int(now) - KEEP_S).delete()
    for lim, (key, window_start) in zip(active, rows, strict=True):
        if counts.get(key, 0) > lim.limit:
            retry_after = max(1, int(window_start + lim.period_s - now))
            raise RateLimited(
                _(
                    "Terlalu banyak laporan, coba lagi dalam %(s)d detik / Too many reports, try again in %(s)d s"
                )
                % {"s": retry_after},
                retry_after=retry_after,
            )
