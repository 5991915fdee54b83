"""Every answer under /api/ is JSON in the one error shape, including Django's own refusals; anonymous callers see
only the public part of the OpenAPI schema; the schema documents every error status."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import Client

from siaga.accounts.services import create_api_token

SHAPE = {"message", "code", "fields"}


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user)}"}


@pytest.mark.django_db
def test_server_error_under_api_is_json_in_the_error_shape() -> None:
    client = Client(raise_request_exception=False)
    with mock.patch("siaga.api.api.user_for_token", side_effect=RuntimeError("boom")):
        response = client.get("/api/v1/tps", HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == SHAPE and response.json()["code"] == "server_error"
    assert b"boom" not in response.content


@pytest.mark.django_db
def test_body_too_large_under_api_is_a_json_413(settings: Any, kabagops: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post(
        "/api/v1/incidents",
        data=b"{" + b" " * 5000 + b"}",
        content_type="application/json",
        **bearer(kabagops),
    )
    assert response.status_code == 413
    assert set(response.json()) == SHAPE and response.json()["code"] == "too_large"


@pytest.mark.django_db
def test_unknown_api_route_and_missing_object_are_json_404(kabagops: Any) -> None:
    for path in ("/api/v1/no-such-thing", "/api/v1/tps/999999999"):
        response = Client().get(path, **bearer(kabagops))
        assert response.status_code == 404, path
        assert set(response.json()) == SHAPE


@pytest.mark.django_db
def test_database_outage_inside_an_api_view_is_503_with_retry_after(kabagops: Any) -> None:
    from django.db import OperationalError

    with mock.patch("siaga.sites.api.selectors.vital_objects_for", side_effect=OperationalError("closed")):
        response = Client(raise_request_exception=False).get("/api/v1/vital-objects", **bearer(kabagops))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "unavailable"


@pytest.mark.django_db
def test_anonymous_openapi_shows_only_the_public_endpoints(kabagops: Any) -> None:
    anonymous = Client().get("/api/v1/openapi.json").json()
    assert anonymous["paths"]
    # The public portal and the personal roster feed (its secret token is in the URL) need no login.
    assert set(anonymous["paths"]) == {
        "/api/v1/public/reports",
        "/api/v1/public/reports/{receipt}",
        "/api/v1/guard/ical/{token}.ics",
    }
    full = Client().get("/api/v1/openapi.json", **bearer(kabagops)).json()
    assert "/api/v1/tps" in full["paths"] and "/api/v1/incidents/{incident_id}/reporter" in full["paths"]


@pytest.mark.django_db
def test_schema_documents_every_error_status_in_the_error_shape(kabagops: Any) -> None:
    schema = Client().get("/api/v1/openapi.json", **bearer(kabagops)).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "404", "413", "422", "503"):
                assert status in operation["responses"], (method, path, status)


@pytest.mark.django_db
def test_guard_and_patrol_check_in_bodies_are_documented_each_as_itself(kabagops: Any) -> None:
    schema = Client().get("/api/v1/openapi.json", **bearer(kabagops)).json()

    def body(path: str) -> set[str]:
        ref = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return set(schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"])

    assert "personnel_id" in body("/api/v1/guard/posts/{post_id}/check-in")
    assert "point_id" in body("/api/v1/patrols/checkins")
