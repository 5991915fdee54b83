"""Polda API (issue 20): the Polda a caller may look at and the Polda board, a row per Polres."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema

from siaga.accounts.roles import can
from siaga.core.errors import PermissionDenied
from siaga.polda import selectors
from siaga.sites import selectors as site_selectors
from siaga.territory.models import PoliceUnit

router = Router(tags=["polda"])


class PoldaOut(Schema):
    id: int
    code: str
    name: str
    polres: int


class PolresRowOut(Schema):
    id: int
    code: str
    name: str
    kabupaten: str
    personnel: int
    tps: int
    tps_covered: int
    coverage_percent: float | None
    plan_id: int | None
    plan_version: int | None
    plan_status: str | None
    plan_valid: bool | None
    sprin_number: str
    run_status: str | None
    incidents_open: int
    incidents_p1: int
    incidents_24h: int
    alerts_open: int
    lapsit: str | None
    needs_attention: bool


class BoardOut(Schema):
    polda: PoldaOut
    election: str | None
    totals: dict[str, Any]
    rows: list[PolresRowOut]


def _need(request: HttpRequest) -> None:
    if not can(request.user, "view_polda_board"):
        raise PermissionDenied("Peran Anda tidak boleh melihat ini / Your role may not see this")


def _row_out(r: selectors.PolresRow) -> dict[str, Any]:
    plan, run = r.plan, r.run
    return {
        "id": r.polres.pk,
        "code": r.polres.code,
        "name": r.polres.name,
        "kabupaten": r.polres.kabupaten.name if r.polres.kabupaten else "",
        "personnel": r.personnel,
        "tps": r.tps,
        "tps_covered": r.tps_covered,
        "coverage_percent": r.coverage_percent,
        "plan_id": plan.pk if plan else None,
        "plan_version": plan.version if plan else None,
        "plan_status": plan.status if plan else None,
        "plan_valid": plan.is_valid if plan else None,
        "sprin_number": plan.sprin_number if plan else "",
        "run_status": run.status if run else None,
        "incidents_open": r.incidents_open,
        "incidents_p1": r.incidents_p1,
        "incidents_24h": r.incidents_24h,
        "alerts_open": r.alerts_open,
        "lapsit": r.lapsit.label if r.lapsit else None,
        "needs_attention": r.needs_attention,
    }


@router.get("/polda", response=list[PoldaOut])
def list_polda(request: HttpRequest) -> Any:
    _need(request)
    return [
        {"id": p.pk, "code": p.code, "name": p.name, "polres": p.n_polres}
        for p in selectors.poldas_for(request.user).annotate(
            n_polres=Count("children", filter=Q(children__level=PoliceUnit.Level.POLRES))
        )
    ]


@router.get("/polda/{polda_id}/board", response=BoardOut)
def get_board(request: HttpRequest, polda_id: int, election: str = "") -> Any:
    """The Polda board for an election (by slug; default the one nearest today)."""
    _need(request)
    polda = selectors.access_polda(request.user, polda_id)
    chosen = site_selectors.election_or_default(election or None)
    board = selectors.polda_board(request.user, polda, election=chosen)
    return {
        "polda": {"id": polda.pk, "code": polda.code, "name": polda.name, "polres": len(board.rows)},
        "election": chosen.slug if chosen else None,
        "totals": board.totals,
        "rows": [_row_out(r) for r in board.rows],
    }
