"""Guard API: posts with their live state, check-in/out from the phone, and the officer's calendar feed.

The calendar feed answers without a session (auth=None): its secret token is the credential, so phone
calendars can subscribe. Unknown tokens get 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Header, Router, Schema, Status

from siaga.accounts.roles import can
from siaga.core.errors import NotFound, PermissionDenied
from siaga.guard import selectors, services
from siaga.guard.ical import officer_calendar
from siaga.incidents.idempotency import MAX_KEY_LENGTH, check_key, run_once

router = Router(tags=["jaga / guard"])


class PostNowOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    vital_object: str
    lat: float
    lng: float
    state: str
    required: int
    present: list[str]
    rostered: list[str]
    alerts: list[str]


class GuardCheckInIn(Schema):
    personnel_id: int
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0)


class CheckInOut(Schema):
    id: int
    post_id: int
    personnel_id: int
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    distance_m: float


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Tidak berwenang / Not allowed")


@router.get(
    "/guard/posts",
    response=list[PostNowOut],
    url_name="guard_posts",
    summary="Guard posts with who is on them now",
)
def list_posts(request: HttpRequest) -> list[dict[str, object]]:
    _require(request, "view_guard")
    out = []
    for row in selectors.board(request.user, now=timezone.now()):
        lat, lng = row.post.position
        out.append(
            {
                "id": row.post.pk, "code": row.post.code, "name": row.post.name, "kind": row.post.kind,
                "vital_object": row.post.vital_object.name, "lat": lat, "lng": lng, "state": row.state,
                "required": row.required, "present": [c.personnel.name for c in row.present],
                "rostered": [a.personnel.name for a in row.rostered], "alerts": [a.message for a in row.alerts],
            }
        )  # fmt: skip
    return out


@router.post(
    "/guard/posts/{post_id}/check-in",
    response={201: CheckInOut, 200: CheckInOut},
    url_name="guard_check_in",
    summary="Check an officer in at the post (with an Idempotency-Key, a resend is answered once)",
)
def check_in(
    request: HttpRequest,
    response: HttpResponse,
    post_id: int,
    payload: GuardCheckInIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    _require(request, "guard_duty")
    key = check_key(idempotency_key, required=False)
    post = selectors.access_post(request.user, post_id)

    def work() -> tuple[int, Any]:
        officer = selectors.duty_officers(post, now=timezone.now()).filter(pk=payload.personnel_id).first()
        if officer is None:
            raise NotFound("Personel tidak bertugas di pos ini / Officer not on duty at this post")
        checkin = services.check_in(
            actor=request.user, post=post, personnel=officer, lat=payload.lat, lng=payload.lng,
            accuracy_m=payload.accuracy_m,
        )  # fmt: skip
        return 201, CheckInOut.from_orm(checkin).model_dump(mode="json")

    if key is None:  # older clients: no key, no replay
        return Status(*work())
    status, body, replayed = run_once(
        scope=f"u{request.user.pk}:guard.check_in:{post.pk}", key=key, payload=payload.dict(), work=work
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
        status = 200
    return Status(status, body)


class HandoverIn(Schema):
    shift_boundary_at: dt.datetime
    outgoing_id: int
    incoming_id: int
    outgoing_nrp: str = Field(..., max_length=30)
    incoming_nrp: str = Field("", max_length=30)
    inventory_complete: bool
    inventory_notes: str = Field("", max_length=500)
    logbook_entries: int = Field(0, ge=0, le=10_000)
    events: str = Field("", max_length=2000)
    cctv_working: bool | None = None


class HandoverOut(Schema):
    id: int
    post_id: int
    shift_boundary_at: dt.datetime
    outgoing_id: int
    incoming_id: int
    outgoing_signed_at: dt.datetime
    incoming_signed_at: dt.datetime | None


@router.post(
    "/guard/posts/{post_id}/handover",
    response={201: HandoverOut, 200: HandoverOut},
    url_name="guard_handover",
    summary="Record a shift handover (serah terima) at the post (Idempotency-Key required)",
)
def handover(
    request: HttpRequest,
    response: HttpResponse,
    post_id: int,
    payload: HandoverIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    _require(request, "guard_duty")
    key = check_key(idempotency_key)
    post = selectors.access_post(request.user, post_id)

    def work() -> tuple[int, Any]:
        officers = {p.pk: p for p in selectors.duty_officers(post, now=payload.shift_boundary_at)}
        outgoing, incoming = officers.get(payload.outgoing_id), officers.get(payload.incoming_id)
        if outgoing is None or incoming is None:
            raise NotFound("Personel tidak bertugas di pos ini / Officer not on duty at this post")
        done = services.record_handover(
            actor=request.user, post=post, shift_boundary_at=payload.shift_boundary_at, outgoing=outgoing,
            incoming=incoming, outgoing_nrp=payload.outgoing_nrp, incoming_nrp=payload.incoming_nrp,
            inventory_complete=payload.inventory_complete, inventory_notes=payload.inventory_notes,
            logbook_entries=payload.logbook_entries, events=payload.events, cctv_working=payload.cctv_working,
        )  # fmt: skip
        return 201, HandoverOut.from_orm(done).model_dump(mode="json")

    status, body, replayed = run_once(
        scope=f"u{request.user.pk}:guard.handover:{post.pk}", key=str(key), payload=payload.dict(), work=work
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
        status = 200
    return Status(status, body)


@router.get(
    "/guard/ical/{token}.ics",
    auth=None,
    url_name="guard_ical_feed",
    summary="An officer's guard shifts (iCalendar, secret link)",
)
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.feed_for(token)
    if found is None:
        raise NotFound("Kalender tidak ditemukan / Calendar not found")
    personnel, rows = found
    response = HttpResponse(officer_calendar(personnel, rows), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
