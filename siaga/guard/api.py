"""Guard API: posts with their live state, check-in/out from the phone, and the officer's calendar feed.

The calendar feed answers without a session (auth=None): its secret token is the credential, so phone
calendars can subscribe. Unknown tokens get 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema

from siaga.accounts.roles import can
from siaga.core.errors import NotFound, PermissionDenied
from siaga.guard import selectors, services
from siaga.guard.ical import officer_calendar
from siaga.guard.models import CheckIn

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
    response={201: CheckInOut},
    url_name="guard_check_in",
    summary="Check an officer in at the post",
)
def check_in(request: HttpRequest, post_id: int, payload: GuardCheckInIn) -> tuple[int, CheckIn]:
    _require(request, "guard_duty")
    post = selectors.access_post(request.user, post_id)
    officer = selectors.duty_officers(post, now=timezone.now()).filter(pk=payload.personnel_id).first()
    if officer is None:
        raise NotFound("Personel tidak bertugas di pos ini / Officer not on duty at this post")
    return 201, services.check_in(
        actor=request.user,
        post=post,
        personnel=officer,
        lat=payload.lat,
        lng=payload.lng,
        accuracy_m=payload.accuracy_m,
    )


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
