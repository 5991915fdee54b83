"""PAM TPS plotting: staff teams per Polsek and route them over their TPS.

Model. Each Polsek is independent (its teams start at its station and only secure TPS of its jurisdiction),
and inside a Polsek each TPS category is independent (a team's TPS all share one pattern). So the plan is
a set of small capacitated VRPs, one per (Polsek, category): the station is the depot, TPS are clients of
demand 1, a vehicle is a team with capacity `tps_per_team`, and the fleet is the number of teams the
Polsek's officers can staff (see allocation.py). When the fleet cannot cover every TPS of a category, the
TPS nearest the station are kept (as many as the teams can hold) and the farthest are reported uncovered.

Two phases: a short pass over all subproblems gives a first valid plan quickly; the rest of the time limit
improves each subproblem from that plan (warm start), so the final plan is never worse than the first.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context

import numpy as np
from numpy.typing import NDArray

from siaga.optimization.deployment.allocation import Allocation, allocate, by_seniority, officers_needed
from siaga.optimization.deployment.model import (
    DeploymentInstance,
    DeploymentPlan,
    Key,
    Officer,
    PadalAssignment,
    Pattern,
    Polsek,
    ProgressCallback,
    ProgressEvent,
    Result,
    Shortfall,
    Team,
    Tps,
    Why,
)
from siaga.optimization.deployment.validate import validate
from siaga.optimization.distance import haversine_matrix_km, road_matrix_km
from siaga.optimization.routing import (
    RoutingClient,
    RoutingDepot,
    RoutingProblem,
    RoutingVehicleType,
    km_to_int_m,
    solve_routing,
)

#: Share of the time limit (capped) spent on the first pass over all subproblems.
FIRST_PASS_SHARE = 0.15
FIRST_PASS_CAP_S = 2.5
MIN_JOB_TIME_S = 0.02
#: Kept back from the time limit for starting workers, uneven job ends, assembling and validating.
ASSEMBLY_MARGIN_S = 1.0
ASSEMBLY_MARGIN_SHARE = 0.05


def reserve_s(time_limit: float) -> float:
    return max(ASSEMBLY_MARGIN_S, ASSEMBLY_MARGIN_SHARE * time_limit)


# --------------------------------------------------------------------------------------------------------
# Subproblems (picklable, run in worker processes)
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoutingJob:
    polsek_id: Key
    category: str
    tps_ids: tuple[Key, ...]
    #: Node 0 is the station, node i + 1 is tps_ids[i].
    distance_km: NDArray[np.float64] = field(compare=False, repr=False)
    capacity: int
    num_teams: int
    all_required: bool
    time_limit: float
    seed: int
    initial_routes: tuple[tuple[int, ...], ...] = ()
    #: TPS of this (Polsek, category) left out before routing because the teams cannot hold them all.
    dropped_ids: tuple[Key, ...] = ()

    @property
    def size(self) -> int:
        return len(self.tps_ids)


@dataclass(frozen=True)
class RoutingJobResult:
    polsek_id: Key
    category: str
    #: Routes as positions in the job's tps_ids (kept for warm starts) and their lengths.
    routes: tuple[tuple[int, ...], ...]
    route_km: tuple[float, ...]
    unvisited: tuple[int, ...]


def run_job(job: RoutingJob) -> RoutingJobResult:
    distance_m = km_to_int_m(job.distance_km)
    # A prize above any detour (twice the longest arc) makes covering one more TPS always worth its km.
    prize = 0 if job.all_required else int(2 * distance_m.max() + 1000)
    problem = RoutingProblem(
        distance=distance_m,
        depots=(RoutingDepot(node=0),),
        clients=tuple(
            RoutingClient(node=i + 1, demand=1, prize=prize, required=job.all_required)
            for i in range(job.size)
        ),
        vehicle_types=(RoutingVehicleType(num_available=job.num_teams, capacity=job.capacity),),
    )
    solution = solve_routing(
        problem, time_limit=job.time_limit, seed=job.seed, initial_routes=job.initial_routes or None
    )
    routes = tuple(r.clients for r in solution.routes if r.clients)
    return RoutingJobResult(
        polsek_id=job.polsek_id,
        category=job.category,
        routes=routes,
        route_km=tuple(r.distance / 1000.0 for r in solution.routes if r.clients),
        unvisited=solution.unvisited,
    )


def run_jobs(
    jobs: Sequence[RoutingJob],
    *,
    executor: ProcessPoolExecutor | None,
    on_done: Callable[[int], None] | None = None,
) -> list[RoutingJobResult]:
    """Run jobs largest first (so the last one to finish is small), in the pool when there is one."""
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i].size)
    results: list[RoutingJobResult | None] = [None] * len(jobs)
    if executor is None:
        for n, i in enumerate(order, start=1):
            results[i] = run_job(jobs[i])
            if on_done:
                on_done(n)
    else:
        futures = {i: executor.submit(run_job, jobs[i]) for i in order}
        for n, i in enumerate(order, start=1):
            results[i] = futures[i].result()
            if on_done:
                on_done(n)
    return [r for r in results if r is not None]


def make_executor(workers: int) -> ProcessPoolExecutor | None:
    # "spawn": the planner may be called from a threaded web or task worker, where fork is unsafe.
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) if workers > 1 else None


# --------------------------------------------------------------------------------------------------------
# Per-Polsek tasks
# --------------------------------------------------------------------------------------------------------


@dataclass
class PolsekTask:
    """What is to be planned for one Polsek: its free TPS, its free officers, and what a re-plan keeps."""

    polsek: Polsek
    tps_by_category: dict[str, list[Tps]]
    pool: list[Officer]
    kept_teams: list[Team] = field(default_factory=list)
    kept_padal: list[PadalAssignment] = field(default_factory=list)
    allocation: Allocation | None = None


def effective_polsek(instance: DeploymentInstance) -> dict[Key, Key]:
    """TPS id -> Polsek that secures it: its own, or the nearest station when crossing is allowed."""
    if not instance.allow_cross_jurisdiction:
        return {t.id: t.polsek_id for t in instance.tps}
    n_polsek = len(instance.polsek)
    if instance.distance_km is not None:
        to_station = np.asarray(instance.distance_km)[n_polsek:, :n_polsek]
    else:
        lats = np.array([p.lat for p in instance.polsek] + [t.lat for t in instance.tps])
        lngs = np.array([p.lng for p in instance.polsek] + [t.lng for t in instance.tps])
        to_station = haversine_matrix_km(lats, lngs)[n_polsek:, :n_polsek]
    nearest = to_station.argmin(axis=1)
    return {t.id: instance.polsek[int(nearest[i])].id for i, t in enumerate(instance.tps)}


def lend_officers(
    instance: DeploymentInstance,
    tasks: Mapping[Key, PolsekTask],
    patterns: Mapping[str, Pattern],
) -> None:
    """Move spare officers to short Polsek, nearest lender first; juniors go, seniors stay to lead at home."""
    needs = {
        pid: officers_needed(
            {c: len(ts) for c, ts in task.tps_by_category.items()},
            patterns,
            teams_per_padal=instance.teams_per_padal,
        )
        for pid, task in tasks.items()
    }
    surplus = {pid: len(task.pool) - needs[pid] for pid, task in tasks.items()}
    stations = {p.id: p for p in instance.polsek}
    for pid in sorted(tasks, key=lambda p: surplus[p]):
        if surplus[pid] >= 0:
            break
        here = stations[pid]
        lenders = sorted(
            (q for q in tasks if surplus[q] > 0),
            key=lambda q: _station_km(here, stations[q]),
        )
        for lender in lenders:
            count = min(surplus[lender], -surplus[pid])
            juniors = by_seniority(tasks[lender].pool)[-count:]
            lent = {o.id for o in juniors}
            tasks[lender].pool = [o for o in tasks[lender].pool if o.id not in lent]
            tasks[pid].pool.extend(juniors)
            surplus[lender] -= count
            surplus[pid] += count
            if surplus[pid] >= 0:
                break


def _station_km(a: Polsek, b: Polsek) -> float:
    return float(haversine_matrix_km(np.array([a.lat, b.lat]), np.array([a.lng, b.lng]))[0, 1])


def allocate_task(task: PolsekTask, instance: DeploymentInstance, patterns: Mapping[str, Pattern]) -> None:
    task.allocation = allocate(
        polsek_name=task.polsek.name,
        tps_per_category={c: len(ts) for c, ts in task.tps_by_category.items() if ts},
        patterns=patterns,
        pool=task.pool,
        teams_per_padal=instance.teams_per_padal,
        kept_teams=len(task.kept_teams),
        kept_padal=len(task.kept_padal),
        preferred_padal_ids=frozenset(),
    )


class DistanceLookup:
    """Road km between a station and TPS: the provided matrix, or great-circle x circuity."""

    def __init__(self, instance: DeploymentInstance) -> None:
        self._instance = instance
        self._polsek_index = {p.id: i for i, p in enumerate(instance.polsek)}
        self._tps_index = {t.id: len(instance.polsek) + i for i, t in enumerate(instance.tps)}

    def matrix(self, polsek: Polsek, tps: Sequence[Tps]) -> NDArray[np.float64]:
        if self._instance.distance_km is not None:
            nodes = [self._polsek_index[polsek.id]] + [self._tps_index[t.id] for t in tps]
            return np.asarray(self._instance.distance_km, dtype=float)[np.ix_(nodes, nodes)]
        lats = np.array([polsek.lat] + [t.lat for t in tps])
        lngs = np.array([polsek.lng] + [t.lng for t in tps])
        return road_matrix_km(lats, lngs, circuity=self._instance.circuity)


def build_jobs(
    tasks: Iterable[PolsekTask],
    patterns: Mapping[str, Pattern],
    distances: DistanceLookup,
    *,
    seed: int,
) -> list[RoutingJob]:
    jobs: list[RoutingJob] = []
    for task in tasks:
        assert task.allocation is not None
        for category, tps in sorted(task.tps_by_category.items()):
            teams = task.allocation.teams_per_category.get(category, 0)
            if not tps or teams == 0:
                continue
            tps_sorted = sorted(tps, key=lambda t: str(t.id))
            matrix = distances.matrix(task.polsek, tps_sorted)
            keep = np.arange(len(tps_sorted))
            if category in task.allocation.reasons:
                # Too few teams: cover the TPS nearest the station and leave the farthest uncovered. A fixed,
                # explainable choice that does not move with the time limit (prize-collecting would).
                reach = teams * patterns[category].tps_per_team
                keep = np.sort(np.argsort(matrix[0, 1:], kind="stable")[:reach])
            dropped = sorted(set(range(len(tps_sorted))) - set(keep.tolist()))
            kept_tps = [tps_sorted[i] for i in keep]
            nodes = np.concatenate(([0], keep + 1))
            jobs.append(
                RoutingJob(
                    polsek_id=task.polsek.id,
                    category=category,
                    tps_ids=tuple(tps_sorted[i].id for i in keep),
                    distance_km=matrix[np.ix_(nodes, nodes)],
                    capacity=patterns[category].tps_per_team,
                    num_teams=teams,
                    all_required=True,
                    time_limit=MIN_JOB_TIME_S,
                    seed=seed,
                    dropped_ids=tuple(tps_sorted[i].id for i in dropped),
                    initial_routes=sweep_routes(task.polsek, kept_tps, patterns[category].tps_per_team),
                )
            )
    return jobs


def sweep_routes(station: Polsek, tps: Sequence[Tps], capacity: int) -> tuple[tuple[int, ...], ...]:
    """Feasible starting routes: TPS by bearing from the station, cut every `capacity`.

    When teams are exactly enough (capacity fully used) the local search can struggle to find a feasible
    packing by itself; starting from this one it never returns an infeasible plan.
    """
    order = sorted(
        range(len(tps)), key=lambda i: math.atan2(tps[i].lat - station.lat, tps[i].lng - station.lng)
    )
    return tuple(tuple(order[k : k + capacity]) for k in range(0, len(order), capacity))


def with_budget(
    jobs: Sequence[RoutingJob],
    *,
    wall_s: float,
    workers: int,
    results: Sequence[RoutingJobResult] | None = None,
) -> list[RoutingJob]:
    """Share `wall_s` x workers CPU seconds over jobs in proportion to their size; warm-start from results."""
    total = sum(j.size for j in jobs) or 1
    cpu = max(wall_s, 0.0) * workers
    out = []
    for i, job in enumerate(jobs):
        budget = max(MIN_JOB_TIME_S, cpu * job.size / total)
        warm = results[i].routes if results is not None else job.initial_routes
        out.append(replace(job, time_limit=budget, initial_routes=warm))
    return out


# --------------------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------------------


def assemble(
    tasks: Mapping[Key, PolsekTask],
    jobs: Sequence[RoutingJob],
    results: Sequence[RoutingJobResult],
    instance: DeploymentInstance,
    patterns: Mapping[str, Pattern],
    *,
    team_prefix: str = "",
) -> DeploymentPlan:
    tps_by_id = {t.id: t for t in instance.tps}
    stations = {p.id: p for p in instance.polsek}
    teams: list[Team] = []
    padal: list[PadalAssignment] = []
    shortfall: list[Shortfall] = []
    by_key = {(r.polsek_id, r.category): (j, r) for j, r in zip(jobs, results, strict=True)}

    for pid, task in tasks.items():
        allocation = task.allocation
        assert allocation is not None
        new_teams: list[Team] = []
        for category, tps in sorted(task.tps_by_category.items()):
            if not tps:
                continue
            reason = allocation.reasons.get(category, "")
            short = allocation.why.get(category)
            job_result = by_key.get((pid, category))
            if job_result is None:
                shortfall.extend(_uncovered(pid, category, [t.id for t in tps], reason, short))
                continue
            job, result = job_result
            groups = allocation.team_officers[category]
            for k, (route, km) in enumerate(zip(result.routes, result.route_km, strict=True)):
                new_teams.append(
                    Team(
                        id=f"{team_prefix}{pid}-{category}-{k + 1}",
                        polsek_id=pid,
                        category=category,
                        officer_ids=groups[k],
                        tps_ids=tuple(job.tps_ids[i] for i in route),
                        route_km=round(km, 3),
                    )
                )
            far = f"{reason}; TPS farthest from the station are left uncovered first"
            far_why = Why("farthest_dropped", short.figures if short else ())
            shortfall.extend(_uncovered(pid, category, job.dropped_ids, far, far_why))
            missing = [job.tps_ids[i] for i in result.unvisited]
            shortfall.extend(
                _uncovered(
                    pid, category, missing, reason or "no team could reach it", short or Why("unreachable")
                )
            )
        teams.extend(task.kept_teams)
        teams.extend(new_teams)
        clusters, orphans = cluster_padal(
            station=stations[pid],
            kept_padal=task.kept_padal,
            new_padal_ids=allocation.new_padal_ids,
            new_teams=new_teams,
            kept_teams=task.kept_teams,
            tps_by_id=tps_by_id,
            teams_per_padal=instance.teams_per_padal,
            criticality={c: p.criticality for c, p in patterns.items()},
        )
        padal.extend(clusters)
        shortfall.extend(
            Shortfall(
                kind="no_padal",
                polsek_id=pid,
                team_id=t.id,
                category=t.category,
                reason=f"no perwira left in Polsek {stations[pid].name} to act as Padal for team {t.id}",
                why=Why("no_perwira", (("polsek", stations[pid].name),)),
            )
            for t in orphans
        )
    return DeploymentPlan(teams=tuple(teams), padal=tuple(padal), shortfall=tuple(shortfall))


def _uncovered(
    pid: Key, category: str, tps_ids: Iterable[Key], reason: str, why: Why | None
) -> Iterable[Shortfall]:
    return (
        Shortfall(kind="uncovered_tps", polsek_id=pid, tps_id=tid, category=category, reason=reason, why=why)
        for tid in tps_ids
    )


def cluster_padal(
    *,
    station: Polsek,
    kept_padal: Sequence[PadalAssignment],
    new_padal_ids: Sequence[Key],
    new_teams: Sequence[Team],
    kept_teams: Sequence[Team],
    tps_by_id: Mapping[Key, Tps],
    teams_per_padal: int,
    criticality: Mapping[str, int],
) -> tuple[list[PadalAssignment], list[Team]]:
    """Group teams under Padal: kept clusters keep their teams, new teams fill by bearing from the station.

    Sorting teams by the bearing of their TPS centroid makes each cluster a wedge of the Polsek, so one Padal
    can drive between the teams they control.
    """
    kept_ids = {t.id for t in kept_teams}
    clusters = [
        PadalAssignment(p.officer_id, p.polsek_id, tuple(t for t in p.team_ids if t in kept_ids))
        for p in kept_padal
    ]
    controlled = {tid for c in clusters for tid in c.team_ids}
    waiting = [t for t in kept_teams if t.id not in controlled] + list(new_teams)
    # When perwira are too few, the teams left without a Padal are the least critical ones.
    slots = sum(teams_per_padal - len(c.team_ids) for c in clusters) + len(new_padal_ids) * teams_per_padal
    waiting.sort(key=lambda t: (-criticality[t.category], t.id))
    waiting, orphans = waiting[:slots], waiting[slots:]
    waiting.sort(key=lambda t: _bearing(station, t, tps_by_id))
    queue = list(waiting)
    for i, cluster in enumerate(clusters):
        room = teams_per_padal - len(cluster.team_ids)
        if room > 0 and queue:
            taken, queue = queue[:room], queue[room:]
            clusters[i] = PadalAssignment(
                cluster.officer_id, cluster.polsek_id, cluster.team_ids + tuple(t.id for t in taken)
            )
    for officer_id in new_padal_ids:
        if not queue:
            break
        taken, queue = queue[:teams_per_padal], queue[teams_per_padal:]
        clusters.append(PadalAssignment(officer_id, station.id, tuple(t.id for t in taken)))
    return [c for c in clusters if c.team_ids], queue + orphans


def _bearing(station: Polsek, team: Team, tps_by_id: Mapping[Key, Tps]) -> float:
    lat = sum(tps_by_id[t].lat for t in team.tps_ids) / len(team.tps_ids)
    lng = sum(tps_by_id[t].lng for t in team.tps_ids) / len(team.tps_ids)
    return math.atan2(lat - station.lat, lng - station.lng)


# --------------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------------


def check_instance(instance: DeploymentInstance) -> dict[str, Pattern]:
    patterns = {p.category: p for p in instance.patterns}
    missing = sorted({t.category for t in instance.tps} - set(patterns))
    if missing:
        raise ValueError(f"TPS categories without a pattern: {missing}")
    for p in instance.patterns:
        if p.police_per_team < 1 or p.tps_per_team < 1:
            raise ValueError(f"pattern {p.category} needs at least 1 police and 1 TPS per team")
    if instance.teams_per_padal < 1:
        raise ValueError("teams_per_padal must be at least 1")
    if instance.distance_km is not None:
        n = len(instance.polsek) + len(instance.tps)
        if np.asarray(instance.distance_km).shape != (n, n):
            raise ValueError(f"distance_km must be {n}x{n} (polsek then tps)")
    return patterns


def initial_tasks(instance: DeploymentInstance) -> dict[Key, PolsekTask]:
    owner = effective_polsek(instance)
    tasks = {p.id: PolsekTask(polsek=p, tps_by_category=defaultdict(list), pool=[]) for p in instance.polsek}
    for tps in instance.tps:
        tasks[owner[tps.id]].tps_by_category[tps.category].append(tps)
    for officer in instance.officers:
        if officer.is_available and officer.polsek_id in tasks:
            tasks[officer.polsek_id].pool.append(officer)
    return tasks


def solve(
    instance: DeploymentInstance,
    *,
    time_limit: float,
    seed: int,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> Result:
    """Plan the whole Polres: a first valid plan fast, then improve routes until `time_limit` (wall) s."""
    started = time.perf_counter()
    patterns = check_instance(instance)
    tasks = initial_tasks(instance)
    if instance.allow_officer_lending:
        lend_officers(instance, tasks, patterns)
    for task in tasks.values():
        allocate_task(task, instance, patterns)
    jobs = build_jobs(tasks.values(), patterns, DistanceLookup(instance), seed=seed)

    def report(phase: str) -> Callable[[int], None]:
        def on_done(done: int) -> None:
            if progress is not None:
                progress(ProgressEvent(phase, done, len(jobs), time.perf_counter() - started))

        return on_done

    executor = make_executor(workers)
    try:
        first_wall = min(FIRST_PASS_SHARE * time_limit, FIRST_PASS_CAP_S)
        first_jobs = with_budget(jobs, wall_s=first_wall, workers=workers)
        first = run_jobs(first_jobs, executor=executor, on_done=report("first_valid"))
        plan = assemble(tasks, first_jobs, first, instance, patterns)
        violations = validate(instance, plan)
        first_valid_s = time.perf_counter() - started

        rest = time_limit - (time.perf_counter() - started) - reserve_s(time_limit)
        if rest > MIN_JOB_TIME_S and jobs:
            second_jobs = with_budget(jobs, wall_s=rest, workers=workers, results=first)
            second = run_jobs(second_jobs, executor=executor, on_done=report("improve"))
            improved = assemble(tasks, second_jobs, second, instance, patterns)
            improved_violations = validate(instance, improved)
            if _better(improved, improved_violations, plan, violations):
                plan, violations = improved, improved_violations
    finally:
        if executor is not None:
            executor.shutdown()
    return Result(
        status="infeasible" if violations else "feasible",
        plan=plan,
        objective=round(sum(t.route_km for t in plan.teams), 3),
        first_valid_s=round(first_valid_s, 3),
        final_s=round(time.perf_counter() - started, 3),
        violations=tuple(violations),
        seed=seed,
    )


def _better(
    new: DeploymentPlan, new_v: Sequence[object], old: DeploymentPlan, old_v: Sequence[object]
) -> bool:
    """Fewer violations, then more TPS covered, then shorter total route."""

    def key(plan: DeploymentPlan, violations: Sequence[object]) -> tuple[int, int, float]:
        covered = sum(len(t.tps_ids) for t in plan.teams)
        return (len(violations), -covered, sum(t.route_km for t in plan.teams))

    return key(new, new_v) <= key(old, old_v)
