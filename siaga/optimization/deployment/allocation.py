"""Officer allocation inside one Polsek: how many teams each category gets, who leads, who is Padal.

Routing decides which TPS a team visits; this module decides how many teams there can be. Officers are the
scarce resource, so categories are served in decreasing criticality: when officers run out it is the least
critical TPS that stay uncovered, and each uncovered category gets a reason naming the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from siaga.optimization.deployment.model import Key, Officer, Pattern, Why


@dataclass(frozen=True)
class Allocation:
    teams_per_category: Mapping[str, int]
    #: Officer ids per new team, grouped by category in the order teams will be filled.
    team_officers: Mapping[str, tuple[tuple[Key, ...], ...]]
    new_padal_ids: tuple[Key, ...]
    spare_ids: tuple[Key, ...]
    #: Why a category got fewer teams than its TPS need (absent when fully staffed).
    reasons: Mapping[str, str]
    #: The same reasons as codes with their figures (`Why`), for the app to word in the user's language.
    why: Mapping[str, Why] = field(default_factory=dict)


def teams_needed(num_tps: int, pattern: Pattern) -> int:
    return math.ceil(num_tps / pattern.tps_per_team)


def padal_needed(num_teams: int, *, teams_per_padal: int, kept_padal: int = 0) -> int:
    """Padal needed in total; kept Padal keep their clusters, so the count never drops below them."""
    return max(kept_padal, math.ceil(num_teams / teams_per_padal))


def officers_needed(
    tps_per_category: Mapping[str, int], patterns: Mapping[str, Pattern], *, teams_per_padal: int
) -> int:
    """Officers a Polsek needs to cover all its TPS, Padal included (used to decide lending)."""
    teams = {c: teams_needed(n, patterns[c]) for c, n in tps_per_category.items()}
    police = sum(teams[c] * patterns[c].police_per_team for c in teams)
    return police + padal_needed(sum(teams.values()), teams_per_padal=teams_per_padal)


def by_seniority(officers: Sequence[Officer]) -> list[Officer]:
    """Most senior first; ids break ties so plans do not depend on input order."""
    return sorted(officers, key=lambda o: (-o.rank_order, str(o.id)))


def allocate(
    *,
    polsek_name: str,
    tps_per_category: Mapping[str, int],
    patterns: Mapping[str, Pattern],
    pool: Sequence[Officer],
    teams_per_padal: int,
    kept_teams: int = 0,
    kept_padal: int = 0,
    preferred_padal_ids: frozenset[Key] = frozenset(),
) -> Allocation:
    """Staff as many teams as the pool allows, most critical category first.

    `kept_teams` / `kept_padal` are teams and Padal a re-plan keeps; they count toward Padal clusters but
    take no officers from `pool`.
    """
    perwira_in_pool = sum(1 for o in pool if o.is_perwira)
    # Padal can only be perwira; with none left, teams go without a Padal (reported) rather than unstaffed.
    max_padal = kept_padal + perwira_in_pool
    remaining = len(pool)
    total_teams = kept_teams
    padal = min(padal_needed(total_teams, teams_per_padal=teams_per_padal, kept_padal=kept_padal), max_padal)
    remaining -= padal - kept_padal
    teams: dict[str, int] = {}
    reasons: dict[str, str] = {}
    why: dict[str, Why] = {}
    for category in sorted(tps_per_category, key=lambda c: -patterns[c].criticality):
        pattern = patterns[category]
        need = teams_needed(tps_per_category[category], pattern)
        got = 0
        while got < need:
            new_padal = min(
                padal_needed(total_teams + 1, teams_per_padal=teams_per_padal, kept_padal=kept_padal),
                max_padal,
            )
            cost = pattern.police_per_team + (new_padal - padal)
            if remaining < cost:
                break
            remaining -= cost
            padal = new_padal
            total_teams += 1
            got += 1
        teams[category] = got
        if got < need:
            reasons[category] = (
                f"not enough officers in Polsek {polsek_name}: {category} needs "
                f"{pattern.police_per_team} per team, {remaining} available after "
                f"{total_teams} teams and {padal} Padal ({need - got} more teams needed)"
            )
            why[category] = Why(
                "short_of_officers",
                (
                    ("polsek", polsek_name),
                    ("category", category),
                    ("per_team", pattern.police_per_team),
                    ("available", remaining),
                    ("teams", total_teams),
                    ("padal", padal),
                    ("more", need - got),
                ),
            )
    return _assign_officers(
        pool=pool,
        teams=teams,
        patterns=patterns,
        new_padal=padal - kept_padal,
        preferred_padal_ids=preferred_padal_ids,
        reasons=reasons,
        why=why,
    )


def _assign_officers(
    *,
    pool: Sequence[Officer],
    teams: Mapping[str, int],
    patterns: Mapping[str, Pattern],
    new_padal: int,
    preferred_padal_ids: frozenset[Key],
    reasons: Mapping[str, str],
    why: Mapping[str, Why],
) -> Allocation:
    # Padal first: the most senior perwira (a re-plan prefers the Padal already briefed for the area).
    perwira = sorted(
        (o for o in pool if o.is_perwira),
        key=lambda o: (o.id not in preferred_padal_ids, -o.rank_order, str(o.id)),
    )
    padal_ids = tuple(o.id for o in perwira[:new_padal])
    chosen = set(padal_ids)
    members = [o for o in by_seniority(pool) if o.id not in chosen]

    # Every team gets a leader from the most senior members before anyone gets a second member, and the most
    # critical categories get the most senior leaders.
    order = sorted(teams, key=lambda c: -patterns[c].criticality)
    slots = [(c, k) for c in order for k in range(teams[c])]
    groups: dict[tuple[str, int], list[Key]] = {slot: [] for slot in slots}
    cursor = 0
    depth = max((patterns[c].police_per_team for c in order if teams[c]), default=0)
    for level in range(depth):
        for category, k in slots:
            if level < patterns[category].police_per_team:
                groups[(category, k)].append(members[cursor].id)
                cursor += 1
    team_officers = {c: tuple(tuple(groups[(c, k)]) for k in range(teams[c])) for c in order}
    return Allocation(
        teams_per_category=dict(teams),
        team_officers=team_officers,
        new_padal_ids=padal_ids,
        spare_ids=tuple(o.id for o in members[cursor:]),
        reasons=dict(reasons),
        why=dict(why),
    )
