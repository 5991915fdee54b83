"""Proof of visit: idempotent check-ins (an offline queue resending), plausibility flags, photo and QR, scoping."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone
from PIL import Image

from siaga.core.models import AuditEvent
from siaga.patrols import photos, services
from siaga.patrols.models import PatrolCheckIn, PatrolPlan, PatrolPoint, PatrolUnit

API = "/api/v1/patrols/checkins"


def _post(client: Client, body: dict[str, Any], key: str) -> Any:
    return client.post(
        API, data=json.dumps(body), content_type="application/json", headers={"Idempotency-Key": key}
    )


def test_the_same_offline_checkin_sent_three_times_is_stored_once(
    client_for: Callable[..., Client], kabagops: Any, points: list[PatrolPoint]
) -> None:
    kpu = points[0]
    client = client_for(kabagops)
    key = str(uuid.uuid4())
    body = {
        "point_id": kpu.pk,
        "lat": kpu.lat + 0.0002,
        "lng": kpu.lng,
        "accuracy_m": 8,
        "arrived_at": "2024-02-10T09:00:00+07:00",
    }
    answers = [_post(client, body, key) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    assert PatrolCheckIn.objects.filter(client_key=key).count() == 1
    assert PatrolCheckIn.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="patrols.patrolcheckin").count() == 1
    # The key is required, and reusing it for another point is a conflict, not a silent success.
    assert client.post(API, data=json.dumps(body), content_type="application/json").status_code == 422
    assert _post(client, {**body, "point_id": points[1].pk}, key).status_code == 409


def test_a_checkin_30_km_away_two_minutes_later_is_flagged(
    kabagops: Any, points: list[PatrolPoint], samapta_unit: PatrolUnit
) -> None:
    kpu = points[0]
    tempurejo = next(p for p in points if p.code == "t-sepi-tp-3")
    at = timezone.make_aware(dt.datetime(2024, 2, 10, 9, 0))
    first, _ = services.record_checkin(
        actor=kabagops,
        client_key=uuid.uuid4(),
        point=kpu,
        unit=samapta_unit,
        lat=kpu.lat,
        lng=kpu.lng,
        accuracy_m=10,
        arrived_at=at,
    )
    second, _ = services.record_checkin(
        actor=kabagops, client_key=uuid.uuid4(), point=tempurejo, unit=samapta_unit, lat=tempurejo.lat, lng=tempurejo.lng, accuracy_m=10,
        arrived_at=at + dt.timedelta(minutes=2),
    )  # fmt: skip
    from siaga.optimization.distance import haversine_km

    assert haversine_km(kpu.lat, kpu.lng, tempurejo.lat, tempurejo.lng) > 25
    assert first.flags == []
    assert "IMPOSSIBLE_SPEED" in second.flags
    # A check-in far from its point and with a vague fix is flagged too (never rejected).
    far, _ = services.record_checkin(
        actor=kabagops, client_key=uuid.uuid4(), point=kpu, unit=samapta_unit, lat=kpu.lat + 0.05, lng=kpu.lng, accuracy_m=300,
        arrived_at=at + dt.timedelta(hours=5),
    )  # fmt: skip
    assert {"OUTSIDE_RADIUS", "POOR_ACCURACY"} <= set(far.flags)
    left = services.leave_checkin(actor=kabagops, checkin=first, left_at=at + dt.timedelta(minutes=1))
    assert "SHORT_STAY" in left.flags


def test_a_late_offline_checkin_reflags_the_next_one(
    kabagops: Any, points: list[PatrolPoint], samapta_unit: PatrolUnit
) -> None:
    kpu, far = points[0], next(p for p in points if p.code == "t-sepi-tp-3")
    at = timezone.make_aware(dt.datetime(2024, 2, 10, 9, 0))
    later, _ = services.record_checkin(
        actor=kabagops,
        client_key=uuid.uuid4(),
        point=kpu,
        unit=samapta_unit,
        lat=kpu.lat,
        lng=kpu.lng,
        accuracy_m=5,
        arrived_at=at,
    )
    assert later.flags == []
    # Sent later from the queue, but made a minute earlier 30 km away.
    services.record_checkin(
        actor=kabagops,
        client_key=uuid.uuid4(),
        point=far,
        unit=samapta_unit,
        lat=far.lat,
        lng=far.lng,
        accuracy_m=5,
        arrived_at=at - dt.timedelta(minutes=1),
    )
    later.refresh_from_db()
    assert "IMPOSSIBLE_SPEED" in later.flags


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_photo_is_reencoded_without_exif_and_qr_is_checked(
    client_for: Callable[..., Client], kabagops: Any, points: list[PatrolPoint], settings: Any, tmp_path: Any
) -> None:
    settings.SIAGA_PATROL_PHOTO_DIR = tmp_path
    kpu = points[0]
    raw = _jpeg_with_exif()
    assert b"SecretPhoneMaker" in raw
    body = {
        "point_id": kpu.pk, "lat": kpu.lat, "lng": kpu.lng, "accuracy_m": 5, "qr": kpu.qr_value,
        "photo": "data:image/jpeg;base64," + base64.b64encode(raw).decode(),
    }  # fmt: skip
    answer = _post(client_for(kabagops), body, str(uuid.uuid4()))
    assert answer.status_code == 201, answer.content
    checkin = PatrolCheckIn.objects.get()
    assert checkin.qr_status == "ok" and answer.json()["has_photo"]
    stored = photos.path_of(checkin.photo).read_bytes()
    assert b"SecretPhoneMaker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    wrong = _post(
        client_for(kabagops), {**body, "photo": "", "qr": "SIAGA-PATROLI:t-kpu:guessed"}, str(uuid.uuid4())
    )
    assert wrong.json()["qr_status"] == "wrong" and "QR_MISMATCH" in wrong.json()["flags"]
    bad = _post(
        client_for(kabagops),
        {**body, "photo": "data:image/jpeg;base64," + base64.b64encode(b"not an image").decode()},
        str(uuid.uuid4()),
    )
    assert bad.status_code == 422


def test_checkins_are_scoped(
    client_for: Callable[..., Client],
    outsider: Any,
    partner_kpu: Any,
    field_officer: Any,
    points: list[PatrolPoint],
    plan: PatrolPlan,
) -> None:
    tempurejo_point = next(p for p in points if p.code == "t-sepi-tp-1")
    body = {
        "point_id": tempurejo_point.pk,
        "lat": tempurejo_point.lat,
        "lng": tempurejo_point.lng,
        "accuracy_m": 5,
    }
    # Kaliwates officer: the Tempurejo point does not exist for him; a partner may not check in at all.
    assert _post(client_for(outsider), body, str(uuid.uuid4())).status_code == 404
    assert _post(client_for(partner_kpu), body, str(uuid.uuid4())).status_code == 403
    assert _post(client_for(field_officer), body, str(uuid.uuid4())).status_code == 201
    assert PatrolCheckIn.objects.get().officer_label
