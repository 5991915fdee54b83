"""The public API: filing a report, its receipt and status, idempotency, rate limits, no mass assignment."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from siaga.core.models import AuditEvent
from siaga.incidents.models import Incident, ReporterContact, Status
from siaga.territory.models import Kecamatan

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/reports"


def body(**extra: Any) -> dict[str, Any]:
    tempurejo = Kecamatan.objects.get(name="Tempurejo")
    data = {
        "category": "money_politics",
        "description": "Ada pembagian amplop berisi uang di dekat balai desa",
        "occurred_at": "2024-02-13T21:30:00+07:00",
        "lat": tempurejo.lat,
        "lng": tempurejo.lng,
    }
    data.update(extra)
    return data


def post(client: Client, data: dict[str, Any], key: str | None = None, **headers: Any) -> Any:
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(URL, data, content_type="application/json", **headers)


def test_anonymous_report_gets_a_receipt_and_lands_in_its_kecamatan(client: Client) -> None:
    response = post(client, body(), str(uuid.uuid4()))
    assert response.status_code == 201, response.content
    receipt = response.json()["receipt"]
    assert len(receipt) == 9 and receipt[4] == "-"
    incident = Incident.objects.get(receipt=receipt)
    assert incident.kecamatan.name == "Tempurejo"
    assert incident.status == Status.NEW and incident.source == "public"
    assert not ReporterContact.objects.filter(incident=incident).exists()
    assert (
        AuditEvent.objects.filter(
            object_type="incidents.incident", object_id=str(incident.pk), action="create"
        ).count()
        == 1
    )
    status = client.get(f"{URL}/{receipt}").json()
    assert status["stage"] == "received" and status["kecamatan"] == "Tempurejo"
    assert set(status) == {
        "receipt",
        "stage",
        "status_text",
        "category",
        "category_text",
        "reported_at",
        "kecamatan",
    }


def test_same_key_same_body_replays_the_first_response(client: Client) -> None:
    key = str(uuid.uuid4())
    first = post(client, body(), key)
    again = post(client, body(), key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Incident.objects.filter(client_key=f"public:{key}").count() == 1


def test_same_key_different_body_is_422(client: Client) -> None:
    key = str(uuid.uuid4())
    assert post(client, body(), key).status_code == 201
    response = post(client, body(description="Sesuatu yang lain sama sekali terjadi di sini"), key)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Incident.objects.filter(client_key=f"public:{key}").count() == 1


def test_missing_idempotency_key_is_400(client: Client) -> None:
    response = post(client, body())
    assert response.status_code == 400
    assert set(response.json()) == {"message", "code", "fields"}


def test_invalid_body_is_422_with_fields(client: Client) -> None:
    response = post(client, body(category="bogus", description="x"), str(uuid.uuid4()))
    assert response.status_code == 422
    # Named as in the JSON the client sent (not "payload.category").
    assert {"category", "description"} <= set(response.json()["fields"])


def test_report_without_any_location_is_refused(client: Client) -> None:
    response = post(client, body(lat=None, lng=None), str(uuid.uuid4()))
    assert response.status_code == 422
    assert "location" in response.json()["fields"]


def test_contact_without_consent_is_refused_and_with_consent_is_kept_apart(client: Client) -> None:
    assert post(client, body(name="Budi", phone="0812"), str(uuid.uuid4())).status_code == 422
    response = post(client, body(name="Budi", phone="0812", consent=True), str(uuid.uuid4()))
    assert response.status_code == 201
    contact = ReporterContact.objects.get(incident__receipt=response.json()["receipt"])
    assert contact.name == "Budi" and contact.consented_at is not None
    audit = AuditEvent.objects.get(
        object_type="incidents.incident", action="create", object_repr__startswith=response.json()["receipt"]
    )
    assert "Budi" not in str(audit.after)


def test_citizen_cannot_set_status_or_priority(client: Client) -> None:
    response = post(client, body(status="closed", priority=1, receipt="AAAA-AAAA"), str(uuid.uuid4()))
    assert response.status_code == 201
    incident = Incident.objects.get(receipt=response.json()["receipt"])
    assert incident.status == Status.NEW and incident.priority == 3 and incident.receipt != "AAAA-AAAA"


def test_violence_with_a_weapon_is_p1(client: Client) -> None:
    response = post(
        client,
        body(category="violence", description="Dua kelompok massa bentrok membawa celurit"),
        str(uuid.uuid4()),
    )
    assert Incident.objects.get(receipt=response.json()["receipt"]).priority == 1


def test_future_time_is_refused(client: Client) -> None:
    response = post(client, body(occurred_at="2099-01-01T10:00:00"), str(uuid.uuid4()))
    assert response.status_code == 422
    assert "occurred_at" in response.json()["fields"]


def test_per_client_rate_limit_answers_429_with_retry_after(client: Client, settings: Any) -> None:
    settings.SIAGA_PUBLIC_REPORTS_PER_CLIENT_PER_MINUTE = 3
    codes = [post(client, body(), str(uuid.uuid4())).status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    limited = post(client, body(), str(uuid.uuid4()))
    assert int(limited["Retry-After"]) >= 1 and limited.json()["code"] == "rate_limited"
    # Another client is not affected.
    assert post(client, body(), str(uuid.uuid4()), REMOTE_ADDR="10.9.8.7").status_code == 201


def test_global_rate_limit_applies_across_clients(client: Client, settings: Any) -> None:
    settings.SIAGA_PUBLIC_REPORTS_PER_MINUTE = 2
    codes = [
        post(client, body(), str(uuid.uuid4()), REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(1, 5)
    ]
    assert codes == [201, 201, 429, 429]


def test_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(client: Client, settings: Any) -> None:
    settings.SIAGA_PUBLIC_REPORTS_PER_CLIENT_PER_MINUTE = 1
    settings.SIAGA_TRUST_X_FORWARDED_FOR = False
    assert post(client, body(), str(uuid.uuid4()), HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 201
    assert post(client, body(), str(uuid.uuid4()), HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


def test_unknown_receipt_is_404(client: Client) -> None:
    response = client.get(f"{URL}/ZZZZ-ZZZZ")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_openapi_lists_the_category_codes(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    text = str(schema)
    for code in (
        "money_politics",
        "intimidation",
        "violence",
        "logistics",
        "hoax_sara",
        "police_neutrality",
        "crime",
        "other",
    ):
        assert code in text
    assert "/api/v1/public/reports" in schema["paths"]


def test_nul_character_is_a_clear_422_and_nothing_is_stored(client: Client) -> None:
    # PostgreSQL cannot store NUL in text: the client gets a validation answer, never a database error.
    count = Incident.objects.count()
    response = post(client, body(description="Ada amplop\u0000 dibagikan di balai desa"), str(uuid.uuid4()))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed" and "NUL" in response.json()["message"]
    assert Incident.objects.count() == count


def test_receipt_lookup_with_a_malformed_code_is_404(client: Client) -> None:
    for code in ("ABCD-EFG%00", "x" * 300, "AB'--", "ABCD-0000"):
        response = client.get(f"{URL}/{code}")
        assert response.status_code == 404, code
        assert response.json()["code"] == "not_found"


def test_a_body_that_is_not_json_is_a_clear_400(client: Client) -> None:
    response = client.post(
        URL, b"{category: money", content_type="application/json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_json" and "JSON" in response.json()["message"]


def test_field_errors_are_in_the_requests_language(client: Client) -> None:
    response = post(client, body(category="bogus", description="x"), str(uuid.uuid4()))
    fields = response.json()["fields"]
    # Before: pydantic's English alone ("Input should be 'money_politics', ..."), then "Indonesian / English".
    assert fields["category"] == ["Bukan salah satu pilihan yang sah"]
    assert fields["description"] == ["Terlalu pendek (paling sedikit 10 karakter)"]
    assert response.json()["message"] == "Data tidak valid"
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    answer_en = post(english, body(category="bogus", description="x"), str(uuid.uuid4())).json()
    assert answer_en["message"] == "Invalid data"
    assert answer_en["fields"]["category"][0].startswith("Input should be")
    assert answer_en["fields"]["description"] == ["String should have at least 10 characters"]
