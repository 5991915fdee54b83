"""Fixtures for deployment tests: officers of chosen Polsek with a locked apel, and a plan built on them.

The shared test database holds the Jember territory, both elections' TPS and the operations demo (patterns:
kurang rawan 2:24, rawan 2:2; six rawan TPS in Tempurejo) but no personnel, so officers are made here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from siaga.deployment import selectors, services
from siaga.deployment.models import DeploymentPlan, Padal, ShortfallRow, TeamMember, TeamTps
from siaga.operations.models import Election
from siaga.personnel import reference
from siaga.personnel.models import ApelEntry, ApelSession, KitItem, Personnel, Rank
from siaga.personnel.services import ensure_units
from siaga.territory.models import PoliceUnit

_nrp = itertools.count(61000001)
SUBSET = ("polsek-tempurejo", "polsek-ambulu", "polsubsektor-ajung")


@pytest.fixture
def polres(db: Any) -> PoliceUnit:
    return PoliceUnit.objects.get(code="polres-jember")


@pytest.fixture
def pemilu(db: Any) -> Election:
    return Election.objects.get(slug="pemilu-2024")


def lock_apel(
    polres: PoliceUnit, people: list[Personnel], *, absent: set[int] = frozenset(), day: int = 1
) -> ApelSession:  # type: ignore[assignment]
    from siaga.accounts.models import User

    signer, _ = User.objects.get_or_create(username="t.apel.signer", defaults={"role": "commander"})
    session = ApelSession.objects.create(
        polres=polres,
        operation_slug="mantap-brata-2023",  # the Pemilu 2024 operation
        kind=ApelSession.Kind.PERGESERAN,
        held_on=dt.date(2024, 2, day),
        place="Mapolres",
        locked_at=timezone.now(),
        locked_by=signer,
    )
    ApelEntry.objects.bulk_create(
        [
            ApelEntry(
                session=session,
                personnel=p,
                unit_id=p.unit_id,
                status=ApelEntry.Status.SICK if p.pk in absent else ApelEntry.Status.PRESENT,
            )
            for p in people
        ]
    )
    return session


@pytest.fixture
def staff(polres: PoliceUnit) -> Callable[[dict[str, int]], list[Personnel]]:
    """Make officers per police-unit code (every 6th a perwira) and lock an apel with all of them present."""

    def make(sizes: dict[str, int]) -> list[Personnel]:
        reference.seed(Rank, KitItem)
        units = {u.police_unit.code if u.is_polsek else u.function: u for u in ensure_units(polres=polres)}
        ipda, bripda = Rank.objects.get(code="ipda"), Rank.objects.get(code="bripda")
        people = []
        for code, n in sizes.items():
            for i in range(n):
                nrp = str(next(_nrp))
                people.append(
                    Personnel(
                        nrp=nrp,
                        name=f"Petugas {nrp}",
                        rank=ipda if i % 6 == 0 else bripda,
                        unit=units[code],
                        phone=f"0812{nrp}",
                    )
                )
        Personnel.objects.bulk_create(people)
        people = list(
            Personnel.objects.filter(nrp__in=[p.nrp for p in people]).select_related("rank", "unit")
        )
        lock_apel(polres, people)
        return people

    return make


def subset_ids() -> list[int]:
    return list(PoliceUnit.objects.filter(code__in=SUBSET).values_list("pk", flat=True))


@pytest.fixture
def subset_plan(
    polres: PoliceUnit, pemilu: Election, staff: Callable[..., list[Personnel]]
) -> DeploymentPlan:
    """Tempurejo short of officers (its 6 rawan TPS first), Ambulu and Ajung with spares; no lending."""
    staff({"polsek-tempurejo": 13, "polsek-ambulu": 40, "polsubsektor-ajung": 16})
    run = services.create_run(
        actor=None,
        election=pemilu,
        polres=polres,
        time_limit=3,
        seed=0,
        workers=1,
        parameters={"polsek_ids": subset_ids(), "allow_officer_lending": False},
    )
    return services.execute_run(run=run)


# --- the independent check ---------------------------------------------------------------------------------


def expected_coverage(officers: int, perwira: int, rawan: int, kurang: int, per_padal: int = 10) -> int:
    """By hand: rawan teams (2 police : 2 TPS) first, then kurang rawan (2 : 24); a Padal (perwira) for every
    started block of `per_padal` teams. The largest team count T with 2T + Padal(T) <= officers."""
    need_r, need_k = math.ceil(rawan / 2), math.ceil(kurang / 24)
    best = 0
    for t in range(need_r + need_k + 1):
        if 2 * t + min(math.ceil(t / per_padal), perwira) <= officers:
            best = t
    teams_r = min(best, need_r)
    teams_k = best - teams_r
    return min(rawan, 2 * teams_r) + min(kurang, 24 * teams_k)


def independent_check(plan: DeploymentPlan) -> dict[str, Any]:
    """Re-check a stored plan without the solver: coverage per Polsek, no officer twice, team sizes per
    pattern, and the shortfall lists exactly the TPS not covered."""
    data = selectors.planning_input(election=plan.election, polres=plan.polres, parameters=plan.parameters)
    members = list(TeamMember.objects.filter(plan=plan).values_list("personnel_id", "team_id"))
    padal = list(Padal.objects.filter(plan=plan).values_list("personnel_id", flat=True))
    used = Counter([m for m, _t in members] + padal)
    assert all(c == 1 for c in used.values()), "an officer appears twice"
    for team in plan.teams.select_related("pattern").prefetch_related("members", "stops"):
        assert team.members.count() >= team.pattern.police
        assert 1 <= team.stops.count() <= team.pattern.tps
    covered = set(TeamTps.objects.filter(plan=plan).values_list("tps_id", flat=True))
    all_tps = {t.id for t in data.instance.tps} | {u[0] for u in data.unplannable}
    short = list(
        ShortfallRow.objects.filter(plan=plan, kind="uncovered_tps").values_list("tps_id", flat=True)
    )
    assert len(short) == len(set(short))
    assert set(short) == all_tps - covered, "the shortfall must list exactly the uncovered TPS"
    # Coverage per Polsek equals what its officers can cover (lending off).
    officers: dict[Any, list[Any]] = defaultdict(list)
    for o in data.instance.officers:
        if o.is_available:
            officers[o.polsek_id].append(o)
    tps_by: dict[Any, Counter[str]] = defaultdict(Counter)
    covered_by: Counter[Any] = Counter()
    rawan_keys = {selectors.category_key(p.pk) for p in data.patterns.values() if p.category.code == "rawan"}
    for t in data.instance.tps:
        tps_by[t.polsek_id]["rawan" if t.category in rawan_keys else "kurang"] += 1
        if t.id in covered:
            covered_by[t.polsek_id] += 1
    for polsek_id, counts in tps_by.items():
        pool = officers.get(polsek_id, [])
        want = expected_coverage(
            len(pool), sum(o.is_perwira for o in pool), counts["rawan"], counts["kurang"]
        )
        assert covered_by[polsek_id] == want, (polsek_id, covered_by[polsek_id], want)
    return {"covered": len(covered), "total": len(all_tps)}
