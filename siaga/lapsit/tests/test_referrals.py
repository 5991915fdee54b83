"""Referrals to Bawaslu (Sentra Gakkumdu): referring makes a packet (PDF + JSON + XLSX) whose status moves
sent -> received -> processed -> closed through one audited transition; Bawaslu reads it, other partners don't."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from siaga.core.errors import Conflict, PermissionDenied
from siaga.core.models import AuditEvent
from siaga.incidents.models import Incident
from siaga.incidents.services import refer_incident
from siaga.lapsit.models import ReferralPacket
from siaga.lapsit.services import transition_referral
from siaga.territory.models import Kecamatan, PoliceUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(kabagops: Any) -> Incident:
    tempurejo = Kecamatan.objects.get(name__iexact="Tempurejo")
    now = timezone.now()
    return Incident.objects.create(
        receipt="UJI1-RUJK", source="call", category="money_politics", description="Pembagian amplop di balai desa",
        occurred_at=now, reported_at=now, kecamatan=tempurejo, status="verified", lat=-8.35123, lng=113.71234,
    )  # fmt: skip


def test_referring_to_bawaslu_makes_a_packet_whose_status_moves_once_each_way(
    incident: Incident, kabagops: Any, client_for: Any, partner_kpu: Any
) -> None:
    from siaga.accounts.models import User

    refer_incident(actor=kabagops, incident=incident, to="bawaslu", note="dugaan politik uang")
    packet = ReferralPacket.objects.get(incident=incident)
    assert (
        packet.status == "sent" and packet.data["incident"]["description"] == "Pembagian amplop di balai desa"
    )
    assert packet.data["incident"]["lat"] == -8.35123  # the addressee gets the real position
    assert [t["kind"] for t in packet.data["timeline"]] == ["referred"]

    with pytest.raises(Conflict):
        transition_referral(actor=kabagops, packet=packet, to="processed")  # sent -> processed skips received
    for to in ("received", "processed", "closed"):
        transition_referral(actor=kabagops, packet=packet, to=to, note=f"catatan {to}")
    packet.refresh_from_db()
    assert packet.status == "closed" and packet.received_at and packet.processed_at and packet.closed_at
    with pytest.raises(Conflict):
        transition_referral(actor=kabagops, packet=packet, to="received")
    moves = AuditEvent.objects.filter(
        object_type="lapsit.referralpacket", object_id=str(packet.pk), action="update"
    )
    assert [e.after["status"] for e in moves.order_by("id")] == ["received", "processed", "closed"]
    stale = ReferralPacket.objects.get(pk=packet.pk)
    stale.status = "sent"  # another operator's old copy: the database refuses the move
    with pytest.raises(Conflict):
        transition_referral(actor=kabagops, packet=stale, to="received")

    jember = PoliceUnit.objects.get(code="polres-jember")
    bawaslu = User.objects.create_user(
        username="t.mitra.bawaslu", password="x", role="partner_viewer", police_unit=jember, partner="bawaslu"
    )
    with pytest.raises(PermissionDenied):
        transition_referral(actor=bawaslu, packet=packet, to="closed")
    assert client_for(bawaslu).get(f"/lapsit/rujukan/{packet.pk}/").status_code == 200
    assert client_for(bawaslu).post(f"/lapsit/rujukan/{packet.pk}/", {"to": "closed"}).status_code == 403
    assert client_for(partner_kpu).get(f"/lapsit/rujukan/{packet.pk}/").status_code == 404
    assert client_for(partner_kpu).get(f"/api/v1/referrals/{packet.pk}").status_code == 404

    staff = client_for(kabagops)
    pdf = staff.get(f"/lapsit/rujukan/{packet.pk}/berkas/pdf/")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert packet.number in text and "Pembagian amplop" in text
    data = json.loads(staff.get(f"/lapsit/rujukan/{packet.pk}/berkas/json/").content)
    assert data["number"] == packet.number and data["incident"]["receipt"] == "UJI1-RUJK"
    sheet = load_workbook(io.BytesIO(staff.get(f"/lapsit/rujukan/{packet.pk}/berkas/xlsx/").content)).active
    assert ("Nomor", packet.number) in [tuple(r[:2]) for r in sheet.iter_rows(values_only=True)]
    assert AuditEvent.objects.filter(object_type="lapsit.referralpacket", action="export").count() == 3


def test_the_referral_page_moves_the_status_and_refuses_an_illegal_move(
    incident: Incident, kabagops: Any, client_for: Any
) -> None:
    refer_incident(actor=kabagops, incident=incident, to="bawaslu")
    packet = ReferralPacket.objects.get(incident=incident)
    staff = client_for(kabagops)
    page = staff.get(f"/kejadian/{incident.pk}/").content.decode()
    assert (
        f'href="/lapsit/rujukan/{packet.pk}/"' in page
    )  # the incident links its packet and shows its status
    response = staff.post(f"/lapsit/rujukan/{packet.pk}/", {"to": "closed", "note": "selesai"})
    assert response.status_code == 302
    response = staff.post(f"/lapsit/rujukan/{packet.pk}/", {"to": "received"})
    assert response.status_code == 200 and "tidak diizinkan" in response.content.decode()
    api = staff.get("/api/v1/referrals").json()
    assert api["count"] == 1 and api["items"][0]["status"] == "closed"
