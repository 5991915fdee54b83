"""siaga.core.bulk.insert stores exactly what the ORM would, on SQLite (bound parameters) and PostgreSQL (JSON)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from siaga.core import bulk
from siaga.core.audit import snapshot
from siaga.core.models import AuditEvent, Job
from siaga.incidents.models import Incident, TimelineEntry
from siaga.territory.models import Kecamatan

pytestmark = pytest.mark.django_db

TRICKY = "Kutip ' dan \" garis \\ miring; baris\nbaru; emoji 🗳️; %s %(x)s; ' OR 1=1 --"


NOW = timezone.now()


def incident(n: int, copy: int = 0, **extra: Any) -> Incident:
    values: dict[str, Any] = {
        "receipt": f"TEST-{copy}{n:03d}",
        "client_key": f"bulk:{copy}:{n}",
        "request_fingerprint": "f" * 64,
        "source": "public",
        "category": "money_politics",
        "description": f"{TRICKY} #{n}",
        "occurred_at": dt.datetime(2024, 2, 14, 9, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        "reported_at": NOW,
        "lat": -8.17 + n / 1000,
        "lng": 113.7,
        "priority": 2,
    }
    values.update(extra)
    return Incident(**values)


def stored(model: type[Any], pks: list[int]) -> list[dict[str, Any]]:
    return [snapshot(obj) for obj in model.objects.filter(pk__in=pks).order_by("pk")]


def test_insert_stores_what_bulk_create_stores() -> None:
    kec = Kecamatan.objects.first()
    assert kec is not None
    ours = [incident(i, kecamatan_id=kec.pk if i % 2 else None) for i in range(5)]
    theirs = [incident(i, copy=1, kecamatan_id=kec.pk if i % 2 else None) for i in range(5)]
    bulk.insert(ours)
    Incident.objects.bulk_create(theirs)
    assert all(obj.pk is not None and not obj._state.adding for obj in ours)
    mine, reference = stored(Incident, [o.pk for o in ours]), stored(Incident, [o.pk for o in theirs])
    for a, b in zip(mine, reference, strict=True):
        for key in ("id", "receipt", "client_key"):
            a.pop(key), b.pop(key)
        assert a == b
    first = Incident.objects.get(pk=ours[0].pk)
    assert first.description == f"{TRICKY} #0"  # quotes, backslashes, placeholders and emoji unchanged
    assert first.occurred_at == ours[0].occurred_at  # the time zone and microseconds survive
    assert first.kecamatan_id is None and first.status == "new" and first.referral == Incident().referral


def test_json_ip_enum_defaults_and_auto_now_add() -> None:
    before = timezone.now()
    job = Job(kind="test", title="Uji", params={"incident_ids": [1, 2], "tanggal": "2024-02-14", "x": None})
    events = [
        AuditEvent(
            action=AuditEvent.Action.CREATE,
            object_type="incidents.incident",
            object_id=str(i),
            after={"lat": -8.1, "nested": {"ok": True, "text": TRICKY}},
            ip_address="10.1.2.3" if i else None,
        )
        for i in range(3)
    ]
    bulk.insert([job])
    bulk.insert(events)
    job = Job.objects.get(pk=job.pk)
    assert job.status == Job.Status.QUEUED and job.progress == 0 and job.result is None
    assert job.params == {"incident_ids": [1, 2], "tanggal": "2024-02-14", "x": None}
    assert job.created_at >= before  # auto_now_add applied
    rows = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("pk"))
    assert [r.object_id for r in rows] == ["0", "1", "2"]  # keys come back in the rows' order
    assert rows[0].ip_address is None and rows[1].ip_address == "10.1.2.3"
    assert rows[2].after == {"lat": -8.1, "nested": {"ok": True, "text": TRICKY}}


def test_foreign_keys_to_rows_just_inserted() -> None:
    parents = [incident(i) for i in range(3)]
    bulk.insert(parents)
    entries = [
        TimelineEntry(incident=p, actor_label="publik", kind=TimelineEntry.Kind.CREATED, to_status="new")
        for p in parents
    ]
    bulk.insert(entries)
    assert [
        e.incident_id for e in TimelineEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk")
    ] == [p.pk for p in parents]


def test_one_statement_and_only_the_columns_with_values() -> None:
    rows = [incident(i) for i in range(20)]
    with CaptureQueriesContext(connection) as queries:
        bulk.insert(rows)
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert '"receipt"' in sql and '"lat"' in sql
    assert '"verified_at"' not in sql.split("FROM")[0] and '"duplicate_of_id"' not in sql.split("FROM")[0]


def test_many_rows_are_split_into_statements_within_the_parameter_limit(monkeypatch: Any) -> None:
    monkeypatch.setattr(bulk, "MAX_PARAMS", 40)
    rows = [incident(i) for i in range(25)]
    bulk.insert(rows)
    assert Incident.objects.filter(pk__in=[r.pk for r in rows]).count() == 25
    assert len({r.pk for r in rows}) == 25


def test_refuses_saved_objects_and_mixed_models() -> None:
    saved = incident(1)
    bulk.insert([saved])
    with pytest.raises(TypeError):
        bulk.insert([saved])
    with pytest.raises(TypeError):
        bulk.insert([incident(2), Job(kind="x", title="y")])
    bulk.insert([])  # nothing to do
