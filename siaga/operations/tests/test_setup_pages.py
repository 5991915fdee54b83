"""The guided set-up: every set-up page answers on an empty database (no HTTP 500), the set-up forms and the
imports work through the pages and the API, and the apel form offers no demo operation that does not exist."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from siaga.core.models import AuditEvent, Job
from siaga.operations.models import Election, Operation, SecurityPattern
from siaga.personnel.models import PartnerForce

SETUP_PAGES = [
    "/",
    "/operasi/persiapan/",
    "/operasi/pemilihan/baru/",
    "/operasi/baru/",
    "/operasi/",
    "/operasi/pola/",
    "/operasi/kerawanan/",
    "/operasi/kerawanan/impor/",
    "/operasi/kebutuhan/",
    "/wilayah/impor/",
    "/wilayah/kecamatan/",
    "/wilayah/satuan/",
    "/situs/tps/",
    "/situs/tps/impor/",
    "/personel/",
    "/personel/impor/",
    "/personel/impor/equipment/",
    "/personel/impor/bko/",
    "/personel/impor/partner_forces/",
    "/personel/peralatan/",
    "/personel/bko-mitra/",
    "/personel/apel/",
    "/plotting/",
    "/peta/",
    "/pekerjaan/",
    "/audit/",
]


@pytest.mark.django_db(transaction=True)
def test_every_set_up_page_answers_on_an_empty_database() -> None:
    from siaga.accounts.models import User
    from siaga.operations.services import ensure_reference_data
    from siaga.personnel import reference
    from siaga.personnel.models import KitItem, Rank

    # An empty database as `migrate` leaves it: no territory, no election, only the national reference data.
    call_command("flush", interactive=False, verbosity=0)
    ensure_reference_data()
    reference.seed(Rank, KitItem)
    admin = User.objects.create_user(username="admin.baru", password="x-test-password-123", role="admin")
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    answers = {url: client.get(url).status_code for url in SETUP_PAGES}
    assert not {url: code for url, code in answers.items() if code >= 500}
    assert answers["/operasi/persiapan/"] == answers["/operasi/pemilihan/baru/"] == 200
    assert answers["/personel/impor/equipment/"] == 200
    # The apel form lists no Jember demo operation in a database that has none.
    assert b"mantap-brata" not in client.get("/personel/apel/").content
    # The first step that needs nothing else: an election from its PKPU calendar.
    response = client.post(
        "/operasi/pemilihan/baru/",
        {
            "name": "Pemilu 2029",
            "slug": "pemilu-2029",
            "kind": "pemilu",
            "voting_on": "2029-02-14",
            "calendar": "auto",
        },
    )
    assert response.status_code == 302
    assert Election.objects.get(slug="pemilu-2029").stages.count() == 12
    answers = {url: client.get(url).status_code for url in SETUP_PAGES}
    assert not {url: code for url, code in answers.items() if code >= 500}


@pytest.mark.django_db
def test_the_set_up_overview_shows_the_polres_progress_and_links(client_for: Any, kabagops: Any) -> None:
    page = client_for(kabagops).get("/operasi/persiapan/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Polres Jember" in text and "/operasi/pemilihan/baru/" in text and "/personel/impor/bko/" in text
    assert 'data-done="1"' in text  # the Jember territory is there


@pytest.mark.django_db
def test_set_up_pages_are_for_operations_staff_only(client_for: Any, polsek_tempurejo: Any) -> None:
    client = client_for(polsek_tempurejo)
    for url in ["/operasi/persiapan/", "/operasi/pemilihan/baru/", "/operasi/baru/", "/personel/impor/bko/"]:
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_creating_an_operation_from_the_page_adds_its_window_and_satgas(
    client_for: Any, kabagops: Any
) -> None:
    from siaga.territory.models import PoliceUnit

    client = client_for(kabagops)
    election = Election.objects.get(slug="pilkada-2024")
    polres = PoliceUnit.objects.get(code="polres-jember")
    bad = client.post(
        "/operasi/baru/",
        {
            "name": "Op",
            "slug": "op-uji",
            "election": election.pk,
            "polres": polres.pk,
            "starts_on": "2024-12-31",
            "ends_on": "2024-08-01",
        },
    )
    assert bad.status_code == 200 and not Operation.objects.filter(slug="op-uji").exists()
    ok = client.post(
        "/operasi/baru/",
        {
            "name": "Operasi Uji",
            "slug": "op-uji",
            "election": election.pk,
            "polres": polres.pk,
            "starts_on": "2024-08-01",
            "ends_on": "2024-12-31",
            "with_satgas": "on",
        },
    )
    assert ok.status_code == 302
    operation = Operation.objects.get(slug="op-uji")
    assert operation.phases.get().starts_on == dt.date(2024, 8, 1)
    assert operation.satgas.filter(parent=None).count() == 6
    assert AuditEvent.objects.filter(object_type="operations.operation", object_id=str(operation.pk)).exists()


@pytest.mark.django_db
def test_the_api_creates_an_election_an_operation_and_copies_a_pattern(
    client_for: Any, kabagops: Any
) -> None:
    client = client_for(kabagops)
    templates = client.get("/api/v1/calendar-templates").json()
    assert {t["key"] for t in templates} == {"pkpu-3-2022", "pkpu-2-2024"}
    created = client.post(
        "/api/v1/elections",
        json.dumps(
            {"slug": "pilkada-2029", "name": "Pilkada 2029", "kind": "pilkada", "voting_day": "2029-11-28"}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["stages"] == 14
    again = client.post(
        "/api/v1/elections",
        json.dumps({"slug": "pilkada-2029", "name": "x", "kind": "pilkada", "voting_day": "2029-11-28"}),
        content_type="application/json",
    )
    assert again.status_code == 409
    op = client.post(
        "/api/v1/operations",
        json.dumps(
            {
                "slug": "mantap-praja-2029",
                "name": "Mantap Praja 2029",
                "election": "pilkada-2029",
                "starts_on": "2029-09-01",
                "ends_on": "2029-12-31",
            }
        ),
        content_type="application/json",
    )
    assert op.status_code == 201 and op.json()["polres"] == "polres-jember" and op.json()["satgas"] == 14
    assert "pagar-alam-2024" in {t["key"] for t in client.get("/api/v1/pattern-templates").json()}
    applied = client.post(
        "/api/v1/pattern-templates/pagar-alam-2024/apply",
        json.dumps({"election": "pilkada-2029"}),
        content_type="application/json",
    )
    assert applied.status_code == 200 and len(applied.json()) == 4
    assert SecurityPattern.objects.filter(election__slug="pilkada-2029").count() == 4


@pytest.mark.django_db
def test_partner_forces_upload_runs_as_a_job_and_twice_changes_nothing(
    client_for: Any, kabagops: Any, run_tasks: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body = b"jenis,satuan,kode_kecamatan,kode_desa,jumlah\ntni,Koramil Tempurejo,35.09.18,35.09.18.2003,6\nlinmas,Linmas Andongrejo,35.09.18,,20\n"
    client = client_for(kabagops)
    before = PartnerForce.objects.count()
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/personel/impor/partner_forces/", {"file": SimpleUploadedFile("mitra.csv", body)}
            )
        assert response.status_code == 302
        run_tasks()
    first, second = Job.objects.filter(kind="import_partner_forces").order_by("pk")
    assert first.status == second.status == Job.Status.SUCCEEDED
    assert first.result["created"] == 2 and second.result["unchanged"] == 2
    assert PartnerForce.objects.count() == before + 2
    api = client.post("/api/v1/imports/bko", {"file": SimpleUploadedFile("bko.txt", b"x")})
    assert api.status_code == 422 and api.json()["fields"] == {"file": ["bko.txt"]}


@pytest.mark.django_db
def test_a_satgas_commander_is_named_on_its_page_and_audited(
    client_for: Any, kabagops: Any, outsider: Any
) -> None:
    from siaga.operations.models import Satgas

    satgas = Satgas.objects.filter(operation__slug="mantap-brata-2023", parent=None).first()
    url = f"/operasi/satgas/{satgas.pk}/ubah/"
    assert client_for(outsider).get(url).status_code == 403  # a Polsek account may not manage operations
    client = client_for(kabagops)
    assert url.encode() in client.get(f"/operasi/o/{satgas.operation.slug}/").content
    response = client.post(
        url,
        {
            "name": satgas.name,
            "commander_name": "AKP Budi Santoso",
            "commander_rank": satgas.commander_rank,
            "tasks": satgas.tasks,
        },
    )
    assert response.status_code == 302
    satgas.refresh_from_db()
    assert satgas.commander_name == "AKP Budi Santoso"
    event = AuditEvent.objects.filter(object_type="operations.satgas", object_id=str(satgas.pk)).latest("pk")
    assert event.after["commander_name"] == "AKP Budi Santoso"
    assert client.get("/operasi/satgas/999999/ubah/").status_code == 404
