"""Incident pages: persona access, the queue's query count, triage actions, the lock, the map layer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from siaga.core.models import AuditEvent
from siaga.incidents import services
from siaga.incidents.models import Incident, Status
from siaga.incidents.tests.factories import make_incident, make_unit

pytestmark = pytest.mark.django_db


def test_queue_access_per_persona(
    client: Client, client_for: Any, kabagops: Any, partner_kpu: Any, field_officer: Any
) -> None:
    assert client.get("/kejadian/").status_code == 302
    for persona in (kabagops, partner_kpu, field_officer):
        assert client_for(persona).get("/kejadian/").status_code == 200


def test_queue_lists_most_urgent_first_without_n_plus_one(
    client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    make_incident(actor=kabagops, category="other")
    make_incident(actor=kabagops, category="violence")
    client = client_for(kabagops)
    client.get("/kejadian/")
    for i in range(20):
        make_incident(actor=kabagops, offset=(0.001 * i, 0))
    with django_assert_max_num_queries(12):
        response = client.get("/kejadian/")
    rows = re.findall(r'class="priority-(\d)"', response.content.decode())
    assert rows[0] == "1" and rows == sorted(rows)


def test_outsider_gets_404_on_another_polsek_incident(client_for: Any, kabagops: Any, outsider: Any) -> None:
    incident = make_incident(actor=kabagops, kecamatan="Tempurejo")
    assert client_for(outsider).get(f"/kejadian/{incident.pk}/").status_code == 404
    assert incident.receipt not in client_for(outsider).get("/kejadian/").content.decode()


def test_partner_detail_has_no_description_or_identity(
    client_for: Any, kabagops: Any, partner_kpu: Any
) -> None:
    incident = make_incident(
        actor=kabagops,
        description="Pak Slamet rumah nomor 12 melapor",
        reporter=services.ReporterData(name="Slamet", phone="08123", consented=True),
    )
    html = client_for(partner_kpu).get(f"/kejadian/{incident.pk}/").content.decode()
    assert "Slamet" not in html and "08123" not in html and "identitas" not in html.lower()
    assert (
        client_for(partner_kpu).post(f"/kejadian/{incident.pk}/aksi/", {"action": "reveal"}).status_code
        == 302
    )
    looks = AuditEvent.objects.filter(action="view", object_id=str(incident.pk))
    # The partner saw nothing; the refused attempt itself is on the trail (issue 21 item 10).
    assert list(looks.values_list("message", flat=True)) == ["reporter identity refused"]


def test_reveal_identity_is_audited_for_posko(client_for: Any, kabagops: Any) -> None:
    incident = make_incident(
        actor=kabagops, reporter=services.ReporterData(name="Slamet", phone="08123", consented=True)
    )
    client = client_for(kabagops)
    assert "Slamet" not in client.get(f"/kejadian/{incident.pk}/").content.decode()
    html = client.post(f"/kejadian/{incident.pk}/aksi/", {"action": "reveal"}).content.decode()
    assert "Slamet" in html
    assert AuditEvent.objects.filter(action="view", object_id=str(incident.pk), actor=kabagops).count() == 1


def test_being_handled_by_lock_is_visible_and_refuses_a_second_operator(
    client_for: Any, kabagops: Any, polsek_tempurejo: Any
) -> None:
    incident = make_incident(actor=kabagops)
    client_for(kabagops).post(f"/kejadian/{incident.pk}/aksi/", {"action": "claim"})
    other = client_for(polsek_tempurejo)
    response = other.post(f"/kejadian/{incident.pk}/aksi/", {"action": "claim"}, follow=True)
    html = response.content.decode()
    assert 'id="handler-lock"' in html and "t.kabagops" in html
    assert Incident.objects.get(pk=incident.pk).handler == kabagops


def test_triage_buttons_move_the_incident_and_illegal_moves_show_an_error(
    client_for: Any, kabagops: Any
) -> None:
    incident = make_incident(actor=kabagops)
    client = client_for(kabagops)
    client.post(f"/kejadian/{incident.pk}/aksi/", {"action": "transition", "to": "verified"})
    assert Incident.objects.get(pk=incident.pk).status == Status.VERIFIED
    response = client.post(
        f"/kejadian/{incident.pk}/aksi/", {"action": "transition", "to": "closed"}, follow=True
    )
    assert "Tidak bisa dari" in response.content.decode()


def test_referral_rules(client_for: Any, kabagops: Any) -> None:
    neutrality = make_incident(actor=kabagops, category="police_neutrality")
    client = client_for(kabagops)
    client.post(f"/kejadian/{neutrality.pk}/aksi/", {"action": "refer", "to": "bawaslu"})
    assert Incident.objects.get(pk=neutrality.pk).referral == ""
    client.post(f"/kejadian/{neutrality.pk}/aksi/", {"action": "refer", "to": "propam"})
    assert Incident.objects.get(pk=neutrality.pk).referral == "propam"


def test_duplicate_suggestions_find_the_close_report(client_for: Any, kabagops: Any) -> None:
    first = make_incident(
        actor=kabagops, category="money_politics", description="Pembagian amplop uang di masjid dusun krajan"
    )
    make_incident(
        actor=kabagops, category="crime", description="Pencurian motor di pasar", kecamatan="Kaliwates"
    )
    second = make_incident(
        actor=kabagops,
        category="money_politics",
        description="Ada amplop uang dibagikan di masjid krajan",
        offset=(0.002, 0.001),
    )
    from siaga.incidents.selectors import duplicate_candidates

    found = duplicate_candidates(kabagops, second)
    assert [c.incident.pk for c in found][:1] == [first.pk]


def test_dispatch_button_and_unit_page(client_for: Any, kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    unit = make_unit(call_sign="TMP-PAGE")
    client = client_for(kabagops)
    assert "TMP-PAGE" in client.get(f"/kejadian/{incident.pk}/").content.decode()
    client.post(f"/kejadian/{incident.pk}/aksi/", {"action": "dispatch", "unit": unit.pk})
    assert Incident.objects.get(pk=incident.pk).status == Status.DISPATCHED
    assert client.get("/kejadian/unit/").status_code == 200
    client.post(f"/kejadian/unit/{unit.pk}/status/", {"status": "on_scene"})
    assert Incident.objects.get(pk=incident.pk).status == Status.ON_SCENE


def test_response_times_per_polsek_and_category(client_for: Any, kabagops: Any) -> None:
    first = make_incident(actor=kabagops, category="violence")
    services.dispatch_unit(actor=kabagops, incident=first, unit=make_unit(call_sign="TMP-RT"))
    second = make_incident(actor=kabagops, category="violence", offset=(0.01, 0.0))
    # Known stamps: dispatched after 4 and 8 minutes, on scene after 10 and 20, only the first resolved (60).
    reported = timezone.now() - dt.timedelta(hours=2)
    minutes = [(first, 4, 10, 60), (second, 8, 20, None)]
    for incident, to_dispatch, to_scene, to_resolve in minutes:
        Incident.objects.filter(pk=incident.pk).update(
            reported_at=reported,
            dispatched_at=reported + dt.timedelta(minutes=to_dispatch),
            on_scene_at=reported + dt.timedelta(minutes=to_scene),
            resolved_at=None if to_resolve is None else reported + dt.timedelta(minutes=to_resolve),
        )
    response = client_for(kabagops).get("/kejadian/waktu-respons/")
    rows = [r for r in response.context["rows"] if r.category == "violence"]
    assert [(r.polsek, r.count, r.to_dispatch_min, r.to_scene_min, r.to_resolve_min) for r in rows] == [
        ("Polsek Tempurejo", 2, 6.0, 15.0, 60.0)
    ]


def test_map_layer_is_scoped_and_coarsened_for_partners(
    client_for: Any, kabagops: Any, partner_kpu: Any, outsider: Any
) -> None:
    incident = make_incident(actor=kabagops)
    full = client_for(kabagops).get("/kejadian/peta/kejadian.geojson").json()["features"]
    mine = next(f for f in full if f["properties"]["id"] == incident.pk)
    assert mine["geometry"]["coordinates"] == [incident.lng, incident.lat]
    partner = client_for(partner_kpu).get("/kejadian/peta/kejadian.geojson").json()["features"]
    coarse = next(f for f in partner if f["properties"]["id"] == incident.pk)
    assert (
        coarse["geometry"]["coordinates"] != [incident.lng, incident.lat]
        and coarse["properties"]["url"] is None
    )
    assert all(
        f["properties"]["id"] != incident.pk
        for f in client_for(outsider).get("/kejadian/peta/kejadian.geojson").json()["features"]
    )


def test_incident_layer_is_on_the_command_map(client_for: Any, kabagops: Any) -> None:
    html = client_for(kabagops).get("/peta/").content.decode()
    assert "/kejadian/peta/kejadian.geojson" in html


def test_posko_intake_creates_once_per_form(client_for: Any, kabagops: Any) -> None:
    from siaga.territory.models import Desa

    client = client_for(kabagops)
    form = client.get("/kejadian/baru/")
    key = form.context["form"].initial["idempotency_key"]
    desa = Desa.objects.filter(kecamatan__name="Tempurejo").first()
    data = {
        "idempotency_key": key,
        "source": "radio",
        "category": "intimidation",
        "description": "Saksi diancam oleh orang tak dikenal",
        "desa": desa.pk,
        "occurred_at": "2024-02-14T09:00",
        "priority": "",
    }
    first = client.post("/kejadian/baru/", data)
    again = client.post("/kejadian/baru/", data)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Incident.objects.filter(source="radio", desa=desa).count() == 1


def test_pages_have_no_inline_script_or_style(client_for: Any, kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    client = client_for(kabagops)
    for url in (
        "/kejadian/",
        f"/kejadian/{incident.pk}/",
        "/kejadian/baru/",
        "/lapangan/lapor/",
        "/lapor/",
    ):
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert " style=" not in html, url
