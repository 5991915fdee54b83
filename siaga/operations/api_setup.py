"""Set-up API (mounted by `siaga.operations.api`): calendar and pattern templates, new elections and
operations, copying a pattern template. The same services as the pages and the `siaga` commands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from siaga.accounts.roles import can
from siaga.core.errors import NotFound, PermissionDenied
from siaga.operations import reference, selectors, services, setup
from siaga.operations.models import Election
from siaga.territory.models import PoliceUnit

router = Router(tags=["persiapan / set-up"])


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Peran Anda tidak boleh melakukan ini")


def _polres(request: HttpRequest, polres_id: int | None) -> PoliceUnit:
    units = list(selectors.polres_for(request.user))
    polres = next(
        (u for u in units if u.pk == polres_id), units[0] if len(units) == 1 and polres_id is None else None
    )
    if polres is None:
        raise NotFound("Polres tidak ditemukan")
    return polres


class CalendarTemplateOut(Schema):
    key: str
    title: str
    kind: str
    regulation: str
    voting_on: dt.date
    stages: int


class PatternLineOut(Schema):
    category: str
    name: str
    police: int
    tps: int
    linmas: int
    tni: int


class PatternTemplateOut(Schema):
    key: str
    title: str
    source: str
    lines: list[PatternLineOut]


class ElectionIn(Schema):
    slug: str = Field(..., pattern=r"^[a-z0-9-]{1,40}$")
    name: str = Field(..., min_length=1, max_length=150)
    kind: str = Field(..., pattern=r"^(pemilu|pilkada)$")
    voting_day: dt.date
    calendar: str | None = Field(None, description="calendar template key; omitted: the kind's; '': none")
    max_voters_per_tps: int | None = Field(None, ge=1, le=2000)


class ElectionOut(Schema):
    slug: str
    name: str
    kind: str
    voting_day: dt.date = Field(..., alias="voting_on")
    max_voters_per_tps: int
    stages: int

    @staticmethod
    def resolve_stages(obj: Election) -> int:
        return obj.stages.count()


class OperationIn(Schema):
    slug: str = Field(..., pattern=r"^[a-z0-9-]{1,60}$")
    name: str = Field(..., min_length=1, max_length=150)
    election: str
    starts_on: dt.date
    ends_on: dt.date
    polres_id: int | None = None
    police_available: int | None = Field(None, ge=0)
    with_satgas: bool = True


class OperationCreatedOut(Schema):
    slug: str
    name: str
    election: str = Field(..., alias="election.slug")
    polres: str = Field(..., alias="polres.code")
    starts_on: dt.date
    ends_on: dt.date
    satgas: int

    @staticmethod
    def resolve_satgas(obj: Any) -> int:
        return int(obj.satgas.count())


class ApplyTemplateIn(Schema):
    election: str
    polres_id: int | None = None


class AppliedPatternOut(Schema):
    id: int
    category: str = Field(..., alias="category.code")
    name: str
    police: int
    tps: int
    linmas: int
    tni: int
    is_default: bool


@router.get(
    "/calendar-templates", response=list[CalendarTemplateOut], summary="PKPU stage calendar templates"
)
def list_calendar_templates(request: HttpRequest) -> list[dict[str, Any]]:
    _require(request, "view_operations")
    return [
        {
            "key": t.key,
            "title": t.title,
            "kind": t.kind,
            "regulation": t.regulation,
            "voting_on": t.voting_on,
            "stages": len(t.stages),
        }
        for t in reference.CALENDAR_TEMPLATES
    ]


@router.get("/pattern-templates", response=list[PatternTemplateOut], summary="Published security patterns")
def list_pattern_templates(request: HttpRequest) -> list[dict[str, Any]]:
    _require(request, "view_operations")
    return [
        {"key": t.key, "title": t.title, "source": t.source, "lines": [vars(line) for line in t.lines]}
        for t in setup.pattern_templates()
    ]


@router.get("/elections", response=list[ElectionOut], summary="Elections")
def list_elections(request: HttpRequest) -> Any:
    _require(request, "view_operations")
    return list(selectors.elections().prefetch_related("stages"))


@router.post(
    "/elections", response={201: ElectionOut}, summary="Create an election from a PKPU calendar template"
)
def create_election(request: HttpRequest, payload: ElectionIn) -> Any:
    _require(request, "manage_operations")
    election = setup.create_election(
        actor=request.user,
        slug=payload.slug,
        name=payload.name,
        kind=payload.kind,
        voting_on=payload.voting_day,
        calendar=payload.calendar,
        max_voters_per_tps=payload.max_voters_per_tps,
        polres=selectors.polres_for(request.user).order_by("id").first(),
    )
    return 201, election


def create_operation(request: HttpRequest, payload: OperationIn) -> Any:
    """POST /operations, registered on the main operations router (next to GET /operations: Django
    resolves a path once, so both methods must live in the same router)."""
    _require(request, "manage_operations")
    operation = setup.create_operation(
        actor=request.user,
        slug=payload.slug,
        name=payload.name,
        election=services.get_election(payload.election),
        polres=_polres(request, payload.polres_id),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        police_available=payload.police_available,
        with_satgas=payload.with_satgas,
    )
    return 201, operation


@router.post(
    "/pattern-templates/{key}/apply",
    response=list[AppliedPatternOut],
    summary="Copy a published pattern into your Polres and an election",
)
def apply_pattern_template(request: HttpRequest, key: str, payload: ApplyTemplateIn) -> Any:
    _require(request, "manage_operations")
    return services.copy_pattern_template(
        actor=request.user,
        key=key,
        polres=_polres(request, payload.polres_id),
        election=services.get_election(payload.election),
    )
