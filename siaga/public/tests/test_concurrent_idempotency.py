"""Ten copies of one public submission sent at the same instant, one Idempotency-Key: exactly one report.

Each thread is its own client with its own database connection (on SQLite and PostgreSQL alike). Django's
live_server is not used here because, for SQLite's in-memory test database, it shares one connection between
all its request threads, which would serialise the requests and hide the race this test is about.
"""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from siaga.incidents.models import Incident


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submissions_with_one_key_create_one_report(jember_data: None, settings: Any) -> None:
    settings.SIAGA_PUBLIC_REPORTS_PER_CLIENT_PER_MINUTE = 100
    key = str(uuid.uuid4())
    body = json.dumps(
        {
            "category": "intimidation",
            "description": "Orang tak dikenal mengancam saksi di TPS agar tidak datang",
            "occurred_at": "2024-02-14T08:15:00+07:00",
            "lat": -8.3,
            "lng": 113.75,
        }
    )
    barrier = threading.Barrier(10)

    def send(_: int) -> tuple[int, dict[str, Any], str]:
        client = Client()
        try:
            barrier.wait()
            response = client.post(
                "/api/v1/public/reports", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
            )
            return response.status_code, response.json(), response.get("Idempotent-Replayed", "")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(send, range(10)))
    statuses = [status for status, _, _ in results]
    assert statuses == [201] * 10, results
    assert len({payload["receipt"] for _, payload, _ in results}) == 1
    assert len({json.dumps(payload, sort_keys=True) for _, payload, _ in results}) == 1, (
        "replays equal the first"
    )
    # At most one is the original; on SQLite the winner itself can come back as a replay when a lock error after
    # its commit made the service retry (the body is the same either way).
    assert [replayed for _, _, replayed in results].count("") <= 1
    assert Incident.objects.filter(client_key=f"public:{key}").count() == 1
