"""Screens speak the user's language only: no "Indonesian / English" pairs from the catalogue, and labels rather
than internal codes (IMPOSSIBLE_SPEED, siaga1, kurang_rawan, new -> verified, "(config)", a Python dict)."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from siaga.core.tests.test_i18n import PO, parse_po
from siaga.deployment.tests.conftest import pemilu, polres, staff, subset_plan  # noqa: F401 - fixtures
from siaga.incidents import services as incident_services
from siaga.incidents.tests.factories import make_incident

pytestmark = pytest.mark.django_db

# Internal codes that reached Indonesian screens (issue 14 item 8), as visible text.
RAW_CODES = [
    re.compile(r"\b(IMPOSSIBLE_SPEED|SHORT_STAY|POOR_ACCURACY|OUTSIDE_RADIUS|UNKNOWN_POINT|QR_MISMATCH)\b"),
    re.compile(r"\bsiaga[123]\b"),
    re.compile(r"\b(kurang_rawan|sangat_rawan)\b"),
    re.compile(r"\(config\)|\(none\)"),
    re.compile(r"\{'[a-z_]+': "),  # a Python dict printed as text
]
# Incident states as codes: only a finding in Indonesian (in English the labels are the same words).
RAW_CODES_ID = [
    re.compile(r"\b(new|verified|dispatched|on_scene|resolved)\s*→\s*(verified|dispatched|on_scene)\b")
]


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside <script>, <style> and <template>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def bilingual_msgids() -> list[str]:
    return [e["msgid"] for e in parse_po(PO) if " / " in e["msgid"] and "%" not in e["msgid"]]


def main_pages(user: Any) -> list[str]:
    """Every navbar page the user may open, plus pages the walk-through reaches from them."""
    from siaga.accounts.roles import can

    urls = ["/kejadian/waktu-respons/", "/kejadian/unit/", "/patroli/absen/daftar/"]
    urls += ["/posko/peringatan/", "/posko/jurnal/", "/posko/tamu/", "/posko/cctv/", "/posko/notifikasi/"]
    for config in apps.get_app_configs():
        for _label, url_name, capability in getattr(config, "nav_items", ()):
            if can(user, capability):
                urls.append(reverse(url_name))
    return sorted(set(urls))


@pytest.fixture
def walkthrough(kabagops: Any) -> list[str]:
    """The main pages plus what showed codes: an incident moved new -> verified, a patrol check-in flagged for
    impossible speed, a PAM TPS planning run with parameters, the pattern list."""
    from siaga.deployment import services as deployment_services
    from siaga.operations.models import Election
    from siaga.patrols import services as patrol_services
    from siaga.patrols.models import PatrolCheckIn, PatrolDay, PatrolPlan
    from siaga.territory.models import Kecamatan, PoliceUnit

    incident = make_incident(actor=kabagops, category="violence")
    incident_services.transition_incident(actor=kabagops, incident=incident, to="verified")
    tempurejo = Kecamatan.objects.get(name="Tempurejo")
    point = patrol_services.create_point(
        actor=None,
        code="t-sepi",
        name="Kebun sepi",
        kind="quiet_place",
        kecamatan=tempurejo,
        lat=tempurejo.lat,
        lng=tempurejo.lng,
    )
    now = timezone.now()
    PatrolCheckIn.objects.create(
        point=point,
        day_on=now.date(),
        lat=point.lat,
        lng=point.lng,
        arrived_at=now - dt.timedelta(minutes=5),
        officer_label="Bripda Uji",
        flags=["IMPOSSIBLE_SPEED"],
    )
    run = deployment_services.create_run(
        actor=kabagops,
        election=Election.objects.get(slug="pemilu-2024"),
        polres=PoliceUnit.objects.get(code="polres-jember"),
        time_limit=5,
        parameters={"polsek_ids": [PoliceUnit.objects.get(code="polsek-tempurejo").pk]},
    )
    plan = PatrolPlan.objects.create(
        name="Patroli uji",
        polres=PoliceUnit.objects.get(code="polres-jember"),
        starts_on=now.date(),
        ends_on=now.date(),
    )
    day = PatrolDay.objects.create(
        plan=plan, day_on=now.date(), seed=1, status="feasible", siaga_level="siaga1"
    )
    extra = [
        f"/kejadian/{incident.pk}/",
        reverse("operations:pattern_list"),
        f"/plotting/proses/{run.pk}/",
        reverse("patrols:plan_detail", args=[plan.pk]),
        reverse("patrols:day_detail", args=[day.pk]),
    ]
    return [*main_pages(kabagops), *extra]


@pytest.mark.parametrize("language", ["id", "en"])
def test_main_pages_show_one_language_and_labels_not_codes(
    client_for: Any, kabagops: Any, walkthrough: list[str], language: str
) -> None:
    client = client_for(kabagops)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    pairs = bilingual_msgids()
    problems = []
    for url in walkthrough:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        codes = RAW_CODES + (RAW_CODES_ID if language == "id" else [])
        problems += [(url, p.pattern) for p in codes if p.search(text)]
        problems += [(url, pair) for pair in pairs if pair in text]
    assert problems == [], "\n".join(map(str, problems))


# --- refusals: each kind of DomainError reaches the user in the chosen language only -------------------------


def _in(language: str, msgid: str, params: dict[str, Any] | None = None) -> str:
    from django.utils import translation

    with translation.override(language):
        text = translation.gettext(msgid)
    return text % params if params else text


def _one_language(text: str, language: str) -> list[str]:
    pairs = [pair for pair in bilingual_msgids() if pair in text]
    codes = [p.pattern for p in RAW_CODES + (RAW_CODES_ID if language == "id" else []) if p.search(text)]
    return pairs + codes


@pytest.mark.parametrize("language", ["id", "en"])
def test_refusals_on_forms_speak_the_users_language_only(
    client_for: Any, kabagops: Any, language: str, run_tasks: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A Conflict on a set-up form, a ValidationFailed through the message bar, a citizen's report the intake
    refuses, and an import's row errors (ImportRejected, in a background job)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from siaga.operations.models import Election
    from siaga.territory.models import Desa

    client = client_for(kabagops)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    seen: list[tuple[str, str]] = []

    # Conflict, shown on the form by show_error.
    page = client.post(
        reverse("operations:election_create"),
        {"name": "Pemilu lagi", "slug": "pemilu-2024", "kind": "pemilu", "voting_on": "2029-04-17",
         "calendar": "none", "max_voters_per_tps": 300},
    )  # fmt: skip
    assert Election.objects.filter(slug="pemilu-2024").count() == 1
    seen.append(
        (
            visible_text(page.content.decode()),
            _in(language, "Pemilihan dengan kode %(s)s sudah ada", {"s": "pemilu-2024"}),
        )
    )

    # ValidationFailed from a service, shown in the message bar after the redirect.
    incident = make_incident(actor=kabagops, category="violence")
    page = client.post(
        reverse("incidents:action", args=[incident.pk]),
        {"action": "transition", "to": "dispatched"},
        follow=True,
    )
    seen.append((visible_text(page.content.decode()), _in(language, "Pilih unit yang dikirim")))

    # A citizen's report the intake refuses (a TPS number the desa does not have): the service's message.
    page = client.post(
        reverse("public:report"),
        {"idempotency_key": "a" * 32, "category": "violence", "description": "Ada keributan di depan balai desa",
         "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "desa": Desa.objects.filter(name="Ajung").first().pk,  # type: ignore[union-attr]
         "tps_number": 999, "consent": "on"},
    )  # fmt: skip
    assert page.status_code == 422
    seen.append((visible_text(page.content.decode()), _in(language, "TPS itu tidak ada di desa tersebut")))

    # An import with a bad row: the job fails and its page lists the row in the uploader's language.
    upload = SimpleUploadedFile("personel.csv", b"nrp,nama,pangkat,satuan\n123,Budi,BRIPDA,Polsek Ajung\n")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("personnel:import"), {"file": upload}, follow=True)
    run_tasks()
    page = client.get(page.request["PATH_INFO"])
    text = visible_text(page.content.decode())
    seen.append((text, _in(language, "NRP harus 8 digit: %(v)s", {"v": "123"})))
    seen.append((text, _in(language, "baris %(row)d, kolom %(column)s", {"row": 2, "column": "nrp"})))

    missing = [expected for text, expected in seen if expected not in text]
    assert missing == [], [t[-600:] for t, e in seen if e in missing]
    assert [problem for text, _e in seen for problem in _one_language(text, language)] == []


# --- documents: the plan's XLSX, the Sprin, the neutrality report, the strength XLSX --------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return re.sub(
        r"\s+", " ", " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    )


def _xlsx_text(data: bytes) -> tuple[list[str], str]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    cells = [str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    return wb.sheetnames, " ".join(cells)


def test_documents_speak_the_users_language_with_labels(request: Any, kabagops: Any, client_for: Any) -> None:
    """Working documents (plan XLSX, neutrality report, strength XLSX) follow the user's language and show
    labels, not codes; the Sprin is an official document in Bahasa Indonesia whatever the screen's language."""
    from django.utils import translation

    from siaga.deployment import documents
    from siaga.neutrality import reports
    from siaga.territory.models import PoliceUnit

    plan = request.getfixturevalue("subset_plan")  # Tempurejo short of officers: a shortfall with its reason
    tempurejo = PoliceUnit.objects.get(code="polsek-tempurejo")
    client = client_for(kabagops)
    problems = []
    for language in ("id", "en"):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        with translation.override(language):
            sheets, plan_xlsx = _xlsx_text(documents.render_xlsx(plan, user=kabagops))
            sprin = _pdf_text(documents.render_sprin_pdf(plan, polsek_id=tempurejo.pk, user=kabagops))
            report = reports.build(kabagops)
            neutrality = (
                _pdf_text(reports.render_pdf(report)) + " " + _xlsx_text(reports.render_xlsx(report))[1]
            )
        strength = client.get(reverse("operations:required_strength"), {"export": "xlsx"})
        assert strength.status_code == 200
        strength_sheets, strength_xlsx = _xlsx_text(strength.content)
        for name, text in (
            ("plan", plan_xlsx),
            ("sprin", sprin),
            ("neutrality", neutrality),
            ("strength", strength_xlsx),
        ):
            problems += [(language, name, p) for p in _one_language(text, language)]
        assert "SURAT PERINTAH" in sprin and "Tempurejo" in sprin
        assert "kurang_rawan" not in plan_xlsx and "Kurang" in plan_xlsx  # the category's name, not its code
        if language == "en":
            assert sheets == ["Plotting", "Shortfall"] and "Team" in plan_xlsx and "TPS code" in plan_xlsx
            assert "TOTAL" in strength_xlsx and "JUMLAH" not in strength_xlsx
            assert "Kelompok TPS" not in strength_sheets
        else:
            assert sheets == ["Plotting", "Kekurangan"] and "Kode TPS" in plan_xlsx
            assert "personel Polsek Tempurejo kurang" in plan_xlsx
            assert "Kelompok TPS" in strength_sheets
    assert problems == []


def test_planner_reasons_are_worded_in_the_active_language() -> None:
    """The planner (no Django, no language) names a shortfall's reason by code and figures; the app words it
    in the language of whoever runs the plan, with the category's name rather than its code."""
    from django.utils import translation

    from siaga.deployment.services import shortfall_reason
    from siaga.optimization.deployment.model import Shortfall, Why

    figures = (("polsek", "Polsek Tempurejo"), ("category", "p3"), ("per_team", 2), ("available", 1),
               ("teams", 7), ("padal", 1), ("more", 4))  # fmt: skip
    short = Shortfall("uncovered_tps", 1, "english for logs", why=Why("short_of_officers", figures))
    padal = Shortfall("no_padal", 1, "english for logs", why=Why("no_perwira", figures[:1]))
    labels = {"p3": "Kurang rawan"}
    with translation.override("en"):
        assert shortfall_reason(short, labels) == (
            "too few officers in Polsek Tempurejo: Kurang rawan needs 2 per team, 1 left after 7 teams and 1 Padal "
            "(4 more teams needed)"
        )
        assert (
            shortfall_reason(padal, labels)
            == "no perwira left in Polsek Tempurejo to act as Padal for this team"
        )
    with translation.override("id"):
        assert shortfall_reason(short, labels).startswith(
            "personel Polsek Tempurejo kurang: Kurang rawan butuh 2"
        )
