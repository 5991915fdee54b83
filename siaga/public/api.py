"""The public reporting API: no login. File a report (Idempotency-Key required) and read its public status."""

from __future__ import annotations

import datetime as dt
import functools
from enum import Enum

from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from ninja import Field, Header, Router, Schema, Status

from siaga.core.errors import ValidationFailed
from siaga.core.middleware import client_ip
from siaga.incidents import intake
from siaga.incidents.idempotency import MAX_KEY_LENGTH, check_key
from siaga.incidents.ratelimit import RateLimited

router = Router(tags=["publik / public"])

CategoryCode = Enum("CategoryCode", {code: code for code in intake.CATEGORY_CODES}, type=str)  # type: ignore[misc]


class PublicReportIn(Schema):
    category: CategoryCode = Field(..., description="Kategori / category code")  # type: ignore[valid-type]
    description: str = Field(
        ..., min_length=10, max_length=4000, description="Apa yang terjadi / what happened"
    )
    occurred_at: dt.datetime = Field(..., description="Waktu kejadian, ISO 8601 (tanpa zona: WIB)")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    desa_id: int | None = Field(None, ge=1)
    tps_number: int | None = Field(None, ge=1, le=999)
    place: str = Field("", max_length=200)
    name: str = Field("", max_length=150)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    consent: bool = False


class ReceiptOut(Schema):
    receipt: str
    status: str
    reported_at: str
    status_url: str


class PublicStatusOut(Schema):
    receipt: str
    stage: str
    status_text: str
    category: str
    category_text: str
    reported_at: dt.datetime
    kecamatan: str


class ErrorOut(Schema):
    message: str
    code: str
    fields: dict[str, list[str]]


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@functools.cache
def _status_url(script_prefix: str) -> str:
    """The status page's URL with a RECEIPT placeholder, resolved once per script prefix (the intake is hot)."""
    return reverse("public:status", args=["RECEIPT"])


def _rate_limited(response: HttpResponse, exc: RateLimited) -> Status:
    response["Retry-After"] = str(exc.retry_after)
    return Status(429, exc.as_dict())


@router.post(
    "/public/reports",
    auth=None,
    response={201: ReceiptOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="File a public report (no login; Idempotency-Key required)",
)
def create_public_report(
    request: HttpRequest,
    response: HttpResponse,
    payload: PublicReportIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    try:
        key = check_key(idempotency_key)
    except ValidationFailed as exc:
        return Status(400, exc.as_dict())
    report = intake.PublicReport(
        category=payload.category.value,
        description=payload.description,
        occurred_at=_aware(payload.occurred_at),
        lat=payload.lat,
        lng=payload.lng,
        desa_id=payload.desa_id,
        tps_number=payload.tps_number,
        place=payload.place,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        consent=payload.consent,
    )
    try:
        receipt = intake.submit_public_report(
            report=report, idempotency_key=str(key), client=client_ip(request)
        )
    except RateLimited as exc:
        return _rate_limited(response, exc)
    if receipt.replayed:
        response["Idempotent-Replayed"] = "true"
    body = {
        **receipt.body(),
        "status_url": _status_url(get_script_prefix()).replace("RECEIPT", receipt.receipt),
    }
    return Status(201, body)


@router.get(
    "/public/reports/{receipt}",
    auth=None,
    response={200: PublicStatusOut, 404: ErrorOut, 429: ErrorOut},
    summary="Public status of a report by its receipt code",
)
def get_public_report(request: HttpRequest, response: HttpResponse, receipt: str) -> Status:
    try:
        intake.check_lookup_rate(client_ip(request))
    except RateLimited as exc:
        return _rate_limited(response, exc)
    return Status(200, intake.public_status(receipt))
