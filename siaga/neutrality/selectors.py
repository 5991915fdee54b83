"""Reads for neutrality cases, filtered by jurisdiction. A complainant's identity is read only through
`access_complainant`, by Propam/Siwas, and every read is audited."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.audit import record_change
from siaga.core.errors import NotFound
from siaga.core.models import AuditEvent
from siaga.neutrality import rules
from siaga.neutrality.models import Case, Complainant, Pledge, Relative, Step
from siaga.territory.models import PoliceUnit


def cases_for(
    user: Any, *, step: str = "", state: str = "", now: dt.datetime | None = None
) -> QuerySet[Case]:
    """Cases in the user's area; `state` is 'overdue', 'warning' or 'open'."""
    if not (can(user, "handle_neutrality") or can(user, "view_neutrality_summary")):
        return Case.objects.none()
    now = now or timezone.now()
    qs = scope_for(user).filter(
        Case.objects.select_related("kecamatan", "desa", "tps", "officer"), "kecamatan_id"
    )
    if step:
        qs = qs.filter(step=step)
    open_q = ~Q(step__in=[Step.DECIDED, Step.CLOSED])
    if state == "overdue":
        qs = qs.filter(open_q, step_due_at__lte=now)
    elif state == "warning":
        qs = qs.filter(open_q, step_warn_at__lte=now, step_due_at__gt=now)
    elif state == "open":
        qs = qs.filter(open_q)
    return qs


def access_case(user: Any, pk: int) -> Case:
    """A case's details are Propam's: commanders see counts and steps on the list, not the file."""
    if not can(user, "handle_neutrality"):
        raise NotFound(_("Perkara tidak ditemukan"))
    case = cases_for(user).filter(pk=pk).first()
    if case is None:
        raise NotFound(_("Perkara tidak ditemukan"))
    return case


def may_read_identity(user: Any) -> bool:
    # Strictly the Propam/Siwas role, not the superuser's blanket capability: the complainant was promised that
    # only the officers who handle the complaint know who they are.
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.PROPAM)


def access_complainant(user: Any, case: Case) -> Complainant | None:
    """The complainant of a case for Propam/Siwas, with an audit record of the read; None for anyone else."""
    if not may_read_identity(user):
        return None
    person = Complainant.objects.filter(case=case).first()
    if person is None or person.is_anonymous:
        return person
    record_change(
        actor=user,
        action=AuditEvent.Action.VIEW,
        obj=person,
        object_repr=f"pengadu {case.receipt}",
        message="identitas pengadu netralitas dibaca",
    )
    return person


def deadline_state(case: Case, now: dt.datetime | None = None) -> str:
    if not case.is_open:
        return ""
    return rules.deadline_state(due_at=case.step_due_at, warn_at=case.step_warn_at, now=now or timezone.now())


# --- summary and reports ------------------------------------------------------------------------------------


@dataclass
class Summary:
    by_step: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    warning: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # classification or close reason -> count
    # Polsek name -> step -> count, for the cases in each Polsek's area.
    by_polsek: dict[str, Counter[str]] = field(default_factory=dict)
    total: int = 0


def summary(user: Any, now: dt.datetime | None = None) -> Summary:
    """Counts for commanders and the report: by step, overdue, outcomes, per Polsek. Three queries."""
    now = now or timezone.now()
    qs = cases_for(user)
    result = Summary()
    rows = qs.values("step", "classification", "close_reason", "kecamatan_id").annotate(n=Count("pk"))
    polsek_of: dict[int, str] = {}
    for unit_name, kecamatan_id in PoliceUnit.objects.filter(level=PoliceUnit.Level.POLSEK).values_list(
        "name", "jurisdiction"
    ):
        if kecamatan_id is not None:
            polsek_of.setdefault(kecamatan_id, unit_name)
    by_polsek: dict[str, Counter[str]] = defaultdict(Counter)
    steps: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for row in rows:
        steps[row["step"]] += row["n"]
        if row["step"] == Step.DECIDED:
            outcomes[row["classification"]] += row["n"]
        elif row["step"] == Step.CLOSED:
            outcomes[f"closed:{row['close_reason']}"] += row["n"]
        by_polsek[polsek_of.get(row["kecamatan_id"], "-")][row["step"]] += row["n"]
    result.by_step = {s: steps.get(s, 0) for s in Step.values}
    result.total = sum(steps.values())
    result.outcomes = dict(outcomes)
    result.by_polsek = dict(sorted(by_polsek.items()))
    result.overdue = cases_for(user, state="overdue", now=now).count()
    result.warning = cases_for(user, state="warning", now=now).count()
    return result


# --- the officer's context ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duty:
    """What an officer was assigned to, or where he checked in, around the time of a complaint."""

    kind: str  # pam_tps, guard, guard_checkin, patrol_checkin
    label: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    kecamatan_id: int | None
    at_reported_place: bool


def officer_context(
    *,
    personnel_id: int,
    at: dt.datetime,
    kecamatan_id: int | None = None,
    tps_id: int | None = None,
    window: dt.timedelta = dt.timedelta(hours=6),
) -> list[Duty]:
    """The officer's duties covering `at` and check-ins within `window` of it: PAM TPS team (published plan,
    voting-day window), guard shifts, guard and patrol check-ins. `at_reported_place` marks those at the
    reported TPS or kecamatan. Events and escorts join here when those apps record duties."""
    from siaga.deployment.commitments import voting_days_covering
    from siaga.deployment.models import DeploymentPlan, OfficerAccount, TeamMember, TeamTps
    from siaga.guard.models import Assignment, CheckIn, Roster
    from siaga.patrols.models import PatrolCheckIn

    duties: list[Duty] = []
    teams = TeamMember.objects.filter(
        personnel_id=personnel_id,
        plan__status=DeploymentPlan.Status.PUBLISHED,
        plan__election__voting_on__in=voting_days_covering(at),
    ).values_list("team_id", "team__code", "plan__election__voting_on")
    for team_id, code, voting_on in teams:
        for tps_pk, tps_code, tps_number, desa, kec_id in TeamTps.objects.filter(team_id=team_id).values_list(
            "tps_id", "tps__code", "tps__number", "tps__desa__name", "tps__kecamatan_id"
        ):
            duties.append(
                Duty(
                    kind="pam_tps",
                    label=_("PAM TPS tim %(team)s: TPS %(number)s %(desa)s (%(code)s), %(day)s")
                    % {
                        "team": code,
                        "number": tps_number,
                        "desa": desa,
                        "code": tps_code,
                        "day": date_format(voting_on, "DATE_FORMAT"),
                    },
                    starts_at=None,
                    ends_at=None,
                    kecamatan_id=kec_id,
                    at_reported_place=(tps_id is not None and tps_pk == tps_id)
                    or (tps_id is None and kecamatan_id is not None and kec_id == kecamatan_id),
                )
            )
    for post, kec_id, starts_at, ends_at in Assignment.objects.filter(
        personnel_id=personnel_id, roster__status=Roster.Status.PUBLISHED, starts_at__lte=at, ends_at__gt=at
    ).values_list("post__name", "post__vital_object__kecamatan_id", "starts_at", "ends_at"):
        duties.append(
            Duty(
                "guard",
                _("Jaga pos %(post)s") % {"post": post},
                starts_at,
                ends_at,
                kec_id,
                kec_id == kecamatan_id,
            )
        )
    for post, kec_id, came, went in CheckIn.objects.filter(
        personnel_id=personnel_id, checked_in_at__lte=at + window, checked_in_at__gte=at - window
    ).values_list("post__name", "post__vital_object__kecamatan_id", "checked_in_at", "checked_out_at"):
        duties.append(
            Duty(
                "guard_checkin",
                _("Absen jaga di %(post)s") % {"post": post},
                came,
                went,
                kec_id,
                kec_id == kecamatan_id,
            )
        )
    user_ids = list(
        OfficerAccount.objects.filter(personnel_id=personnel_id).values_list("user_id", flat=True)
    )
    if user_ids:
        for point, kec_id, came, went in PatrolCheckIn.objects.filter(
            user_id__in=user_ids, arrived_at__lte=at + window, arrived_at__gte=at - window
        ).values_list("point__name", "point__kecamatan_id", "arrived_at", "left_at"):
            duties.append(
                Duty(
                    "patrol_checkin",
                    _("Absen patroli di %(point)s") % {"point": point},
                    came,
                    went,
                    kec_id,
                    kec_id == kecamatan_id,
                )
            )
    return duties


# --- relatives standing in the election ---------------------------------------------------------------------


@dataclass(frozen=True)
class RelativeConflict:
    personnel_id: int
    officer: str
    relative: str
    standing: str
    team: str
    kecamatan: str
    plan_id: int


def relative_conflicts(user: Any, *, plan_id: int | None = None) -> list[RelativeConflict]:
    """Officers whom a current PAM TPS plan (draft, reviewed or published; not a superseded one) puts in a
    kecamatan where a declared relative stands. Three queries whatever the size."""
    from siaga.deployment.models import DeploymentPlan, TeamMember, TeamTps

    areas: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for pid, name, standing, kec in Relative.objects.filter(kecamatan__isnull=False).values_list(
        "personnel_id", "name", "standing", "kecamatan"
    ):
        areas[pid].append((name, str(Relative.Standing(standing).label), kec))
    if not areas:
        return []
    members = TeamMember.objects.filter(personnel_id__in=areas.keys()).exclude(
        plan__status=DeploymentPlan.Status.AMENDED
    )
    if plan_id:
        members = members.filter(plan_id=plan_id)
    member_rows = list(
        members.values_list("team_id", "team__code", "personnel_id", "personnel__name", "plan_id")
    )
    scope = scope_for(user)
    team_kec: dict[int, set[int]] = defaultdict(set)
    kec_names: dict[int, str] = {}
    for team_id, kec_id, kec_name in TeamTps.objects.filter(
        team_id__in={r[0] for r in member_rows}
    ).values_list("team_id", "tps__kecamatan_id", "tps__kecamatan__name"):
        if scope.allows(kec_id):
            team_kec[team_id].add(kec_id)
            kec_names[kec_id] = kec_name
    conflicts = []
    for team_id, code, pid, officer, plan in member_rows:
        for name, standing, kec in areas[pid]:
            if kec in team_kec.get(team_id, set()):
                conflicts.append(RelativeConflict(pid, officer, name, standing, code, kec_names[kec], plan))
    return conflicts


def relatives_for(user: Any) -> QuerySet[Relative]:
    from siaga.personnel.selectors import personnel_for

    return (
        Relative.objects.filter(personnel__in=personnel_for(user).values("pk"))
        .select_related("personnel", "personnel__rank")
        .prefetch_related("kecamatan")
    )


def officer_by_nrp(user: Any, nrp: str) -> Any:
    from siaga.personnel.selectors import personnel_for

    return personnel_for(user).filter(nrp=nrp.strip()).first()


@dataclass(frozen=True)
class PledgeStatus:
    signed: int
    total: int
    unsigned: list[Any]  # the first officers who have not signed, for the list on screen


def pledge_status(user: Any, *, operation_id: int, show: int = 200) -> PledgeStatus:
    """How many officers in the user's area signed the operation's pledge (three queries)."""
    from siaga.personnel.models import Personnel
    from siaga.personnel.selectors import personnel_for

    officers = personnel_for(user).filter(status__in=Personnel.ROSTER_STATUSES)
    signed_ids = Pledge.objects.filter(operation_id=operation_id, personnel__in=officers.values("pk"))
    return PledgeStatus(
        signed=signed_ids.count(),
        total=officers.count(),
        unsigned=list(officers.exclude(pk__in=signed_ids.values("personnel_id"))[:show]),
    )
