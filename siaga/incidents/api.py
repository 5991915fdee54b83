"""Incidents API for field apps, the Posko and partners. Writes need an Idempotency-Key.

Partner viewers get the same list with coarsened positions and without description or place: reporter
identity is never in any response here except `GET /incidents/{id}/reporter`, which is audited.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Header, Router, Schema, Status
from ninja.pagination import paginate

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.api.fields import PlausibleDateTime
from siaga.api.pagination import Pagination
from siaga.core.errors import PermissionDenied
from siaga.incidents import selectors, services
from siaga.incidents.idempotency import MAX_KEY_LENGTH, check_key, run_once
from siaga.incidents.models import Category, Incident, ResponseUnit, Source
from siaga.incidents.rules import coarsen
from siaga.patrols.photos import decode_data_url

router = Router(tags=["kejadian / incidents"])

CategoryCode = Enum("CategoryCode", {c: c for c in Category.values}, type=str)  # type: ignore[misc]
InternalSource = Enum(  # type: ignore[misc]
    "InternalSource", {s: s for s in Source.values if s != Source.PUBLIC}, type=str
)


class IncidentOut(Schema):
    id: int
    receipt: str
    source: str
    category: str
    description: str | None = Field(None, description="Kosong untuk mitra / withheld from partners")
    place: str | None = None
    occurred_at: dt.datetime
    reported_at: dt.datetime
    lat: float | None
    lng: float | None
    location_coarsened: bool
    kecamatan_id: int | None
    kecamatan_name: str | None
    status: str
    priority: int
    referral: str
    dispatched_at: dt.datetime | None
    on_scene_at: dt.datetime | None
    resolved_at: dt.datetime | None
    handled_by: str | None = None
    is_synthetic: bool


class ReporterOut(Schema):
    name: str
    phone: str
    email: str
    consented_at: dt.datetime | None


class IncidentIn(Schema):
    source: InternalSource = Field(InternalSource("field"))  # type: ignore[valid-type]
    category: CategoryCode  # type: ignore[valid-type]
    description: str = Field(..., min_length=10, max_length=4000)
    occurred_at: PlausibleDateTime
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    desa_id: int | None = None
    tps_id: int | None = None
    place: str = Field("", max_length=200)
    priority: int | None = Field(None, ge=1, le=4)
    reporter_name: str = Field("", max_length=150)
    reporter_phone: str = Field("", max_length=40)
    # Photos as data URLs (`data:image/jpeg;base64,...`): the field app's outbox keeps them as text offline.
    photos: list[str] = Field(default_factory=list, max_length=5)


class TransitionIn(Schema):
    to: str
    note: str = Field("", max_length=500)
    duplicate_of: int | None = None


class DispatchIn(Schema):
    unit_id: int


class UnitStatusIn(Schema):
    status: str
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class PositionIn(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)


class UnitOut(Schema):
    id: int
    call_sign: str
    name: str
    kind: str
    status: str
    lat: float | None
    lng: float | None
    position_at: dt.datetime | None
    current_incident: str | None


class RecommendationOut(Schema):
    unit_id: int
    call_sign: str
    distance_km: float
    eta_minutes: float


class RecommendationsOut(Schema):
    units: list[RecommendationOut]
    held_back: dict[str, str]


class DispatchOut(Schema):
    id: int
    incident: str
    unit: str
    dispatched_at: dt.datetime


def incident_dict(incident: Incident, *, partner: bool) -> dict[str, Any]:
    """The API view of an incident. Partners get coarsened positions and no free text."""
    return {
        "id": incident.pk,
        "receipt": incident.receipt,
        "source": incident.source,
        "category": incident.category,
        "description": None if partner else incident.description,
        "place": None if partner else incident.place,
        "occurred_at": incident.occurred_at,
        "reported_at": incident.reported_at,
        "lat": coarsen(incident.lat) if partner else incident.lat,
        "lng": coarsen(incident.lng) if partner else incident.lng,
        "location_coarsened": partner,
        "kecamatan_id": incident.kecamatan_id,
        "kecamatan_name": incident.kecamatan.name if incident.kecamatan else None,
        "status": incident.status,
        "priority": incident.priority,
        "referral": incident.referral,
        "dispatched_at": incident.dispatched_at,
        "on_scene_at": incident.on_scene_at,
        "resolved_at": incident.resolved_at,
        "handled_by": None if partner or not incident.handler else incident.handler.get_username(),
        "is_synthetic": incident.is_synthetic,
    }


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Peran Anda tidak boleh melakukan ini")


def _is_partner(request: HttpRequest) -> bool:
    return scope_for(request.user).is_partner


def _replayed(response: HttpResponse, status: int, body: Any, replayed: bool) -> Status:
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(status, body)


@router.get(
    "/incidents", response=list[IncidentOut], summary="Incidents in your jurisdiction, most urgent first"
)
@paginate(Pagination)
def list_incidents(request: HttpRequest, status: str = "", category: str = "", open_only: bool = False):  # type: ignore[no-untyped-def]
    qs = selectors.incidents_for(request.user, status=status, category=category, open_only=open_only)
    partner = _is_partner(request)
    return _LazyDicts(qs, partner)


class _LazyDicts:
    """Let the paginator count and slice the queryset, then turn only that page into dicts."""

    def __init__(self, qs: Any, partner: bool):
        self.qs, self.partner = qs, partner

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [incident_dict(i, partner=self.partner) for i in self.qs[item]]


@router.get("/incidents/{incident_id}", response=IncidentOut, summary="One incident")
def get_incident(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    return incident_dict(selectors.access_incident(request.user, incident_id), partner=_is_partner(request))


@router.get(
    "/incidents/{incident_id}/reporter",
    response={200: ReporterOut, 204: None},
    summary="Reporter identity (audited)",
)
def get_reporter(request: HttpRequest, incident_id: int) -> Status:
    incident = selectors.access_incident(request.user, incident_id)
    contact = services.reveal_reporter(actor=request.user, incident=incident)
    if contact is None:
        return Status(204, None)
    return Status(200, contact)


@router.post(
    "/incidents", response={201: IncidentOut, 200: IncidentOut}, summary="Record an incident (Posko or field)"
)
def create_incident(
    request: HttpRequest,
    response: HttpResponse,
    payload: IncidentIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    _require(request, "report_incidents")
    key = check_key(idempotency_key)
    data = services.IncidentData(
        source=payload.source.value,
        category=payload.category.value,
        description=payload.description,
        occurred_at=timezone.make_aware(payload.occurred_at)
        if timezone.is_naive(payload.occurred_at)
        else payload.occurred_at,
        lat=payload.lat,
        lng=payload.lng,
        desa_id=payload.desa_id,
        tps_id=payload.tps_id,
        place=payload.place,
        priority=payload.priority,
        reporter=services.ReporterData(
            name=payload.reporter_name, phone=payload.reporter_phone, consented=True
        ),
    )
    incident, created = services.create_incident_once(
        actor=request.user,
        data=data,
        client_key=f"u{request.user.pk}:{key}",
        request_fingerprint=services.fingerprint(payload.dict()),
        photo_files=[decode_data_url(p) for p in payload.photos],
    )
    incident = Incident.objects.select_related("kecamatan", "handler").get(pk=incident.pk)
    return _replayed(response, 201, incident_dict(incident, partner=False), not created)


@router.post(
    "/incidents/{incident_id}/transitions", response=IncidentOut, summary="Move an incident to another state"
)
def transition(
    request: HttpRequest,
    response: HttpResponse,
    incident_id: int,
    payload: TransitionIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    _require(request, "triage_incidents")
    key = check_key(idempotency_key)
    incident = selectors.access_incident(request.user, incident_id)

    def work() -> tuple[int, Any]:
        original = (
            selectors.access_incident(request.user, payload.duplicate_of) if payload.duplicate_of else None
        )
        done = services.transition_incident(
            actor=request.user, incident=incident, to=payload.to, note=payload.note, duplicate_of=original
        )
        return 200, IncidentOut(**incident_dict(done, partner=False)).model_dump(mode="json")

    status, body, replayed = run_once(
        scope=f"u{request.user.pk}:transition:{incident_id}", key=str(key), payload=payload.dict(), work=work
    )
    return _replayed(response, status, body, replayed)


@router.get(
    "/incidents/{incident_id}/recommendations", response=RecommendationsOut, summary="Nearest available units"
)
def recommendations(request: HttpRequest, incident_id: int, k: int = 5) -> dict[str, Any]:
    _require(request, "dispatch_units")
    incident = selectors.access_incident(request.user, incident_id)
    rec = selectors.recommend_units(request.user, incident, k=min(max(k, 1), 20))
    return {
        "units": [
            {
                "unit_id": r.unit.pk,
                "call_sign": r.unit.call_sign,
                "distance_km": r.distance_km,
                "eta_minutes": r.eta_minutes,
            }
            for r in rec.units
        ],
        "held_back": rec.held_back,
    }


@router.post(
    "/incidents/{incident_id}/dispatches", response={201: DispatchOut}, summary="Send a unit (409 if taken)"
)
def dispatch(
    request: HttpRequest,
    response: HttpResponse,
    incident_id: int,
    payload: DispatchIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    _require(request, "dispatch_units")
    key = check_key(idempotency_key)
    incident = selectors.access_incident(request.user, incident_id)
    unit = selectors.access_unit(request.user, payload.unit_id)

    def work() -> tuple[int, Any]:
        d = services.dispatch_unit(actor=request.user, incident=incident, unit=unit)
        return 201, {
            "id": d.pk,
            "incident": incident.receipt,
            "unit": unit.call_sign,
            "dispatched_at": d.dispatched_at.isoformat(),
        }

    status, body, replayed = run_once(
        scope=f"u{request.user.pk}:dispatch:{incident_id}", key=str(key), payload=payload.dict(), work=work
    )
    return _replayed(response, status, body, replayed)


def unit_dict(unit: ResponseUnit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "call_sign": unit.call_sign,
        "name": unit.name,
        "kind": unit.kind,
        "status": unit.status,
        "lat": unit.lat,
        "lng": unit.lng,
        "position_at": unit.position_at,
        "current_incident": unit.current_incident.receipt if unit.current_incident else None,
    }


@router.get("/units", response=list[UnitOut], summary="Response units in your jurisdiction")
@paginate(Pagination)
def list_units(request: HttpRequest, status: str = ""):  # type: ignore[no-untyped-def]
    return _LazyUnits(selectors.units_for(request.user, status=status))


class _LazyUnits:
    def __init__(self, qs: Any):
        self.qs = qs

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [unit_dict(u) for u in self.qs[item]]


@router.post(
    "/units/{unit_id}/status", response=UnitOut, summary="A unit reports its status (en route, on scene...)"
)
def unit_status(
    request: HttpRequest,
    response: HttpResponse,
    unit_id: int,
    payload: UnitStatusIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=MAX_KEY_LENGTH),
) -> Status:
    _require(request, "update_unit_status")
    key = check_key(idempotency_key)
    unit = selectors.access_unit(request.user, unit_id)

    def work() -> tuple[int, Any]:
        done = services.set_unit_status(
            actor=request.user, unit=unit, status=payload.status, lat=payload.lat, lng=payload.lng
        )
        body = unit_dict(done)
        body["position_at"] = body["position_at"].isoformat() if body["position_at"] else None
        return 200, body

    status, body, replayed = run_once(
        scope=f"u{request.user.pk}:unit:{unit_id}", key=str(key), payload=payload.dict(), work=work
    )
    return _replayed(response, status, body, replayed)


@router.post("/units/{unit_id}/position", response=UnitOut, summary="A position fix (idempotent by nature)")
def unit_position(request: HttpRequest, unit_id: int, payload: PositionIn) -> dict[str, Any]:
    _require(request, "update_unit_status")
    unit = selectors.access_unit(request.user, unit_id)
    return unit_dict(
        services.update_unit_position(actor=request.user, unit=unit, lat=payload.lat, lng=payload.lng)
    )
