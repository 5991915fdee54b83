"""Operations API: stages and today's status, operations with satgas and siaga level, patterns, TPS categories
(confidential; partners get counts), assessments and required strength. Reads are scoped; writes audited."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from siaga.accounts.roles import can
from siaga.api.pagination import Pagination
from siaga.core.errors import NotFound, PermissionDenied, ValidationFailed
from siaga.operations import selectors, services
from siaga.operations.api_setup import OperationCreatedOut, OperationIn, create_operation
from siaga.operations.models import (
    IndicatorSet,
    Operation,
    OperationPhase,
    Satgas,
    SiagaLevelChange,
    TpsCategoryChange,
    VulnerabilityCategory,
)

router = Router(tags=["operasi / operations"])


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Peran Anda tidak boleh melakukan ini")


class StageOut(Schema):
    id: int
    code: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    is_key: bool
    starts_h: str
    ends_h: str


class StagePatch(Schema):
    name: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    notes: str | None = None


class TodayOut(Schema):
    election: str
    day: dt.date
    h_offset: int
    h_label: str
    stage: str | None
    next_stage: str | None
    operation: str | None
    siaga_level: str | None
    siaga_fraction: str | None


class SiagaOut(Schema):
    level: str
    effective_at: dt.datetime
    fraction: str = Field(..., alias="fraction_label")
    reason: str
    reference: str
    decided_by: str = Field(..., alias="decided_by_label")


class SiagaIn(Schema):
    level: str
    reason: str = Field(..., min_length=1)
    effective_at: dt.datetime | None = None
    reference: str = ""
    numerator: int | None = Field(None, ge=0)
    denominator: int | None = Field(None, ge=1)


class SatgasOut(Schema):
    id: int
    kind: str
    name: str
    parent_id: int | None
    commander_name: str
    commander_rank: str


class PhaseOut(Schema):
    kind: str
    starts_on: dt.date
    ends_on: dt.date


class OperationOut(Schema):
    slug: str
    name: str
    kind: str
    election: str = Field(..., alias="election.slug")
    polres: str = Field(..., alias="polres.name")
    starts_on: dt.date
    ends_on: dt.date
    days: int
    police_available: int | None


class OperationDetailOut(OperationOut):
    phases: list[PhaseOut]
    satgas: list[SatgasOut]
    siaga_history: list[SiagaOut]

    @staticmethod
    def resolve_phases(obj: Operation) -> list[OperationPhase]:
        return list(obj.phases.all())

    @staticmethod
    def resolve_satgas(obj: Operation) -> list[Satgas]:
        return list(obj.satgas.all())

    @staticmethod
    def resolve_siaga_history(obj: Operation) -> list[SiagaLevelChange]:
        return selectors.siaga_history(obj)


class PatternOut(Schema):
    id: int
    polres_id: int
    election: str = Field(..., alias="election.slug")
    category: str = Field(..., alias="category.code")
    name: str
    police: int
    tps: int
    linmas: int
    tni: int
    is_default: bool
    body_system_override_reason: str


class PatternIn(Schema):
    polres_id: int | None = None
    election: str | None = None
    category: str | None = None
    name: str | None = None
    police: int | None = Field(None, ge=0, le=100)
    tps: int | None = Field(None, ge=1, le=1000)
    linmas: int | None = Field(None, ge=0, le=1000)
    tni: int | None = Field(None, ge=0, le=1000)
    is_default: bool | None = None
    body_system_override_reason: str | None = None


class CategoryCount(Schema):
    code: str
    label: str
    color: str
    count: int


class TpsCategoryOut(Schema):
    tps_id: int = Field(..., alias="pk")
    code: str
    kecamatan: str = Field(..., alias="kecamatan.name")
    desa: str = Field(..., alias="desa.name")
    category: str | None = None
    pattern: str | None = None
    justification: str | None = None

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        v = getattr(obj, "vulnerability", None)
        return v.category.code if v else None

    @staticmethod
    def resolve_pattern(obj: Any) -> str | None:
        v = getattr(obj, "vulnerability", None)
        return v.pattern.name if v and v.pattern else None

    @staticmethod
    def resolve_justification(obj: Any) -> str | None:
        v = getattr(obj, "vulnerability", None)
        return v.justification if v else None


class DecisionIn(Schema):
    category: str
    justification: str = Field(..., min_length=1)
    pattern_id: int | None = None


class BulkDecisionIn(Schema):
    election: str
    tps_ids: list[int] = Field(..., min_length=1, max_length=20000)
    category: str
    justification: str = Field(..., min_length=1)


class AssessmentIn(Schema):
    indicator_set: str
    values: dict[str, int]
    assessed_on: dt.date
    evidence: str = ""


class AssessmentOut(Schema):
    id: int
    tps_id: int
    indicator_set: str = Field(..., alias="indicator_set.slug")
    assessed_on: dt.date
    score: int
    proposed_category: str = Field(..., alias="proposed_category.code")
    explanation: str


class UnitNeed(Schema):
    unit_id: int
    unit: str
    tps: int
    groups: int
    police_required: int
    linmas_required: int
    tni_required: int
    tps_by_category: dict[str, int]


class StrengthOut(Schema):
    election: str
    tps: int
    groups: int
    police_required: int
    linmas_required: int
    tni_required: int
    police_available: int
    police_available_known: bool
    police_available_source: str
    shortfall: int | None
    tps_uncategorised: int
    tps_without_pattern: int
    by_polsek: list[UnitNeed]


def _category(code: str) -> VulnerabilityCategory:
    category = VulnerabilityCategory.objects.filter(code=code).first()
    if category is None:
        raise ValidationFailed("Kategori tidak dikenal / Unknown category", fields={"category": [code]})
    return category


@router.get(
    "/elections/{slug}/stages", response=list[StageOut], summary="Stage calendar of an election, with H-days"
)
def list_stages(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    election = services.get_election(slug)
    from siaga.operations.calendar import h_label_for

    return [
        {
            "id": s.pk,
            "code": s.code,
            "name": s.name,
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
            "is_key": s.is_key,
            "starts_h": h_label_for(s.starts_on, election.voting_on),
            "ends_h": h_label_for(s.ends_on, election.voting_on),
        }
        for s in selectors.stages_of(election)
    ]


@router.patch("/stages/{stage_id}", response=StageOut, summary="Edit a stage's dates (plenos slip)")
def patch_stage(request: HttpRequest, stage_id: int, payload: StagePatch) -> dict[str, Any]:
    _require(request, "manage_operations")
    stage = selectors.access_stage(request.user, stage_id)
    services.update_stage(actor=request.user, stage=stage, data=payload.dict(exclude_unset=True))
    from siaga.operations.calendar import h_label_for

    v = stage.election.voting_on
    return {
        "id": stage.pk,
        "code": stage.code,
        "name": stage.name,
        "starts_on": stage.starts_on,
        "ends_on": stage.ends_on,
        "is_key": stage.is_key,
        "starts_h": h_label_for(stage.starts_on, v),
        "ends_h": h_label_for(stage.ends_on, v),
    }


@router.get(
    "/elections/{slug}/today",
    response=TodayOut,
    summary="Stage, H-day and siaga level on a date (default today)",
)
def election_today(request: HttpRequest, slug: str, day: dt.date | None = None) -> dict[str, Any]:
    election = services.get_election(slug)
    st = selectors.today_status(request.user, election, day)
    return {
        "election": election.slug,
        "day": st.day,
        "h_offset": st.h_offset,
        "h_label": st.h_label,
        "stage": st.stage.code if st.stage else None,
        "next_stage": st.next_stage.code if st.next_stage else None,
        "operation": st.operation.slug if st.operation else None,
        "siaga_level": st.siaga.level if st.siaga else None,
        "siaga_fraction": st.siaga.fraction_label if st.siaga else None,
    }


@router.get("/operations", response=list[OperationOut], summary="Operations in your jurisdiction")
def list_operations(request: HttpRequest) -> Any:
    _require(request, "view_operations")
    return list(selectors.operations_for(request.user))


@router.post("/operations", response={201: OperationCreatedOut}, summary="Create the Polres's operation")
def post_operation(request: HttpRequest, payload: OperationIn) -> Any:
    return create_operation(request, payload)


@router.get(
    "/operations/{slug}",
    response=OperationDetailOut,
    summary="An operation with phases, satgas and siaga history",
)
def get_operation(request: HttpRequest, slug: str) -> Any:
    _require(request, "view_operations")
    return selectors.access_operation(request.user, slug)


@router.post(
    "/operations/{slug}/siaga-level", response={201: SiagaOut}, summary="Record a siaga level change"
)
def post_siaga(request: HttpRequest, slug: str, payload: SiagaIn) -> Any:
    _require(request, "manage_operations")
    op = selectors.access_operation(request.user, slug)
    fraction = (
        Fraction(payload.numerator, payload.denominator)
        if payload.numerator is not None and payload.denominator
        else None
    )
    change = services.set_siaga_level(
        actor=request.user,
        operation=op,
        level=payload.level,
        reason=payload.reason,
        effective_at=payload.effective_at,
        reference_text=payload.reference,
        fraction=fraction,
    )
    return 201, change


@router.get(
    "/security-patterns", response=list[PatternOut], summary="Security patterns of an election (your Polres)"
)
def list_patterns(request: HttpRequest, election: str) -> Any:
    _require(request, "view_operations")
    return list(selectors.patterns_for(request.user, election=services.get_election(election)))


@router.post("/security-patterns", response={201: PatternOut}, summary="Create a (sub-)pattern")
def create_pattern(request: HttpRequest, payload: PatternIn) -> Any:
    _require(request, "manage_operations")
    if payload.election is None or payload.category is None or payload.police is None or payload.tps is None:
        raise ValidationFailed("election, category, police dan tps wajib / are required")
    election = services.get_election(payload.election)
    units = list(selectors.polres_for(request.user))
    polres = next(
        (u for u in units if u.pk == payload.polres_id),
        units[0] if len(units) == 1 and payload.polres_id is None else None,
    )
    if polres is None:
        raise NotFound("Polres tidak ditemukan")
    data = payload.dict(exclude_unset=True, exclude={"polres_id", "election"})
    data["category"] = _category(payload.category)
    return 201, services.save_pattern(actor=request.user, polres=polres, election=election, data=data)


@router.patch("/security-patterns/{pattern_id}", response=PatternOut, summary="Edit a (sub-)pattern")
def patch_pattern(request: HttpRequest, pattern_id: int, payload: PatternIn) -> Any:
    _require(request, "manage_operations")
    pattern = selectors.access_pattern(request.user, pattern_id)
    data = payload.dict(exclude_unset=True, exclude={"polres_id", "election"})
    if "category" in data:
        data["category"] = _category(data["category"])
    return services.save_pattern(
        actor=request.user, polres=pattern.polres, election=pattern.election, data=data, pattern=pattern
    )


@router.get(
    "/tps-category-counts", response=list[CategoryCount], summary="TPS counts per category (partners too)"
)
def category_counts(request: HttpRequest, election: str) -> Any:
    if not (can(request.user, "view_operations") or can(request.user, "view_sites")):
        raise PermissionDenied("Peran Anda tidak boleh melakukan ini")
    return selectors.category_counts(request.user, election=services.get_election(election))


@router.get(
    "/tps-categories", response=list[TpsCategoryOut], summary="TPS with their category (confidential)"
)
@paginate(Pagination)
def list_tps_categories(
    request: HttpRequest, election: str, kecamatan: int | None = None, category: str = "", q: str = ""
) -> Any:  # type: ignore[no-untyped-def]
    el = services.get_election(election)
    cat_id = _category(category).pk if category else None
    return selectors.tps_with_categories(
        request.user, election=el, kecamatan_id=kecamatan, category_id=cat_id, search=q
    )


# `int:` so that "/tps-categories/bulk" is not taken for a TPS id (that route answered every bulk POST with 405).
@router.put(
    "/tps-categories/{int:tps_id}",
    response=TpsCategoryOut,
    summary="Decide a TPS's category with a justification",
)
def put_tps_category(request: HttpRequest, tps_id: int, payload: DecisionIn) -> Any:
    _require(request, "manage_operations")
    tps = selectors.access_tps(request.user, tps_id)
    pattern = None
    if payload.pattern_id:
        pattern = selectors.access_pattern(request.user, payload.pattern_id)
    services.decide_category(
        actor=request.user,
        tps=tps,
        category=_category(payload.category),
        justification=payload.justification,
        pattern=pattern,
        source=TpsCategoryChange.Source.API,
    )
    return selectors.access_tps(request.user, tps_id)


@router.post("/tps-categories/bulk", summary="Set one category for many TPS (from the list or the map)")
def bulk_tps_category(request: HttpRequest, payload: BulkDecisionIn) -> dict[str, int]:
    _require(request, "manage_operations")
    election = services.get_election(payload.election)
    tps_list = list(
        selectors.tps_with_categories(request.user, election=election).filter(pk__in=payload.tps_ids)
    )
    if len(tps_list) != len(set(payload.tps_ids)):
        raise NotFound("Sebagian TPS tidak ditemukan / Some TPS were not found")
    changed = services.bulk_decide_categories(
        actor=request.user,
        tps_list=tps_list,
        category=_category(payload.category),
        justification=payload.justification,
        source=TpsCategoryChange.Source.API,
    )
    return {"changed": changed, "selected": len(tps_list)}


@router.post(
    "/tps/{tps_id}/assessments",
    response={201: AssessmentOut},
    summary="Record an assessment; it proposes a category",
)
def post_assessment(request: HttpRequest, tps_id: int, payload: AssessmentIn) -> Any:
    _require(request, "manage_operations")
    tps = selectors.access_tps(request.user, tps_id)
    ind_set = IndicatorSet.objects.filter(slug=payload.indicator_set).order_by("-version").first()
    if ind_set is None:
        raise ValidationFailed(
            "Set indikator tidak dikenal / Unknown indicator set",
            fields={"indicator_set": [payload.indicator_set]},
        )
    a = services.record_assessment(
        actor=request.user,
        tps=tps,
        indicator_set=ind_set,
        values=payload.values,
        assessed_on=payload.assessed_on,
        evidence=payload.evidence,
    )
    return 201, a


@router.get(
    "/required-strength",
    response=StrengthOut,
    summary="Required police, Linmas and TNI for your jurisdiction",
)
def required_strength(request: HttpRequest, election: str) -> dict[str, Any]:
    _require(request, "view_operations")
    report = selectors.required_strength(request.user, election=services.get_election(election))
    total = report.result.total
    by_polsek = []
    for row in report.unit_rows():
        n = row["need"]
        by_polsek.append(
            {
                "unit_id": row["unit"].pk,
                "unit": row["unit"].name,
                "tps": n.tps,
                "groups": n.groups,
                "police_required": n.police,
                "linmas_required": n.linmas,
                "tni_required": n.tni,
                "tps_by_category": {k: v for k, v in row["counts"].items() if v},
            }
        )
    return {
        "election": report.election.slug,
        "tps": total.tps,
        "groups": total.groups,
        "police_required": total.police,
        "linmas_required": total.linmas,
        "tni_required": total.tni,
        "police_available": report.police_available or 0,
        "police_available_known": report.police_available is not None,
        "police_available_source": report.available_source,
        "shortfall": report.shortfall,
        "tps_uncategorised": report.result.tps_uncategorised,
        "tps_without_pattern": report.result.tps_without_pattern,
        "by_polsek": by_polsek,
    }


# The set-up endpoints (templates, new elections and operations) live in their own module for size.
from siaga.operations.api_setup import router as _setup_router  # noqa: E402

router.add_router("", _setup_router)
