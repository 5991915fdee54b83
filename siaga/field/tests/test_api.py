"""The field actions over the API: each idempotent by its key, scoped, audited."""

from __future__ import annotations

import base64
import io
import uuid
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from siaga.core.models import AuditEvent
from siaga.field.models import TpsReport

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, body, content_type="application/json", **headers)


def jpeg_data_url() -> str:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def officer(world: Any) -> Client:
    client = Client()
    client.force_login(world.user)
    return client


def test_tps_report_is_stored_once_per_key_with_audit_and_photo(field_world: Any) -> None:
    client = officer(field_world)
    body = {"tps_id": field_world.tps[0].pk, "kind": "situation", "condition": "rawan", "note": "massa berkumpul",
            "lat": -8.41, "lng": 113.76, "photo": jpeg_data_url()}  # fmt: skip
    key = str(uuid.uuid4())
    first = post(client, "/api/v1/field/tps-reports", body, key)
    again = post(client, "/api/v1/field/tps-reports", body, key)
    assert first.status_code == 201 and again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    report = TpsReport.objects.get()
    assert report.condition == "rawan" and report.personnel == field_world.person and report.photo
    assert AuditEvent.objects.filter(object_type="field.tpsreport", object_id=str(report.pk)).count() == 1
    # The same key with another body is refused, not stored.
    other = post(client, "/api/v1/field/tps-reports", {**body, "condition": "aman"}, key)
    assert other.status_code == 422 and TpsReport.objects.count() == 1


def test_tps_report_needs_a_key_a_condition_and_a_tps_in_the_jurisdiction(
    field_world: Any, outsider: Any
) -> None:
    client = officer(field_world)
    tps = field_world.tps[0].pk
    assert post(client, "/api/v1/field/tps-reports", {"tps_id": tps, "kind": "arrival"}).status_code == 422
    no_condition = post(client, "/api/v1/field/tps-reports", {"tps_id": tps, "kind": "situation"}, "k1")
    assert no_condition.status_code == 422 and "condition" in no_condition.json()["fields"]
    kaliwates = Client()
    kaliwates.force_login(outsider)
    assert (
        post(kaliwates, "/api/v1/field/tps-reports", {"tps_id": tps, "kind": "arrival"}, "k2").status_code
        == 404
    )
    assert TpsReport.objects.count() == 0


def test_apel_self_check_in_only_where_the_commander_allows_it(field_world: Any) -> None:
    from siaga.personnel.models import ApelEntry, ApelSession

    client = officer(field_world)
    url = f"/api/v1/personnel/apel/{field_world.apel.pk}/self-check-in"
    ApelSession.objects.filter(pk=field_world.apel.pk).update(self_check_in=False)
    closed = post(client, url, {}, "a1")
    assert closed.status_code == 403 and ApelEntry.objects.get(session=field_world.apel).status == "unmarked"
    ApelSession.objects.filter(pk=field_world.apel.pk).update(self_check_in=True)
    assert post(client, url, {}, "a2").status_code == 201
    assert post(client, url, {}, "a2").status_code == 200
    entry = ApelEntry.objects.get(session=field_world.apel)
    assert entry.status == "present" and entry.marked_by == field_world.user and entry.version == 1


def test_guard_check_in_and_handover_are_answered_once_per_key(field_world: Any) -> None:
    from siaga.guard.models import CheckIn, Handover

    client = officer(field_world)
    post_id = field_world.post.pk
    body = {"personnel_id": field_world.person.pk, "lat": field_world.post.lat, "lng": field_world.post.lng}
    assert post(client, f"/api/v1/guard/posts/{post_id}/check-in", body, "g1").status_code == 201
    assert post(client, f"/api/v1/guard/posts/{post_id}/check-in", body, "g1").status_code == 200
    assert CheckIn.objects.count() == 1
    shift = field_world.person  # outgoing
    handover = {
        "shift_boundary_at": "2030-01-01T00:00:00+07:00", "outgoing_id": shift.pk, "incoming_id": field_world.partner.pk,
        "outgoing_nrp": "wrong", "inventory_complete": True,
    }  # fmt: skip
    from siaga.guard.models import Assignment

    boundary = Assignment.objects.get(personnel=field_world.person).ends_at.isoformat()
    refused = post(
        client, f"/api/v1/guard/posts/{post_id}/handover", {**handover, "shift_boundary_at": boundary}, "h1"
    )
    assert refused.status_code == 422 and refused.json()["code"] == "bad_signature"
    good = {**handover, "shift_boundary_at": boundary, "outgoing_nrp": shift.nrp}
    assert post(client, f"/api/v1/guard/posts/{post_id}/handover", good, "h2").status_code == 201
    assert post(client, f"/api/v1/guard/posts/{post_id}/handover", good, "h2").status_code == 200
    assert Handover.objects.count() == 1


def test_field_incident_carries_its_photo(field_world: Any) -> None:
    from siaga.incidents.models import Incident

    client = officer(field_world)
    body = {"category": "intimidation", "description": "Ancaman kepada KPPS di TPS 001", "lat": -8.41, "lng": 113.76,
            "occurred_at": "2024-02-14T09:00:00+07:00", "photos": [jpeg_data_url()]}  # fmt: skip
    response = post(client, "/api/v1/incidents", body, "i1")
    assert response.status_code == 201, response.json()
    assert Incident.objects.get().photos.count() == 1


def test_commander_opens_and_closes_self_check_in_on_the_apel_page(
    field_world: Any, commander: Any, polsek_tempurejo: Any
) -> None:
    from siaga.personnel.models import ApelSession

    url = f"/personel/apel/{field_world.apel.pk}/absen-mandiri/"
    polsek = Client()
    polsek.force_login(polsek_tempurejo)
    assert polsek.post(url, {"allowed": "0"}).status_code == 403
    client = Client()
    client.force_login(commander)
    assert client.post(url, {"allowed": "0"}).status_code == 302
    assert ApelSession.objects.get(pk=field_world.apel.pk).self_check_in is False
    page = client.get(f"/personel/apel/{field_world.apel.pk}/").content.decode()
    assert "Izinkan absen mandiri dari ponsel" in page
    assert AuditEvent.objects.filter(
        object_type="personnel.apelsession", object_id=str(field_world.apel.pk), after__self_check_in=False
    ).exists()
