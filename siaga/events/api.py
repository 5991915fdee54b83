"""Events API: the registry (scoped) and the clash check for an event being entered."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from siaga.accounts.roles import can
from siaga.core.errors import PermissionDenied
from siaga.events import selectors
from siaga.events.models import Event

router = Router(tags=["kegiatan / events"])


class EventOut(Schema):
    id: int
    kind: str
    title: str
    candidate: str
    party: str
    kecamatan: str = Field(..., alias="kecamatan.name")
    place: str
    lat: float
    lng: float
    starts_at: dt.datetime
    ends_at: dt.datetime
    crowd: int
    vehicles: int
    risk: str
    sttp_number: str
    status: str


class ClashOut(Schema):
    code: str
    message: str
    other_id: int | None
    distance_m: float | None
    gap_minutes: float | None


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Tidak berwenang / Not allowed")


@router.get("/events", response=list[EventOut], summary="Events in the user's jurisdiction")
@paginate(LimitOffsetPagination)
def list_events(request: HttpRequest, election_id: int | None = None, kind: str = "", q: str = "") -> object:
    _require(request, "view_events")
    return selectors.events_for(request.user, election_id=election_id, kind=kind, search=q)


@router.get("/events/{event_id}/clashes", response=list[ClashOut], summary="Clashes of an event")
def event_clashes(request: HttpRequest, event_id: int) -> list[dict[str, object]]:
    _require(request, "view_events")
    event: Event = selectors.access_event(request.user, event_id)
    return [
        {"code": c.code, "message": c.message, "other_id": c.other_pk, "distance_m": c.distance_m,
         "gap_minutes": c.gap_minutes}
        for c in selectors.clashes(event, user=request.user)
    ]  # fmt: skip
