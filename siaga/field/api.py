"""Field app API: the TPS reports (arrival, situation). Writes need an Idempotency-Key: the phone's outbox
sends each report with the key it made when the officer pressed the button, and a resend is answered with
the first answer (siaga.incidents.idempotency.run_once), so a report reaches the server exactly once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import paginate

from siaga.accounts.roles import can
from siaga.api.fields import PlausibleDateTime
from siaga.api.pagination import Pagination
from siaga.core.errors import PermissionDenied
from siaga.field import selectors, services
from siaga.field.models import TpsReport
from siaga.incidents.idempotency import MAX_KEY_LENGTH, check_key, run_once
from siaga.sites.selectors import access_tps

router = Router(tags=["lapangan / field"])


class TpsReportIn(Schema):
    tps_id: int
    kind: TpsReport.Kind
    condition: TpsReport.Condition | None = None
    note: str = Field("", max_length=500)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    reported_at: PlausibleDateTime | None = None
    # A JPEG/PNG as a data URL: the report must survive the phone's outbox as text.
    photo: str = Field("", max_length=12_000_000)


class TpsReportOut(Schema):
    id: int
    tps_id: int
    kind: str
    condition: str
    note: str
    lat: float | None
    lng: float | None
    reported_at: dt.datetime
    received_at: dt.datetime
    has_photo: bool

    @staticmethod
    def resolve_has_photo(obj: Any) -> bool:
        return bool(obj["has_photo"] if isinstance(obj, dict) else obj.photo)


def _out(r: TpsReport) -> dict[str, Any]:
    return {
        "id": r.pk, "tps_id": r.tps_id, "kind": r.kind, "condition": r.condition, "note": r.note, "lat": r.lat,
        "lng": r.lng, "reported_at": r.reported_at, "received_at": r.received_at, "has_photo": bool(r.photo),
    }  # fmt: skip


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Tidak berwenang / Not allowed")


@router.post(
    "/field/tps-reports",
    response={201: TpsReportOut, 200: TpsReportOut},
    summary="Report arrival at a TPS or its situation (Idempotency-Key required)",
)
def create_tps_report(
    request: HttpRequest,
    response: HttpResponse,
    payload: TpsReportIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    _require(request, "deployment_duty")
    key = check_key(idempotency_key)
    tps = access_tps(request.user, payload.tps_id)

    def work() -> tuple[int, Any]:
        report = services.file_tps_report(
            actor=request.user, tps=tps, kind=payload.kind.value,
            condition=payload.condition.value if payload.condition else "", note=payload.note, lat=payload.lat,
            lng=payload.lng, reported_at=payload.reported_at, photo_data_url=payload.photo,
            personnel=selectors.officer_of(request.user),
        )  # fmt: skip
        return 201, TpsReportOut(**_out(report)).model_dump(mode="json")

    status, body, replayed = run_once(
        scope=f"u{request.user.pk}:field.tps_report", key=str(key), payload=payload.dict(), work=work
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
        status = 200
    return Status(status, body)


@router.get("/field/tps-reports", response=list[TpsReportOut], summary="TPS reports in your jurisdiction")
@paginate(Pagination)
def list_tps_reports(request: HttpRequest, tps_id: int | None = None, condition: str = "") -> Any:
    _require(request, "view_deployment")
    qs = selectors.tps_reports_for(request.user)
    if tps_id:
        qs = qs.filter(tps_id=tps_id)
    if condition:
        qs = qs.filter(condition=condition)
    return qs
