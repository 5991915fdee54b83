"""Neutrality pages for each persona: who sees what, filing from inside and from the public portal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from siaga.accounts.models import User
from siaga.neutrality.models import Case, Complainant, Step
from siaga.territory.models import Desa, Kecamatan, PoliceUnit

from .conftest import file_public

pytestmark = pytest.mark.django_db


def test_list_access_by_role(
    client_for: Any,
    propam: Any,
    commander: Any,
    kabagops: Any,
    polsek_tempurejo: Any,
    field_officer: Any,
    partner_kpu: Any,
) -> None:
    case = file_public(key="list")
    url = reverse("neutrality:case_list")
    expected = {
        propam: 200,
        commander: 200,
        kabagops: 403,
        polsek_tempurejo: 403,
        field_officer: 403,
        partner_kpu: 403,
    }
    for user, status in expected.items():
        assert client_for(user).get(url).status_code == status, user.username
    assert Client().get(url).status_code in (302, 403)
    commander_page = client_for(commander).get(url).content.decode()
    assert (
        case.receipt in commander_page and "Bripda berseragam" not in commander_page
    )  # counts and steps only
    assert "Bripda berseragam" in client_for(propam).get(url).content.decode()


def test_case_file_is_propams(client_for: Any, propam: Any, commander: Any, kabagops: Any) -> None:
    case = file_public(key="file")
    url = reverse("neutrality:case_detail", args=[case.pk])
    assert client_for(propam).get(url).status_code == 200
    assert client_for(commander).get(url).status_code == 404
    assert client_for(kabagops).get(url).status_code == 404


def test_list_queries_do_not_grow_with_cases(
    client_for: Any, propam: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        file_public(key=f"many-{i}")
    client = client_for(propam)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("neutrality:case_list")).status_code == 200


def test_move_through_the_page_and_refusal_is_readable(client_for: Any, propam: Any) -> None:
    case = file_public(key="page-move")
    client = client_for(propam)
    url = reverse("neutrality:case_move", args=[case.pk])
    page = client.post(url, {"to": Step.DECIDED, "note": "x"}, follow=True).content.decode()
    assert "tidak dapat dipindah" in page and "illegal_transition" not in page
    client.post(url, {"to": Step.CLARIFICATION, "note": "Panggil para pihak"})
    case.refresh_from_db()
    assert case.step == Step.CLARIFICATION


def test_internal_filing_stays_in_the_filers_area(client_for: Any, polsek_tempurejo: Any) -> None:
    client = client_for(polsek_tempurejo)
    tempurejo = Kecamatan.objects.get(name__iexact="Tempurejo")
    other = Kecamatan.objects.exclude(pk=tempurejo.pk).first()
    data = {
        "officer_description": "Aipda X, Unit Reskrim",
        "summary": "Membagikan stiker calon di pos kamling warga saat ronda malam.",
        "occurred_at": "2026-11-20T21:00",
        "kecamatan": tempurejo.pk,
        "place": "pos kamling",
    }
    assert client.post(reverse("neutrality:case_new"), data).status_code == 302
    case = Case.objects.get()
    assert case.source == Case.Source.INTERNAL and case.kecamatan == tempurejo
    assert not Complainant.objects.exists()
    response = client.post(reverse("neutrality:case_new"), {**data, "kecamatan": other.pk})
    assert response.status_code == 422 and Case.objects.count() == 1


def test_bawaslu_finding_is_a_partner_case_and_kpu_may_not_file(client_for: Any) -> None:
    polres = PoliceUnit.objects.get(code="polres-jember")
    bawaslu = User.objects.create_user(
        "t.bawaslu", password="x-password-123", role="partner_viewer", police_unit=polres, partner="bawaslu"
    )
    kpu = User.objects.create_user(
        "t.kpu2", password="x-password-123", role="partner_viewer", police_unit=polres, partner="kpu"
    )
    kec = Kecamatan.objects.get(name__iexact="Tempurejo")
    data = {
        "officer_description": "Anggota Polsek",
        "summary": "Temuan pengawas: anggota hadir di deklarasi relawan calon tanpa surat tugas.",
        "occurred_at": "2026-11-20T10:00",
        "kecamatan": kec.pk,
    }
    assert client_for(bawaslu).post(reverse("neutrality:case_new"), data).status_code == 302
    assert Case.objects.get().source == Case.Source.PARTNER
    assert client_for(kpu).post(reverse("neutrality:case_new"), data).status_code == 422
    assert Case.objects.count() == 1


def test_public_complaint_form_gives_a_receipt_and_bad_nik_is_explained() -> None:
    client = Client()
    page = client.get(reverse("public:neutrality_report"))
    assert page.status_code == 200
    desa = Desa.objects.filter(kecamatan__name__iexact="Tempurejo").first()
    data = {
        "idempotency_key": "form-1",
        "officer_description": "Bripka berseragam dari Polsek",
        "summary": "Ikut berjoget di panggung kampanye calon bupati memakai seragam dinas.",
        "occurred_at": "2026-11-20T10:00",
        "desa": desa.pk,
        "nik": "12345",
        "consent": "on",
    }
    bad = client.post(reverse("public:neutrality_report"), data)
    assert bad.status_code == 422 and "16 angka" in bad.content.decode() and not Case.objects.exists()
    data["nik"] = ""
    ok = client.post(reverse("public:neutrality_report"), data)
    case = Case.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse(
        "public:neutrality_status", args=[case.receipt]
    )
    assert client.post(reverse("public:neutrality_report"), data).status_code == 302  # same key: same case
    assert Case.objects.count() == 1
    status = client.get(ok["Location"]).content.decode()
    assert case.receipt in status and "Diterima" in status
    # The one lookup box finds neutrality receipts too.
    assert client.get(reverse("public:status", args=[case.receipt])).status_code == 302


def test_report_pdf_and_xlsx(client_for: Any, commander: Any, propam: Any) -> None:
    case = file_public(key="report", occurred_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    from siaga.neutrality import services

    services.move_case(actor=propam, case=case, to=Step.CLOSED, note="Dicabut", close_reason="withdrawn")
    file_public(key="report-2")
    client = client_for(commander)
    pdf = client.get(reverse("neutrality:report") + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("neutrality:report") + "?format=xlsx")
    import io

    wb = load_workbook(io.BytesIO(xlsx.content))
    steps = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert steps["Diterima"] == 1 and steps["Ditutup"] == 1
    outcomes = {row[0]: row[1] for row in wb.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert outcomes == {"Ditutup: Dicabut pelapor": 1}
    from siaga.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", object_type="neutrality.report").count() == 2


def test_pledges_page_records_by_nrp(client_for: Any, kabagops: Any, officer: Any) -> None:
    from siaga.neutrality.models import Pledge
    from siaga.operations.models import Operation

    operation = Operation.objects.order_by("pk").first()
    client = client_for(kabagops)
    url = reverse("neutrality:pledges") + f"?operasi={operation.pk}"
    before = client.get(url).content.decode()
    assert officer.name in before
    response = client.post(url, {"nrp": f"{officer.nrp}, 99999999"}, follow=True)
    page = response.content.decode()
    assert Pledge.objects.filter(personnel=officer, operation=operation).count() == 1
    assert "99999999" in page and officer.name not in page.split('id="unsigned"')[1]
    client.post(url, {"nrp": officer.nrp})  # twice: still one pledge
    assert Pledge.objects.filter(personnel=officer).count() == 1
