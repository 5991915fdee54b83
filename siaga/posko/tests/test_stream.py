"""The alert stream: every app's alert kinds raised by one scheduler tick and seen on the board; refresh,
auto-close, acknowledgement, escalation by the rules, and the SMS gateway at its HTTP boundary."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.test import override_settings

from siaga.core.alerts import alert_kinds
from siaga.core.errors import Conflict, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.incidents.models import Incident, Status
from siaga.posko import scheduler, services
from siaga.posko.models import Alert, JournalEntry, Notification
from siaga.posko.tests.conftest import NOW, World

EVERY_KIND = {
    "guard.unstaffed",
    "guard.cctv_empty",
    "guard.handover_missed",
    "patrols.missed_checkpoint",
    "incidents.new_urgent",
    "incidents.unanswered",
    "logistics.late_leg",
    "events.understaffed",
    "neutrality.overdue",
    "neutrality.deadline_warning",
}


def tick(now: dt.datetime) -> dict[str, Any]:
    """One scheduler tick of the alert stream, exactly as the worker's scheduler thread runs it."""
    return scheduler.run_due(now=now, tasks=[services.ALERT_TICK])


def test_every_kind_is_raised_by_one_tick_and_shown_on_the_board(
    world: World, admin_user: Any, client_for: Any
) -> None:
    assert set(alert_kinds()) == EVERY_KIND
    ran = tick(NOW)
    # 11 alerts: both the post and the CCTV seat missed their 06:00 serah terima.
    assert ran["posko.alert_tick"]["raised"] == Alert.objects.count() == 11
    assert set(Alert.objects.values_list("kind", flat=True)) == EVERY_KIND
    page = client_for(admin_user).get("/posko/", HTTP_HX_REQUEST="true").content.decode()
    for kind in alert_kinds().values():
        assert f'data-kind="{kind.code}"' in page
        assert str(kind.label) in page
    # Raising is audited, by the system.
    assert AuditEvent.objects.filter(object_type="posko.alert", message="raised").count() == 11


def test_a_slot_runs_once_and_a_fact_is_raised_once(world: World) -> None:
    tick(NOW)
    assert tick(NOW + dt.timedelta(seconds=1)) == {}  # same slot: another worker already ran it
    later = tick(NOW + dt.timedelta(seconds=services.ALERT_TICK.every_s))
    assert later["posko.alert_tick"].get("raised", 0) == 0
    assert later["posko.alert_tick"]["refreshed"] == 11
    assert Alert.objects.count() == 11


def test_conditions_that_end_close_themselves_but_a_missed_checkpoint_waits_for_a_person(
    world: World,
) -> None:
    tick(NOW)
    Incident.objects.filter(pk=world.incident.pk).update(status=Status.DISPATCHED)
    # Four days on: the guard shift, the event and the leg's three-day window are over; the incident was answered.
    result = services.run_alert_tick(now=NOW + dt.timedelta(days=4))
    still_open = set(Alert.objects.exclude(status=Alert.Status.CLOSED).values_list("kind", flat=True))
    assert still_open == {"patrols.missed_checkpoint", "neutrality.overdue"}
    closed = Alert.objects.get(kind="incidents.new_urgent")
    assert closed.closed_by is None and closed.resolved_at is not None
    assert Alert.objects.get(kind="patrols.missed_checkpoint").resolved_at is not None
    # Closed: 4 guard + 2 incident + leg + event, and the warning: its deadline has passed, which is a new fact
    # (the second "overdue" alert), so the warning itself is over.
    assert result["closed"] == 9
    assert Alert.objects.filter(kind="neutrality.overdue").count() == 2


def test_acknowledge_and_close_are_by_a_named_user_audited_and_journalled(
    world: World, kabagops: Any
) -> None:
    tick(NOW)
    alert = Alert.objects.get(kind="guard.unstaffed")
    services.acknowledge_alert(actor=kabagops, alert=alert, now=NOW)
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (Alert.Status.ACKNOWLEDGED, kabagops)
    with pytest.raises(Conflict):
        services.acknowledge_alert(actor=kabagops, alert=alert, now=NOW)
    with pytest.raises(ValidationFailed):
        services.close_alert(actor=kabagops, alert=alert, note="  ")
    services.close_alert(actor=kabagops, alert=alert, note="Dua personel cadangan dikirim", now=NOW)
    alert.refresh_from_db()
    assert (alert.status, alert.closed_by, alert.close_note) == (
        Alert.Status.CLOSED,
        kabagops,
        "Dua personel cadangan dikirim",
    )
    assert (
        AuditEvent.objects.filter(object_type="posko.alert", object_id=str(alert.pk), actor=kabagops).count()
        == 2
    )
    lines = list(JournalEntry.objects.filter(alert=alert).values_list("text", flat=True))
    assert len(lines) == 2 and "Dua personel cadangan dikirim" in lines[1] + lines[0]
    # A user's close stands even though the post is still unstaffed on the next tick.
    tick(NOW + dt.timedelta(minutes=1))
    alert.refresh_from_db()
    assert alert.status == Alert.Status.CLOSED


class _Provider(BaseHTTPRequestHandler):
    """A stand-in SMS/WhatsApp provider: records what it is sent; answers with the status it is told to."""

    received: list[dict[str, Any]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append({"auth": self.headers["Authorization"], **json.loads(body)})
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[str]:
    _Provider.received = []
    _Provider.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()


def test_unacknowledged_alerts_escalate_by_the_rules_and_acknowledged_ones_do_not(
    world: World, kabagops: Any, commander: Any, polsek_tempurejo: Any, outsider: Any, provider: str
) -> None:
    commander.phone = "081200000001"
    commander.save()
    with override_settings(
        SIAGA_SMS_GATEWAY="siaga.posko.notify.HttpSmsGateway",
        SIAGA_SMS_GATEWAY_URL=provider,
        SIAGA_SMS_GATEWAY_TOKEN="t0k",
    ):
        tick(NOW)
        unstaffed = Alert.objects.get(kind="guard.unstaffed")
        event = Alert.objects.get(kind="events.understaffed")  # Tempurejo
        # Level 0 at raise: in-app to Bag Ops (the whole Polres) and the Polsek of the area, not another Polsek.
        told = set(
            Notification.objects.filter(alert=event, level=0).values_list("recipient__username", flat=True)
        )
        assert told == {kabagops.username, polsek_tempurejo.username}
        # The Kaliwates Polsek hears only of its own area (the late leg), and never of neutrality cases.
        heard = set(Notification.objects.filter(recipient=outsider).values_list("alert__kind", flat=True))
        assert heard == {"logistics.late_leg"}
        # The commander hears at raise only what the per-kind rule says: a neutrality deadline passed.
        heard = set(Notification.objects.filter(recipient=commander).values_list("alert__kind", flat=True))
        assert heard == {"neutrality.overdue"}

        services.acknowledge_alert(actor=kabagops, alert=unstaffed, now=NOW)
        tick(NOW + dt.timedelta(minutes=11))  # high severity, level 1 after 10 minutes unacknowledged
        late = Alert.objects.get(kind="incidents.unanswered")
        assert late.notified_level == 1 and late.escalated_at is not None
        sms = Notification.objects.get(alert=late, recipient=commander, channel="sms")
        assert sms.status == Notification.Status.SENT
        assert {"to": "081200000001", "auth": "Bearer t0k", "channel": "sms"}.items() <= _Provider.received[
            0
        ].items()
        assert "ESKALASI 1" in _Provider.received[0]["text"]
        unstaffed.refresh_from_db()
        assert unstaffed.notified_level == 0 and unstaffed.escalated_at is None
        # Medium severity escalates only after 30 minutes (the "any severity" rule).
        assert Alert.objects.get(kind="events.understaffed").notified_level == 0

        no_phone = Notification.objects.get(alert=late, recipient=kabagops, channel="sms")
        assert no_phone.status == Notification.Status.FAILED and "no phone" in no_phone.error

        tick(
            NOW + dt.timedelta(minutes=31)
        )  # high: level 2 by WhatsApp (no gateway set); medium: level 1 in-app
        assert Alert.objects.get(kind="events.understaffed").notified_level == 1
        whatsapp = Notification.objects.get(alert=late, recipient=commander, channel="whatsapp")
        assert whatsapp.status == Notification.Status.FAILED and "no gateway" in whatsapp.error
        assert (
            Notification.objects.get(alert=late, recipient=commander, level=2, channel="inapp").status
            == "sent"
        )
        # Nobody is told the same thing twice.
        before = Notification.objects.count()
        tick(NOW + dt.timedelta(minutes=32))
        assert Notification.objects.count() == before


def test_a_failing_source_leaves_its_alerts_alone(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    tick(NOW)
    from siaga.incidents.alert_source import IncidentAlertSource

    def broken(self: Any, *, now: dt.datetime) -> list[Any]:
        raise RuntimeError("database away")

    monkeypatch.setattr(IncidentAlertSource, "collect", broken)
    result = services.run_alert_tick(now=NOW + dt.timedelta(days=4))
    assert result["failed_sources"] == 1
    assert Alert.objects.get(kind="incidents.new_urgent").status == Alert.Status.OPEN


def test_a_provider_refusal_is_recorded_on_the_message(world: World, commander: Any, provider: str) -> None:
    services.run_alert_tick(now=NOW)
    alert = Alert.objects.get(kind="incidents.unanswered")
    note = Notification.objects.create(
        alert=alert, recipient=commander, level=1, channel="sms", address="0812", text="uji",
        status=Notification.Status.PENDING, created_at=NOW,
    )  # fmt: skip
    _Provider.status = 503
    with override_settings(
        SIAGA_SMS_GATEWAY="siaga.posko.notify.HttpSmsGateway", SIAGA_SMS_GATEWAY_URL=provider
    ):
        assert services.deliver_pending()["failed"] == 1
    note.refresh_from_db()
    assert note.status == Notification.Status.FAILED and "503" in note.error
    assert _Provider.received[0]["to"] == "0812"
