"""Numbers a database cannot hold are refused at the schema (issue 21 item 4): every integer query and path
parameter of every operation, with values at and beyond 64 bits, gives a 4xx in the error shape, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from siaga.accounts.services import create_api_token
from siaga.api.api import api

HUGE = [2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30]


def integer_parameters() -> list[tuple[str, str, str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param.get("schema", {}).get("type") == "integer":
                    found.append((method.upper(), path, param["in"], param["name"]))
    return found


PARAMS = integer_parameters()


def test_the_api_has_integer_parameters_to_check() -> None:
    assert len(PARAMS) >= 20


@pytest.mark.parametrize(("method", "path", "where", "name"), PARAMS, ids=[" ".join(p) for p in PARAMS])
def test_out_of_range_integer_is_a_client_error(
    method: str, path: str, where: str, name: str, kabagops: Any, db: Any
) -> None:
    client = Client(
        raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=kabagops)}"
    )
    for value in HUGE:
        url = path.replace("{" + name + "}", str(value)) if where == "path" else path
        url = url.replace("{", "").replace("}", "")  # other path parameters: a plain word, 404 or 422 anyway
        query = {name: str(value)} if where == "query" else {}
        response = client.generic(
            method,
            url,
            data=b"{}",
            content_type="application/json",
            QUERY_STRING="&".join(f"{k}={v}" for k, v in query.items()),
        )
        assert response.status_code < 500, (value, response.content[:300])
        assert set(response.json()) == {"message", "code", "fields"}, response.content[:300]


@pytest.mark.django_db
def test_page_size_is_capped_at_the_setting(settings: Any, kabagops: Any) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=kabagops)}")
    assert client.get("/api/v1/kecamatan", {"limit": settings.SIAGA_API_MAX_PAGE_SIZE}).status_code == 200
    too_many = client.get("/api/v1/kecamatan", {"limit": settings.SIAGA_API_MAX_PAGE_SIZE + 1})
    assert too_many.status_code == 422 and "limit" in too_many.json()["fields"]
    schema = client.get("/api/v1/openapi.json").json()
    limit = next(p for p in schema["paths"]["/api/v1/tps"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == settings.SIAGA_API_MAX_PAGE_SIZE


@pytest.mark.django_db
def test_idempotency_key_longer_than_the_stored_column_is_a_422(kabagops: Any) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=kabagops)}")
    for length in (94, 150, 255):
        response = client.post(
            "/api/v1/incidents", data={}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k" * length
        )
        assert response.status_code == 422, (length, response.content[:200])
        assert "Idempotency-Key" in response.json()["fields"] or response.json()["code"].startswith(
            "idempotency"
        )


@pytest.mark.django_db
def test_tps_patch_with_one_coordinate_is_a_422(kabagops: Any) -> None:
    from siaga.sites.models import Tps

    tps = Tps.objects.filter(lat__isnull=False).first()
    assert tps is not None
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=kabagops)}")
    for body in ({"lat": -8.2}, {"lng": 113.6}, {"lat": None, "lng": 113.6}):
        response = client.patch(f"/api/v1/tps/{tps.pk}", data=body, content_type="application/json")
        assert response.status_code == 422, (body, response.content[:200])
    both = client.patch(
        f"/api/v1/tps/{tps.pk}", data={"lat": -8.2, "lng": 113.6}, content_type="application/json"
    )
    assert both.status_code == 200 and (both.json()["lat"], both.json()["lng"]) == (-8.2, 113.6)


@pytest.mark.django_db
def test_bulk_category_route_is_not_taken_for_a_tps_id(kabagops: Any) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=kabagops)}")
    response = client.post("/api/v1/tps-categories/bulk", data={}, content_type="application/json")
    assert response.status_code == 422  # reached the bulk operation, which wants its fields
    assert "election" in response.json()["fields"]


@pytest.mark.django_db
def test_a_voting_day_off_the_calendar_is_a_422_not_a_500(kabagops: Any) -> None:
    # Found by Schemathesis at 100 examples per operation: the PKPU stage calendar shifted to year 2 overflowed.
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=kabagops)}")
    for day in ("0002-01-01", "9999-12-31"):
        body = {"slug": f"uji-{day[:4]}", "name": "Uji", "kind": "pemilu", "voting_day": day}
        response = client.post("/api/v1/elections", data=body, content_type="application/json")
        assert response.status_code == 422, (day, response.content[:200])
        assert response.json()["fields"] == {"voting_on": [day]}
    ok = {"slug": "uji-2029", "name": "Uji", "kind": "pemilu", "voting_day": "2029-02-14"}
    assert client.post("/api/v1/elections", data=ok, content_type="application/json").status_code == 201


@pytest.mark.django_db
def test_a_time_off_the_calendar_or_with_an_impossible_offset_is_a_422_not_a_500(kabagops: Any) -> None:
    # Found by Schemathesis at 100 examples per operation on PostgreSQL: "0041-10-07T06:56:04-19:43" was a
    # DataError (time zone displacement out of range), an HTTP 500.
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=kabagops)}")
    body = {
        "category": "other",
        "description": "Uji waktu yang mustahil di lapangan",
        "lat": -8.17,
        "lng": 113.7,
    }
    for when in ("0041-10-07T06:56:04.008-19:43", "2024-02-14T08:00:00-19:43", "9999-01-01T00:00:00+07:00"):
        response = client.post(
            "/api/v1/incidents", data={**body, "occurred_at": when}, content_type="application/json"
        )
        assert response.status_code == 422, (when, response.content[:300])
        assert "occurred_at" in str(response.json()["fields"])
    ok = client.post(
        "/api/v1/incidents",
        data={**body, "occurred_at": "2024-02-14T08:00:00+07:00"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="uji-waktu-sah-1",
    )
    assert ok.status_code == 201, ok.content[:300]
