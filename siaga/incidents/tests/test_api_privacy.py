"""The incidents API: partners never get reporter identity; identity reads are audited; writes are idempotent."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siaga.core.models import AuditEvent
from siaga.incidents import services
from siaga.incidents.models import Incident, TimelineEntry
from siaga.incidents.rules import coarsen
from siaga.incidents.tests.factories import make_incident, make_unit

pytestmark = pytest.mark.django_db

IDENTITY_KEYS = {
    "name",
    "phone",
    "email",
    "reporter",
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "contact",
}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=12)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=letters.map(lambda s: "Nm" + s.capitalize()),
    phone=st.text(alphabet="0123456789", min_size=8, max_size=11).map(lambda s: "+62" + s),
    user=letters,
    category=st.sampled_from(
        ["money_politics", "intimidation", "violence", "police_neutrality", "crime", "other"]
    ),
    dlat=st.floats(min_value=-0.03, max_value=0.03),
    dlng=st.floats(min_value=-0.03, max_value=0.03),
)
def test_partner_responses_never_carry_reporter_identity(
    client_for: Any,
    partner_kpu: Any,
    kabagops: Any,
    name: str,
    phone: str,
    user: str,
    category: str,
    dlat: float,
    dlng: float,
) -> None:
    email = f"{user}@contoh.id"
    incident = make_incident(
        actor=kabagops,
        category=category,
        description=f"Pelapor {name} ({phone}) melihat kejadian di dekat rumahnya",
        offset=(dlat, dlng),
        reporter=services.ReporterData(name=name, phone=phone, email=email, consented=True),
    )
    client = client_for(partner_kpu)
    listing = client.get("/api/v1/incidents", {"limit": 1000})
    one = client.get(f"/api/v1/incidents/{incident.pk}")
    assert listing.status_code == one.status_code == 200
    for response in (listing, one):
        text = response.content.decode()
        assert name not in text and phone not in text and email not in text
        assert not (_keys(response.json()) & IDENTITY_KEYS)
    item = one.json()
    assert item["description"] is None and item["location_coarsened"] is True
    assert item["lat"] == coarsen(incident.lat) and item["lat"] != incident.lat
    assert item["lng"] == coarsen(incident.lng) and item["lng"] != incident.lng
    assert client.get(f"/api/v1/incidents/{incident.pk}/reporter").status_code == 403


def test_identity_is_for_the_named_role_only_and_every_view_is_audited(
    client_for: Any, kabagops: Any, commander: Any
) -> None:
    incident = make_incident(
        actor=kabagops, reporter=services.ReporterData(name="Siti", phone="0813", consented=True)
    )
    assert client_for(commander).get(f"/api/v1/incidents/{incident.pk}/reporter").status_code == 403
    response = client_for(kabagops).get(f"/api/v1/incidents/{incident.pk}/reporter")
    assert response.status_code == 200 and response.json()["name"] == "Siti"
    views = AuditEvent.objects.filter(action="view", object_id=str(incident.pk), actor=kabagops)
    assert views.count() == 1
    assert incident.timeline.filter(kind=TimelineEntry.Kind.IDENTITY_VIEWED).count() == 1
    # The full view for the Posko has no identity either: it is only behind /reporter.
    assert "Siti" not in client_for(kabagops).get(f"/api/v1/incidents/{incident.pk}").content.decode()


def test_outsider_gets_404_for_another_polsek_incident(client_for: Any, kabagops: Any, outsider: Any) -> None:
    incident = make_incident(actor=kabagops, kecamatan="Tempurejo")
    assert client_for(outsider).get(f"/api/v1/incidents/{incident.pk}").status_code == 404
    assert client_for(outsider).get("/api/v1/incidents").json()["count"] == 0


def test_list_has_no_n_plus_one(client_for: Any, kabagops: Any, django_assert_max_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(kabagops)
    make_incident(actor=kabagops)
    client.get("/api/v1/incidents")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/incidents", {"limit": 100})
    for i in range(15):
        make_incident(actor=kabagops, offset=(0.001 * i, 0.0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/incidents", {"limit": 100})
    assert response.json()["count"] >= 16 and len(response.json()["items"]) >= 16


def _post(client: Any, url: str, data: dict[str, Any], key: str) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def test_field_report_is_created_once_per_key(client_for: Any, field_officer: Any) -> None:
    client = client_for(field_officer)
    body = {
        "category": "logistics",
        "description": "Kotak suara TPS 3 basah terkena hujan",
        "occurred_at": "2024-02-14T06:00:00",
        "lat": -8.41,
        "lng": 113.76,
    }
    key = str(uuid.uuid4())
    first, again = (
        _post(client, "/api/v1/incidents", body, key),
        _post(client, "/api/v1/incidents", body, key),
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["receipt"] == again.json()["receipt"] and again["Idempotent-Replayed"] == "true"
    assert Incident.objects.filter(receipt=first.json()["receipt"]).get().source == "field"
    assert (
        _post(
            client, "/api/v1/incidents", {**body, "description": "Kotak suara lain yang hilang"}, key
        ).status_code
        == 422
    )
    assert (
        client.post("/api/v1/incidents", json.dumps(body), content_type="application/json").status_code == 422
    )


def test_transition_and_dispatch_over_the_api_replay_and_refuse(
    client_for: Any, kabagops: Any, polsek_tempurejo: Any
) -> None:
    incident = make_incident(actor=kabagops)
    unit = make_unit(call_sign="TMP-API")
    posko = client_for(kabagops)
    url = f"/api/v1/incidents/{incident.pk}/transitions"
    key = str(uuid.uuid4())
    assert _post(posko, url, {"to": "verified"}, key).status_code == 200
    replay = _post(posko, url, {"to": "verified"}, key)
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert _post(posko, url, {"to": "closed"}, str(uuid.uuid4())).json()["code"] == "illegal_transition"
    dispatch_url = f"/api/v1/incidents/{incident.pk}/dispatches"
    assert _post(posko, dispatch_url, {"unit_id": unit.pk}, str(uuid.uuid4())).status_code == 201
    lost = _post(client_for(polsek_tempurejo), dispatch_url, {"unit_id": unit.pk}, str(uuid.uuid4()))
    assert (
        lost.status_code == 409
        and lost.json()["code"] == "unit_unavailable"
        and "TMP-API" in lost.json()["message"]
    )
    rec = posko.get(f"/api/v1/incidents/{incident.pk}/recommendations").json()
    assert all(u["call_sign"] != "TMP-API" for u in rec["units"])


def test_partner_cannot_write(client_for: Any, partner_kpu: Any, kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    client = client_for(partner_kpu)
    assert (
        _post(client, f"/api/v1/incidents/{incident.pk}/transitions", {"to": "verified"}, "k1").status_code
        == 403
    )
    assert (
        _post(
            client,
            "/api/v1/incidents",
            {
                "category": "other",
                "description": "sesuatu terjadi di sini",
                "occurred_at": "2024-02-14T06:00:00",
                "lat": -8.4,
                "lng": 113.7,
            },
            "k2",
        ).status_code
        == 403
    )


def test_superuser_is_not_the_posko_and_refused_looks_are_audited(
    client_for: Any, kabagops: Any, admin_user: Any, commander: Any
) -> None:
    """Issue 21 item 10: reporter identity is for Staf Bag Ops only; the superuser is refused, and audited."""
    incident = make_incident(
        actor=kabagops, reporter=services.ReporterData(name="Siti", phone="0813", consented=True)
    )
    for user in (admin_user, commander):
        response = client_for(user).get(f"/api/v1/incidents/{incident.pk}/reporter")
        assert response.status_code == 403 and "Siti" not in response.content.decode()
        refused = AuditEvent.objects.filter(action="view", object_id=str(incident.pk), actor=user)
        assert refused.count() == 1 and refused.get().message == "reporter identity refused"
