"""Reads for PAM TPS deployment: plans and their rows filtered by jurisdiction, the solver instance built from
the database (TPS with category and pattern, available officers, Polsek stations), and a plan as solver data.

Jurisdiction: a plan belongs to a Polres; a Polres account sees all of it, a Polsek account the plans of its
Polres but only the teams, Padal and shortfall rows of its own Polsek.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound, ValidationFailed
from siaga.core.models import Job
from siaga.deployment.models import (
    DeploymentPlan,
    OfficerAccount,
    Padal,
    PlanningRun,
    ShortfallRow,
    Team,
    TeamMember,
    TeamTps,
)
from siaga.operations.models import Election, SecurityPattern, VulnerabilityCategory
from siaga.operations.selectors import unit_for_kecamatan
from siaga.optimization import deployment as engine
from siaga.personnel.models import Personnel, Rank
from siaga.sites.models import Tps
from siaga.territory.models import Kecamatan, PoliceUnit

# --- plans -------------------------------------------------------------------------------------------------


def polres_for(user: Any) -> QuerySet[PoliceUnit]:
    scope = scope_for(user)
    qs = PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES).select_related("kabupaten")
    if not scope.is_unrestricted:
        kabupaten_ids = Kecamatan.objects.filter(id__in=scope.kecamatan_ids or ()).values("kabupaten_id")
        qs = qs.filter(kabupaten_id__in=kabupaten_ids)
    return qs


def plans_for(user: Any, *, election: Election | None = None, status: str = "") -> QuerySet[DeploymentPlan]:
    if not can(user, "view_deployment"):
        return DeploymentPlan.objects.none()
    qs = DeploymentPlan.objects.filter(polres__in=polres_for(user)).select_related(
        "election", "polres", "created_by"
    )
    if election is not None:
        qs = qs.filter(election=election)
    if status:
        qs = qs.filter(status=status)
    return qs


def access_plan(user: Any, pk: int) -> DeploymentPlan:
    plan = plans_for(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound(_("Rencana tidak ditemukan / Plan not found"))
    return plan


def _stops() -> QuerySet[TeamTps]:
    # Desa and kecamatan boundaries are large polygons: never load them for lists.
    return (
        TeamTps.objects.select_related("tps__desa", "tps__kecamatan")
        .defer("tps__desa__boundary", "tps__kecamatan__boundary")
        .order_by("position")
    )


def _scoped_polsek(user: Any, qs: QuerySet[Any], path: str = "polsek") -> QuerySet[Any]:
    scope = scope_for(user)
    if scope.is_unrestricted:
        return qs
    return qs.filter(**{f"{path}__jurisdiction__in": list(scope.kecamatan_ids or ())}).distinct()


def teams_for(
    user: Any, plan: DeploymentPlan, *, polsek_id: int | None = None, search: str = ""
) -> QuerySet[Team]:
    """Teams with members (rank), TPS in visiting order (desa) and Padal, without N+1."""
    qs = _scoped_polsek(user, Team.objects.filter(plan=plan))
    if polsek_id:
        qs = qs.filter(polsek_id=polsek_id)
    if search:
        term = search.strip()
        qs = qs.filter(
            Q(code__icontains=term)
            | Q(members__personnel__name__icontains=term)
            | Q(members__personnel__nrp=term)
        ).distinct()
    return qs.select_related("polsek", "category", "pattern", "padal__personnel__rank").prefetch_related(
        Prefetch(
            "members", queryset=TeamMember.objects.select_related("personnel__rank").order_by("position")
        ),
        Prefetch(
            "stops",
            queryset=_stops(),
        ),
    )


def access_team(user: Any, plan: DeploymentPlan, pk: int) -> Team:
    team = teams_for(user, plan).filter(pk=pk).first()
    if team is None:
        raise NotFound(_("Tim tidak ditemukan / Team not found"))
    return team


def padal_for(user: Any, plan: DeploymentPlan) -> QuerySet[Padal]:
    return _scoped_polsek(user, Padal.objects.filter(plan=plan)).select_related("personnel__rank", "polsek")


def shortfall_for(user: Any, plan: DeploymentPlan) -> QuerySet[ShortfallRow]:
    return (
        _scoped_polsek(user, ShortfallRow.objects.filter(plan=plan))
        .select_related("polsek", "tps__desa", "tps__kecamatan")
        .defer("tps__desa__boundary", "tps__kecamatan__boundary")
    )


def runs_for(user: Any, *, plan: DeploymentPlan | None = None) -> QuerySet[PlanningRun]:
    if not can(user, "view_deployment"):
        return PlanningRun.objects.none()
    qs = PlanningRun.objects.filter(polres__in=polres_for(user)).select_related(
        "election", "polres", "job", "plan"
    )
    if plan is not None:
        qs = qs.filter(Q(plan=plan) | Q(base_plan=plan))
    return qs


def access_run(user: Any, pk: int) -> PlanningRun:
    run = runs_for(user).filter(pk=pk).first()
    if run is None:
        raise NotFound(_("Proses tidak ditemukan / Run not found"))
    return run


POLDA_PLAN_JOB_KIND = "deployment.polda_plan"


def fan_outs_for(user: Any) -> QuerySet[Job]:
    """The Polda plan fan-outs a user launched (newest first)."""
    if not can(user, "view_deployment") or not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(kind=POLDA_PLAN_JOB_KIND, created_by=user)


def access_fan_out(user: Any, pk: int) -> tuple[Job, list[PlanningRun]]:
    """A Polda plan fan-out and its planning runs, one per Polres; 404 unless the user sees every one of them."""
    parent = Job.objects.filter(pk=pk, kind=POLDA_PLAN_JOB_KIND).first()
    if parent is None or not can(user, "view_deployment"):
        raise NotFound(_("Proses tidak ditemukan / Run not found"))
    runs = list(
        PlanningRun.objects.filter(job__parent=parent)
        .select_related("polres", "job", "plan")
        .order_by("polres__name")
    )
    visible = set(polres_for(user).values_list("pk", flat=True))
    if not runs or any(run.polres_id not in visible for run in runs):
        raise NotFound(_("Proses tidak ditemukan / Run not found"))
    return parent, runs


# --- the whole-Polres Sprin, printed as a background job ---------------------------------------------------

SPRIN_JOB_KIND = "deployment.sprin"


def sees_whole_polres(user: Any, plan: DeploymentPlan) -> bool:
    """Whether the user may see every team of the plan: a Polres account does, a Polsek account only its own."""
    scope = scope_for(user)
    if scope.is_unrestricted:
        return True
    polres_kecamatan = Kecamatan.objects.filter(kabupaten_id=plan.polres.kabupaten_pk)
    return not polres_kecamatan.exclude(id__in=scope.kecamatan_ids or ()).exists()


def access_whole_plan(user: Any, pk: int) -> DeploymentPlan:
    """The plan, if the user may see all of it; the whole-Polres Sprin names officers of every Polsek."""
    plan = access_plan(user, pk)
    if not sees_whole_polres(user, plan):
        raise NotFound(_("Rencana tidak ditemukan / Plan not found"))
    return plan


def sprin_jobs_for(plan: DeploymentPlan) -> QuerySet[Job]:
    """The plan's whole-Polres Sprin prints, newest first; callers check access to the plan first."""
    return Job.objects.filter(kind=SPRIN_JOB_KIND, params__plan_id=plan.pk)


def latest_sprin_print(plan: DeploymentPlan) -> Job | None:
    """The newest finished whole-Polres Sprin of the plan, if any; callers check access to the whole plan."""
    for job in sprin_jobs_for(plan).filter(status=Job.Status.SUCCEEDED).order_by("-pk")[:5]:
        if (job.result or {}).get("file"):
            return job
    return None


def access_sprin_file(user: Any, plan_pk: int, job_pk: int) -> tuple[DeploymentPlan, Job]:
    """A finished whole-Polres Sprin of a plan the user may see all of (NotFound otherwise, like the plan)."""
    plan = access_whole_plan(user, plan_pk)
    job = sprin_jobs_for(plan).filter(pk=job_pk, status=Job.Status.SUCCEEDED).first()
    if job is None or not (job.result or {}).get("file"):
        raise NotFound(_("Sprin tidak ditemukan / Sprin not found"))
    return plan, job


def plan_rows(
    plan: DeploymentPlan, *, user: Any = None, polsek_id: int | None = None
) -> list[dict[str, Any]]:
    """One row per officer per TPS (the plotting table, the Sprin's lampiran, the XLSX): three queries."""
    qs = teams_for(user, plan) if user is not None else teams_for_all(plan)
    teams = list(qs.filter(polsek_id=polsek_id) if polsek_id else qs)
    rows = []
    for team in teams:
        padal = team.padal.personnel if team.padal else None
        for member in team.members.all():
            person = member.personnel
            for stop in team.stops.all():
                tps = stop.tps
                rows.append(
                    {
                        "rank": person.rank.abbreviation,
                        "name": person.name,
                        "nrp": person.nrp,
                        "phone": person.phone,
                        "team": team.code,
                        "polsek": team.polsek.name,
                        "category": team.category.name,
                        "pattern": team.pattern.notation,
                        "order": stop.position,
                        "tps_id": tps.pk,
                        "tps": f"TPS {tps.number:03d}",
                        "tps_code": tps.code,
                        "desa": tps.desa.name,
                        "kecamatan": tps.kecamatan.name,
                        "address": tps.address,
                        "lat": tps.lat,
                        "lng": tps.lng,
                        "padal": f"{padal.rank.abbreviation} {padal.name}" if padal else "",
                        "padal_phone": padal.phone if padal else "",
                        "personnel_id": person.pk,
                    }
                )
    return rows


def teams_for_all(plan: DeploymentPlan) -> QuerySet[Team]:
    """Every team of a plan (documents generated by the system, not for one user)."""
    return (
        Team.objects.filter(plan=plan)
        .select_related("polsek", "category", "pattern", "padal__personnel__rank")
        .prefetch_related(
            Prefetch(
                "members", queryset=TeamMember.objects.select_related("personnel__rank").order_by("position")
            ),
            Prefetch(
                "stops",
                queryset=_stops(),
            ),
        )
    )


# --- "TPS saya": the officer behind a user account ----------------------------------------------------------


def personnel_of(user: Any) -> Personnel | None:
    """The officer a user account belongs to: an explicit OfficerAccount link, else the NRP equal to the username."""
    if not getattr(user, "is_authenticated", False):
        return None
    link = OfficerAccount.objects.select_related("personnel__rank").filter(user=user).first()
    if link is not None:
        return link.personnel
    return Personnel.objects.select_related("rank").filter(nrp=user.get_username()).first()


def my_assignment(user: Any) -> tuple[Personnel | None, Team | None, Padal | None]:
    """The officer's team (or Padal duty) in the latest published plan naming him."""
    person = personnel_of(user)
    if person is None:
        return None, None, None
    member = (
        TeamMember.objects.filter(personnel=person, plan__status=DeploymentPlan.Status.PUBLISHED)
        .order_by("-plan__sprin_on", "-plan__version")
        .first()
    )
    padal = (
        Padal.objects.filter(personnel=person, plan__status=DeploymentPlan.Status.PUBLISHED)
        .select_related("plan", "polsek")
        .order_by("-plan__sprin_on", "-plan__version")
        .first()
    )
    team = teams_for_all(member.plan).select_related("plan").get(pk=member.team_id) if member else None
    return person, team, padal


# --- building the solver instance --------------------------------------------------------------------------

UnavailabilityProvider = Callable[..., Iterable[int]]
_unavailability_providers: list[UnavailabilityProvider] = []


def register_unavailability_provider(provider: UnavailabilityProvider) -> UnavailabilityProvider:
    """Let another app take officers out of the PAM TPS plan on voting day (guard posts, patrols, ...).

    `provider(*, polres, on_date)` returns Personnel ids busy that day. Register from the app's
    AppConfig.ready(), or list dotted paths in SIAGA_DEPLOYMENT_UNAVAILABILITY_PROVIDERS. Usable as a decorator.
    """
    if provider not in _unavailability_providers:
        _unavailability_providers.append(provider)
    return provider


def busy_officer_ids(*, polres: PoliceUnit, on_date: dt.date) -> set[int]:
    dotted = [import_string(p) for p in getattr(settings, "SIAGA_DEPLOYMENT_UNAVAILABILITY_PROVIDERS", ())]
    out: set[int] = set()
    for provider in [*_unavailability_providers, *dotted]:
        out.update(int(pk) for pk in provider(polres=polres, on_date=on_date))
    return out


def guard_duty_officer_ids(*, polres: PoliceUnit, on_date: dt.date) -> list[int]:
    """Officers rostered on a guard post (published roster) for a shift starting on the voting day or the
    night before, running into it: they guard KPU/Bawaslu/logistics and cannot stand at a TPS."""
    from django.utils import timezone

    from siaga.guard.models import Assignment, Roster

    start = timezone.make_aware(dt.datetime.combine(on_date, dt.time.min))
    return list(
        Assignment.objects.filter(roster__polres=polres, roster__status=Roster.Status.PUBLISHED)
        .filter(on__in=[on_date - dt.timedelta(days=1), on_date])
        .filter(ends_at__gt=start)
        .values_list("personnel_id", flat=True)
        .distinct()
    )


@dataclass
class OfficerPool:
    officers: list[Any]
    source: str  # "apel" (latest locked apel) or "active" (no locked apel yet: active personnel)
    apel_id: int | None = None


def available_officers_for(*, polres: PoliceUnit, election: Election) -> OfficerPool:
    """The officers the planner may use: present at the latest locked apel of the election's operation, else
    (no such apel locked yet) the active personnel of the Polres: `personnel.selectors.strength_basis`. Each row carries
    `police_unit_id` (its Polsek, or the Polres for HQ functions), `rank_order` and `is_perwira`.

    The one place to switch the source of available officers."""
    from django.db.models import BooleanField, Case, F, Value, When

    from siaga.personnel import selectors as personnel

    # The same rule as the strength page (`personnel.selectors.strength_basis`): the apel of this election's
    # operation only; another operation's apel (last year's Pilkada, say) is never a basis.
    session = personnel.election_apel(polres=polres, election=election)
    if session is not None:
        qs = personnel.available_officers(polres=polres, operation_slug=session.operation_slug)
        return OfficerPool(list(qs), "apel", session.pk)
    qs = (
        Personnel.objects.filter(unit__polres=polres, status=Personnel.Status.ACTIVE)
        .select_related("rank", "unit")
        .annotate(
            rank_order=F("rank__order"),
            is_perwira=Case(
                When(rank__group__in=Rank.PERWIRA_GROUPS, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            police_unit_id=F("unit__police_unit_id"),
        )
    )
    return OfficerPool(list(qs), "active")


def category_key(pattern_id: int) -> str:
    """The solver's category of a TPS is its resolved (sub-)pattern: one pattern per team."""
    return f"p{pattern_id}"


def pattern_id_of(key: str) -> int:
    return int(str(key)[1:])


@dataclass
class PlanningInput:
    """A solver instance plus what is needed to save its plan and explain what the solver never saw."""

    instance: engine.DeploymentInstance
    polres: PoliceUnit
    election: Election
    patterns: dict[int, SecurityPattern]
    units: dict[int, PoliceUnit]
    officer_source: str
    apel_id: int | None
    busy_ids: set[int] = field(default_factory=set)
    # TPS the solver cannot plan (no coordinates, no pattern): (tps_id, polsek_id, category code, reason)
    unplannable: list[tuple[int, int, str, str]] = field(default_factory=list)

    @property
    def tps_total(self) -> int:
        return len(self.instance.tps) + len(self.unplannable)


DEFAULT_PARAMETERS: dict[str, Any] = {
    "teams_per_padal": engine.model.DEFAULT_TEAMS_PER_PADAL,
    "allow_officer_lending": True,
    "allow_cross_jurisdiction": False,
    "polsek_ids": [],
}


def planning_input(
    *, election: Election, polres: PoliceUnit, parameters: dict[str, Any] | None = None
) -> PlanningInput:
    """Build the solver instance for one Polres and election from the database.

    TPS: the election's TPS in the Polres's kabupaten, each secured by the Polsek/Polsubsektor covering its
    kecamatan (the Polres itself where none does), with its current category's pattern (a pinned sub-pattern,
    else the category's default; TPS not yet categorised count as the least vulnerable category, as in the
    required-strength page). Officers: `available_officers_for` minus those busy that day. Polres HQ officers
    take part as a station without TPS, so they serve only when lending is allowed and a Polsek is short.
    """
    params = {**DEFAULT_PARAMETERS, **(parameters or {})}
    subset = {int(p) for p in params.get("polsek_ids") or ()}
    patterns = {
        p.pk: p
        for p in SecurityPattern.objects.filter(election=election, polres=polres).select_related("category")
    }
    if not patterns:
        raise ValidationFailed(
            _("Belum ada pola pengamanan untuk %(e)s di %(p)s / No security pattern yet")
            % {"e": election.name, "p": polres.name}
        )
    defaults = {p.category_id: p.pk for p in patterns.values() if p.is_default}
    least = VulnerabilityCategory.objects.order_by("severity").first()
    stations = {
        u.pk: u
        for u in PoliceUnit.objects.filter(kabupaten_id=polres.kabupaten_pk).filter(
            Q(level__in=[PoliceUnit.Level.POLSEK, PoliceUnit.Level.POLSUBSEKTOR]) | Q(pk=polres.pk)
        )
    }
    unit_of = unit_for_kecamatan()
    tps_rows = (
        Tps.objects.filter(election=election, kecamatan__kabupaten_id=polres.kabupaten_pk)
        .order_by("pk")
        .values_list(
            "pk", "lat", "lng", "kecamatan_id", "vulnerability__category_id", "vulnerability__pattern_id"
        )
    )
    tps: list[engine.Tps] = []
    unplannable: list[tuple[int, int, str, str]] = []
    codes = {c.pk: c.code for c in VulnerabilityCategory.objects.all()}
    for pk, lat, lng, kecamatan_id, category_id, pinned in tps_rows:
        unit_id = unit_of.get(kecamatan_id)
        if unit_id not in stations:
            unit_id = polres.pk
        if subset and unit_id not in subset:
            continue
        effective = category_id or (least.pk if least else None)
        pattern_id = pinned if pinned in patterns else defaults.get(effective or 0)
        if pattern_id is None:
            unplannable.append(
                (
                    pk,
                    unit_id,
                    codes.get(effective or 0, ""),
                    _("tidak ada pola pengamanan untuk kategori TPS ini"),
                )
            )
        elif lat is None or lng is None:
            unplannable.append((pk, unit_id, codes.get(effective or 0, ""), _("TPS belum punya koordinat")))
        else:
            tps.append(
                engine.Tps(id=pk, lat=lat, lng=lng, category=category_key(pattern_id), polsek_id=unit_id)
            )
    pool = available_officers_for(polres=polres, election=election)
    busy = busy_officer_ids(polres=polres, on_date=election.voting_on)
    officers = []
    for o in pool.officers:
        unit_id = getattr(o, "police_unit_id", None) or polres.pk
        if unit_id not in stations:
            unit_id = polres.pk
        if subset and unit_id not in subset:
            continue
        officers.append(
            engine.Officer(
                id=o.pk,
                polsek_id=unit_id,
                rank_order=int(o.rank_order),
                is_perwira=bool(o.is_perwira),
                is_available=o.pk not in busy,
            )
        )
    used_stations = [u for pk, u in sorted(stations.items()) if not subset or pk in subset or pk == polres.pk]
    instance = engine.DeploymentInstance(
        polsek=tuple(engine.Polsek(id=u.pk, name=u.name, lat=u.lat, lng=u.lng) for u in used_stations),
        tps=tuple(tps),
        officers=tuple(officers),
        patterns=tuple(
            engine.Pattern(
                category=category_key(p.pk),
                criticality=p.category.severity,
                police_per_team=p.police,
                tps_per_team=p.tps,
                linmas_per_tps=p.linmas,
                tni_per_team=p.tni,
            )
            for p in patterns.values()
        ),
        teams_per_padal=int(params["teams_per_padal"]),
        allow_officer_lending=bool(params["allow_officer_lending"]),
        allow_cross_jurisdiction=bool(params["allow_cross_jurisdiction"]),
        circuity=float(getattr(settings, "SIAGA_CIRCUITY_FACTOR", 1.35)),
    )
    return PlanningInput(
        instance=instance,
        polres=polres,
        election=election,
        patterns=patterns,
        units=stations,
        officer_source=pool.source,
        apel_id=pool.apel_id,
        busy_ids=busy,
        unplannable=unplannable,
    )


def plan_as_engine(plan: DeploymentPlan, *, plannable: set[Any] | None = None) -> engine.DeploymentPlan:
    """A stored plan as the solver's DeploymentPlan (for validate() and replan()). Shortfall rows of TPS the
    solver never saw (no coordinates, no pattern) are left out when `plannable` (the instance's TPS) is given."""
    if plannable is None:
        plannable = set(TeamTps.objects.filter(plan=plan).values_list("tps_id", flat=True)) | set(
            ShortfallRow.objects.filter(plan=plan, tps__isnull=False).values_list("tps_id", flat=True)
        )
    padal_rows = list(Padal.objects.filter(plan=plan).values_list("pk", "personnel_id", "polsek_id"))
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, pid in (
        TeamMember.objects.filter(plan=plan)
        .order_by("team_id", "position")
        .values_list("team_id", "personnel_id")
    ):
        members[team_id].append(pid)
    stops: dict[int, list[int]] = defaultdict(list)
    for team_id, tps_id in (
        TeamTps.objects.filter(plan=plan).order_by("team_id", "position").values_list("team_id", "tps_id")
    ):
        stops[team_id].append(tps_id)
    teams = list(
        Team.objects.filter(plan=plan).values_list(
            "pk", "code", "polsek_id", "pattern_id", "route_km", "padal_id"
        )
    )
    by_padal: dict[int, list[str]] = defaultdict(list)
    for _pk, code, _polsek, _pattern, _km, padal_id in teams:
        if padal_id:
            by_padal[padal_id].append(code)
    shortfall = [
        engine.Shortfall(
            kind=kind, polsek_id=polsek_id, reason=reason, tps_id=tps_id, team_id=team_code or None
        )
        for kind, polsek_id, reason, tps_id, team_code in ShortfallRow.objects.filter(plan=plan).values_list(
            "kind", "polsek_id", "reason", "tps_id", "team_code"
        )
        if tps_id is None or tps_id in plannable
    ]
    return engine.DeploymentPlan(
        teams=tuple(
            engine.Team(
                id=code,
                polsek_id=polsek_id,
                category=category_key(pattern_id),
                officer_ids=tuple(members[pk]),
                tps_ids=tuple(stops[pk]),
                route_km=km,
            )
            for pk, code, polsek_id, pattern_id, km, _padal in teams
        ),
        padal=tuple(
            engine.PadalAssignment(pid, polsek_id, tuple(by_padal[pk])) for pk, pid, polsek_id in padal_rows
        ),
        shortfall=tuple(shortfall),
    )


# --- diff between two versions -----------------------------------------------------------------------------


@dataclass
class PlanDiff:
    old: DeploymentPlan
    new: DeploymentPlan
    added: list[Personnel]  # officers in the new plan only
    removed: list[Personnel]  # officers in the old plan only
    changed: list[tuple[Personnel, str, str]]  # officer, old duty, new duty
    tps_newly_covered: int
    tps_newly_uncovered: int

    @property
    def changed_count(self) -> int:
        return len(self.changed)


def polsek_ids_in_scope(user: Any) -> set[int] | None:
    """The Polsek whose teams the user may see; None for an account that sees every Polsek."""
    if scope_for(user).is_unrestricted:
        return None
    kecamatan_ids = list(scope_for(user).kecamatan_ids or ())
    return set(PoliceUnit.objects.filter(jurisdiction__in=kecamatan_ids).values_list("pk", flat=True))


def _duties(plan: DeploymentPlan, polsek_ids: set[int] | None) -> tuple[dict[int, str], set[int]]:
    """officer id -> a comparable description of his duty (TPS set or Padal); covered TPS ids. With
    `polsek_ids`, only the teams and Padal of those Polsek (a Polsek account compares its own part)."""
    engine_plan = plan_as_engine(plan)
    if polsek_ids is not None:
        engine_plan = replace(
            engine_plan,
            teams=tuple(t for t in engine_plan.teams if t.polsek_id in polsek_ids),
            padal=tuple(p for p in engine_plan.padal if p.polsek_id in polsek_ids),
        )
    numbers = dict(
        Tps.objects.filter(pk__in=[t for team in engine_plan.teams for t in team.tps_ids]).values_list(
            "pk", "code"
        )
    )
    duties: dict[int, str] = {}
    covered: set[int] = set()
    for team in engine_plan.teams:
        label = "TPS " + ", ".join(sorted(numbers.get(int(t), str(t)) for t in team.tps_ids))
        covered.update(int(t) for t in team.tps_ids)
        for oid in team.officer_ids:
            duties[int(oid)] = label
    names = dict(PoliceUnit.objects.values_list("pk", "name"))
    for padal in engine_plan.padal:
        duties[int(padal.officer_id)] = f"Padal {names.get(int(padal.polsek_id), '')}"
    return duties, covered


def plan_diff(old: DeploymentPlan, new: DeploymentPlan, *, user: Any = None) -> PlanDiff:
    """What changed between two versions; with `user`, only the officers of the Polsek that user sees."""
    polsek_ids = polsek_ids_in_scope(user) if user is not None else None
    a, covered_a = _duties(old, polsek_ids)
    b, covered_b = _duties(new, polsek_ids)
    people = Personnel.objects.select_related("rank").in_bulk(set(a) | set(b))
    return PlanDiff(
        old=old,
        new=new,
        added=[people[p] for p in sorted(set(b) - set(a))],
        removed=[people[p] for p in sorted(set(a) - set(b))],
        changed=[(people[p], a[p], b[p]) for p in sorted(set(a) & set(b)) if a[p] != b[p]],
        tps_newly_covered=len(covered_b - covered_a),
        tps_newly_uncovered=len(covered_a - covered_b),
    )
