"""Import pages: the upload is stored, a job runs through the real worker, and the job page shows the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from siaga.core.models import Job
from siaga.sites.models import LocationQuality, Tps
from siaga.territory.demo import JEMBER_DIR
from siaga.territory.models import Desa

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def upload_tps(client: Any, content: bytes, capture: Any, name: str = "tps.csv") -> Any:
    with capture(execute=True):
        return client.post(
            "/situs/tps/impor/",
            {"election": "pilkada-2024", "file": SimpleUploadedFile(name, content, content_type="text/csv")},
        )


def test_tps_upload_runs_as_a_job_and_updates_the_tps(
    client_for: Any, kabagops: Any, run_tasks: Any, django_capture_on_commit_callbacks: Any, data_dir: Path
) -> None:
    tps = Tps.objects.select_related("desa").filter(election__slug="pilkada-2024").first()
    assert tps is not None
    content = (
        "kode_desa,nomor_tps,lat,lng,alamat,pemilih\n"
        f"{tps.desa.code},{tps.number},-8.2,113.7,Balai Desa,312\n"
    ).encode()
    response = upload_tps(client_for(kabagops), content, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="import_tps")
    assert response.status_code == 302 and response["Location"] == f"/pekerjaan/{job.pk}/"
    assert Path(job.params["path"]).is_relative_to(data_dir / "uploads")
    assert Path(job.params["path"]).read_bytes() == content
    run_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert job.result["updated"] == 1 and job.created_by == kabagops
    tps.refresh_from_db()
    assert (tps.lat, tps.lng, tps.voters, tps.address) == (-8.2, 113.7, 312, "Balai Desa")
    assert tps.location_quality == LocationQuality.SURVEYED
    page = client_for(kabagops).get(f"/pekerjaan/{job.pk}/").content.decode()
    assert "<progress" in page and 'value="100"' in page


def test_a_bad_tps_file_fails_the_job_with_row_errors_and_saves_nothing(
    client_for: Any, kabagops: Any, run_tasks: Any, django_capture_on_commit_callbacks: Any
) -> None:
    before = Tps.objects.filter(election__slug="pilkada-2024").count()
    content = b"kode_desa,nomor_tps\n35.09.99.9999,1\n" + f"{Desa.objects.first().code},abc\n".encode()
    upload_tps(client_for(kabagops), content, django_capture_on_commit_callbacks)
    run_tasks()
    job = Job.objects.get(kind="import_tps")
    assert job.status == Job.Status.FAILED
    assert len(job.result["error"]["fields"]["rows"]) == 2
    assert Tps.objects.filter(election__slug="pilkada-2024").count() == before
    page = client_for(kabagops).get(f"/pekerjaan/{job.pk}/").content.decode()
    assert "baris 2" in page and "baris 3" in page


def test_upload_refuses_other_file_types(
    client_for: Any, kabagops: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = upload_tps(client_for(kabagops), b"MZ...", django_capture_on_commit_callbacks, name="tps.exe")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Job.objects.exists()


def test_only_importers_may_upload(client_for: Any, polsek_tempurejo: Any, partner_kpu: Any) -> None:
    for user in (polsek_tempurejo, partner_kpu):
        assert client_for(user).get("/situs/tps/impor/").status_code == 403
        assert client_for(user).get("/wilayah/impor/").status_code == 403


def test_territory_upload_of_the_jember_files_changes_nothing(
    client_for: Any, kabagops: Any, run_tasks: Any, django_capture_on_commit_callbacks: Any, data_dir: Path
) -> None:
    def upload(name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, (JEMBER_DIR / name).read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(kabagops).post(
            "/wilayah/impor/",
            {
                "desa": upload("jember_desa.csv"),
                "boundaries": upload("jember_desa_boundaries.geojson"),
                "kecamatan_boundaries": upload("jember_kecamatan_boundaries.geojson"),
                "kabupaten_boundary": upload("jember_kabupaten_boundary.geojson"),
                "police_units": upload("jember_police_units.csv"),
                "offices": upload("jember_election_offices.csv"),
            },
        )
    job = Job.objects.get(kind="import_territory")
    assert response["Location"] == f"/pekerjaan/{job.pk}/"
    assert set(job.params["files"]) == {
        "desa",
        "boundaries",
        "kecamatan_boundaries",
        "kabupaten_boundary",
        "police_units",
        "offices",
    }
    run_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert not any(job.result["created"].values()) and not any(job.result["updated"].values())
    assert Desa.objects.count() == 248
    assert str(settings.DATA_DIR) == str(data_dir)
