"""Group commit for the public intake (siaga.incidents.batch): concurrent reports are written together, each
thread gets its own outcome, replays and refusals are settled per report, and a failed batch falls back to
writing its reports one by one without losing or duplicating anything."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from siaga.core.errors import ValidationFailed
from siaga.core.jobs import run_job
from siaga.core.models import AuditEvent, Job
from siaga.incidents import batch, notify, ratelimit, services
from siaga.incidents.models import Incident, RateCounter, Source, TimelineEntry
from siaga.incidents.ratelimit import Limit, RateLimited
from siaga.territory.models import Kecamatan

INCIDENT = Incident._meta.label_lower


# --- GroupWriter, without the database --------------------------------------------------------------------------


class CountingPending(batch.Pending):
    """A Pending that remembers how often it was settled."""

    settled = 0

    def finish(self, outcome: batch.Outcome | None = None, error: BaseException | None = None) -> None:
        self.settled += 1
        super().finish(outcome, error)


def _item(n: int) -> CountingPending:
    incident = Incident(receipt=f"T{n:03d}", client_key=f"public:t{n}", request_fingerprint=f"fp{n}")
    prepared = services.PreparedIncident(incident=incident, contact=None, audit=AuditEvent())
    return CountingPending(prepared=prepared, limits=[])


def _wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the writer's queue")
        time.sleep(0.002)


def _queued(writer: batch.GroupWriter) -> int:
    return len(writer._queue)


def test_concurrent_submits_are_written_in_bounded_batches_and_each_thread_gets_its_own_outcome() -> None:
    threads = 40
    items = [_item(n) for n in range(threads)]
    sizes: list[int] = []
    written: list[batch.Pending] = []
    given: dict[int, batch.Outcome] = {}
    writing = threading.Lock()

    def write(pending: list[batch.Pending]) -> None:
        # Only one thread writes at a time: a second writer would find the lock taken.
        assert writing.acquire(blocking=False), "two batches written at once"
        try:
            if not sizes:
                # Hold the first batch until every other thread has queued behind it.
                _wait_until(lambda: _queued(writer) == threads - len(pending))
            sizes.append(len(pending))
            for p in pending:
                written.append(p)
                given[id(p)] = batch.Outcome(p.prepared.incident, created=True)
                p.finish(given[id(p)])
        finally:
            writing.release()

    writer = batch.GroupWriter(write, max_batch=8)
    start = threading.Barrier(threads)

    def send(item: batch.Pending) -> batch.Outcome:
        start.wait()
        return writer.submit(item)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        outcomes = list(pool.map(send, items, timeout=30))

    for item, outcome in zip(items, outcomes, strict=True):
        assert outcome is given[id(item)]
        assert outcome.incident is item.prepared.incident
    assert Counter(id(p) for p in written) == Counter(id(p) for p in items), "each item in exactly one batch"
    assert [item.settled for item in items] == [1] * threads
    assert sum(sizes) == threads
    assert max(sizes) > 1, sizes
    assert max(sizes) <= 8, sizes
    assert writer.batches == len(sizes)
    assert writer.largest == max(sizes)


def test_a_failing_write_fails_every_item_of_its_batch_and_the_writer_goes_on() -> None:
    boom = OSError("database down")
    calls: list[list[batch.Pending]] = []

    def write(pending: list[batch.Pending]) -> None:
        calls.append(list(pending))
        if len(calls) == 1:
            _wait_until(lambda: _queued(writer) == 5)  # the next five queue behind the first report
        if len(calls) == 2:
            raise boom
        for p in pending:
            p.finish(batch.Outcome(p.prepared.incident, created=True))

    writer = batch.GroupWriter(write)
    first, failing, later = _item(0), [_item(n) for n in range(1, 6)], _item(6)
    with ThreadPoolExecutor(max_workers=6) as pool:
        first_future = pool.submit(writer.submit, first)
        _wait_until(lambda: len(calls) == 1)
        futures = [pool.submit(writer.submit, item) for item in failing]
        assert first_future.result(timeout=10).incident is first.prepared.incident
        for future in futures:
            assert future.exception(timeout=10) is boom
    assert calls[1] == failing
    assert [item.settled for item in failing] == [1] * 5
    # The writer is not stuck in "writing": the next report is written (here, by the calling thread).
    assert writer.submit(later).incident is later.prepared.incident
    assert len(calls) == 3 and writer.batches == 3


def test_an_item_the_write_forgets_to_settle_gets_an_error_instead_of_hanging() -> None:
    def write(pending: list[batch.Pending]) -> None:
        pass

    writer = batch.GroupWriter(write)
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(writer.submit, _item(1))
        with pytest.raises(RuntimeError, match="unsettled"):
            future.result(timeout=10)
    with pytest.raises(RuntimeError, match="unsettled"):
        writer.submit(_item(2))  # and the writer still takes new work


# --- write_batch with the database ------------------------------------------------------------------------------


@pytest.fixture
def no_pruning(monkeypatch: pytest.MonkeyPatch) -> None:
    """hit_many deletes old windows on one request in PRUNE_EVERY: an extra query at random, not here."""

    class NeverZero:
        @staticmethod
        def randrange(n: int) -> int:
            return 1

    monkeypatch.setattr(ratelimit, "random", NeverZero)


def _key() -> str:
    return f"public:{uuid.uuid4()}"


def _data(category: str = "other", description: str = "") -> services.IncidentData:
    kec = Kecamatan.objects.get(name="Tempurejo")
    return services.IncidentData(
        source=Source.PUBLIC,
        category=category,
        description=description or "Spanduk kampanye dipasang di pagar balai desa",
        occurred_at=timezone.now() - dt.timedelta(minutes=20),
        lat=kec.lat,
        lng=kec.lng,
    )


def _pending(
    key: str,
    *,
    fingerprint: str = "fp",
    limits: Sequence[Limit] = (),
    category: str = "other",
    description: str = "",
) -> batch.Pending:
    prepared = services.prepare_incident(
        actor=None,
        data=_data(category, description),
        client_key=key,
        request_fingerprint=fingerprint,
    )
    return batch.Pending(prepared=prepared, limits=list(limits))


def _existing(key: str, fingerprint: str) -> Incident:
    return services.create_incident(actor=None, data=_data(), client_key=key, request_fingerprint=fingerprint)


def _count(key: str) -> int:
    return sum(RateCounter.objects.filter(key=key).values_list("count", flat=True))


def _audits(pks: Sequence[int | None]) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type=INCIDENT, action=AuditEvent.Action.CREATE, object_id__in=[str(pk) for pk in pks]
        ).values_list("object_id", flat=True)
    )


def _created_entries(pks: Sequence[int | None]) -> list[int]:
    return list(
        TimelineEntry.objects.filter(incident_id__in=pks, kind=TimelineEntry.Kind.CREATED).values_list(
            "incident_id", flat=True
        )
    )


def _totals() -> tuple[int, int, int]:
    return (
        Incident.objects.count(),
        AuditEvent.objects.filter(object_type=INCIDENT, action=AuditEvent.Action.CREATE).count(),
        TimelineEntry.objects.filter(kind=TimelineEntry.Kind.CREATED).count(),
    )


@pytest.mark.django_db
def test_one_batch_settles_new_replayed_duplicate_reused_and_rate_limited_reports(no_pruning: None) -> None:
    tag = uuid.uuid4().hex[:8]
    every = Limit(f"all:{tag}", 1000, 60)

    def limits(client: str, per_client: int) -> list[Limit]:
        return [Limit(f"c:{client}:{tag}", per_client, 60), every]

    same_key, other_key, twice_key = _key(), _key(), _key()
    earlier = _existing(same_key, "fp-same")
    taken = _existing(other_key, "fp-taken")
    # Alice may file two new reports; her replays must not use them up (the replay comes first on purpose).
    replay = _pending(same_key, fingerprint="fp-same", limits=limits("alice", 2))
    new_alice = _pending(_key(), limits=limits("alice", 2))
    twice_first = _pending(twice_key, fingerprint="fp-twice", limits=limits("alice", 2))
    twice_second = _pending(twice_key, fingerprint="fp-twice", limits=limits("alice", 2))
    reused = _pending(other_key, fingerprint="fp-different", limits=limits("alice", 2))
    # Bob may file one per minute: his second is refused.
    new_bob = _pending(_key(), limits=limits("bob", 1))
    flood_key = _key()
    flood = _pending(flood_key, limits=limits("bob", 1))
    items = [replay, new_alice, twice_first, twice_second, reused, new_bob, flood]
    before = _totals()

    batch.write_batch(items)

    assert all(p.done for p in items)
    assert replay.error is None and replay.outcome is not None
    assert replay.outcome.created is False
    assert (replay.outcome.incident.pk, replay.outcome.incident.receipt) == (earlier.pk, earlier.receipt)

    new = [new_alice, twice_first, new_bob]
    for p in new:
        assert p.error is None and p.outcome is not None and p.outcome.created is True
        assert p.outcome.incident.pk is not None
        stored = Incident.objects.get(pk=p.outcome.incident.pk)
        assert stored.receipt == p.outcome.incident.receipt
        assert (stored.client_key, stored.request_fingerprint) == (p.key, p.fingerprint)

    assert twice_second.error is None and twice_second.outcome is not None
    assert twice_second.outcome.created is False
    assert twice_second.outcome.incident.pk == twice_first.prepared.incident.pk
    assert twice_second.outcome.incident.receipt == twice_first.prepared.incident.receipt
    assert Incident.objects.filter(client_key=twice_key).count() == 1

    assert isinstance(reused.error, ValidationFailed)
    assert reused.error.code == "idempotency_key_reused"
    assert Incident.objects.get(client_key=other_key).receipt == taken.receipt

    assert isinstance(flood.error, RateLimited)
    assert flood.outcome is None
    assert not Incident.objects.filter(client_key=flood_key).exists()

    pks = [p.prepared.incident.pk for p in new]
    assert _totals() == (before[0] + 3, before[1] + 3, before[2] + 3)
    assert sorted(_audits(pks)) == sorted(str(pk) for pk in pks)
    assert sorted(_created_entries(pks)) == sorted(pks)
    # Only reports that are not replays are counted; refused ones are counted too.
    assert _count(f"c:alice:{tag}/60") == 2
    assert _count(f"c:bob:{tag}/60") == 2
    assert _count(f"all:{tag}/60") == 4


@pytest.mark.django_db
def test_a_batch_costs_the_same_number_of_queries_whatever_its_size(no_pruning: None) -> None:
    def queries_for(n: int) -> int:
        items = [
            _pending(_key(), fingerprint=f"fp{i}", limits=[Limit(f"c:{uuid.uuid4()}", 10, 60)])
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            batch.write_batch(items)
        assert all(p.outcome is not None and p.outcome.created for p in items)
        return len(ctx.captured_queries)

    two, ten = queries_for(2), queries_for(10)
    assert ten == two
    assert ten <= 12  # a lookup, the rate-limit statement, the bulk INSERTs and the savepoint around them


@pytest.mark.django_db
def test_a_batch_that_fails_on_a_receipt_collision_is_written_one_by_one(no_pruning: None) -> None:
    tag = uuid.uuid4().hex[:8]
    earlier = _existing(_key(), "fp-earlier")
    fine = _pending(_key(), limits=[Limit(f"c:{tag}", 10, 60)])
    colliding = _pending(_key(), limits=[Limit(f"c:{tag}", 10, 60)])
    colliding.prepared.incident.receipt = earlier.receipt
    fine_receipt = fine.prepared.incident.receipt
    before = _totals()

    batch.write_batch([fine, colliding])

    for p in (fine, colliding):
        assert p.error is None and p.outcome is not None and p.outcome.created is True
        assert Incident.objects.get(client_key=p.key).receipt == p.outcome.incident.receipt
    assert fine.outcome is not None and fine.outcome.incident.receipt == fine_receipt
    assert colliding.outcome is not None and colliding.outcome.incident.receipt != earlier.receipt
    assert Incident.objects.get(pk=earlier.pk).client_key == earlier.client_key
    pks = [fine.prepared.incident.pk, colliding.prepared.incident.pk]
    assert _totals() == (before[0] + 2, before[1] + 2, before[2] + 2)
    assert sorted(_audits(pks)) == sorted(str(pk) for pk in pks)
    assert sorted(_created_entries(pks)) == sorted(pks)
    # Every incident create audit row points at an incident that exists.
    audited = AuditEvent.objects.filter(object_type=INCIDENT, action=AuditEvent.Action.CREATE)
    ids = {int(i) for i in audited.values_list("object_id", flat=True)}
    assert ids <= set(Incident.objects.values_list("pk", flat=True))
    assert _count(f"c:{tag}/60") == 2, "the fallback does not count the reports again"


@pytest.mark.django_db
def test_a_key_committed_elsewhere_after_the_lookup_is_replayed_by_the_fallback(
    monkeypatch: pytest.MonkeyPatch, no_pruning: None
) -> None:
    key = _key()
    winner = _existing(key, "fp-race")
    lookup = batch._existing
    lookups: list[list[str]] = []

    def lookup_before_the_winner_committed(keys: list[str]) -> dict[str, Incident]:
        lookups.append(keys)
        return {} if len(lookups) == 1 else lookup(keys)

    monkeypatch.setattr(batch, "_existing", lookup_before_the_winner_committed)
    racer = _pending(key, fingerprint="fp-race")
    other = _pending(_key())
    before = _totals()

    batch.write_batch([racer, other])

    assert racer.error is None and racer.outcome is not None
    assert racer.outcome.created is False and racer.outcome.incident.pk == winner.pk
    assert racer.outcome.incident.receipt == winner.receipt
    assert other.outcome is not None and other.outcome.created is True
    assert Incident.objects.filter(client_key=key).count() == 1
    assert _totals() == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert len(lookups) >= 2, "the fallback looked the key up again"


# --- rate limits in one statement -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hit_many_counts_requests_sharing_a_key_in_order(no_pruning: None) -> None:
    key = f"k:{uuid.uuid4()}"
    now = 1_000_000.0  # the window is [999960, 1000020)
    limit = Limit(key, 2, 60)

    outcome = ratelimit.hit_many([[limit], [limit], [limit]], now=now)

    assert outcome[:2] == [None, None]
    assert isinstance(outcome[2], RateLimited)
    assert outcome[2].retry_after == 20
    assert RateCounter.objects.get(key=f"{key}/60", window_start=999_960).count == 3
    # The next statement continues from the stored count.
    assert isinstance(ratelimit.hit_many([[limit]], now=now)[0], RateLimited)
    assert RateCounter.objects.get(key=f"{key}/60", window_start=999_960).count == 4


@pytest.mark.django_db
def test_hit_many_counts_different_keys_independently(no_pruning: None) -> None:
    a, b = f"a:{uuid.uuid4()}", f"b:{uuid.uuid4()}"

    outcome = ratelimit.hit_many([[Limit(a, 1, 60)], [Limit(b, 1, 60)], [Limit(b, 2, 60)]])

    assert outcome == [None, None, None]
    assert _count(f"{a}/60") == 1
    assert _count(f"{b}/60") == 2


# --- notifications ----------------------------------------------------------------------------------------------


class FakeChannel:
    name = "fake"

    def __init__(self) -> None:
        self.sent: list[notify.Notification] = []

    def send(self, notification: notify.Notification) -> None:
        self.sent.append(notification)


VIOLENT = "Bentrok massa di depan TPS, ada yang terluka"


@pytest.mark.django_db
def test_urgent_reports_of_one_batch_share_one_notification_job_queued_in_their_transaction(
    django_capture_on_commit_callbacks: Any, no_pruning: None
) -> None:
    urgent = [_pending(_key(), category="violence", description=VIOLENT) for _ in range(2)]
    calm = _pending(_key())
    queued_before = set(DBTaskResult.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch.write_batch([urgent[0], calm, urgent[1]])

    (job,) = Job.objects.filter(kind="incident_notify")
    assert job.params["incident_ids"] == [p.prepared.incident.pk for p in urgent]
    assert job.params["event"] == "reported"
    # Enqueued in the reports' own transaction, not after commit.
    assert callbacks == []
    queued = DBTaskResult.objects.exclude(pk__in=queued_before).get()
    assert queued.task_path.endswith("notify_incident_task")
    assert job.pk in queued.args_kwargs["args"]

    channel = FakeChannel()
    notify.register_channel(channel)
    try:
        run_job(job.pk, services.send_notification)
    finally:
        notify.unregister_channel(channel)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result is not None and job.result["fake"] == "ok"
    assert sorted(n.receipt for n in channel.sent) == sorted(p.prepared.incident.receipt for p in urgent)


@pytest.mark.django_db
def test_a_batch_that_rolls_back_leaves_no_job_and_no_queued_task() -> None:
    urgent = [_pending(_key(), category="violence", description=VIOLENT) for _ in range(2)]
    jobs, queued = Job.objects.count(), DBTaskResult.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.write_incidents([p.prepared for p in urgent])
        # Both were written inside the transaction, then rolled back with it.
        assert (Job.objects.count(), DBTaskResult.objects.count()) == (jobs + 1, queued + 1)
        raise RuntimeError("the commit failed")

    assert (Job.objects.count(), DBTaskResult.objects.count()) == (jobs, queued)
    assert not Incident.objects.filter(client_key__in=[p.key for p in urgent]).exists()


@pytest.mark.django_db
def test_the_failed_batch_leaves_no_job_only_those_of_the_reports_written_one_by_one(
    no_pruning: None,
) -> None:
    earlier = _existing(_key(), "fp-earlier")
    urgent = [_pending(_key(), category="violence", description=VIOLENT) for _ in range(2)]
    urgent[1].prepared.incident.receipt = earlier.receipt
    queued = DBTaskResult.objects.count()

    batch.write_batch(urgent)

    assert all(p.outcome is not None and p.outcome.created for p in urgent)
    jobs = Job.objects.filter(kind="incident_notify").order_by("pk")
    assert [job.params["incident_ids"] for job in jobs] == [[p.prepared.incident.pk] for p in urgent]
    assert DBTaskResult.objects.count() == queued + 2
