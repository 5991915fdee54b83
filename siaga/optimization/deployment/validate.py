"""Independent re-check of a deployment plan against every hard rule.

Deliberately shares no code with the solver: it only reads the instance and the plan, so a solver bug cannot
hide itself. Each rule is a small function returning violations.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from siaga.optimization.deployment.model import DeploymentInstance, DeploymentPlan, Violation

Rule = Callable[[DeploymentInstance, DeploymentPlan], Iterator[Violation]]


def officers_known_and_available(instance: DeploymentInstance, plan: DeploymentPlan) -> Iterator[Violation]:
    officers = {o.id: o for o in instance.officers}
    used = [oid for t in plan.teams for oid in t.officer_ids] + [p.officer_id for p in plan.padal]
    for oid in used:
        officer = officers.get(oid)
        if officer is None:
            yield Violation("unknown_officer", f"officer {oid} is not in the instance")
        elif not officer.is_available:
            yield Violation("unavailable_officer", f"officer {oid} is not available")


def no_officer_twice(instance: DeploymentInstance, plan: DeploymentPlan) -> Iterator[Violation]:
    used = Counter([oid for t in plan.teams for oid in t.officer_ids] + [p.officer_id for p in plan.padal])
    for oid, count in used.items():
        if count > 1:
            yield Violation("officer_twice", f"officer {oid} is assigned {count} times (teams and Padal)")


def teams_staffed_by_pattern(instance: DeploymentInstance, plan: DeploymentPlan) -> Iterator[Violation]:
    patterns = {p.category: p for p in instance.patterns}
    for team in plan.teams:
        pattern = patterns.get(team.category)
        if pattern is None:
            yield Violation(
                "unknown_category", f"team {team.id} has category {team.category!r} without pattern"
            )
            continue
        if len(team.officer_ids) < pattern.police_per_team:
            yield Violation(
                "team_understaffed",
                f"team {team.id} has {len(team.officer_ids)} police, pattern {team.category} needs "
                f"{pattern.police_per_team}",
            )
        if len(team.tps_ids) > pattern.tps_per_team:
            yield Violation(
                "team_over_capacity",
                f"team {team.id} secures {len(team.tps_ids)} TPS, pattern {team.category} allows "
                f"{pattern.tps_per_team}",
            )
        if not team.tps_ids:
            yield Violation("empty_team", f"team {team.id} secures no TPS")


def team_tps_share_category(instance: DeploymentInstance, plan: DeploymentPlan) -> Iterator[Violation]:
    tps = {t.id: t for t in instance.tps}
    for team in plan.teams:
        for tps_id in team.tps_ids:
            station = tps.get(tps_id)
            if station is None:
                yield Violation("unknown_tps", f"team {team.id} visits unknown TPS {tps_id}")
            elif station.category != team.category:
                yield Violation(
                    "mixed_categories",
                    f"team {team.id} ({team.category}) visits TPS {tps_id} of category {station.category}",
                )


def teams_inside_jurisdiction(instance: DeploymentInstance, plan: DeploymentPlan) -> Iterator[Violation]:
    tps = {t.id: t for t in instance.tps}
    officers = {o.id: o for o in instance.officers}
    polsek_ids = {p.id for p in instance.polsek}
    for team in plan.teams:
        if team.polsek_id not in polsek_ids:
            yield Violation("unknown_polsek", f"team {team.id} belongs to unknown Polsek {team.polsek_id}")
        if not instance.allow_cross_jurisdiction:
            for tps_id in team.tps_ids:
                station = tps.get(tps_id)
                if station is not None and station.polsek_id != team.polsek_id:
                    yield Violation(
                        "outside_jurisdiction",
                        f"team {team.id} of Polsek {team.polsek_id} visits TPS {tps_id} of Polsek "
                        f"{station.polsek_id}",
                    )
        if not instance.allow_officer_lending:
            for oid in team.officer_ids:
                officer = officers.get(oid)
                if officer is not None and officer.polsek_id != team.polsek_id:
                    yield Violation(
                        "officer_lent",
                        f"officer {oid} of Polsek {officer.polsek_id} serves in team {team.id} of Polsek "
                        f"{team.polsek_id} but lending is not allowed",
                    )


def each_tps_covered_once_or_reported(
    instance: DeploymentInstance, plan: DeploymentPlan
) -> Iterator[Violation]:
    covered = Counter(tps_id for t in plan.teams for tps_id in t.tps_ids)
    reported = {s.tps_id for s in plan.shortfall if s.kind == "uncovered_tps"}
    for tps_id, count in covered.items():
        if count > 1:
            yield Violation("tps_twice", f"TPS {tps_id} is secured by {count} teams")
        if tps_id in reported:
            yield Violation("shortfall_covered", f"TPS {tps_id} is reported uncovered but is covered")
    for station in instance.tps:
        if station.id not in covered and station.id not in reported:
            yield Violation("uncovered_unreported", f"TPS {station.id} is neither covered nor reported")


def padal_rules(instance: DeploymentInstance, plan: DeploymentPlan) -> Iterator[Violation]:
    officers = {o.id: o for o in instance.officers}
    teams = {t.id: t for t in plan.teams}
    members = {oid for t in plan.teams for oid in t.officer_ids}
    controlled = Counter(tid for p in plan.padal for tid in p.team_ids)
    for padal in plan.padal:
        officer = officers.get(padal.officer_id)
        if officer is not None and not officer.is_perwira:
            yield Violation("padal_not_perwira", f"Padal {padal.officer_id} is not a perwira")
        if (
            officer is not None
            and officer.polsek_id != padal.polsek_id
            and not instance.allow_officer_lending
        ):
            yield Violation(
                "officer_lent", f"Padal {padal.officer_id} serves outside Polsek {officer.polsek_id}"
            )
        if padal.officer_id in members:
            yield Violation("padal_in_team", f"Padal {padal.officer_id} is also a team member")
        if len(padal.team_ids) > instance.teams_per_padal:
            yield Violation(
                "padal_over_limit",
                f"Padal {padal.officer_id} controls {len(padal.team_ids)} teams, limit "
                f"{instance.teams_per_padal}",
            )
        for tid in padal.team_ids:
            team = teams.get(tid)
            if team is None:
                yield Violation("padal_unknown_team", f"Padal {padal.officer_id} controls unknown team {tid}")
            elif team.polsek_id != padal.polsek_id:
                yield Violation(
                    "padal_other_polsek", f"Padal {padal.officer_id} controls team {tid} of another Polsek"
                )
    reported = {s.team_id for s in plan.shortfall if s.kind == "no_padal"}
    for tid, count in controlled.items():
        if count > 1:
            yield Violation("team_two_padal", f"team {tid} has {count} Padal")
    for team in plan.teams:
        if team.id not in controlled and team.id not in reported:
            yield Violation("team_without_padal", f"team {team.id} has no Padal and none is reported missing")


def unique_team_ids(instance: DeploymentInstance, plan: DeploymentPlan) -> Iterator[Violation]:
    for tid, count in Counter(t.id for t in plan.teams).items():
        if count > 1:
            yield Violation("duplicate_team_id", f"team id {tid} is used {count} times")


RULES: tuple[Rule, ...] = (
    officers_known_and_available,
    no_officer_twice,
    teams_staffed_by_pattern,
    team_tps_share_category,
    teams_inside_jurisdiction,
    each_tps_covered_once_or_reported,
    padal_rules,
    unique_team_ids,
)


def validate(instance: DeploymentInstance, plan: DeploymentPlan) -> list[Violation]:
    """Every hard-rule violation of `plan` for `instance`; an empty list means the plan is valid."""
    return [violation for rule in RULES for violation in rule(instance, plan)]
