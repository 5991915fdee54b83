"""Editing TPS and vital objects through the pages: saved by the services, audited with before/after."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.core.models import AuditEvent
from siaga.sites.models import LocationQuality, Tps, VitalObject

pytestmark = pytest.mark.django_db


def a_tempurejo_tps() -> Tps:
    tps = Tps.objects.filter(kecamatan__name="Tempurejo", election__slug="pemilu-2024").first()
    assert tps is not None
    return tps


def form_data(tps: Tps, **changes: Any) -> dict[str, Any]:
    data = {
        "address": tps.address,
        "lat": tps.lat,
        "lng": tps.lng,
        "voters": tps.voters or "",
        "access_notes": tps.access_notes,
    }
    data.update(changes)
    return data


def test_polsek_edits_a_tps_and_the_audit_trail_has_before_and_after(
    client_for: Any, polsek_tempurejo: Any
) -> None:
    tps = a_tempurejo_tps()
    old_lat, old_voters = tps.lat, tps.voters
    new_lat = round(tps.lat + 0.001, 6)
    response = client_for(polsek_tempurejo).post(
        f"/situs/tps/{tps.pk}/ubah/",
        form_data(tps, address="Balai Desa, Jl. Raya 1", lat=new_lat, voters=241, access_notes="jalan tanah"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/situs/tps/{tps.pk}/"
    tps.refresh_from_db()
    assert (tps.address, tps.lat, tps.voters, tps.access_notes) == (
        "Balai Desa, Jl. Raya 1",
        new_lat,
        241,
        "jalan tanah",
    )
    assert tps.location_quality == LocationQuality.OFFICER  # a position set by hand is officer-captured
    assert tps.voters_synthetic is False
    event = AuditEvent.objects.get(
        object_type="sites.tps", object_id=str(tps.pk), action=AuditEvent.Action.UPDATE
    )
    assert event.actor == polsek_tempurejo
    assert event.source == AuditEvent.Source.UI
    assert event.before["lat"] == old_lat and event.after["lat"] == new_lat
    assert event.before["voters"] == old_voters and event.after["voters"] == 241
    assert event.before["address"] == "" and event.after["address"] == "Balai Desa, Jl. Raya 1"
    assert event.before["location_quality"] == "synthetic" and event.after["location_quality"] == "officer"


def test_coordinates_outside_indonesia_are_refused_on_the_form(client_for: Any, kabagops: Any) -> None:
    tps = a_tempurejo_tps()
    response = client_for(kabagops).post(f"/situs/tps/{tps.pk}/ubah/", form_data(tps, lat=48.85, lng=2.35))
    assert response.status_code == 200
    assert "di luar Indonesia" in response.content.decode()
    tps.refresh_from_db()
    assert tps.lat != 48.85
    assert not AuditEvent.objects.filter(object_type="sites.tps", object_id=str(tps.pk)).exists()


def test_half_a_coordinate_is_refused(client_for: Any, kabagops: Any) -> None:
    tps = a_tempurejo_tps()
    response = client_for(kabagops).post(f"/situs/tps/{tps.pk}/ubah/", form_data(tps, lng=""))
    assert response.status_code == 200
    assert response.context["form"].errors


def test_saving_an_unchanged_form_writes_nothing(client_for: Any, kabagops: Any) -> None:
    tps = a_tempurejo_tps()
    response = client_for(kabagops).post(f"/situs/tps/{tps.pk}/ubah/", form_data(tps))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(object_type="sites.tps", object_id=str(tps.pk)).exists()


def test_commander_may_read_but_not_edit(client_for: Any, commander: Any) -> None:
    tps = a_tempurejo_tps()
    assert client_for(commander).get(f"/situs/tps/{tps.pk}/ubah/").status_code == 403


def test_vital_object_edit_is_audited(client_for: Any, kabagops: Any) -> None:
    obj = VitalObject.objects.first()
    assert obj is not None
    data = {
        "name": obj.name,
        "kind": obj.kind,
        "address": "Jl. Kalimantan 10",
        "phone": "0331-123",
        "notes": "",
        "lat": obj.lat,
        "lng": obj.lng,
    }
    response = client_for(kabagops).post(f"/situs/objek-vital/{obj.pk}/ubah/", data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(
        object_type="sites.vitalobject", object_id=str(obj.pk), action=AuditEvent.Action.UPDATE
    )
    assert event.after == {"address": "Jl. Kalimantan 10", "phone": "0331-123"}
    assert event.before == {"address": obj.address, "phone": obj.phone}


def test_outsider_cannot_edit_a_vital_object_outside_its_kecamatan(client_for: Any, outsider: Any) -> None:
    obj = VitalObject.objects.exclude(kecamatan__name="Kaliwates").first()
    assert obj is not None
    assert client_for(outsider).post(f"/situs/objek-vital/{obj.pk}/ubah/", {"name": "x"}).status_code == 404
