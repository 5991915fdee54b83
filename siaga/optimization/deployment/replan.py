"""Re-plan after officers drop out or TPS change, moving as few officers as possible.

Officers have been briefed (apel) on their TPS, so stability matters more than route length: a team whose
officers are all still available and whose TPS are unchanged stays exactly as it was, and so does a Padal who
is still available. Only the TPS of broken teams (and TPS that were already uncovered) are planned again,
with the officers that are left over. When those officers cannot cover a more critical TPS, a kept team of a
less critical category is dissolved to free its officers, so the least-critical-first rule still holds.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping

from siaga.optimization.deployment.model import (
    DeploymentInstance,
    DeploymentPlan,
    Key,
    Officer,
    PadalAssignment,
    Pattern,
    ProgressCallback,
    ProgressEvent,
    Result,
    Team,
    Tps,
)
from siaga.optimization.deployment.solver import (
    DistanceLookup,
    PolsekTask,
    allocate_task,
    assemble,
    build_jobs,
    check_instance,
    effective_polsek,
    lend_officers,
    make_executor,
    reserve_s,
    run_jobs,
    with_budget,
)
from siaga.optimization.deployment.validate import validate

Assignment = tuple[object, ...] | None


def team_is_intact(
    team: Team,
    *,
    officers: Mapping[Key, Officer],
    tps: Mapping[Key, Tps],
    owner: Mapping[Key, Key],
    patterns: Mapping[str, Pattern],
) -> bool:
    """All officers still available, every TPS still there with the same category and owner, pattern met."""
    pattern = patterns.get(team.category)
    if pattern is None or len(team.officer_ids) < pattern.police_per_team:
        return False
    if len(team.tps_ids) > pattern.tps_per_team:
        return False
    if any(oid not in officers or not officers[oid].is_available for oid in team.officer_ids):
        return False
    return all(
        tid in tps and tps[tid].category == team.category and owner[tid] == team.polsek_id
        for tid in team.tps_ids
    )


def assignments(plan: DeploymentPlan) -> dict[Key, Assignment]:
    """Officer -> what they do: the exact TPS set of their team, or Padal of a Polsek."""
    out: dict[Key, Assignment] = {}
    for team in plan.teams:
        for oid in team.officer_ids:
            out[oid] = ("team", team.polsek_id, frozenset(team.tps_ids))
    for padal in plan.padal:
        out[padal.officer_id] = ("padal", padal.polsek_id)
    return out


def changed_officers(
    instance: DeploymentInstance, before: DeploymentPlan, after: DeploymentPlan
) -> list[Key]:
    """Available officers whose assignment differs (including starting or stopping to have one)."""
    old, new = assignments(before), assignments(after)
    return [o.id for o in instance.officers if o.is_available and old.get(o.id) != new.get(o.id)]


def _free_officers_for_critical(
    task: PolsekTask,
    *,
    patterns: Mapping[str, Pattern],
    officers: Mapping[Key, Officer],
    tps_by_id: Mapping[Key, Tps],
) -> bool:
    """Dissolve one kept team less critical than a short category; False when there is none."""
    assert task.allocation is not None
    short = [patterns[c].criticality for c in task.allocation.reasons]
    if not short:
        return False
    candidates = [t for t in task.kept_teams if patterns[t.category].criticality < max(short)]
    if not candidates:
        return False
    victim = min(candidates, key=lambda t: (patterns[t.category].criticality, len(t.tps_ids), t.id))
    task.kept_teams.remove(victim)
    task.pool.extend(officers[oid] for oid in victim.officer_ids)
    for tid in victim.tps_ids:
        task.tps_by_category[victim.category].append(tps_by_id[tid])
    return True


def _team_prefix(teams: list[Team]) -> str:
    n = 1
    while any(t.id.startswith(f"r{n}-") for t in teams):
        n += 1
    return f"r{n}-"


def replan(
    instance: DeploymentInstance,
    previous_plan: DeploymentPlan,
    *,
    time_limit: float,
    seed: int,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> Result:
    """Keep intact teams and Padal, re-solve only the TPS whose team broke; report changed officers."""
    started = time.perf_counter()
    patterns = check_instance(instance)
    owner = effective_polsek(instance)
    officers = {o.id: o for o in instance.officers}
    tps_by_id = {t.id: t for t in instance.tps}

    kept = [
        t
        for t in previous_plan.teams
        if t.polsek_id in {p.id for p in instance.polsek}
        and team_is_intact(t, officers=officers, tps=tps_by_id, owner=owner, patterns=patterns)
    ]
    kept_padal = [
        p
        for p in previous_plan.padal
        if p.officer_id in officers
        and officers[p.officer_id].is_available
        and officers[p.officer_id].is_perwira
    ]
    busy = {oid for t in kept for oid in t.officer_ids} | {p.officer_id for p in kept_padal}
    covered = {tid for t in kept for tid in t.tps_ids}

    tasks: dict[Key, PolsekTask] = {}
    for polsek in instance.polsek:
        task = PolsekTask(polsek=polsek, tps_by_category=defaultdict(list), pool=[])
        task.kept_teams = [t for t in kept if t.polsek_id == polsek.id]
        task.kept_padal = [p for p in kept_padal if p.polsek_id == polsek.id]
        tasks[polsek.id] = task
    for tps in instance.tps:
        if tps.id not in covered:
            tasks[owner[tps.id]].tps_by_category[tps.category].append(tps)
    for officer in instance.officers:
        if officer.is_available and officer.id not in busy and officer.polsek_id in tasks:
            tasks[officer.polsek_id].pool.append(officer)
    if instance.allow_officer_lending:
        lend_officers(instance, tasks, patterns)

    for task in tasks.values():
        allocate_task(task, instance, patterns)
        while _free_officers_for_critical(task, patterns=patterns, officers=officers, tps_by_id=tps_by_id):
            allocate_task(task, instance, patterns)

    jobs = build_jobs(tasks.values(), patterns, DistanceLookup(instance), seed=seed)
    wall = max(time_limit - (time.perf_counter() - started) - reserve_s(time_limit), 0.0)
    jobs = with_budget(jobs, wall_s=wall, workers=workers)
    executor = make_executor(workers) if len(jobs) > 1 else None
    try:

        def on_done(done: int) -> None:
            if progress is not None:
                progress(ProgressEvent("replan", done, len(jobs), time.perf_counter() - started))

        results = run_jobs(jobs, executor=executor, on_done=on_done)
    finally:
        if executor is not None:
            executor.shutdown()
    plan = assemble(tasks, jobs, results, instance, patterns, team_prefix=_team_prefix(kept))
    plan = _keep_previous_padal_order(plan, previous_plan)
    violations = validate(instance, plan)
    elapsed = round(time.perf_counter() - started, 3)
    return Result(
        status="infeasible" if violations else "feasible",
        plan=plan,
        objective=round(sum(t.route_km for t in plan.teams), 3),
        first_valid_s=elapsed,
        final_s=elapsed,
        violations=tuple(violations),
        changed_officer_ids=tuple(changed_officers(instance, previous_plan, plan)),
        seed=seed,
    )


def _keep_previous_padal_order(plan: DeploymentPlan, previous: DeploymentPlan) -> DeploymentPlan:
    """List kept Padal in their previous order so a re-issued Sprin reads like the old one."""
    rank = {p.officer_id: i for i, p in enumerate(previous.padal)}
    padal: list[PadalAssignment] = sorted(plan.padal, key=lambda p: rank.get(p.officer_id, len(rank)))
    return DeploymentPlan(teams=plan.teams, padal=tuple(padal), shortfall=plan.shortfall)
