"""Patrol API: points in scope, a day's routes, and check-ins from phones.

`POST /patrols/checkins` requires an `Idempotency-Key` header (a client-generated UUID): the phone queues
check-ins made offline and resends them until one is acknowledged, so the same key may arrive several
times; it is stored once (201 the first time, 200 with the same row afterwards).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from siaga.accounts.roles import can
from siaga.api.pagination import Pagination
from siaga.core.errors import PermissionDenied, ValidationFailed
from siaga.patrols import selectors, services
from siaga.patrols.models import PatrolCheckIn, PatrolPoint

router = Router(tags=["patroli / patrols"])


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Tidak berwenang / Not allowed")


class PointOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(..., alias="visible_kind")  # a rawan TPS is "tps" to roles that may not see categories
    kecamatan: str = Field(..., alias="kecamatan.name")
    lat: float
    lng: float
    radius_m: int
    value: float | None = Field(..., alias="visible_value")  # withheld where it would reveal the category
    min_visits: int
    is_synthetic: bool


class VisitOut(Schema):
    id: int
    point_id: int
    point: str
    slot: int
    unit_id: int | None
    vehicle: int | None
    sequence: int
    planned_at: dt.datetime | None
    source: str
    is_cancelled: bool
    done: bool


class DayOut(Schema):
    id: int
    day_on: dt.date
    status: str
    key_stage: str
    siaga_level: str
    missed_required: list[str]
    warnings: list[dict[str, object]]
    visits: list[VisitOut]


class PatrolCheckInIn(Schema):
    point_id: int
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    accuracy_m: float = Field(0, ge=0, le=100000)
    arrived_at: dt.datetime | None = None
    left_at: dt.datetime | None = None
    unit_id: int | None = None
    qr: str = Field("", max_length=200)
    photo: str = Field("", max_length=12_000_000)
    note: str = Field("", max_length=300)


class CheckInOut(Schema):
    id: int
    client_key: uuid.UUID
    point_id: int
    visit_id: int | None
    unit_id: int | None
    arrived_at: dt.datetime
    left_at: dt.datetime | None
    distance_m: float
    qr_status: str
    has_photo: bool
    flags: list[str]
    created: bool = False


def _out(c: PatrolCheckIn, created: bool) -> dict[str, object]:
    return {
        "id": c.pk, "client_key": c.client_key, "point_id": c.point_id, "visit_id": c.visit_id, "unit_id": c.unit_id,
        "arrived_at": c.arrived_at, "left_at": c.left_at, "distance_m": c.distance_m, "qr_status": c.qr_status,
        "has_photo": bool(c.photo), "flags": list(c.flags), "created": created,
    }  # fmt: skip


@router.get("/patrols/points", response=list[PointOut], summary="Patrol points in the caller's jurisdiction")
@paginate(Pagination)
def list_points(request: HttpRequest, kind: str = "", q: str = "") -> list[PatrolPoint]:
    _require(request, "view_patrol_plans")
    return selectors.points_for(request.user, kind=kind, search=q).order_by("pk")  # type: ignore[return-value]


@router.get(
    "/patrols/days/{day_id}", response=DayOut, summary="A patrol day: visits in route order (own units only)"
)
def get_day(request: HttpRequest, day_id: int) -> dict[str, object]:
    _require(request, "view_patrol_plans")
    day = selectors.access_day(request.user, day_id)
    visits = [
        {**{k: getattr(v, k) for k in ("id", "point_id", "slot", "unit_id", "vehicle", "sequence", "planned_at", "source", "is_cancelled")},
         "point": v.point.name, "done": bool(v.checkins.all())}
        for v in selectors.visits_for(request.user, day)
    ]  # fmt: skip
    return {
        "id": day.pk, "day_on": day.day_on, "status": day.status, "key_stage": day.key_stage, "siaga_level": day.siaga_level,
        "missed_required": day.missed_required, "warnings": day.warnings, "visits": visits,
    }  # fmt: skip


@router.post(
    "/patrols/checkins",
    response={200: CheckInOut, 201: CheckInOut},
    summary="Check in at a point (Idempotency-Key required)",
)
def create_checkin(
    request: HttpRequest,
    payload: PatrolCheckInIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, object]]:
    _require(request, "patrol_duty")
    try:
        key = uuid.UUID(str(idempotency_key))
    except ValueError as exc:
        raise ValidationFailed(
            "Header Idempotency-Key (UUID) wajib / The Idempotency-Key header (a UUID) is required",
            code="idempotency_key_missing",
            fields={"Idempotency-Key": ["uuid"]},
        ) from exc
    point = selectors.access_point(request.user, payload.point_id)
    unit = selectors.access_unit(request.user, payload.unit_id) if payload.unit_id else None
    checkin, created = services.record_checkin(
        actor=request.user, client_key=key, point=point, lat=payload.lat, lng=payload.lng, accuracy_m=payload.accuracy_m,
        arrived_at=payload.arrived_at, left_at=payload.left_at, unit=unit, qr_value=payload.qr, photo_data_url=payload.photo,
        note=payload.note,
    )  # fmt: skip
    return Status(201 if created else 200, _out(checkin, created))


class LeaveIn(Schema):
    left_at: dt.datetime | None = None


@router.post("/patrols/checkins/{checkin_id}/leave", response=CheckInOut, summary="Record leaving the point")
def leave(request: HttpRequest, checkin_id: int, payload: LeaveIn) -> dict[str, object]:
    _require(request, "patrol_duty")
    checkin = selectors.access_checkin(request.user, checkin_id)
    return _out(services.leave_checkin(actor=request.user, checkin=checkin, left_at=payload.left_at), False)
