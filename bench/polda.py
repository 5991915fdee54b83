"""Scale benchmark (d): a synthetic Polda planned as one fan-out on the task queue, 1 and then 2 workers.

    .venv/bin/python bench/polda.py [--polres 39] [--tps 120000] [--time-limit 20] [--seed 0]
                                    [--backend rq|db] [--phases 1,2] [--json]

One command, starts everything it needs and removes it afterwards:

1. a throwaway durable PostgreSQL cluster (bench/pgcluster.py), migrated; ranks come with the migrations,
   vulnerability categories and indicator sets from `ensure_reference_data`; with `--backend rq` (the default)
   a throwaway redis-server (bench/redisserver.py) for the queue;
2. a synthetic Polda, seeded: N Polres (kabupaten 99.01, 99.02, ...: province code 99 does not exist, so
   nothing can pass for a real code; past 99 Polres the codes go on in 98, 90, 89, ... 83, none of them real)
   laid out on a grid inside East Java's bounding box, one Polres of
   Jember's size and the others around the mean (2,060-7,355 TPS at the defaults). Each Polres has
   about 31 TPS per desa and 8 desa per kecamatan (Jember: 7,706 TPS, 248 desa, 31 kecamatan), one Polsek
   per kecamatan at its centre, an election with TPS at synthetic positions inside square desa tiles
   (`generate_demo_tps`, flagged synthetic), categories 98.5 % kurang rawan, 1.2 % rawan, 0.3 % sangat
   rawan, patterns Jember 2024 (2 police : 24 TPS, 2 : 2) plus sangat rawan 4 : 1, and synthetic officers
   in each Polsek: what its TPS need (teams and Padal) plus 5 %, about 1 in 8 a perwira;
3. the Polda fan-out through `siaga.deployment.services.start_polda_planning` (what the "Plotting se-Polda"
   page launches): a parent job and one planning job per Polres, each with `--time-limit` s and ONE solver
   worker: the solver can spread a Polres over a process pool (`workers`), so it is held at 1 here and the
   queue workers are the only parallelism measured;
4. for each worker count of `--phases`: that many long-running `siaga worker` processes (on RQ each with its
   own environment and data folder, standing for separate machines that share only PostgreSQL and Redis;
   started first and timed only once they listen on the queue, as in a deployment): wall time from the
   commit that queues all jobs to the last job's `finished_at`; then the plans, runs and jobs are deleted
   and the next phase starts;
5. a check that every job succeeded with a valid plan (the solver's independent validate()).

Prints polres, tps_total, wall time and TPS covered per phase, speedup (first phase / last), all_valid,
worker-seconds per Polres and per 1,000 TPS, per-phase details and setup timings (one JSON object with --json).
A simulated Mabes: `--polres 500 --tps 820000 --time-limit 5 --phases 2`.

Each job's solve is bounded by wall time, not by work, so two workers on two cores finish the queue in about
half the time even if they slow each other down; what contention costs shows as quality (TPS covered, route
km) in the 2-worker phase. The whole command is bounded by --max-minutes (the workers are stopped and the
phase reported as timed out).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pgcluster import PYTHON, Cluster, django_env  # noqa: E402
from redisserver import RedisServer  # noqa: E402

# East Java's mainland, roughly (lat south..north, lng west..east); every Polres gets its own cell.
BBOX_LAT = (-8.70, -6.95)
BBOX_LNG = (111.05, 114.55)
TPS_PER_DESA = 31  # Jember Pemilu 2024: 7,706 TPS in 248 desa
DESA_PER_KECAMATAN = 8  # Jember: 248 desa in 31 kecamatan
MAX_DESA_TILE_DEG = 0.03  # about 3.3 km
#: Share of TPS per category (Jember had 6 rawan of 7,706; a Polda has a few sangat rawan too).
MIX = {"kurang_rawan": 0.985, "rawan": 0.012, "sangat_rawan": 0.003}
#: (police, tps, linmas, tni) per pattern; kurang rawan and rawan come from the "jember-2024" template.
SANGAT_RAWAN = (4, 1, 2, 1)
OFFICER_HEADROOM = 1.05
JEMBER_SIZE_WEIGHT = 2.5
# Province codes that do not exist (Papua's are 91-97), so no synthetic kabupaten passes for a real one; 99 Polres
# per province code: up to 990 Polres for a simulated Mabes.
PROVINCES = ("99", "98", "90", "89", "88", "87", "86", "85", "84", "83")
ELECTION_SLUG = "pemilu-2024-polda-sintetis"
VOTING_ON = dt.date(2024, 2, 14)
RANKS_PERWIRA = {"ipda": 5, "iptu": 3, "akp": 2}
RANKS_OTHERS = {"bripda": 16, "briptu": 15, "brigpol": 20, "bripka": 16, "aipda": 12, "aiptu": 11}


def say(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f}s] {message}", file=sys.stderr, flush=True)


# --- the synthetic Polda --------------------------------------------------------------------------------


def polres_sizes(n: int, total: int, rng: np.random.Generator) -> list[int]:
    """TPS per Polres: log-normal around the mean, one Polres of Jember's size (2.5 x a typical one)."""
    from siaga.sites.services import largest_remainder

    weights = np.clip(rng.lognormal(0.0, 0.35, n), 0.7, 2.2)
    if n > 1:
        weights[0] = JEMBER_SIZE_WEIGHT
    return largest_remainder([round(1000 * w) for w in weights], total, minimum=1)


def grid(n: int) -> tuple[int, int]:
    """Columns and rows of Polres cells; the box is about twice as wide as it is tall."""
    cols = max(1, math.ceil(math.sqrt(2 * n)))
    return cols, math.ceil(n / cols)


def desa_tiles(count: int, width: float, height: float) -> tuple[float, int]:
    """Tile side (degrees) and tiles per row so that `count` square desa fit in a width x height cell."""
    tile = min(MAX_DESA_TILE_DEG, math.sqrt(width * height / count))
    while True:
        per_row = max(1, int(width // tile))
        if math.ceil(count / per_row) * tile <= height:
            return tile, per_row
        tile *= 0.95


def square(lat: float, lng: float, half: float) -> dict[str, Any]:
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


@dataclass
class Polda:
    election: Any
    polres: list[Any]
    tps_total: int = 0
    polres_tps: list[int] = field(default_factory=list)
    officers: int = 0
    category_counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def generate(*, polres_count: int, tps_total: int, seed: int, started: float) -> Polda:
    """Build the synthetic Polda through the project's models and services (bulk where they are bulk)."""
    from django.db import transaction
    from django.utils import timezone

    from siaga.core.audit import record_change
    from siaga.core.models import AuditEvent
    from siaga.operations import services as operations
    from siaga.operations.models import (
        Election,
        TpsCategory,
        TpsCategoryChange,
        VulnerabilityCategory,
    )
    from siaga.optimization.deployment.model import DEFAULT_TEAMS_PER_PADAL
    from siaga.personnel.models import Personnel, Rank, Unit
    from siaga.personnel.services import ensure_units
    from siaga.sites.models import Tps
    from siaga.sites.services import generate_demo_tps, largest_remainder
    from siaga.territory.models import Desa, Kabupaten, Kecamatan, PoliceUnit

    rng = np.random.default_rng(seed)
    timings: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        timings[name] = round(now - mark, 2)
        mark = now
        say(f"generate: {name} {timings[name]} s", started)

    sizes = polres_sizes(polres_count, tps_total, rng)
    cols, rows = grid(polres_count)
    cell_w = (BBOX_LNG[1] - BBOX_LNG[0]) / cols
    cell_h = (BBOX_LAT[1] - BBOX_LAT[0]) / rows

    with transaction.atomic():
        operations.ensure_reference_data()
        election, _ = Election.objects.get_or_create(
            slug=ELECTION_SLUG,
            defaults={
                "name": "Pemilu 2024 (Polda sintetis, benchmark)",
                "kind": Election.Kind.PEMILU,
                "voting_on": VOTING_ON,
            },
        )

        # Territory: kabupaten > kecamatan > desa (square tiles, rows of tiles form the kecamatan).
        kabupaten = Kabupaten.objects.bulk_create(
            [
                Kabupaten(
                    code=f"{PROVINCES[i // 99]}.{i % 99 + 1:02d}",
                    name=f"Kabupaten Sintetis {i + 1:02d}",
                    lat=round(BBOX_LAT[1] - (i // cols + 0.5) * cell_h, 6),
                    lng=round(BBOX_LNG[0] + (i % cols + 0.5) * cell_w, 6),
                )
                for i in range(polres_count)
            ]
        )
        kecamatan_rows: list[Kecamatan] = []
        desa_rows: list[Desa] = []
        desa_tps: list[int] = []
        for i, (kab, size) in enumerate(zip(kabupaten, sizes, strict=True)):
            n_desa = max(1, round(size / TPS_PER_DESA))
            n_kec = min(99, max(1, round(n_desa / DESA_PER_KECAMATAN)))
            width, height = 0.92 * cell_w, 0.92 * cell_h
            top = BBOX_LAT[1] - (i // cols) * cell_h - 0.04 * cell_h
            left = BBOX_LNG[0] + (i % cols) * cell_w + 0.04 * cell_w
            tile, per_row = desa_tiles(n_desa, width, height)
            # Tiles in blocks of 3 x 3, so that consecutive desa (one kecamatan) form a compact patch
            # around their Polsek rather than a strip across the kabupaten.
            cells = sorted(
                (divmod(j, per_row) for j in range(n_desa)), key=lambda rc: (rc[0] // 3, rc[1] // 3, rc)
            )
            centres = [(top - (r + 0.5) * tile, left + (c + 0.5) * tile) for r, c in cells]
            desa_tps += largest_remainder([int(w) for w in rng.integers(60, 140, n_desa)], size, minimum=1)
            for k in range(n_kec):
                members = centres[k * n_desa // n_kec : (k + 1) * n_desa // n_kec]
                kec = Kecamatan(
                    kabupaten=kab,
                    code=f"{kab.code}.{k + 1:02d}",
                    kpu_code=f"{kab.code.replace('.', '')}{k + 1:02d}",
                    name=f"Kecamatan Sintetis {i + 1:02d}-{k + 1:02d}",
                    lat=round(sum(c[0] for c in members) / len(members), 6),
                    lng=round(sum(c[1] for c in members) / len(members), 6),
                )
                kecamatan_rows.append(kec)
                for d, (lat, lng) in enumerate(members, start=1):
                    desa_rows.append(
                        Desa(
                            kecamatan=kec,
                            code=f"{kec.code}.{2000 + d:04d}",
                            kpu_code=f"{kec.kpu_code}{2000 + d:04d}",
                            name=f"Desa Sintetis {i + 1:02d}-{k + 1:02d}-{d:03d}",
                            lat=round(lat, 6),
                            lng=round(lng, 6),
                            inside_lat=round(lat, 6),
                            inside_lng=round(lng, 6),
                            boundary=square(lat, lng, 0.45 * tile),
                        )
                    )
        Kecamatan.objects.bulk_create(kecamatan_rows, batch_size=1000)
        for desa in desa_rows:
            desa.kecamatan_id = desa.kecamatan.pk
        Desa.objects.bulk_create(desa_rows, batch_size=1000)
        lap("territory")

        # Police: a Polres per kabupaten (all its kecamatan), a Polsek per kecamatan at its centre.
        polres = PoliceUnit.objects.bulk_create(
            [
                PoliceUnit(
                    code=f"polres-sintetis-{i + 1:03d}",
                    name=f"Polres Sintetis {i + 1:03d}",
                    level=PoliceUnit.Level.POLRES,
                    kabupaten=kab,
                    lat=kab.lat,
                    lng=kab.lng,
                )
                for i, kab in enumerate(kabupaten)
            ]
        )
        polres_of_kab = {p.kabupaten_id: p for p in polres}
        polsek = PoliceUnit.objects.bulk_create(
            [
                PoliceUnit(
                    code=f"polsek-sintetis-{kec.kpu_code}",
                    name=f"Polsek Sintetis {kec.kpu_code}",
                    level=PoliceUnit.Level.POLSEK,
                    parent=polres_of_kab[kec.kabupaten_id],
                    kabupaten_id=kec.kabupaten_id,
                    # The station sits near, not exactly on, the kecamatan centre.
                    lat=round(kec.lat + float(rng.normal(0, 0.004)), 6),
                    lng=round(kec.lng + float(rng.normal(0, 0.004)), 6),
                )
                for kec in kecamatan_rows
            ]
        )
        through = PoliceUnit.jurisdiction.through
        PoliceUnit.jurisdiction.through.objects.bulk_create(
            [
                through(policeunit_id=u.pk, kecamatan_id=k.pk)
                for u, k in zip(polsek, kecamatan_rows, strict=True)
            ]
            + [
                through(policeunit_id=polres_of_kab[k.kabupaten_id].pk, kecamatan_id=k.pk)
                for k in kecamatan_rows
            ],
            batch_size=2000,
        )
        polsek_of_kec = {k.pk: u.pk for u, k in zip(polsek, kecamatan_rows, strict=True)}
        lap("police_units")

        # TPS at synthetic positions inside their desa tile, through the demo generator.
        counts = {d.code: (n, 0) for d, n in zip(desa_rows, desa_tps, strict=True)}
        generate_demo_tps(election=election, counts=counts, lokasi_khusus_type="", mean_voters=250)
        lap("tps")

        # Categories: one decision per TPS and its history row, as the demo's categorisation writes them.
        categories = {c.code: c for c in VulnerabilityCategory.objects.all()}
        tps_rows = list(
            Tps.objects.filter(election=election).order_by("pk").values_list("pk", "kecamatan_id")
        )
        codes = list(MIX)
        drawn = rng.choice(len(codes), size=len(tps_rows), p=[MIX[c] for c in codes])
        now = timezone.now()
        why = "Pemetaan sintetis untuk benchmark (data sintetis)."
        need: dict[int, Counter[str]] = defaultdict(Counter)
        decisions, history = [], []
        for (tps_id, kec_id), c in zip(tps_rows, drawn, strict=True):
            code = codes[int(c)]
            need[polsek_of_kec[kec_id]][code] += 1
            decisions.append(
                TpsCategory(
                    tps_id=tps_id,
                    election=election,
                    kecamatan_id=kec_id,
                    category=categories[code],
                    justification=why,
                    decided_at=now,
                )
            )
            history.append(
                TpsCategoryChange(
                    tps_id=tps_id,
                    to_category=categories[code],
                    justification=why,
                    decided_by_label="sistem",
                    decided_at=now,
                    source=TpsCategoryChange.Source.DEMO,
                )
            )
        TpsCategory.objects.bulk_create(decisions, batch_size=2000)
        TpsCategoryChange.objects.bulk_create(history, batch_size=2000)
        category_counts = dict(Counter(codes[int(c)] for c in drawn))
        record_change(
            actor=None,
            action=AuditEvent.Action.IMPORT,
            object_type="operations.tpscategory",
            object_repr=election.slug,
            after=category_counts,
            message="synthetic Polda TPS categories (bench/polda.py)",
        )
        lap("categories")

        # Patterns: Jember 2024 plus a sangat rawan pattern, per Polres, through the services (audited).
        police, per_team, linmas, tni = SANGAT_RAWAN
        patterns = {"kurang_rawan": (2, 24), "rawan": (2, 2), "sangat_rawan": (police, per_team)}
        for p in polres:
            operations.copy_pattern_template(actor=None, key="jember-2024", polres=p, election=election)
            operations.save_pattern(
                actor=None,
                polres=p,
                election=election,
                data={
                    "category": categories["sangat_rawan"],
                    "name": "utama",
                    "police": police,
                    "tps": per_team,
                    "linmas": linmas,
                    "tni": tni,
                    "is_default": True,
                    "source": "bench/polda.py (sintetis)",
                },
            )
        lap("patterns")

        # Officers: each Polsek gets what its TPS need (teams, one Padal per 10 teams) plus the headroom.
        for p in polres:
            ensure_units(polres=p)
        unit_of = {
            u.police_unit_id: u for u in Unit.objects.filter(police_unit__in=polsek, function="").order_by()
        }
        ranks = {r.code: r for r in Rank.objects.all()}
        perwira_codes, perwira_w = list(RANKS_PERWIRA), np.array(list(RANKS_PERWIRA.values()), float)
        other_codes, other_w = list(RANKS_OTHERS), np.array(list(RANKS_OTHERS.values()), float)
        people: list[Personnel] = []
        for unit in polsek:
            teams = {c: math.ceil(n / patterns[c][1]) for c, n in need[unit.pk].items()}
            padal = math.ceil(sum(teams.values()) / DEFAULT_TEAMS_PER_PADAL)
            required = sum(patterns[c][0] * t for c, t in teams.items()) + padal
            n = max(2, math.ceil(required * OFFICER_HEADROOM))
            perwira = min(n, max(padal + 1, round(n / 8)))
            picks = np.concatenate(
                [
                    rng.choice(len(perwira_codes), size=perwira, p=perwira_w / perwira_w.sum()),
                    rng.choice(len(other_codes), size=n - perwira, p=other_w / other_w.sum()),
                ]
            )
            for k in range(n):
                code = perwira_codes[int(picks[k])] if k < perwira else other_codes[int(picks[k])]
                serial = len(people) + 1
                people.append(
                    Personnel(
                        # 8 digits starting with 9: NRP-shaped, never a real one (flagged synthetic anyway).
                        nrp=f"9{serial:07d}",
                        name=f"Personel Sintetis {serial:06d}",
                        rank=ranks[code],
                        unit=unit_of[unit.pk],
                        position="Anggota" if k >= perwira else "Perwira",
                        is_synthetic=True,
                    )
                )
        Personnel.objects.bulk_create(people, batch_size=2000)
        lap("officers")

    return Polda(
        election=election,
        polres=sorted(polres, key=lambda p: p.code),
        tps_total=len(tps_rows),
        polres_tps=sizes,
        officers=len(people),
        category_counts=category_counts,
        timings=timings,
    )


# --- the queue ----------------------------------------------------------------------------------------------


def reset_planning(redis: RedisServer | None) -> None:
    """Remove every plan, planning run, planning job and queued task, so each phase starts the same."""
    from django_tasks_db.models import DBTaskResult

    from siaga.core.models import Job
    from siaga.deployment.models import DeploymentPlan, PlanningRun
    from siaga.deployment.selectors import POLDA_PLAN_JOB_KIND

    PlanningRun.objects.all().delete()
    DeploymentPlan.objects.all().delete()
    Job.objects.filter(kind__in=["deployment.plan", POLDA_PLAN_JOB_KIND]).delete()
    DBTaskResult.objects.all().delete()
    if redis is not None:
        redis.flush()


def enqueue(polda: Polda, *, time_limit: float, seed: int) -> tuple[list[int], dt.datetime]:
    """The Polda plan fan-out (`start_polda_planning`, as the "Plotting se-Polda" page launches it): a parent
    job and one planning job per Polres, each with one solver worker, queued when the transaction commits.

    Returns the run ids and the commit time.
    """
    from django.utils import timezone

    from siaga.deployment import services
    from siaga.deployment.models import PlanningRun

    parent = services.start_polda_planning(
        actor=None, election=polda.election, polres_units=polda.polres, time_limit=time_limit, seed=seed
    )
    committed_at = timezone.now()
    run_ids = list(PlanningRun.objects.filter(job__parent=parent).values_list("pk", flat=True))
    return run_ids, committed_at


def other_connections() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def planning_jobs() -> tuple[int, dt.datetime | None]:
    """How many planning jobs have finished (succeeded or failed), and when the last one did."""
    from django.db.models import Count, Max

    from siaga.core.models import Job

    row = Job.objects.filter(kind="deployment.plan", finished_at__isnull=False).aggregate(
        n=Count("pk"), last=Max("finished_at")
    )
    return int(row["n"]), row["last"]


class Workers:
    """`workers` long-running `siaga worker` processes, as a deployment runs them. On RQ each stands for a
    machine of its own: its own environment and data folder, sharing only PostgreSQL and Redis."""

    def __init__(
        self, env: dict[str, str], *, workers: int, log_dir: Path, redis: RedisServer | None
    ) -> None:
        self.redis = redis
        self.logs = [(log_dir / f"worker-{workers}-{k}.log").open("w") for k in range(workers)]
        self.procs = []
        for k, log in enumerate(self.logs):
            name = f"bench-{workers}-{k}"
            own = dict(env, SIAGA_DATA_DIR=str(log_dir / name))
            Path(own["SIAGA_DATA_DIR"]).mkdir(exist_ok=True)
            if redis is None:
                argv = [str(PYTHON), "manage.py", "db_worker", "--no-reload", "--worker-id", name]
            else:  # the environment already names the RQ backend and the Redis server
                argv = [str(PYTHON), "-m", "siaga.cli", "worker", "--name", name]
            self.procs.append(
                subprocess.Popen(
                    argv, cwd=ROOT, env=own, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            )

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.procs)

    def ready(self) -> bool:
        if self.redis is None:  # a db_worker holds its connection while it polls
            return other_connections() >= len(self.procs)
        import redis as redis_client
        from rq import Worker

        return len(Worker.all(connection=redis_client.Redis.from_url(self.redis.url))) >= len(self.procs)

    def wait_ready(self, timeout_s: float) -> None:
        """Until every worker listens on the queue, so start-up is not timed."""
        deadline = time.monotonic() + timeout_s
        while not self.ready():
            if not self.alive() or time.monotonic() > deadline:
                raise RuntimeError("the worker did not start; see its log")
            time.sleep(0.2)

    def stop(self, grace_s: float) -> None:
        """SIGTERM lets a worker finish its current task (within `grace_s`); SIGKILL after that."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for p in self.procs:
                if p.poll() is None:
                    os.killpg(p.pid, sig)
            for p in self.procs:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    p.wait(timeout=grace_s)
        for log in self.logs:
            log.close()


def phase_summary(run_ids: list[int]) -> dict[str, Any]:
    from siaga.core.models import Job
    from siaga.deployment.models import PlanningRun

    runs = list(PlanningRun.objects.filter(pk__in=run_ids).select_related("plan", "job"))
    done = [r for r in runs if r.status == PlanningRun.Status.DONE and r.plan is not None]
    valid = [r for r in done if r.is_valid and r.plan.is_valid]
    jobs = [r.job for r in runs if r.job is not None]
    finished = [j for j in jobs if j.started_at and j.finished_at]
    durations = [(j.finished_at - j.started_at).total_seconds() for j in finished]
    span = (
        (max(j.finished_at for j in finished) - min(j.started_at for j in finished)).total_seconds()
        if finished
        else None
    )
    return {
        "jobs": len(runs),
        "jobs_succeeded": sum(1 for j in jobs if j.status == Job.Status.SUCCEEDED),
        "plans_valid": len(valid),
        "tps_total": sum(r.plan.tps_total for r in done),
        "tps_covered": sum(r.plan.tps_covered for r in done),
        "officers_used": sum(r.plan.officers_used for r in done),
        "total_route_km": round(sum(r.plan.total_route_km for r in done), 1),
        "job_span_s": round(span, 1) if span is not None else None,
        "job_s_mean": round(sum(durations) / len(durations), 1) if durations else None,
        "job_s_max": round(max(durations), 1) if durations else None,
        "solver_final_s_mean": round(sum(r.final_s or 0 for r in done) / len(done), 1) if done else None,
        "failed": [f"{r.polres.code}: {r.message or r.status}" for r in runs if r not in valid][:5],
    }


def run_phase(
    polda: Polda,
    env: dict[str, str],
    *,
    workers: int,
    time_limit: float,
    seed: int,
    budget_s: float,
    log_dir: Path,
    started: float,
    redis: RedisServer | None,
) -> dict[str, Any]:
    """Reset, start the workers and wait until they poll, queue every job at once, and time until the last
    job has finished (from the enqueue commit to the last Job.finished_at)."""
    from django.db import connection

    phase_started = time.monotonic()
    t0 = time.perf_counter()
    reset_planning(redis)
    reset_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pool = Workers(env, workers=workers, log_dir=log_dir, redis=redis)
    timed_out = False
    try:
        pool.wait_ready(timeout_s=120)
        ready_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_ids, committed_at = enqueue(polda, time_limit=time_limit, seed=seed)
        enqueue_s = time.perf_counter() - t0
        connection.close()
        next_report = time.monotonic() + 30
        while True:
            done, last = planning_jobs()
            connection.close()
            if done >= len(run_ids) or not pool.alive():
                break
            if time.monotonic() - phase_started > budget_s:
                timed_out = True
                break
            if time.monotonic() >= next_report:
                say(f"{workers} worker(s): {done}/{len(run_ids)} jobs done", started)
                next_report += 30
            time.sleep(0.5)
        wall = (last - committed_at).total_seconds() if last and done >= len(run_ids) else None
    finally:
        pool.stop(grace_s=5 if not timed_out else time_limit + 30)
    out: dict[str, Any] = {
        "workers": workers,
        "wall_s": round(wall, 1) if wall is not None else None,
        "timed_out": timed_out,
    }
    out.update(phase_summary(run_ids))
    out.update(reset_s=round(reset_s, 2), workers_ready_s=round(ready_s, 1), enqueue_s=round(enqueue_s, 2))
    if out["jobs_succeeded"] < out["jobs"] or timed_out:
        # The cluster directory (and these logs) is removed at the end: keep the tails in the output.
        out["worker_log_tail"] = {
            log.name: log.read_text(errors="replace").splitlines()[-15:]
            for log in sorted(log_dir.glob(f"worker-{workers}-*.log"))
        }
    return out


# --- main ---------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--polres", type=int, default=39, help="Polres (1-990, default 39: a Polda)")
    parser.add_argument("--tps", type=int, default=120_000, help="TPS in all (default 120,000)")
    parser.add_argument(
        "--time-limit", type=float, default=20.0, help="solver seconds per Polres job (default 20)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--backend",
        choices=["rq", "db"],
        default="rq",
        help="task queue: rq (Redis, `siaga worker` processes; default) or db (the database queue)",
    )
    parser.add_argument(
        "--phases", default="1,2", help="worker counts to run one after the other (default 1,2)"
    )
    parser.add_argument(
        "--max-minutes", type=float, default=75.0, help="bound on the whole command (default 75)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not 1 <= args.polres <= 99 * len(PROVINCES):
        parser.error(f"--polres must be 1-{99 * len(PROVINCES)}")
    if args.tps < 10 * args.polres:
        parser.error("--tps must be at least 10 per Polres")
    if not 1 <= args.time_limit <= 3600:
        parser.error("--time-limit must be 1-3600 s (the planner's own bounds)")
    try:
        worker_phases = [int(w) for w in args.phases.split(",")]
    except ValueError:
        parser.error("--phases: worker counts separated by commas, e.g. 1,2")
    if not worker_phases or min(worker_phases) < 1:
        parser.error("--phases: worker counts separated by commas, e.g. 1,2")

    started = time.monotonic()
    deadline = started + 60 * args.max_minutes
    timings: dict[str, Any] = {}
    cluster = Cluster()
    redis = RedisServer() if args.backend == "rq" else None
    try:
        t0 = time.perf_counter()
        cluster.start()
        if redis is not None:
            redis.start()
        timings["cluster_start_s"] = round(time.perf_counter() - t0, 2)
        say("cluster started", started)
        env = django_env(cluster)
        if redis is not None:  # this process queues the jobs: on Redis too
            env.update(SIAGA_TASKS_BACKEND="django_tasks_rq.RQBackend", SIAGA_REDIS_URL=redis.url)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        timings["migrate_s"] = round(time.perf_counter() - t0, 2)
        say("migrated", started)

        t0 = time.perf_counter()
        polda = generate(polres_count=args.polres, tps_total=args.tps, seed=args.seed, started=started)
        timings["generate_s"] = round(time.perf_counter() - t0, 2)
        timings["generate_detail_s"] = polda.timings
        say(
            f"generated {len(polda.polres)} Polres, {polda.tps_total} TPS, {polda.officers} officers", started
        )

        phases: dict[int, dict[str, Any]] = {}
        for n, workers in enumerate(worker_phases):
            remaining = deadline - time.monotonic()
            # Each phase may use its share of what is left, so later phases still get a turn.
            budget = remaining / (len(worker_phases) - n) * (1.3 if n < len(worker_phases) - 1 else 1)
            say(f"{workers} worker(s): {len(polda.polres)} jobs, budget {budget:.0f} s", started)
            phases[workers] = run_phase(
                polda,
                env,
                workers=workers,
                time_limit=args.time_limit,
                seed=args.seed,
                budget_s=budget,
                log_dir=cluster.dir,
                started=started,
                redis=redis,
            )
            say(f"{workers} worker(s): wall {phases[workers]['wall_s']} s", started)

        jobs = len(polda.polres)
        all_valid = all(
            p["plans_valid"] == jobs and p["jobs_succeeded"] == jobs and not p["timed_out"]
            for p in phases.values()
        )
        for workers, phase in phases.items():
            if phase["wall_s"]:
                # What a Polres costs the queue: worker-seconds per Polres and per 1,000 TPS.
                phase["worker_s_per_polres"] = round(workers * phase["wall_s"] / jobs, 2)
                phase["worker_s_per_1000_tps"] = round(1000 * workers * phase["wall_s"] / polda.tps_total, 2)
        first, last = phases[worker_phases[0]], phases[worker_phases[-1]]
        result: dict[str, Any] = {
            "backend": args.backend,
            "polres": jobs,
            "tps_total": polda.tps_total,
            "polres_tps_min_max": [min(polda.polres_tps), max(polda.polres_tps)],
            "officers": polda.officers,
            "officers_per_1000_tps": round(1000 * polda.officers / polda.tps_total, 1),
            "categories": polda.category_counts,
            "jobs": jobs,
            "time_limit_s": args.time_limit,
            "solver_workers_per_job": 1,
            **{f"wall_{w}_worker{'s' if w > 1 else ''}_s": p["wall_s"] for w, p in phases.items()},
            **{f"tps_covered_{w}_worker{'s' if w > 1 else ''}": p["tps_covered"] for w, p in phases.items()},
            "all_valid": all_valid,
            "seed": args.seed,
            **{f"phase_{w}_worker{'s' if w > 1 else ''}": p for w, p in phases.items()},
            "timings": timings,
            "total_s": round(time.monotonic() - started, 1),
            "note": "each job runs the solver with 1 internal worker (the solver's process pool is off), so the "
            "queue workers are the only parallelism; solves are bounded by wall time, so contention shows "
            "as quality (tps_covered, total_route_km), not as time",
        }
        # The database with the territory, TPS, officers and the last phase's plans: what a Polda adds up to.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            result["database_mb"] = round(cursor.fetchone()[0] / 2**20, 1)
        if len(phases) > 1 and first["wall_s"] and last["wall_s"]:
            result["speedup"] = round(first["wall_s"] / last["wall_s"], 2)
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print(json.dumps(result, indent=2), flush=True)
        return 0 if all_valid else 1
    finally:
        if redis is not None:
            redis.stop()
        cluster.stop()


if __name__ == "__main__":
    raise SystemExit(main())
