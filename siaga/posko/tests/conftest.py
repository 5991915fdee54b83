"""Fixtures for the Posko: one condition of every alert kind, made in each app's own tables at a fixed moment.

The rows are written straight to the apps' models (not through their services) so that the test sees what the
Posko's sources read, quickly; each app's own tests cover how those rows come to be.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from siaga.events.models import Assignment as EventAssignment
from siaga.events.models import Event
from siaga.guard.models import Assignment, Post, Roster
from siaga.incidents.models import Incident
from siaga.logistics.models import Hop, Leg
from siaga.neutrality.models import Case
from siaga.operations.models import Election
from siaga.patrols.models import PatrolDay, PatrolPlan, PatrolPoint, PatrolUnit, PatrolVisit
from siaga.personnel import reference
from siaga.personnel.models import KitItem, Personnel, Rank
from siaga.personnel.services import ensure_units
from siaga.sites.models import VitalObject
from siaga.territory.models import Kecamatan, PoliceUnit

# A moment on voting day (local time): every condition below is in force then.
NOW = dt.datetime(2024, 2, 14, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
_nrp = itertools.count(77010001)


def make_officer(polsek_code: str = "polsek-tempurejo") -> Personnel:
    reference.seed(Rank, KitItem)
    polres = PoliceUnit.objects.get(code="polres-jember")
    unit = next(u for u in ensure_units(polres=polres) if u.police_unit.code == polsek_code)
    nrp = str(next(_nrp))
    return Personnel.objects.create(
        nrp=nrp,
        name=f"Bripda Posko {nrp}",
        rank=Rank.objects.get(code="bripda"),
        unit=unit,
        is_synthetic=True,
    )


@dataclass
class World:
    tempurejo: Kecamatan
    kaliwates: Kecamatan
    post: Post
    cctv: Post
    incident: Incident
    leg: Leg
    event: Event
    visit: PatrolVisit
    overdue_case: Case
    warning_case: Case


@pytest.fixture
def world(db: Any) -> World:
    tempurejo = Kecamatan.objects.get(name__iexact="Tempurejo")
    kaliwates = Kecamatan.objects.get(name__iexact="Kaliwates")
    polres = PoliceUnit.objects.get(code="polres-jember")
    election = Election.objects.get(slug="pemilu-2024")
    kpu = VitalObject.objects.get(kind=VitalObject.Kind.KPU_OFFICE, name__icontains="Jember")

    # Guard: a one-guard post and the CCTV seat, both on a shift begun at 06:00 that followed a night shift
    # (so a serah terima was due at 06:00), with nobody checked in.
    post = Post.objects.create(vital_object=kpu, code="p-pos", name="Pos KPU Posko", required=1)
    cctv = Post.objects.create(
        vital_object=kpu, code="p-cctv", name="CCTV KPU Posko", kind=Post.Kind.CCTV, required=1
    )
    roster = Roster.objects.create(
        name="Uji posko",
        polres=polres,
        starts_on=NOW.date(),
        ends_on=NOW.date(),
        status=Roster.Status.PUBLISHED,
    )
    six = NOW.replace(hour=6)
    for target in (post, cctv):
        for start, code in ((six - dt.timedelta(hours=8), "M"), (six, "P")):
            Assignment.objects.create(
                roster=roster, post=target, personnel=make_officer(), on=start.date(), shift_code=code,
                starts_at=start, ends_at=start + dt.timedelta(hours=8),
            )  # fmt: skip

    # Incidents: a P1 reported 20 minutes ago, nobody sent.
    incident = Incident.objects.create(
        receipt="PSK-0001", source="field", category="violence", description="uji", occurred_at=NOW - dt.timedelta(minutes=25),
        reported_at=NOW - dt.timedelta(minutes=20), kecamatan=tempurejo, priority=1, lat=tempurejo.lat, lng=tempurejo.lng,
    )  # fmt: skip

    # Logistics: a leg due an hour ago, still on its way.
    leg = Leg.objects.create(
        election=election, key="pps_tps:posko", hop=Hop.PPS_TPS, trip="posko:1", kecamatan=kaliwates,
        origin="PPS Kaliwates", origin_lat=kaliwates.lat, origin_lng=kaliwates.lng, destination="TPS 009",
        dest_lat=kaliwates.lat, dest_lng=kaliwates.lng, planned_depart=NOW - dt.timedelta(hours=2),
        planned_arrive=NOW - dt.timedelta(hours=1), status=Leg.Status.DEPARTED,
    )  # fmt: skip

    # Events: a campaign event under way for half an hour, its one officer not checked in.
    event = Event.objects.create(
        election=election, kind=Event.Kind.CAMPAIGN, title="Kampanye terbatas uji", kecamatan=tempurejo,
        place="Lapangan", lat=tempurejo.lat, lng=tempurejo.lng, starts_at=NOW - dt.timedelta(minutes=30),
        ends_at=NOW + dt.timedelta(hours=2),
    )  # fmt: skip
    EventAssignment.objects.create(event=event, personnel=make_officer())

    # Patrols: a visit planned at 08:00 to a point in Tempurejo, no check-in.
    point = PatrolPoint.objects.create(
        code="p-titik", name="Titik uji posko", kind=PatrolPoint.Kind.QUIET_PLACE, kecamatan=tempurejo,
        lat=tempurejo.lat, lng=tempurejo.lng,
    )  # fmt: skip
    unit = PatrolUnit.objects.create(code="p-unit", name="Unit uji", depot=polres, shift_slots=[0, 1, 2])
    plan = PatrolPlan.objects.create(
        name="Rencana uji",
        polres=polres,
        starts_on=NOW.date(),
        ends_on=NOW.date(),
        status=PatrolPlan.Status.ACTIVE,
    )
    day = PatrolDay.objects.create(plan=plan, day_on=NOW.date(), seed=1, status=PatrolDay.Status.FEASIBLE)
    visit = PatrolVisit.objects.create(
        day=day, point=point, slot=0, unit=unit, vehicle=1, planned_at=NOW - dt.timedelta(hours=2),
        leaves_at=NOW - dt.timedelta(hours=2) + dt.timedelta(minutes=15),
    )  # fmt: skip

    # Neutrality: one case past its step deadline, one inside the warning window.
    def case(receipt: str, due: dt.datetime, warn: dt.datetime) -> Case:
        return Case.objects.create(
            receipt=receipt, source=Case.Source.INTERNAL, summary="uji", officer_description="uji",
            occurred_at=NOW - dt.timedelta(days=5), kecamatan=tempurejo, received_at=NOW - dt.timedelta(days=5),
            step_started_at=NOW - dt.timedelta(days=5), step_due_at=due, step_warn_at=warn,
        )  # fmt: skip

    overdue = case("NTR-0001", NOW - dt.timedelta(hours=3), NOW - dt.timedelta(days=1))
    warning = case("NTR-0002", NOW + dt.timedelta(hours=5), NOW - dt.timedelta(hours=1))
    return World(tempurejo, kaliwates, post, cctv, incident, leg, event, visit, overdue, warning)


@pytest.fixture
def at_now() -> dt.datetime:
    return timezone.localtime(NOW)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The board keeps drawn panels and the strength table in the cache, keyed by what they show; tests reuse
    ids and fixed clocks, so each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
