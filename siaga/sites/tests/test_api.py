"""The read API: counts for the demo, jurisdiction scoping, bearer tokens, and audited edits."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from siaga.accounts.services import create_api_token
from siaga.core.models import AuditEvent
from siaga.sites.models import Tps

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str, **headers: str) -> int:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_api_gives_demo_counts(client_for: Any, kabagops: Any) -> None:
    c = client_for(kabagops)
    assert _count(c, "/api/v1/kecamatan") == 31
    assert _count(c, "/api/v1/desa") == 248
    assert _count(c, "/api/v1/tps?election=pemilu-2024") == 7706
    assert _count(c, "/api/v1/tps?election=pilkada-2024") == 4046
    assert _count(c, "/api/v1/vital-objects") == 2


def test_bearer_token_authenticates_and_a_bad_token_is_refused(kabagops: Any) -> None:
    token = create_api_token(user=kabagops)
    c = Client()
    assert _count(c, "/api/v1/kecamatan", HTTP_AUTHORIZATION=f"Bearer {token}") == 31
    response = c.get("/api/v1/kecamatan", HTTP_AUTHORIZATION="Bearer sg_wrong")
    assert response.status_code == 401
    assert set(response.json()) == {"message", "code", "fields"}


def test_anonymous_api_request_gets_401_in_the_error_shape() -> None:
    response = Client().get("/api/v1/tps?election=pemilu-2024")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_polsek_account_sees_only_its_kecamatan(client_for: Any, polsek_tempurejo: Any) -> None:
    c = client_for(polsek_tempurejo)
    expected = Tps.objects.filter(election__slug="pemilu-2024", kecamatan__name="Tempurejo").count()
    assert expected > 0
    assert _count(c, "/api/v1/kecamatan") == 1
    assert _count(c, "/api/v1/desa") == 8
    assert _count(c, "/api/v1/tps?election=pemilu-2024") == expected
    items = c.get("/api/v1/tps?election=pemilu-2024&limit=1000").json()["items"]
    assert {i["kecamatan_name"] for i in items} == {"Tempurejo"}
    # The KPU office lies in Sumbersari: outside Tempurejo, so not listed and 404 by id.
    assert _count(c, "/api/v1/vital-objects") == 0


def test_objects_outside_the_jurisdiction_answer_404(client_for: Any, polsek_tempurejo: Any) -> None:
    other = Tps.objects.filter(election__slug="pemilu-2024").exclude(kecamatan__name="Tempurejo").first()
    own = Tps.objects.filter(election__slug="pemilu-2024", kecamatan__name="Tempurejo").first()
    c = client_for(polsek_tempurejo)
    assert c.get(f"/api/v1/tps/{own.pk}").status_code == 200
    response = c.get(f"/api/v1/tps/{other.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_election_is_a_clear_404(client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get("/api/v1/tps?election=pemilu-1999")
    assert response.status_code == 404
    assert "pemilu-1999" in response.json()["message"]


def test_api_edit_is_audited_with_before_and_after(client_for: Any, kabagops: Any) -> None:
    tps = Tps.objects.filter(election__slug="pemilu-2024").first()
    old_address = tps.address
    response = client_for(kabagops).patch(
        f"/api/v1/tps/{tps.pk}", {"address": "Balai Dusun Krajan"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.filter(object_type="sites.tps", object_id=str(tps.pk), action="update").get()
    assert event.source == AuditEvent.Source.API
    assert event.actor == kabagops
    # The address is now officer-captured: a later KPU re-import keeps it.
    assert event.before == {"address": old_address, "address_captured": False}
    assert event.after == {"address": "Balai Dusun Krajan", "address_captured": True}


def test_api_edit_needs_the_capability(client_for: Any, partner_kpu: Any) -> None:
    tps = Tps.objects.filter(election__slug="pemilu-2024").first()
    response = client_for(partner_kpu).patch(
        f"/api/v1/tps/{tps.pk}", {"address": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(object_type="sites.tps", action="update").exists()


def test_api_edit_refuses_coordinates_outside_indonesia(client_for: Any, kabagops: Any) -> None:
    tps = Tps.objects.filter(election__slug="pemilu-2024").first()
    response = client_for(kabagops).patch(
        f"/api/v1/tps/{tps.pk}", {"lat": 48.85, "lng": 2.35}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Indonesia" in response.json()["message"]
    tps.refresh_from_db()
    assert tps.lat != 48.85


def test_session_writes_need_the_csrf_token(kabagops: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(kabagops)
    tps = Tps.objects.filter(election__slug="pemilu-2024").first()
    response = c.patch(f"/api/v1/tps/{tps.pk}", {"address": "x"}, content_type="application/json")
    assert response.status_code in {401, 403}


def test_tps_list_query_count_does_not_grow_with_the_page(client_for: Any, kabagops: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(kabagops)
    c.get("/api/v1/kecamatan")  # warm the session
    counts = []
    for limit in (10, 500):
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(f"/api/v1/tps?election=pemilu-2024&limit={limit}")
        assert len(response.json()["items"]) == limit
        counts.append(len(ctx.captured_queries))
    # session, user, unit, scope, election, count, page: nothing per row
    assert counts[0] == counts[1] <= 7


def test_openapi_schema_is_served(client_for: Any, kabagops: Any) -> None:
    schema = client_for(kabagops).get("/api/v1/openapi.json").json()
    assert "/api/v1/tps" in schema["paths"]
    assert "/api/v1/vital-objects" in schema["paths"]
