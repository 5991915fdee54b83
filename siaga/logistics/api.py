"""Logistics API: legs (scoped) and the field status report, idempotent by Idempotency-Key like the public
intake: the same report sent three times is stored once and answered the same way."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import paginate

from siaga.accounts.roles import can
from siaga.api.fields import PlausibleDateTime
from siaga.api.pagination import Pagination
from siaga.core.errors import PermissionDenied
from siaga.logistics import selectors, services

router = Router(tags=["logistik / logistics"])


class LegOut(Schema):
    id: int
    hop: str
    origin: str
    destination: str
    kecamatan: str = Field(..., alias="kecamatan.name")
    planned_depart: dt.datetime | None
    planned_arrive: dt.datetime | None
    actual_depart: dt.datetime | None
    actual_arrive: dt.datetime | None
    status: str
    boxes: int
    seals: int


class StatusIn(Schema):
    status: str = Field(..., pattern="^(departed|arrived|handed_over)$")
    at: PlausibleDateTime | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    note: str = Field("", max_length=300)


class StatusOut(Schema):
    id: int
    leg_id: int
    status: str
    at: dt.datetime
    leg_status: str


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Tidak berwenang / Not allowed")


@router.get("/logistics/legs", response=list[LegOut], summary="Logistics legs in the user's jurisdiction")
@paginate(Pagination)
def list_legs(
    request: HttpRequest, election_id: int | None = None, hop: str = "", status: str = ""
) -> object:
    _require(request, "view_logistics")
    return selectors.legs_for(request.user, election_id=election_id, hop=hop, status=status)


@router.post(
    "/logistics/legs/{leg_id}/status",
    response={201: StatusOut, 200: StatusOut},
    summary="Report a leg's status from the field (Idempotency-Key required)",
)
def report_status(
    request: HttpRequest,
    response: HttpResponse,
    leg_id: int,
    payload: StatusIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
) -> Status:
    _require(request, "logistics_duty")
    leg = selectors.access_leg(request.user, leg_id)
    update, created = services.record_status(
        actor=request.user, leg=leg, status=payload.status, key=idempotency_key, at=payload.at, lat=payload.lat,
        lng=payload.lng, note=payload.note,
    )  # fmt: skip
    if not created:
        response["Idempotent-Replayed"] = "true"
    leg.refresh_from_db(fields=["status"])
    body = {
        "id": update.pk,
        "leg_id": leg.pk,
        "status": update.status,
        "at": update.at,
        "leg_status": leg.status,
    }
    return Status(201 if created else 200, body)
