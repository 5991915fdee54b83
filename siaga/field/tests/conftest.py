"""A field officer of Polsek Tempurejo with a day of duties: a PAM TPS team (two TPS, a Padal) in a published
plan of an election voting today, a guard shift now at a post in Tempurejo, two patrol visits today, an apel
that allows self check-in, and an escort leg. Everything is made here, directly, to stay fast."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

PASSWORD = "bripda-password-123"


@dataclass
class World:
    user: Any
    person: Any
    padal: Any
    tps: list[Any]
    post: Any
    partner: Any
    points: list[Any]
    patrol_unit: Any
    apel: Any
    leg: Any | None


def make_world(*, username: str = "bripda.field") -> World:
    from siaga.accounts.models import User
    from siaga.deployment.models import DeploymentPlan, Padal, Team, TeamMember, TeamTps
    from siaga.guard.models import Assignment, Post, Roster
    from siaga.operations.models import Election, SecurityPattern, VulnerabilityCategory
    from siaga.patrols.models import PatrolDay, PatrolPlan, PatrolPoint, PatrolUnit, PatrolVisit, plan_day_of
    from siaga.personnel.models import ApelEntry, ApelSession, Personnel, Rank, Unit
    from siaga.sites.models import Tps, VitalObject
    from siaga.territory.models import Kecamatan, PoliceUnit

    now = timezone.now()
    today = timezone.localdate()
    polres = PoliceUnit.objects.get(code="polres-jember")
    polsek = PoliceUnit.objects.get(code="polsek-tempurejo")
    PoliceUnit.objects.filter(pk=polsek.pk).update(phone="0331-123456")
    polsek.refresh_from_db()
    tempurejo = Kecamatan.objects.get(name__iexact="Tempurejo")
    unit, _ = Unit.objects.get_or_create(
        code="t-polsek-tempurejo",
        defaults={"name": "Polsek Tempurejo", "polres": polres, "police_unit": polsek, "function": Unit.Function.POLSEK, "order": 50},
    )  # fmt: skip
    rank = Rank.objects.order_by("order").first()
    person = Personnel.objects.create(
        nrp="88010001", name="Bripda Uji Lapangan", rank=rank, unit=unit, is_synthetic=True
    )
    partner = Personnel.objects.create(
        nrp="88010002", name="Bripda Rekan Jaga", rank=rank, unit=unit, is_synthetic=True
    )
    padal_person = Personnel.objects.create(
        nrp="77010001", name="Iptu Padal Uji", rank=Rank.objects.order_by("-order").first(), unit=unit,
        is_synthetic=True, phone="0812-0000-1111",
    )  # fmt: skip
    user = User.objects.create_user(
        username=username, password=PASSWORD, role="field_officer", police_unit=polsek
    )
    from siaga.deployment.models import OfficerAccount

    OfficerAccount.objects.create(user=user, personnel=person)

    tps = list(Tps.objects.filter(kecamatan=tempurejo).order_by("desa__code", "number")[:2])
    election = tps[0].election
    Election.objects.filter(pk=election.pk).update(voting_on=today)
    plan = DeploymentPlan.objects.create(
        election=election, polres=polres, status=DeploymentPlan.Status.PUBLISHED, title="Uji", sprin_number="Sprin/1/2024", version=1,
        sprin_on=today,
    )  # fmt: skip
    padal = Padal.objects.create(plan=plan, personnel=padal_person, polsek=polsek)
    team = Team.objects.create(
        plan=plan, code="TPR-01", polsek=polsek, pattern=SecurityPattern.objects.first(),
        category=VulnerabilityCategory.objects.first(), padal=padal,
    )  # fmt: skip
    TeamMember.objects.create(plan=plan, team=team, personnel=person, position=1)
    for i, t in enumerate(tps, start=1):
        TeamTps.objects.create(plan=plan, team=team, tps=t, position=i)

    office = VitalObject.objects.create(
        kind=VitalObject.Kind.PPK_OFFICE if hasattr(VitalObject.Kind, "PPK_OFFICE") else VitalObject.Kind.values[0],
        name="PPK Tempurejo (uji)", kecamatan=tempurejo, lat=tempurejo.lat, lng=tempurejo.lng,
    )  # fmt: skip
    post = Post.objects.create(vital_object=office, code="t-pos-tpr", name="Pos PPK Tempurejo", lat=tempurejo.lat,
                               lng=tempurejo.lng, radius_m=500, required=1)  # fmt: skip
    roster = Roster.objects.create(
        name="Uji", polres=polres, starts_on=today, ends_on=today, status=Roster.Status.PUBLISHED
    )
    start = now - dt.timedelta(hours=2)
    Assignment.objects.create(roster=roster, post=post, personnel=person, on=today, shift_code="P",
                              starts_at=start, ends_at=start + dt.timedelta(hours=8))  # fmt: skip
    Assignment.objects.create(roster=roster, post=post, personnel=partner, on=today, shift_code="S",
                              starts_at=start + dt.timedelta(hours=8), ends_at=start + dt.timedelta(hours=16))  # fmt: skip

    points = [
        PatrolPoint.objects.create(code=f"t-fld-{i}", name=f"Kebun Tempurejo {i}", kind=PatrolPoint.Kind.QUIET_PLACE,
                                   kecamatan=tempurejo, lat=tempurejo.lat + 0.001 * i, lng=tempurejo.lng, is_synthetic=True)
        for i in range(2)
    ]  # fmt: skip
    patrol_unit = PatrolUnit.objects.create(
        code="t-fld-unit", name="Patroli Polsek Tempurejo", depot=polsek, shift_slots=[0, 1, 2]
    )
    # The patrol plan day starts in the morning: a moment after midnight belongs to the previous day's night.
    patrol_day = plan_day_of(now)
    patrol_plan = PatrolPlan.objects.create(
        name="Uji", polres=polres, starts_on=patrol_day, ends_on=patrol_day
    )
    day = PatrolDay.objects.create(
        plan=patrol_plan, day_on=patrol_day, seed=1, status=PatrolDay.Status.values[-1]
    )
    for i, point in enumerate(points):
        PatrolVisit.objects.create(day=day, point=point, slot=1, unit=patrol_unit, sequence=i,
                                   planned_at=now + dt.timedelta(minutes=30 * i))  # fmt: skip

    apel = ApelSession.objects.create(
        polres=polres, operation_slug="uji", kind=ApelSession.Kind.HARIAN, held_on=today, place="Mapolsek",
        self_check_in=True,
    )  # fmt: skip
    ApelEntry.objects.create(session=apel, personnel=person, unit=unit)
    return World(
        user=user, person=person, padal=padal, tps=tps, post=post, partner=partner, points=points,
        patrol_unit=patrol_unit, apel=apel, leg=None,
    )  # fmt: skip


@pytest.fixture
def field_world(db: Any) -> World:
    return make_world()
