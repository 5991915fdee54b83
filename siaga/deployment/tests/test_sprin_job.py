"""The whole-Polres Sprin printed as a background job: the real queue, a real PDF read back with pdftotext, the
progress bar, and the download refused outside the plan's jurisdiction."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from siaga.core.models import AuditEvent, Job
from siaga.deployment import documents, selectors, services
from siaga.deployment.models import DeploymentPlan, TeamMember
from siaga.operations.models import Election
from siaga.personnel.models import Personnel
from siaga.territory.models import PoliceUnit


@pytest.fixture
def media_root(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def small_plan(polres: PoliceUnit, pemilu: Election, staff: Callable[..., list[Personnel]]) -> DeploymentPlan:
    """Tempurejo alone with seven officers: a Padal and three teams for its six rawan TPS, two pages of Sprin."""
    staff({"polsek-tempurejo": 7})
    run = services.create_run(
        actor=None,
        election=pemilu,
        polres=polres,
        time_limit=2,
        seed=0,
        workers=1,
        parameters={
            "polsek_ids": [PoliceUnit.objects.get(code="polsek-tempurejo").pk],
            "allow_officer_lending": False,
        },
    )
    return services.execute_run(run=run)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "sprin.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
    return out.stdout


def test_whole_polres_sprin_prints_as_a_job_and_names_every_officer_with_his_tps(
    small_plan: DeploymentPlan,
    client_for: Any,
    kabagops: Any,
    run_tasks: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
    media_root: Path,
    tmp_path: Path,
) -> None:
    client = client_for(kabagops)
    page = client.get(f"/plotting/rencana/{small_plan.pk}/").content.decode()
    assert 'id="sprin-print"' in page and f"/plotting/rencana/{small_plan.pk}/sprin/cetak/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/plotting/rencana/{small_plan.pk}/sprin/cetak/")
    job = Job.objects.get(kind=selectors.SPRIN_JOB_KIND)
    assert response.status_code == 302 and response["Location"] == f"/pekerjaan/{job.pk}/"
    assert job.params == {"plan_id": small_plan.pk, "language": "id"} and job.created_by == kabagops

    run_tasks()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100, job.log
    percents = [int(m) for m in re.findall(r"^\[[\d:]+\]\s+(\d+)%", job.log, flags=re.M)]
    assert percents == sorted(percents) and len(percents) >= 5, job.log
    assert (media_root / job.result["file"]).is_file()
    assert job.result["file"].startswith("sprin/") and job.result["pages"] >= 2
    progress = client.get(f"/pekerjaan/{job.pk}/").content.decode()
    assert 'value="100"' in progress and job.result["download_url"] in progress

    download = client.get(job.result["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(download.streaming_content), tmp_path)
    assert "SURAT PERINTAH" in text
    rows = selectors.plan_rows(small_plan)
    officers = {r["nrp"]: r for r in sorted(rows, key=lambda r: r["order"], reverse=True)}
    assert len(officers) == TeamMember.objects.filter(plan=small_plan).count() > 0
    lines = text.splitlines()
    for nrp, first in officers.items():
        # With -layout the officer's row starts on one line: rank, name, NRP, team and his first TPS.
        line = next((ln for ln in lines if nrp in ln), "")
        assert first["rank"] in line and first["name"].split()[0] in line and first["team"] in line, (
            nrp,
            line,
        )
        assert f"{first['order']}. {first['tps']} {first['desa'].split()[0]}" in line, (nrp, line)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, actor=kabagops, object_repr__startswith="sprin"
    ).exists()


def test_sprin_layout_reports_its_phases_and_pages(small_plan: DeploymentPlan) -> None:
    calls: list[tuple[float, str]] = []
    with translation.override("id"):
        sprin = documents.build_sprin(small_plan, report=lambda pct, msg="": calls.append((pct, msg)))
    assert sprin.data[:4] == b"%PDF" and sprin.pages >= 2
    percents = [p for p, _m in calls]
    assert percents == sorted(percents) and percents[-1] == documents.LAYOUT_TO
    assert any(m.startswith("menata halaman 1 dari sekitar") for _p, m in calls), calls
    assert f"{sprin.pages} halaman tertata" in calls[-1][1]


def finished_sprin(plan: DeploymentPlan) -> Job:
    name = default_storage.save("sprin/test.pdf", ContentFile(b"%PDF-1.7 test"))
    return Job.objects.create(
        kind=selectors.SPRIN_JOB_KIND,
        title="Sprin",
        params={"plan_id": plan.pk},
        status=Job.Status.SUCCEEDED,
        progress=100,
        result={"file": name, "officers": 6},
    )


def test_sprin_download_and_start_are_refused_outside_the_whole_plan(
    small_plan: DeploymentPlan,
    client_for: Any,
    kabagops: Any,
    polsek_tempurejo: Any,
    outsider: Any,
    field_officer: Any,
    client: Any,
    media_root: Path,
) -> None:
    job = finished_sprin(small_plan)
    url = f"/plotting/rencana/{small_plan.pk}/sprin/{job.pk}.pdf"
    start = f"/plotting/rencana/{small_plan.pk}/sprin/cetak/"
    assert client_for(kabagops).get(url).status_code == 200
    # Another Polsek of the Polres sees the plan but not the whole Polres's officers; neither does Tempurejo.
    for polsek_user in (outsider, polsek_tempurejo):
        assert client_for(polsek_user).get(url).status_code == 404
        assert client_for(polsek_user).post(start).status_code == 404
        page = client_for(polsek_user).get(f"/plotting/rencana/{small_plan.pk}/").content.decode()
        assert "sprin-print" not in page and "/sprin.pdf" in page
    assert client_for(field_officer).get(url).status_code == 403
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")
    assert client.post(start).status_code == 302
    assert client_for(kabagops).get(start).status_code == 405
    # A job of another plan, or one not finished, is not this plan's Sprin.
    assert client_for(kabagops).get(f"/plotting/rencana/{small_plan.pk}/sprin/999999.pdf").status_code == 404
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    assert client_for(kabagops).get(url).status_code == 404
    assert not Job.objects.exclude(pk=job.pk).filter(kind=selectors.SPRIN_JOB_KIND).exists()


def test_quick_sprin_of_a_polsek_account_holds_only_its_own_officers(
    small_plan: DeploymentPlan, client_for: Any, outsider: Any, polsek_tempurejo: Any, tmp_path: Path
) -> None:
    nrps = {r["nrp"] for r in selectors.plan_rows(small_plan)}
    own = pdf_text(
        client_for(polsek_tempurejo).get(f"/plotting/rencana/{small_plan.pk}/sprin.pdf").content, tmp_path
    )
    other = pdf_text(
        client_for(outsider).get(f"/plotting/rencana/{small_plan.pk}/sprin.pdf").content, tmp_path
    )
    assert all(nrp in own for nrp in nrps)
    assert not any(nrp in other for nrp in nrps)


def test_whole_polres_sprin_is_never_laid_out_in_a_get(
    small_plan: DeploymentPlan, client_for: Any, kabagops: Any, media_root: Path, monkeypatch: Any
) -> None:
    """Issue 21 item 7: a plain GET of the whole-Polres Sprin held a worker thread for 81 s."""

    def no_layout(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the whole-Polres Sprin was laid out in the request")

    monkeypatch.setattr(documents, "build_sprin", no_layout)
    client = client_for(kabagops)
    url = f"/plotting/rencana/{small_plan.pk}/sprin.pdf"
    first = client.get(url)
    assert first.status_code == 302 and first["Location"] == f"/plotting/rencana/{small_plan.pk}/"
    monkeypatch.undo()
    job = finished_sprin(small_plan)
    monkeypatch.setattr(documents, "build_sprin", no_layout)
    stored = client.get(url)
    assert (
        stored.status_code == 302
        and stored["Location"] == f"/plotting/rencana/{small_plan.pk}/sprin/{job.pk}.pdf"
    )
    assert client.get(stored["Location"]).status_code == 200
