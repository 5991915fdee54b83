"""The public API through the production WSGI entry point (siaga.wsgi), whose middleware stack for
/api/v1/public/ is shorter than the test client's: what still applies there must still hold."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.client import FakePayload, RequestFactory

from siaga.core.models import AuditEvent
from siaga.incidents.models import Incident
from siaga.territory.models import Kecamatan
from siaga.wsgi import PUBLIC_API_MIDDLEWARE, application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    # As Django's test client does: the production handler would otherwise close the connection that holds
    # the test's transaction at the start and end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, dict[str, str], bytes]:
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD=method,
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": FakePayload(body)},
        **headers,
    )
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"] = int(status.split()[0])
        answer["headers"] = {}
        for name, value in response_headers:
            answer["headers"].setdefault(name.lower(), []).append(value)

    result = application(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return answer["status"], {k: ", ".join(v) for k, v in answer["headers"].items()}, content


def report() -> bytes:
    tempurejo = Kecamatan.objects.get(name="Tempurejo")
    return json.dumps(
        {
            "category": "intimidation",
            "description": "Orang tak dikenal mengancam saksi di dekat TPS",
            "occurred_at": "2024-02-14T09:30:00+07:00",
            "lat": tempurejo.lat,
            "lng": tempurejo.lng,
        }
    ).encode()


def test_public_report_through_the_short_stack_is_stored_audited_and_replayable() -> None:
    key = str(uuid.uuid4())
    status, _, content = call("POST", "/api/v1/public/reports", report(), HTTP_IDEMPOTENCY_KEY=key)
    assert status == 201, content
    receipt = json.loads(content)["receipt"]
    assert json.loads(content)["status_url"] == f"/lapor/status/{receipt}/"
    incident = Incident.objects.get(receipt=receipt)
    assert incident.kecamatan is not None and incident.kecamatan.name == "Tempurejo"
    event = AuditEvent.objects.get(object_type="incidents.incident", object_id=str(incident.pk))
    # The audit context middleware still runs: the change is marked as coming through the API, from the client.
    assert event.source == AuditEvent.Source.API and event.ip_address == "127.0.0.1"
    again = call("POST", "/api/v1/public/reports", report(), HTTP_IDEMPOTENCY_KEY=key)
    assert again[0] == 201 and json.loads(again[2])["receipt"] == receipt
    assert again[1].get("idempotent-replayed") == "true"
    status, _, content = call("GET", f"/api/v1/public/reports/{receipt}")
    assert status == 200 and json.loads(content)["stage"] == "received"


def test_short_stack_keeps_the_security_headers_and_sets_no_cookie() -> None:
    status, headers, content = call(
        "POST", "/api/v1/public/reports", report(), HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert status == 201
    assert headers["content-length"] == str(
        len(content)
    )  # keep-alive clients read a sized answer, not chunks
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "content-language" in headers  # the language middleware still runs
    assert "set-cookie" not in headers  # no session, no CSRF cookie on the public API


def test_bad_input_on_the_short_stack_is_a_clear_422() -> None:
    status, headers, content = call(
        "POST", "/api/v1/public/reports", b'{"category": "nope"}', HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert status == 422
    answer = json.loads(content)
    assert answer["code"] == "validation_failed"
    assert {"category", "description"} <= set(answer["fields"])
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_other_paths_take_the_full_stack() -> None:
    status, headers, _ = call("GET", "/masuk/")
    assert status == 200
    assert "csrftoken" in headers.get("set-cookie", "")  # CSRF middleware and the login page ran
    status, headers, _ = call("GET", "/peta/")
    assert status == 302  # login required outside the public paths
    assert "Session" not in " ".join(PUBLIC_API_MIDDLEWARE) and "Csrf" not in " ".join(PUBLIC_API_MIDDLEWARE)


def test_start_up_freezes_the_loaded_code_out_of_full_collections() -> None:
    import gc

    assert gc.get_freeze_count() > 50_000  # Django, the apps and their URL and API modules
