"""Writes for PAM TPS deployment: planning runs (as jobs), saving solver plans, re-planning with stability,
the plan lifecycle (one transition function), amendments, and hand edits validated by the solver's validate().
Every write is audited."""

from __future__ import annotations

import dataclasses
import itertools
import re
import secrets
from collections import defaultdict
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.accounts.roles import can
from siaga.core.audit import record_change, snapshot
from siaga.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from siaga.core.jobs import Progress, no_progress, start_fan_out, start_job
from siaga.core.models import AuditEvent, Job
from siaga.deployment import selectors
from siaga.deployment.models import (
    DeploymentPlan,
    Padal,
    PlanningRun,
    ShortfallRow,
    Team,
    TeamMember,
    TeamTps,
)
from siaga.operations.models import Election
from siaga.optimization import deployment as engine
from siaga.optimization.distance import haversine_km
from siaga.personnel.models import Personnel
from siaga.sites.models import Tps
from siaga.territory.models import PoliceUnit

# --- the rules, named for people ---------------------------------------------------------------------------

RULE_NAMES: dict[str, Any] = {
    "team_understaffed": gettext_lazy(
        "aturan body system / pola pengamanan: setiap tim minimal berisi jumlah personel Polri pola kategorinya"
    ),
    "team_over_capacity": gettext_lazy("pola pengamanan: jumlah TPS per tim tidak boleh melebihi pola"),
    "empty_team": gettext_lazy("setiap tim mengamankan minimal satu TPS"),
    "mixed_categories": gettext_lazy("satu pola per tim: semua TPS sebuah tim berkategori sama"),
    "unknown_category": gettext_lazy("setiap kategori TPS harus punya pola pengamanan"),
    "unknown_tps": gettext_lazy("TPS harus termasuk pemilihan dan Polres ini"),
    "officer_twice": gettext_lazy("satu personel hanya mendapat satu tugas"),
    "unknown_officer": gettext_lazy("hanya personel yang tersedia (apel terkunci, tidak bertugas jaga)"),
    "unavailable_officer": gettext_lazy("hanya personel yang tersedia (apel terkunci, tidak bertugas jaga)"),
    "outside_jurisdiction": gettext_lazy("tim tetap di wilayah hukum Polseknya"),
    "officer_lent": gettext_lazy("personel bertugas di Polseknya sendiri kecuali peminjaman diizinkan"),
    "unknown_polsek": gettext_lazy("tim harus milik Polsek Polres ini"),
    "tps_twice": gettext_lazy("setiap TPS diamankan satu tim saja"),
    "uncovered_unreported": gettext_lazy("TPS yang tidak tercakup harus tercatat di laporan kekurangan"),
    "shortfall_covered": gettext_lazy("TPS yang tercakup tidak boleh tercatat sebagai kekurangan"),
    "padal_not_perwira": gettext_lazy("Padal harus seorang perwira"),
    "padal_in_team": gettext_lazy("Padal tidak boleh sekaligus anggota tim"),
    "padal_over_limit": gettext_lazy("seorang Padal mengendalikan tim sebanyak batas saja"),
    "padal_other_polsek": gettext_lazy("Padal mengendalikan tim Polseknya sendiri"),
    "padal_unknown_team": gettext_lazy("Padal mengendalikan tim yang ada"),
    "team_two_padal": gettext_lazy("setiap tim punya satu Padal"),
    "team_without_padal": gettext_lazy("setiap tim punya Padal, atau kekurangannya tercatat"),
    "duplicate_team_id": gettext_lazy("kode tim unik"),
}


def describe_violation(v: engine.Violation, patterns: dict[int, Any] | None = None) -> str:
    """The rule broken, in the user's words, with officers, TPS and Polsek named as the plan's table names
    them (the solver's message carries internal ids)."""
    detail = v.message
    if patterns:
        detail = re.sub(
            r"\bp(\d+)\b",
            lambda m: (
                str(patterns[int(m.group(1))].category.name) if int(m.group(1)) in patterns else m.group(0)
            ),
            detail,
        )
    return f"{RULE_NAMES.get(v.rule, v.rule)}: {_named(detail)}"


def _named(detail: str) -> str:
    from siaga.personnel.models import Personnel
    from siaga.sites.models import Tps
    from siaga.territory.models import PoliceUnit

    def ids(pattern: str) -> set[int]:
        return {int(x) for x in re.findall(pattern, detail)}

    people = Personnel.objects.select_related("rank").in_bulk(ids(r"\b(?:officer|Padal) (\d+)\b"))
    stations = Tps.objects.select_related("desa").in_bulk(ids(r"\bTPS (\d+)\b"))
    units = PoliceUnit.objects.in_bulk(ids(r"\bPolsek (\d+)\b"))

    def person(m: re.Match[str]) -> str:
        p = people.get(int(m.group(2)))
        return f"{m.group(1)} {p.rank.abbreviation} {p.name} ({p.nrp})" if p else m.group(0)

    detail = re.sub(r"\b(officer|Padal) (\d+)\b", person, detail)
    detail = re.sub(
        r"\bTPS (\d+)\b",
        lambda m: str(stations[int(m.group(1))]) if int(m.group(1)) in stations else m.group(0),
        detail,
    )
    return re.sub(
        r"\bPolsek (\d+)\b",
        lambda m: units[int(m.group(1))].name if int(m.group(1)) in units else m.group(0),
        detail,
    )


# --- planning runs -----------------------------------------------------------------------------------------


def _require(actor: Any, capability: str) -> None:
    if actor is not None and not can(actor, capability):
        raise PermissionDenied(_("Peran Anda tidak boleh melakukan ini"))


def create_run(
    *,
    actor: Any,
    election: Election,
    polres: PoliceUnit,
    time_limit: float = 60,
    seed: int = 0,
    workers: int = 1,
    parameters: dict[str, Any] | None = None,
    base_plan: DeploymentPlan | None = None,
    capability: str = "manage_deployment",
) -> PlanningRun:
    """Record a planning run (plan, or re-plan of `base_plan`); `start_planning` also queues it as a job.
    A Polda fan-out checks its own capability (`run_polda_plans`): Polda staff launch plans, they do not edit."""
    _require(actor, capability)
    if time_limit <= 0 or time_limit > 3600:
        raise ValidationFailed(_("Batas waktu 1-3600 detik"), fields={"time_limit": ["1-3600"]})
    params = {
        **selectors.DEFAULT_PARAMETERS,
        **(base_plan.parameters if base_plan else {}),
        **(parameters or {}),
    }
    run = PlanningRun(
        election=election,
        polres=polres,
        kind=PlanningRun.Kind.REPLAN if base_plan else PlanningRun.Kind.PLAN,
        base_plan=base_plan,
        parameters=params,
        seed=seed,
        time_limit_s=time_limit,
        workers=max(1, int(workers)),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    run.full_clean()
    run.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=run, after=snapshot(run))
    return run


@transaction.atomic
def start_planning(*, parent: Job | None = None, **kwargs: Any) -> PlanningRun:
    """Create a run and queue it as a background job with a live progress bar (a child of `parent` when it is
    one Polres of a Polda fan-out)."""
    from siaga.deployment.tasks import plan_task

    run = create_run(**kwargs)
    election, polres = run.election, run.polres
    title = (
        _("Re-plan PAM TPS") if run.base_plan_id else _("Plotting PAM TPS")
    ) + f" {polres.name} · {election.name}"
    job = start_job(
        kind="deployment.plan",
        title=title,
        task=plan_task,
        actor=kwargs.get("actor"),
        params={"run_id": run.pk},
        parent=parent,
    )
    PlanningRun.objects.filter(pk=run.pk).update(job=job)
    run.job = job
    return run


@transaction.atomic
def start_polda_planning(
    *,
    actor: Any,
    election: Election,
    polres_units: list[PoliceUnit],
    time_limit: float = 60,
    seed: int = 0,
    parameters: dict[str, Any] | None = None,
) -> Job:
    """Plan every Polres of a Polda as one fan-out: a parent job and one planning job per Polres, run by as
    many workers as there are (machines, with the RQ backend). Each Polres plan uses one solver process: the
    queue's workers are the parallelism, so a worker never starves its neighbours on a shared machine."""
    _require(actor, "run_polda_plans")
    if not polres_units:
        raise ValidationFailed(_("Tidak ada Polres untuk direncanakan"))
    # The command line (actor None) plans any Polres; a user only those of their jurisdiction.
    visible = set(selectors.polres_for(actor).values_list("pk", flat=True)) if actor is not None else None
    if any(
        unit.level != PoliceUnit.Level.POLRES or (visible is not None and unit.pk not in visible)
        for unit in polres_units
    ):
        raise NotFound(_("Polres tidak ditemukan"))
    parent = start_fan_out(
        kind=selectors.POLDA_PLAN_JOB_KIND,
        title=_("Plotting PAM TPS %(n)s Polres · %(election)s")
        % {"n": len(polres_units), "election": election.name},
        actor=actor,
        params={"election_id": election.pk, "polres_ids": [u.pk for u in polres_units]},
    )
    for unit in polres_units:
        start_planning(
            parent=parent,
            actor=actor,
            election=election,
            polres=unit,
            time_limit=time_limit,
            seed=seed,
            workers=1,
            parameters=parameters,
            capability="run_polda_plans",
        )
    return parent


def execute_run(*, run: PlanningRun, report: Progress | None = None) -> DeploymentPlan:
    """Solve (or re-plan) and save the plan as a new draft version. Called by the job and by `siaga plan`."""
    PlanningRun.objects.filter(pk=run.pk).update(status=PlanningRun.Status.RUNNING)
    say: Progress = report or no_progress
    try:
        say(2, _("menyiapkan data"))
        data = selectors.planning_input(election=run.election, polres=run.polres, parameters=run.parameters)
        say(
            8,
            _("%(t)s TPS, %(o)s personel") % {"t": len(data.instance.tps), "o": len(data.instance.officers)},
        )
        limit = run.time_limit_s

        def progress(event: engine.ProgressEvent) -> None:
            share = min(1.0, event.elapsed_s / limit) if limit else 1.0
            say(10 + 80 * share, f"{event.phase} {event.done}/{event.total}")

        if run.base_plan is not None:
            previous = selectors.plan_as_engine(run.base_plan, plannable={t.id for t in data.instance.tps})
            result = engine.replan(
                data.instance,
                previous,
                time_limit=limit,
                seed=run.seed,
                workers=run.workers,
                progress=progress,
            )
        else:
            result = engine.solve(
                data.instance, time_limit=limit, seed=run.seed, workers=run.workers, progress=progress
            )
        say(92, _("menyimpan"))
        plan = save_result(run=run, data=data, result=result)
    except Exception as exc:
        PlanningRun.objects.filter(pk=run.pk).update(
            status=PlanningRun.Status.FAILED, message=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    return plan


def _team_code(unit: PoliceUnit, n: int) -> str:
    short = unit.code.split("-", 1)[-1].upper()[:24]
    return f"{short}-{n:02d}"


@transaction.atomic
def save_result(*, run: PlanningRun, data: selectors.PlanningInput, result: engine.Result) -> DeploymentPlan:
    """Store the solver's plan as the next draft version, with the run's timings and validation result."""
    election, polres = run.election, run.polres
    version = (
        DeploymentPlan.objects.filter(election=election, polres=polres).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    teams_covered = sum(len(t.tps_ids) for t in result.teams)
    violations = [describe_violation(v, data.patterns) for v in result.violations]
    plan = DeploymentPlan(
        election=election,
        polres=polres,
        version=version,
        previous=run.base_plan,
        title=_("Plotting PAM TPS %(e)s %(p)s") % {"e": election.name, "p": polres.name},
        parameters={
            **run.parameters,
            "officer_source": data.officer_source,
            "apel_id": data.apel_id,
            "officers_available": sum(1 for o in data.instance.officers if o.is_available),
            "officers_busy": len(data.busy_ids),
        },
        tps_total=data.tps_total,
        tps_covered=teams_covered,
        officers_used=result.officers_used,
        total_route_km=round(result.total_route_km, 2),
        max_route_km=round(result.max_route_km, 2),
        is_valid=result.is_feasible(),
        violations=violations,
        changed_assignments=len(result.changed_officer_ids) if run.base_plan_id else None,
        created_by=run.created_by,
    )
    plan.full_clean()
    plan.save()
    _write_rows(plan, result.plan, data)
    PlanningRun.objects.filter(pk=run.pk).update(
        plan=plan,
        status=PlanningRun.Status.DONE,
        first_valid_s=result.first_valid_s,
        final_s=result.final_s,
        objective=result.objective,
        is_valid=result.is_feasible(),
        violations=violations,
        changed_assignments=plan.changed_assignments,
        finished_at=timezone.now(),
        message=_("%(c)s dari %(t)s TPS tercakup") % {"c": plan.tps_covered, "t": plan.tps_total},
    )
    record_change(
        actor=run.created_by,
        action=AuditEvent.Action.CREATE,
        obj=plan,
        after=snapshot(plan),
        message=_("rencana dibuat oleh proses #%(r)s") % {"r": run.pk},
    )
    return plan


def _write_rows(plan: DeploymentPlan, result: engine.DeploymentPlan, data: selectors.PlanningInput) -> None:
    units = data.units
    used_codes = {t.id for t in result.teams if not re.match(r"^r?\d+-p\d+-\d+$", str(t.id))}
    counters: dict[int, int] = defaultdict(int)
    codes: dict[str, str] = {}
    for team in sorted(result.teams, key=lambda t: (str(t.polsek_id), str(t.id))):
        if team.id in used_codes:
            codes[team.id] = str(team.id)
            continue
        unit = units[int(team.polsek_id)]
        while True:
            counters[unit.pk] += 1
            code = _team_code(unit, counters[unit.pk])
            if code not in used_codes:
                break
        used_codes.add(code)
        codes[team.id] = code
    padal_rows = {
        p.officer_id: Padal(plan=plan, personnel_id=int(p.officer_id), polsek_id=int(p.polsek_id))
        for p in result.padal
    }
    Padal.objects.bulk_create(padal_rows.values())
    padal_of_team = {tid: padal_rows[p.officer_id] for p in result.padal for tid in p.team_ids}
    team_rows = [
        Team(
            plan=plan,
            code=codes[t.id],
            polsek_id=int(t.polsek_id),
            pattern_id=selectors.pattern_id_of(t.category),
            category_id=data.patterns[selectors.pattern_id_of(t.category)].category_id,
            padal=padal_of_team.get(t.id),
            route_km=round(t.route_km, 3),
        )
        for t in result.teams
    ]
    Team.objects.bulk_create(team_rows, batch_size=500)
    members, stops = [], []
    for row, team in zip(team_rows, result.teams, strict=True):
        members += [
            TeamMember(plan=plan, team=row, personnel_id=int(o), position=i)
            for i, o in enumerate(team.officer_ids)
        ]
        stops += [
            TeamTps(plan=plan, team=row, tps_id=int(t), position=i + 1) for i, t in enumerate(team.tps_ids)
        ]
    TeamMember.objects.bulk_create(members, batch_size=1000)
    TeamTps.objects.bulk_create(stops, batch_size=1000)
    names = {f"p{pk}": p.category.code for pk, p in data.patterns.items()}
    labels = {f"p{pk}": str(p.category) for pk, p in data.patterns.items()}
    rows = [
        ShortfallRow(
            plan=plan,
            kind=s.kind,
            polsek_id=int(s.polsek_id),
            tps_id=int(s.tps_id) if s.tps_id is not None else None,
            category_code=names.get(s.category or "", s.category or ""),
            team_code=codes.get(s.team_id, s.team_id or "") if s.team_id else "",
            reason=shortfall_reason(s, labels)[:500],
        )
        for s in result.shortfall
    ]
    rows += [
        ShortfallRow(
            plan=plan,
            kind=ShortfallRow.Kind.UNCOVERED_TPS,
            polsek_id=unit_id,
            tps_id=tps_id,
            category_code=code,
            reason=why,
        )
        for tps_id, unit_id, code, why in data.unplannable
    ]
    ShortfallRow.objects.bulk_create(rows, batch_size=1000)


# --- the whole-Polres Sprin --------------------------------------------------------------------------------


@transaction.atomic
def shortfall_reason(shortfall: engine.Shortfall, category_labels: dict[str, str]) -> str:
    """The planner's reason for a shortfall in the active language (the planner itself speaks no language)."""
    why = shortfall.why
    if why is None:
        return shortfall.reason
    figures = why.params
    figures["category"] = category_labels.get(str(figures.get("category", "")), figures.get("category", ""))
    short = _(
        "personel %(polsek)s kurang: %(category)s butuh %(per_team)s per tim, tersisa %(available)s "
        "setelah %(teams)s tim dan %(padal)s Padal (kurang %(more)s tim)"
    )
    if why.code == "short_of_officers":
        return short % figures
    if why.code == "farthest_dropped":
        far = _("TPS terjauh dari markas dibiarkan tidak tercakup lebih dulu")
        return f"{short % figures}; {far}" if figures.get("polsek") else str(far)
    if why.code == "unreachable":
        return _("tidak ada tim yang dapat menjangkaunya")
    if why.code == "no_perwira":
        return _("tidak ada perwira tersisa di %(polsek)s untuk menjadi Padal tim ini") % figures
    return shortfall.reason


def request_sprin(*, actor: Any, plan: DeploymentPlan) -> Job:
    """Print the whole-Polres Sprin in the background (hundreds of pages, minutes of WeasyPrint layout).

    The caller has checked that the actor sees the whole plan (`selectors.access_whole_plan`)."""
    from siaga.deployment.tasks import sprin_task

    _require(actor, "export_data")
    title = _("Sprin seluruh %(polres)s · %(election)s · v%(version)d") % {
        "polres": plan.polres.name,
        "election": plan.election.name,
        "version": plan.version,
    }
    return start_job(
        kind=selectors.SPRIN_JOB_KIND,
        title=title,
        task=sprin_task,
        actor=actor,
        params={"plan_id": plan.pk},
    )


def print_sprin(*, job: Job, report: Progress) -> dict[str, Any]:
    """The Sprin job's work: lay out the whole plan's Sprin and store the PDF under MEDIA_ROOT/sprin/.

    The file name is random and the file is served only by `views.sprin_download`, which checks the plan's
    permission and jurisdiction; MEDIA_ROOT is never served directly."""
    from siaga.deployment.documents import build_sprin

    plan = DeploymentPlan.objects.select_related("election", "polres").get(pk=job.params["plan_id"])
    sprin = build_sprin(plan, report=report)
    report(95, _("menyimpan berkas"))
    name = default_storage.save(f"sprin/{secrets.token_hex(16)}.pdf", ContentFile(sprin.data))
    return {
        "file": name,
        "pages": sprin.pages,
        "officers": sprin.officers,
        "bytes": len(sprin.data),
        "download_url": reverse("deployment:sprin_download", args=[plan.pk, job.pk]),
        "summary": _("Sprin siap: %(p)d halaman, %(o)d personel") % {"p": sprin.pages, "o": sprin.officers},
    }


# --- lifecycle ---------------------------------------------------------------------------------------------

S = DeploymentPlan.Status
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.REVIEWED): "manage_deployment",
    (S.REVIEWED, S.DRAFT): "manage_deployment",
    (S.REVIEWED, S.PUBLISHED): "publish_deployment",
    (S.PUBLISHED, S.AMENDED): "publish_deployment",
}


@transaction.atomic
def transition_plan(
    *, actor: Any, plan: DeploymentPlan, to: str, sprin_number: str = "", sprin_on: Any = None
) -> DeploymentPlan:
    """The one way a plan changes status: draft <-> reviewed -> published (Sprin number and date) -> amended.

    A draft goes to review only when it validates; publishing retires (amends) the version it replaces."""
    move = (plan.status, to)
    if move not in TRANSITIONS:
        raise Conflict(
            _("Perubahan status %(a)s -> %(b)s tidak diizinkan")
            % {"a": plan.get_status_display(), "b": dict(S.choices).get(to, to)},
            code="illegal_transition",
        )
    _require(actor, TRANSITIONS[move])
    fields: dict[str, Any] = {"status": to, "status_changed_at": timezone.now()}
    if to == S.REVIEWED and not plan.is_valid:
        raise ValidationFailed(
            _("Rencana belum lolos validasi; perbaiki dulu"),
            code="plan_invalid",
        )
    if to == S.PUBLISHED:
        if not sprin_number.strip() or sprin_on is None:
            raise ValidationFailed(
                _("Nomor dan tanggal Sprin wajib diisi"),
                fields={"sprin_number": [_("wajib")], "sprin_on": [_("wajib")]},
            )
        fields.update(sprin_number=sprin_number.strip(), sprin_on=sprin_on)
    before = snapshot(plan)
    # Conditional update: two staff pressing a button at once produce one transition.
    updated = DeploymentPlan.objects.filter(pk=plan.pk, status=plan.status).update(**fields)
    if updated != 1:
        raise Conflict(_("Status rencana sudah berubah"), code="stale_status")
    plan.refresh_from_db()
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=plan,
        before=before,
        after=snapshot(plan),
        message=f"status -> {to}",
    )
    if to == S.PUBLISHED:
        for older in DeploymentPlan.objects.filter(
            election=plan.election, polres=plan.polres, status=S.PUBLISHED
        ).exclude(pk=plan.pk):
            transition_plan(actor=actor, plan=older, to=S.AMENDED)
    return plan


@transaction.atomic
def amend_plan(*, actor: Any, plan: DeploymentPlan) -> DeploymentPlan:
    """Start a new draft version from a published (or any) plan: the Sprin stays until the new one is published."""
    _require(actor, "manage_deployment")
    version = (
        DeploymentPlan.objects.filter(election=plan.election, polres=plan.polres).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    ) + 1
    copy = DeploymentPlan.objects.get(pk=plan.pk)
    copy.pk = None
    copy.version = version
    copy.previous = plan
    copy.status = S.DRAFT
    copy.sprin_number, copy.sprin_on, copy.status_changed_at = "", None, None
    copy.changed_assignments = 0
    copy.created_by = actor if getattr(actor, "is_authenticated", False) else None
    copy.save()
    padal_map = {}
    for p in Padal.objects.filter(plan=plan):
        old = p.pk
        p.pk, p.plan = None, copy
        p.save()
        padal_map[old] = p
    team_map = {}
    for t in Team.objects.filter(plan=plan):
        old = t.pk
        t.pk, t.plan = None, copy
        t.padal = padal_map.get(t.padal_id) if t.padal_id else None
        t.save()
        team_map[old] = t
    TeamMember.objects.bulk_create(
        [
            TeamMember(plan=copy, team=team_map[m.team_id], personnel_id=m.personnel_id, position=m.position)
            for m in TeamMember.objects.filter(plan=plan)
        ]
    )
    TeamTps.objects.bulk_create(
        [
            TeamTps(plan=copy, team=team_map[s.team_id], tps_id=s.tps_id, position=s.position)
            for s in TeamTps.objects.filter(plan=plan)
        ]
    )
    ShortfallRow.objects.bulk_create(
        [
            ShortfallRow(
                plan=copy,
                kind=r.kind,
                polsek_id=r.polsek_id,
                tps_id=r.tps_id,
                category_code=r.category_code,
                team_code=r.team_code,
                reason=r.reason,
            )
            for r in ShortfallRow.objects.filter(plan=plan)
        ]
    )
    record_change(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=copy,
        after=snapshot(copy),
        message=_("versi baru dari v%(v)s") % {"v": plan.version},
    )
    return copy


# --- hand edits --------------------------------------------------------------------------------------------


def _editable(actor: Any, plan: DeploymentPlan) -> None:
    _require(actor, "manage_deployment")
    if plan.status != S.DRAFT:
        raise Conflict(
            _("Hanya draf yang bisa diubah; buat versi baru dulu"),
            code="not_draft",
        )


def _input_for(plan: DeploymentPlan) -> selectors.PlanningInput:
    return selectors.planning_input(election=plan.election, polres=plan.polres, parameters=plan.parameters)


def _engine_plan(plan: DeploymentPlan, data: selectors.PlanningInput) -> engine.DeploymentPlan:
    return selectors.plan_as_engine(plan, plannable={t.id for t in data.instance.tps})


def _check_edit(
    plan: DeploymentPlan, edited: engine.DeploymentPlan, data: selectors.PlanningInput | None = None
) -> tuple[selectors.PlanningInput, list[engine.Violation]]:
    """Refuse an edit that breaks a rule the plan did not break before; name the rule in the message."""
    data = data or _input_for(plan)
    plannable = {t.id for t in data.instance.tps}
    before = {
        (v.rule, v.message)
        for v in engine.validate(data.instance, selectors.plan_as_engine(plan, plannable=plannable))
    }
    after = engine.validate(data.instance, edited)
    new = [v for v in after if (v.rule, v.message) not in before]
    if new:
        raise ValidationFailed(
            _("Perubahan ditolak, melanggar aturan: %(r)s")
            % {"r": "; ".join(describe_violation(v, data.patterns) for v in new[:3])},
            code=f"rule_{new[0].rule}",
        )
    return data, after


def _route_km(
    data: selectors.PlanningInput, polsek_id: int, tps_ids: list[Any], coords: dict[Any, tuple[Any, Any]]
) -> float:
    station = data.units[polsek_id]
    points = [(station.lat, station.lng), *(coords[t] for t in tps_ids), (station.lat, station.lng)]
    factor = data.instance.circuity
    return round(sum(haversine_km(*a, *b) * factor for a, b in itertools.pairwise(points)), 3)


def _finish_edit(
    *,
    actor: Any,
    plan: DeploymentPlan,
    data: selectors.PlanningInput,
    violations: list[engine.Violation],
    message: str,
    detail: dict[str, Any],
) -> None:
    teams = list(Team.objects.filter(plan=plan).values_list("route_km", flat=True))
    fields = {
        "tps_covered": TeamTps.objects.filter(plan=plan).count(),
        "officers_used": TeamMember.objects.filter(plan=plan).count()
        + Padal.objects.filter(plan=plan).count(),
        "total_route_km": round(sum(teams), 2),
        "max_route_km": round(max(teams, default=0.0), 2),
        "is_valid": not violations,
        "violations": [describe_violation(v, data.patterns) for v in violations],
    }
    DeploymentPlan.objects.filter(pk=plan.pk).update(**fields)
    for k, v in fields.items():
        setattr(plan, k, v)
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, obj=plan, after=detail, message=message)


def _replace_team(plan: engine.DeploymentPlan, code: str, **changes: Any) -> engine.DeploymentPlan:
    teams = tuple(dataclasses.replace(t, **changes) if t.id == code else t for t in plan.teams)
    return dataclasses.replace(plan, teams=teams)


@transaction.atomic
def move_tps(*, actor: Any, plan: DeploymentPlan, tps: Tps, to_team: Team | None) -> DeploymentPlan:
    """Move a TPS to another team (inserted where it lengthens the route least), or out of every team into
    the shortfall when `to_team` is None. Refused with the rule's name if the plan would break a rule."""
    _editable(actor, plan)
    current = TeamTps.objects.filter(plan=plan, tps=tps).select_related("team").first()
    if to_team is not None and to_team.plan_id != plan.pk:
        raise ValidationFailed(_("Tim bukan bagian rencana ini"))
    if current is None and to_team is None:
        return plan
    if current is not None and to_team is not None and current.team_id == to_team.pk:
        return plan
    data = _input_for(plan)
    edited = _engine_plan(plan, data)
    coords: dict[Any, tuple[Any, Any]] = (
        {tps.pk: (tps.lat, tps.lng)} if tps.lat is not None and tps.lng is not None else {}
    )
    if current is not None:
        source = next(t for t in edited.teams if t.id == current.team.code)
        edited = _replace_team(edited, source.id, tps_ids=tuple(t for t in source.tps_ids if t != tps.pk))
        edited = dataclasses.replace(
            edited, teams=tuple(t for t in edited.teams if t.tps_ids or t.id != source.id)
        )
    shortfall = tuple(s for s in edited.shortfall if s.tps_id != tps.pk)
    if to_team is None:
        shortfall += (
            engine.Shortfall(
                "uncovered_tps",
                current.team.polsek_id if current else 0,
                _("dipindahkan manual"),
                tps_id=tps.pk,
            ),
        )
    edited = dataclasses.replace(edited, shortfall=shortfall)
    new_order: list[Any] = []
    if to_team is not None:
        target = next(t for t in edited.teams if t.id == to_team.code)
        stops = list(target.tps_ids)
        coords.update(
            {
                pk: (lat, lng)
                for pk, lat, lng in Tps.objects.filter(pk__in=stops).values_list("pk", "lat", "lng")
            }
        )
        best = min(
            range(len(stops) + 1),
            key=lambda i: _route_km(data, to_team.polsek_id, [*stops[:i], tps.pk, *stops[i:]], coords),
        )
        new_order = [*stops[:best], tps.pk, *stops[best:]]
        edited = _replace_team(edited, target.id, tps_ids=tuple(new_order))
    if current is not None and not any(t.id == current.team.code for t in edited.teams):
        # The emptied team is dissolved; its Padal link goes with it.
        edited = dataclasses.replace(
            edited,
            padal=tuple(
                dataclasses.replace(p, team_ids=tuple(x for x in p.team_ids if x != current.team.code))
                for p in edited.padal
            ),
        )
    data, violations = _check_edit(plan, edited, data)
    coords.update(
        {
            pk: (lat, lng)
            for pk, lat, lng in Tps.objects.filter(
                pk__in=[s for t in edited.teams for s in t.tps_ids]
            ).values_list("pk", "lat", "lng")
        }
    )
    from_code = current.team.code if current else None
    if current is not None:
        source_team = current.team
        current.delete()
        remaining = list(TeamTps.objects.filter(team=source_team).order_by("position"))
        if not remaining:
            TeamMember.objects.filter(team=source_team).delete()
            source_team.delete()
        else:
            for i, stop in enumerate(remaining):
                stop.position = i + 1
            TeamTps.objects.bulk_update(remaining, ["position"])
            source_team.route_km = _route_km(
                data, source_team.polsek_id, [s.tps_id for s in remaining], coords
            )
            source_team.save(update_fields=["route_km"])
    ShortfallRow.objects.filter(plan=plan, tps=tps).delete()
    if to_team is None:
        ShortfallRow.objects.create(
            plan=plan,
            kind=ShortfallRow.Kind.UNCOVERED_TPS,
            polsek_id=current.team.polsek_id if current else None,
            tps=tps,
            category_code=current.team.category.code if current else "",
            reason=_("dipindahkan manual"),
        )
    else:
        TeamTps.objects.filter(team=to_team).delete()
        TeamTps.objects.bulk_create(
            [TeamTps(plan=plan, team=to_team, tps_id=t, position=i + 1) for i, t in enumerate(new_order)]
        )
        to_team.route_km = _route_km(data, to_team.polsek_id, new_order, coords)
        to_team.save(update_fields=["route_km"])
    _finish_edit(
        actor=actor,
        plan=plan,
        data=data,
        violations=violations,
        message=_("TPS %(t)s dipindah") % {"t": tps.code},
        detail={"tps": tps.pk, "from_team": from_code, "to_team": to_team.code if to_team else None},
    )
    return plan


def _slot(plan: DeploymentPlan, personnel: Personnel) -> TeamMember | Padal | None:
    return (
        TeamMember.objects.filter(plan=plan, personnel=personnel).select_related("team").first()
        or Padal.objects.filter(plan=plan, personnel=personnel).first()
    )


def _with_officer_swapped(edited: engine.DeploymentPlan, mapping: dict[Any, Any]) -> engine.DeploymentPlan:
    """Replace officer ids everywhere by mapping (None removes the officer from his team)."""

    def sub(ids: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(mapping.get(i, i) for i in ids if mapping.get(i, i) is not None)

    teams = tuple(dataclasses.replace(t, officer_ids=sub(t.officer_ids)) for t in edited.teams)
    padal = tuple(
        dataclasses.replace(p, officer_id=mapping.get(p.officer_id, p.officer_id))
        for p in edited.padal
        if mapping.get(p.officer_id, p.officer_id) is not None
    )
    return dataclasses.replace(edited, teams=teams, padal=padal)


@transaction.atomic
def swap_officers(*, actor: Any, plan: DeploymentPlan, first: Personnel, second: Personnel) -> DeploymentPlan:
    """Swap two officers' duties (team places or Padal)."""
    _editable(actor, plan)
    a, b = _slot(plan, first), _slot(plan, second)
    if a is None or b is None:
        raise ValidationFailed(_("Kedua personel harus ada di rencana"))
    data = _input_for(plan)
    edited = _with_officer_swapped(_engine_plan(plan, data), {first.pk: second.pk, second.pk: first.pk})
    data, violations = _check_edit(plan, edited, data)
    _reassign(a, b, first.pk, second.pk)
    _finish_edit(
        actor=actor,
        plan=plan,
        data=data,
        violations=violations,
        message=_("personel ditukar"),
        detail={"swap": [first.pk, second.pk]},
    )
    return plan


def _reassign(a: TeamMember | Padal, b: TeamMember | Padal, first_pk: int, second_pk: int) -> None:
    """Swap the officers of two rows. Row `a` is taken out and put back (same pk) so that the unique
    (plan, personnel) constraints hold at every step, and a Padal row keeps its teams."""
    teams = (
        list(Team.objects.filter(padal_id=a.pk).values_list("pk", flat=True)) if isinstance(a, Padal) else []
    )
    type(a).objects.filter(pk=a.pk).delete()
    type(b).objects.filter(pk=b.pk).update(personnel_id=first_pk)
    a.personnel_id = second_pk
    a.save(force_insert=True)
    if teams:
        Team.objects.filter(pk__in=teams).update(padal=a)


@transaction.atomic
def replace_officer(*, actor: Any, plan: DeploymentPlan, old: Personnel, new: Personnel) -> DeploymentPlan:
    """Put an officer not yet in the plan in another's place (sick, on leave, moved)."""
    _editable(actor, plan)
    slot = _slot(plan, old)
    if slot is None:
        raise ValidationFailed(_("Personel tidak ada di rencana"))
    if _slot(plan, new) is not None:
        raise ValidationFailed(
            _("Pengganti sudah bertugas di rencana; tukar saja"),
            code="rule_officer_twice",
        )
    data = _input_for(plan)
    edited = _with_officer_swapped(_engine_plan(plan, data), {old.pk: new.pk})
    data, violations = _check_edit(plan, edited, data)
    type(slot).objects.filter(pk=slot.pk).update(personnel=new)
    _finish_edit(
        actor=actor,
        plan=plan,
        data=data,
        violations=violations,
        message=_("personel diganti"),
        detail={"old": old.pk, "new": new.pk},
    )
    return plan


@transaction.atomic
def remove_officer(*, actor: Any, plan: DeploymentPlan, personnel: Personnel) -> DeploymentPlan:
    """Take an officer out of his team; refused if the team would break its pattern (body system)."""
    _editable(actor, plan)
    slot = _slot(plan, personnel)
    if slot is None:
        raise ValidationFailed(_("Personel tidak ada di rencana"))
    data = _input_for(plan)
    edited = _with_officer_swapped(_engine_plan(plan, data), {personnel.pk: None})
    if isinstance(slot, Padal):
        codes = tuple(Team.objects.filter(padal=slot).values_list("code", flat=True))
        edited = dataclasses.replace(
            edited,
            shortfall=edited.shortfall
            + tuple(
                engine.Shortfall("no_padal", slot.polsek_id, _("Padal dilepas"), team_id=c) for c in codes
            ),
        )
    data, violations = _check_edit(plan, edited, data)
    if isinstance(slot, Padal):
        for code in Team.objects.filter(padal=slot).values_list("code", flat=True):
            ShortfallRow.objects.create(
                plan=plan,
                kind=ShortfallRow.Kind.NO_PADAL,
                polsek_id=slot.polsek_id,
                team_code=code,
                reason=_("Padal dilepas"),
            )
    slot.delete()
    _finish_edit(
        actor=actor,
        plan=plan,
        data=data,
        violations=violations,
        message=_("personel dilepas"),
        detail={"removed": personnel.pk},
    )
    return plan
