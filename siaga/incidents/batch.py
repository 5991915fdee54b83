"""Group commit for the public intake: reports arriving together in one process are written together.

On voting-day evening many citizens file at once. Written one by one, each report costs an idempotency lookup, a
rate-limit update, four INSERTs and a durable commit, and most of that is per-statement overhead, not work. Here
the request threads of one process hand their prepared reports to whichever of them is the *leader* at that
moment. The leader writes every report waiting in one go: one lookup of the idempotency keys, one rate-limit
statement, one transaction of bulk INSERTs and one durable commit. It then gives each waiting thread its own
outcome: a new receipt, the receipt of an earlier identical request, or a refusal (rate limit, key reused).

A batch is whatever queued while the previous one was being written; under load the leader also lingers
LINGER_S for more company, while a lone report on a quiet system is written at once. A report is acknowledged
only after its own transaction committed. If a batch fails on a constraint (another process committed the same idempotency key in
between, or a receipt collided), the batch is rolled back and its reports are written one by one by the ordinary
path, which settles each race exactly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from siaga.core.errors import Conflict, ValidationFailed
from siaga.incidents import ratelimit, services
from siaga.incidents.dbretry import retry_when_locked
from siaga.incidents.models import Incident

MAX_BATCH = 64
# How long a leader waits for company when the previous batch was not alone (seconds). A few milliseconds
# of latency buy larger batches, and a batch's fixed cost (lookup, rate-limit statement, commit) is most of it.
LINGER_S = settings.SIAGA_INTAKE_LINGER_MS / 1000


@dataclass
class Outcome:
    """What one submitted report became: its incident (pk, receipt, reported_at) and whether it is new."""

    incident: Incident
    created: bool


@dataclass(eq=False)
class Pending:
    prepared: services.PreparedIncident
    limits: Sequence[ratelimit.Limit]
    done: bool = False
    outcome: Outcome | None = None
    error: BaseException | None = None
    wake: threading.Event = field(default_factory=threading.Event)

    @property
    def key(self) -> str:
        return self.prepared.incident.client_key or ""

    @property
    def fingerprint(self) -> str:
        return self.prepared.incident.request_fingerprint

    def finish(self, outcome: Outcome | None = None, error: BaseException | None = None) -> None:
        self.outcome, self.error, self.done = outcome, error, True


class GroupWriter:
    """Leader/follower group commit: `submit` blocks until the item's batch is written by some thread.

    Each waiting thread sleeps on its own event and is woken exactly when its report is settled, or when it is
    handed the lead; there is no broadcast wake-up, so a long queue costs no CPU while it waits.
    """

    def __init__(
        self,
        write: Callable[[list[Pending]], None],
        *,
        max_batch: int = MAX_BATCH,
        linger_s: float = LINGER_S,
    ):
        self._write = write
        self._max_batch = max_batch
        self._linger_s = linger_s
        self._busy = False
        self._lock = threading.Lock()
        self._queue: list[Pending] = []
        self._writing = False
        self.batches = 0  # for the benchmark and tests: how many batches were written
        self.largest = 0

    def submit(self, item: Pending) -> Outcome:
        with self._lock:
            self._queue.append(item)
            leading = not self._writing
            self._writing = True
        if not leading:
            item.wake.wait()  # set when the item is settled, or when this thread is handed the lead
        while not item.done:
            # This thread leads now (first in, or handed the lead). If its own report is still queued after its
            # batch (more than max_batch were waiting), it passed the lead on and waits like the others.
            item.wake.clear()
            self._lead_once()
            if not item.done:
                item.wake.wait()
        if item.error is not None:
            raise item.error
        assert item.outcome is not None
        return item.outcome

    def _lead_once(self) -> None:
        """Write one batch from the head of the queue, then pass the lead on (or give it up if none wait)."""
        if self._busy and self._linger_s > 0:
            # Under load (the last batch had company) linger a moment so that this batch fills up; a lone
            # report on a quiet system never waits.
            time.sleep(self._linger_s)
        with self._lock:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
        self._busy = len(batch) > 1
        try:
            self._write(batch)
        except BaseException as exc:  # the batch as a whole failed (database down): every item says so
            for pending in batch:
                if not pending.done:
                    pending.finish(error=exc)
        finally:
            for pending in batch:
                if not pending.done:  # a writer must settle every item; never leave a thread waiting
                    pending.finish(error=RuntimeError("batch item left unsettled"))
            with self._lock:
                self.batches += 1
                self.largest = max(self.largest, len(batch))
                successor = self._queue[0] if self._queue else None
                self._writing = successor is not None
            for pending in batch:
                pending.wake.set()
            if successor is not None and not any(p is successor for p in batch):
                successor.wake.set()  # not settled: its thread wakes up as the next leader


@retry_when_locked
def _existing(keys: list[str]) -> dict[str, Incident]:
    """The already-stored reports among these idempotency keys: one indexed lookup per batch. A raw query: the
    ORM would compile the same statement anew for every batch, while raw() still converts the values."""
    if not keys:
        return {}
    q = connection.ops.quote_name
    sql = (
        f"SELECT {q('id')}, {q('client_key')}, {q('receipt')}, {q('request_fingerprint')}, {q('reported_at')} "  # noqa: S608  # nosec B608  # quoted model identifiers, keys bound
        f"FROM {q(Incident._meta.db_table)} WHERE {q('client_key')} IN ({', '.join(['%s'] * len(keys))})"
    )
    return {str(incident.client_key): incident for incident in Incident.objects.raw(sql, keys)}


def _replay(pending: Pending, incident: Incident) -> None:
    if incident.request_fingerprint and incident.request_fingerprint != pending.fingerprint:
        pending.finish(error=services.idempotency_key_reused())
    else:
        pending.finish(Outcome(incident, created=False))


@retry_when_locked
def _count_and_write(fresh: list[Pending]) -> tuple[list[ratelimit.RateLimited | None], bool]:
    """Count the batch against the rate limits and write the reports it allows, in ONE transaction: one durable
    commit per batch instead of two (the counters used to commit on their own first). Returns each report's
    refusal (or None) and whether the write went through; nothing is acknowledged here, only after the commit.
    A constraint failure rolls back the reports (a savepoint) but keeps the counts."""
    with transaction.atomic():
        refusals = ratelimit.hit_many([p.limits for p in fresh])
        allowed = [p.prepared for p, refusal in zip(fresh, refusals, strict=True) if refusal is None]
        if not allowed:
            return refusals, True
        try:
            with transaction.atomic():
                services.write_incidents(allowed)
        except IntegrityError:
            return refusals, False
    return refusals, True


def _write_one(pending: Pending) -> None:
    """The ordinary path for one report of a failed batch: it replays a concurrent winner or writes it alone."""
    winner = _existing([pending.key]).get(pending.key) if pending.key else None
    if winner is not None:  # committed by another process since the batch's lookup
        _replay(pending, winner)
        return
    try:
        incident, created = services.write_incident_once(pending.prepared)
    except (ValidationFailed, Conflict) as exc:
        pending.finish(error=exc)
    else:
        pending.finish(Outcome(incident, created=created))


def write_batch(batch: list[Pending]) -> None:
    """The leader's work: settle replays, count the rest against the rate limits, write what may be written."""
    existing = _existing(sorted({p.key for p in batch if p.key}))
    first_by_key: dict[str, Pending] = {}
    fresh: list[Pending] = []
    followers: list[Pending] = []
    for pending in batch:
        if not pending.key:
            fresh.append(pending)  # no idempotency key: always a new report
        elif pending.key in existing:
            _replay(pending, existing[pending.key])
        elif pending.key in first_by_key:
            followers.append(pending)  # the same key twice in one batch: the second replays the first
        else:
            first_by_key[pending.key] = pending
            fresh.append(pending)
    refusals, written = _count_and_write(fresh) if fresh else ([], True)
    # Committed: only now is any report of the batch acknowledged (or refused).
    allowed = []
    for pending, refusal in zip(fresh, refusals, strict=True):
        if refusal is None:
            allowed.append(pending)
        else:
            pending.finish(error=refusal)
    for pending in allowed:
        if written:
            pending.finish(Outcome(pending.prepared.incident, created=True))
        else:
            _write_one(pending)
    for pending in followers:
        first = first_by_key[pending.key]
        if first.error is not None:
            pending.finish(error=first.error)
        elif first.outcome is not None:
            _replay(pending, first.outcome.incident)


_writer = GroupWriter(write_batch)


def submit(prepared: services.PreparedIncident, limits: Sequence[ratelimit.Limit]) -> Outcome:
    """Write a prepared public report (with the others arriving now) and return its outcome; raises refusals."""
    return _writer.submit(Pending(prepared=prepared, limits=limits))


def writer() -> GroupWriter:
    return _writer
