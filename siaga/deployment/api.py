"""Deployment API: plans, their teams (paginated), shortfall and the caller's own TPS."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from siaga.accounts.roles import can
from siaga.api.pagination import Pagination
from siaga.core.errors import PermissionDenied
from siaga.deployment import selectors

router = Router(tags=["deployment"])


class PlanOut(Schema):
    id: int
    election: str
    polres: str
    version: int
    status: str
    sprin_number: str
    tps_total: int
    tps_covered: int
    officers_used: int
    total_route_km: float
    max_route_km: float
    is_valid: bool


class TeamOut(Schema):
    code: str
    polsek: str
    category: str
    route_km: float
    officers: list[dict[str, Any]]
    tps: list[dict[str, Any]]
    padal: str | None


def _plan_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "election": p.election.slug,
        "polres": p.polres.code,
        "version": p.version,
        "status": p.status,
        "sprin_number": p.sprin_number,
        "tps_total": p.tps_total,
        "tps_covered": p.tps_covered,
        "officers_used": p.officers_used,
        "total_route_km": p.total_route_km,
        "max_route_km": p.max_route_km,
        "is_valid": p.is_valid,
    }


def _team_out(t: Any) -> dict[str, Any]:
    return {
        "code": t.code,
        "polsek": t.polsek.name,
        "category": t.category.code,
        "route_km": t.route_km,
        "officers": [
            {"nrp": m.personnel.nrp, "name": m.personnel.name, "rank": m.personnel.rank.abbreviation}
            for m in t.members.all()
        ],
        "tps": [
            {
                "order": s.position,
                "id": s.tps_id,
                "code": s.tps.code,
                "desa": s.tps.desa.name,
                "lat": s.tps.lat,
                "lng": s.tps.lng,
            }
            for s in t.stops.all()
        ],
        "padal": t.padal.personnel.nrp if t.padal else None,
    }


def _need(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("Peran Anda tidak boleh melihat ini / Your role may not see this")


@router.get("/deployment/plans", response=list[PlanOut])
@paginate(Pagination)
def list_plans(request: HttpRequest) -> Any:
    _need(request, "view_deployment")
    return [_plan_out(p) for p in selectors.plans_for(request.user)]


@router.get("/deployment/plans/{plan_id}", response=PlanOut)
def get_plan(request: HttpRequest, plan_id: int) -> Any:
    _need(request, "view_deployment")
    return _plan_out(selectors.access_plan(request.user, plan_id))


@router.get("/deployment/plans/{plan_id}/teams", response=list[TeamOut])
@paginate(Pagination)
def list_teams(request: HttpRequest, plan_id: int) -> Any:
    _need(request, "view_deployment")
    plan = selectors.access_plan(request.user, plan_id)
    return [_team_out(t) for t in selectors.teams_for(request.user, plan)]


@router.get("/deployment/my-tps", response=dict[str, Any])
def my_tps(request: HttpRequest) -> Any:
    _need(request, "deployment_duty")
    person, team, padal = selectors.my_assignment(request.user)
    return {
        "nrp": person.nrp if person else None,
        "team": _team_out(team) if team else None,
        "padal_of": padal.polsek.name if padal else None,
    }
