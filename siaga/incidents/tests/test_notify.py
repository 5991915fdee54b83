"""Notifications: P1/P2 reports and dispatches go out on commit through every configured channel, without
reporter identity; a failing channel does not stop the others. The SMS/WhatsApp gateway is a fake here."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail

from siaga.core.jobs import run_job
from siaga.core.models import Job
from siaga.incidents import notify, services
from siaga.incidents.tests.factories import make_incident

pytestmark = pytest.mark.django_db


class FakeGateway:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send_text(self, *, to: str, text: str) -> None:
        self.sent.append((to, text))


class BrokenChannel:
    name = "broken"

    def send(self, notification: notify.Notification) -> None:
        raise ConnectionError("gateway down")


def test_p1_report_notifies_email_webhook_and_gateway_without_identity(
    settings: Any, kabagops: Any, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            received[-1]["_signature"] = self.headers.get("X-Siaga-Signature")
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gateway = FakeGateway()
    channel = notify.GatewayChannel(gateway, ["+6281100000001"])
    broken = BrokenChannel()
    settings.SIAGA_INCIDENT_NOTIFY_EMAILS = ["posko@polres-jember.test"]
    settings.SIAGA_INCIDENT_WEBHOOK_URLS = [f"http://127.0.0.1:{server.server_port}/hook"]
    settings.SIAGA_INCIDENT_WEBHOOK_SECRET = "s3cret"
    notify.register_channel(broken)
    notify.register_channel(channel)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            incident = make_incident(
                actor=kabagops,
                category="violence",
                description="Bentrok massa membawa celurit di depan TPS",
                reporter=services.ReporterData(name="Rahasia Sekali", phone="081299990000", consented=True),
            )
        # The task body, run here directly (the queue itself is django-tasks' business).
        run_job(Job.objects.get(kind="incident_notify").pk, services.send_notification)
    finally:
        notify.unregister_channel(broken)
        notify.unregister_channel(channel)
        server.shutdown()
    job = Job.objects.get(kind="incident_notify")
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"email": "ok", "webhook": "ok", "broken": "failed: ConnectionError", "sms": "ok"}
    assert len(mail.outbox) == 1 and incident.receipt in mail.outbox[0].subject
    assert received and received[0]["receipt"] == incident.receipt and received[0]["priority"] == 1
    assert received[0]["_signature"]
    assert gateway.sent and gateway.sent[0][0] == "+6281100000001"
    everything = mail.outbox[0].body + json.dumps(received) + json.dumps(gateway.sent)
    assert "Rahasia" not in everything and "081299990000" not in everything


def test_low_priority_reports_do_not_notify(kabagops: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        make_incident(actor=kabagops, category="other", description="Lampu jalan mati di dekat kantor desa")
    assert not Job.objects.filter(kind="incident_notify").exists()


def test_webhook_refuses_other_schemes() -> None:
    with pytest.raises(ValueError):
        notify.WebhookChannel("file:///etc/passwd")
