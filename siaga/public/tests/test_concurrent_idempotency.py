"""Ten copies of one public submission sent at the same instant, one Idempotency-Key: exactly one report."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from siaga.incidents.models import Incident


def _post(url: str, body: bytes, key: str, barrier: threading.Barrier) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 - loopback live_server
        url, data=body, method="POST", headers={"Content-Type": "application/json", "Idempotency-Key": key}
    )
    barrier.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_submissions_with_one_key_create_one_report(live_server: Any, settings: Any) -> None:
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
    ).encode()
    barrier = threading.Barrier(10)
    url = f"{live_server.url}/api/v1/public/reports"
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: _post(url, body, key, barrier), range(10)))
    statuses = [status for status, _ in results]
    assert statuses == [201] * 10, results
    receipts = {payload["receipt"] for _, payload in results}
    assert len(receipts) == 1
    assert Incident.objects.filter(client_key=f"public:{key}").count() == 1
    assert Incident.objects.filter(receipt__in=receipts).count() == 1
