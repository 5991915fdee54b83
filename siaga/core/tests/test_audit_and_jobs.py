"""The audit trail (record, diff, browse with filters) and background jobs (progress, failures)."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.core.audit import changed_only, record_change, snapshot
from siaga.core.errors import ImportRejected, RowError
from siaga.core.jobs import run_job
from siaga.core.models import AuditEvent, Job
from siaga.territory.models import Desa

pytestmark = pytest.mark.django_db


def test_changed_only_keeps_the_differences() -> None:
    assert changed_only({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == ({"b": 2, "c": None}, {"b": 3, "c": 4})


def test_an_unsaved_audit_event_can_be_shown() -> None:
    # Hot paths build events before writing them; their repr appears in logs and failing tests.
    event = AuditEvent(actor_label="publik", action="create", object_repr="K7M3-Q9TX")
    assert str(event).endswith("publik create K7M3-Q9TX") and "unsaved" in str(event)


def test_snapshot_leaves_out_boundaries() -> None:
    desa = Desa.objects.first()
    data = snapshot(desa)
    assert "boundary" not in data
    assert data["code"] == desa.code


def test_audit_page_filters_by_actor_and_object(client_for: Any, commander: Any, kabagops: Any) -> None:
    desa = Desa.objects.first()
    record_change(
        actor=kabagops, action=AuditEvent.Action.UPDATE, obj=desa, before={"name": "A"}, after={"name": "B"}
    )
    record_change(
        actor=commander, action=AuditEvent.Action.UPDATE, obj=desa, before={"name": "B"}, after={"name": "C"}
    )
    c = client_for(commander)
    page = c.get("/audit/", {"actor": kabagops.username, "object_type": "territory.desa"}).content.decode()
    assert "&quot;B&quot;" in page and "&quot;C&quot;" not in page
    assert c.get("/audit/", {"date_from": "not-a-date"}).status_code == 200


def test_audit_page_is_for_commanders_and_admins_only(client_for: Any, polsek_tempurejo: Any) -> None:
    assert client_for(polsek_tempurejo).get("/audit/").status_code == 403


def test_run_job_records_progress_and_success() -> None:
    job = Job.objects.create(kind="test", title="t")

    def work(job: Job, report: Any) -> dict[str, Any]:
        report(40, "half")
        assert Job.objects.get(pk=job.pk).progress == 40
        return {"summary": "ok"}

    run_job(job.pk, work)
    job.refresh_from_db()
    assert (job.status, job.progress, job.result) == (Job.Status.SUCCEEDED, 100, {"summary": "ok"})
    assert "half" in job.log
    assert job.duration_s is not None


def test_run_job_keeps_row_errors_and_hides_internal_errors() -> None:
    job = Job.objects.create(kind="test", title="t")

    def rejected(job: Job, report: Any) -> None:
        raise ImportRejected("bad rows", [RowError(3, "unknown rank", column="pangkat")])

    run_job(job.pk, rejected)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.result["error"]["fields"]["rows"] == ["baris 3, kolom pangkat: unknown rank"]

    job2 = Job.objects.create(kind="test", title="t2")

    def broken(job: Job, report: Any) -> None:
        raise ZeroDivisionError("secret detail")

    run_job(job2.pk, broken)
    job2.refresh_from_db()
    assert job2.status == Job.Status.FAILED
    assert "secret detail" not in job2.log + job2.message


def test_job_page_is_visible_to_its_creator_only(
    client_for: Any, kabagops: Any, polsek_tempurejo: Any
) -> None:
    job = Job.objects.create(kind="test", title="Impor TPS", created_by=kabagops, progress=30)
    assert client_for(kabagops).get(f"/pekerjaan/{job.pk}/").status_code == 200
    assert client_for(polsek_tempurejo).get(f"/pekerjaan/{job.pk}/").status_code == 404
    fragment = client_for(kabagops).get(f"/pekerjaan/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'value="30"' in fragment and "hx-trigger" in fragment
