"""Screens speak the user's language only: no "Indonesian / English" pairs from the catalogue, and labels rather
than internal codes (IMPOSSIBLE_SPEED, siaga1, kurang_rawan, new -> verified, "(config)", a Python dict)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from siaga.core.tests.test_i18n import PO, parse_po
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
