"""Lapsit API: the Lapsit history and its versioned JSON (what a Polda ingests), strength at a glance, the
partner view and Lapsit extract per partner kind, and referral packets with their status."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.api.pagination import Pagination
from siaga.core.errors import NotFound, PermissionDenied
from siaga.lapsit import partners, selectors, services
from siaga.lapsit.glance import strength_glance

router = Router(tags=["lapsit / situation reports"])


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Tidak berwenang / Not allowed")


class LapsitOut(Schema):
    id: int
    number: str
    day: dt.date
    revision: int
    polres: str = Field(..., alias="polres.code")
    trigger: str
    schema_version: int
    digest: str
    generated_at: dt.datetime


class ReferralOut(Schema):
    id: int
    number: str
    receipt: str = Field(..., alias="incident.receipt")
    status: str
    sent_at: dt.datetime
    received_at: dt.datetime | None
    processed_at: dt.datetime | None
    closed_at: dt.datetime | None
    note: str


class ReferralStatusIn(Schema):
    to: str = Field(..., pattern="^(received|processed|closed)$")
    note: str = Field("", max_length=500)


@router.get("/lapsit", response=list[LapsitOut], summary="Stored Lapsits of the user's Polres, newest first")
@paginate(Pagination)
def list_lapsits(request: HttpRequest, day: dt.date | None = None) -> Any:
    _require(request, "view_lapsit")
    qs = selectors.lapsits_for(request.user)
    return qs.filter(day=day) if day else qs


@router.get(
    "/lapsit/{lapsit_id}",
    response=dict[str, Any],
    summary="One Lapsit as versioned JSON (schema siaga.lapsit, version 1): what a Polda ingests",
)
def get_lapsit(request: HttpRequest, lapsit_id: int) -> Any:
    _require(request, "view_lapsit")
    lapsit = selectors.access_lapsit(request.user, lapsit_id)
    services.audit_download(actor=request.user, lapsit=lapsit, fmt="api")
    return lapsit.figures


@router.get(
    "/lapsit/{lapsit_id}/partner",
    response=dict[str, Any],
    summary="The shared Lapsit extract for the caller's partner kind (staff: ?kind=kpu|bawaslu|tni|press)",
)
def get_partner_extract(request: HttpRequest, lapsit_id: int, kind: str = "") -> Any:
    _require(request, "view_partner_view")
    lapsit = selectors.access_partner_lapsit(request.user, lapsit_id)
    partner_kind = selectors.partner_kind_for(request.user, kind)
    return partners.lapsit_extract(partner_kind, lapsit.figures, partners.rules_for(partner_kind))


@router.get(
    "/partner/dashboard",
    response=dict[str, Any],
    summary="The partner dashboard of the caller's partner kind (staff: ?kind=...), redacted by the field rules",
)
def get_partner_dashboard(request: HttpRequest, kind: str = "", polres: str = "") -> Any:
    _require(request, "view_partner_view")
    unit = selectors.polres_of(request.user, polres)
    if unit is None:
        raise NotFound("Polres tidak ditemukan")
    return selectors.partner_dashboard(
        request.user, kind=selectors.partner_kind_for(request.user, kind), polres=unit
    )


@router.get(
    "/strength", response=dict[str, Any], summary="Strength at a glance: Polri, TNI, Linmas per Polsek"
)
def get_strength(request: HttpRequest, polres: str = "") -> Any:
    _require(request, "view_strength")
    unit = selectors.polres_of(request.user, polres)
    if unit is None:
        raise NotFound("Polres tidak ditemukan")
    scope = scope_for(request.user)
    whole = scope.is_unrestricted or getattr(request.user, "police_unit_id", None) == unit.pk
    glance = strength_glance(
        polres=unit, day=timezone.localdate(), kecamatan_ids=None if whole else scope.kecamatan_ids
    )
    body = glance.as_dict()
    if not whole:  # a Polsek sees its own row, not the Polres's sums nor its reserve
        body["total"], body["siaga_check"], body["reserve"] = None, None, None
    return {"polres": unit.code, "day": timezone.localdate().isoformat(), **body}


@router.get("/referrals", response=list[ReferralOut], summary="Referral packets to Bawaslu (Sentra Gakkumdu)")
@paginate(Pagination)
def list_referrals(request: HttpRequest, status: str = "") -> Any:
    _require(request, "view_referrals")
    qs = selectors.referrals_for(request.user)
    return qs.filter(status=status) if status else qs


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="One referral packet's status")
def get_referral(request: HttpRequest, referral_id: int) -> Any:
    _require(request, "view_referrals")
    return selectors.access_referral(request.user, referral_id)


@router.post(
    "/referrals/{referral_id}/status",
    response=ReferralOut,
    summary="Move a referral: received, processed, closed",
)
def move_referral(request: HttpRequest, referral_id: int, payload: ReferralStatusIn) -> Any:
    _require(request, "manage_referrals")
    packet = selectors.access_referral(request.user, referral_id)
    return services.transition_referral(actor=request.user, packet=packet, to=payload.to, note=payload.note)
