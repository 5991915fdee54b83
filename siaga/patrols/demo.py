"""Jember demo patrols: Sat Samapta (from Mapolres) and four Polsek patrol units; points at KPU and Bawaslu
Jember, the logistics warehouse (if the guard demo made it), rawan TPS of Pemilu 2024 in the units'
kecamatan, and synthetic quiet places (3C) and housing estates, all labelled synthetic; the week up to voting
day (8-14 Feb 2024, moved with the demo calendar of siaga.core.demo so that today is in it) drawn and routed, with
check-ins for the visits already past: most done, some missed, one override and one implausible check-in so the
flags, missed points and warnings show.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from siaga.core.demo import demo_date
from siaga.core.geo import random_points_inside
from siaga.patrols import services
from siaga.patrols.models import PatrolCheckIn, PatrolPlan, PatrolPoint, PatrolUnit, PatrolVisit
from siaga.sites.models import VitalObject
from siaga.territory.models import Kecamatan, PoliceUnit

log = logging.getLogger(__name__)

DAYS = 7  # the week up to and including voting day
ROUTE_SECONDS = 0.4  # per day; the demo must load quickly (the planner's own figures are in bench/)
POLSEK = ("kaliwates", "sumbersari", "patrang", "tempurejo")
RAWAN_TPS_MAX = 16
# Synthetic places per kecamatan: (kind, label, value, minimum visits a day).
SYNTHETIC = [
    (PatrolPoint.Kind.QUIET_PLACE, "Jalan sepi", 4.0, 0),
    (PatrolPoint.Kind.QUIET_PLACE, "Lahan kosong", 3.0, 0),
    (PatrolPoint.Kind.CRIME_PRONE, "Titik rawan 3C", 6.0, 1),
    (PatrolPoint.Kind.HOUSING, "Perumahan", 5.0, 0),
]
NAMESPACE = uuid.UUID("0b6c8f1e-59a3-4f7e-9a52-7c1f0c2d9e10")


def _units(polres: PoliceUnit) -> list[PatrolUnit]:
    from siaga.personnel.models import Unit

    units = []
    spec: list[tuple[str, str, int, list[int], str]] = [
        ("polres-jember", "Patroli Sat Samapta Polres Jember", 3, [0, 1, 2], Unit.Function.SAT_SAMAPTA)
    ]
    spec += [
        (f"polsek-{name}", f"Patroli Polsek {name.title()}", 1, [0, 1] if name == "tempurejo" else [1, 2], "")
        for name in POLSEK
    ]
    for depot_code, name, vehicles, shifts, function in spec:
        depot = PoliceUnit.objects.filter(code=depot_code).first()
        if depot is None:
            continue
        personnel_unit = Unit.objects.filter(police_unit=depot, function=function).first()
        code = f"demo-{depot_code}"
        unit = PatrolUnit.objects.filter(code=code).first() or services.create_unit(
            actor=None,
            code=code,
            name=name,
            depot=depot,
            vehicles=vehicles,
            shift_slots=shifts,
            personnel_unit=personnel_unit,
        )
        units.append(unit)
    return units


def _points(units: list[PatrolUnit], election: object) -> list[PatrolPoint]:
    kecamatan_ids = set()
    for unit in units:
        kecamatan_ids |= set(unit.depot.jurisdiction.values_list("id", flat=True))
    kpu_bawaslu = VitalObject.objects.filter(
        kind__in=[VitalObject.Kind.KPU_OFFICE, VitalObject.Kind.BAWASLU_OFFICE], name__icontains="Jember"
    ).values_list("kecamatan_id", flat=True)
    kecamatan_ids |= set(kpu_bawaslu)
    services.points_from_sites(
        actor=None, election=election, kecamatan_ids=kecamatan_ids, max_tps=RAWAN_TPS_MAX
    )
    keep = list(
        PatrolPoint.objects.filter(
            kind__in=[PatrolPoint.Kind.VITAL_OBJECT, PatrolPoint.Kind.RAWAN_TPS],
            kecamatan_id__in=kecamatan_ids,
        )
    )
    for kecamatan in Kecamatan.objects.filter(id__in=kecamatan_ids, name__iregex="|".join(POLSEK)):
        if not kecamatan.boundary:
            continue
        spots = random_points_inside(kecamatan.boundary, len(SYNTHETIC), seed=f"patrol-demo-{kecamatan.code}")
        for (kind, label, value, minimum), (lat, lng) in zip(SYNTHETIC, spots, strict=True):
            code = f"demo-{kind.replace('_', '-')}-{kecamatan.code.replace('.', '')}"
            keep.append(
                PatrolPoint.objects.filter(code=code).first()
                or services.create_point(
                    actor=None, code=code, name=f"{label} {kecamatan.name} (sintetis)", kind=kind, kecamatan=kecamatan, lat=lat, lng=lng,
                    value=value, min_visits=minimum, is_synthetic=True, open_slots=[1, 2] if kind == PatrolPoint.Kind.QUIET_PLACE else [],
                    notes="Demo: tempat sintetis, bukan lokasi nyata / synthetic place, not a real location",
                )
            )  # fmt: skip
    return list({p.pk: p for p in keep}.values())


def _checkins(plan: PatrolPlan, voting_day: dt.date) -> int:
    """Check-ins for every drawn day before voting day, up to now: about 9 in 10 visits done; the rest are
    missed. Visits still ahead (a live demo's afternoon, the days to come) have none yet."""
    count = 0
    visits = (
        PatrolVisit.objects.filter(
            day__plan=plan,
            day__day_on__lt=voting_day,
            unit__isnull=False,
            is_cancelled=False,
            planned_at__lte=timezone.now() - dt.timedelta(minutes=15),
        )
        .select_related("point", "unit")
        .order_by("planned_at", "pk")
    )
    for i, visit in enumerate(visits):
        if i % 10 == 7 or visit.planned_at is None:
            continue  # missed (shows red in the day's table and on the map)
        key = uuid.uuid5(NAMESPACE, f"{plan.pk}:{visit.pk}")
        if PatrolCheckIn.objects.filter(client_key=key).exists():
            continue
        offset = 0.0003 if i % 37 != 5 else 0.02  # one in 37 is 2 km off: OUTSIDE_RADIUS
        services.record_checkin(
            actor=None, client_key=key, point=visit.point, unit=visit.unit, lat=visit.point.lat + offset, lng=visit.point.lng,
            accuracy_m=12 + i % 20, arrived_at=visit.planned_at + dt.timedelta(minutes=i % 7),
            left_at=visit.planned_at + dt.timedelta(minutes=8 + i % 7),
        )  # fmt: skip
        count += 1
    return count


@transaction.atomic
def load_demo(*, report: Callable[[float, str], None]) -> None:
    from siaga.operations.models import Election, Operation

    polres = PoliceUnit.objects.filter(code="polres-jember").first()
    if polres is None:
        report(100, "tidak ada Polres Jember / no Polres Jember")
        return
    if PatrolPlan.objects.filter(name__startswith="Patroli acak Pemilu 2024").exists():
        return
    election = Election.objects.filter(slug="pemilu-2024").first()
    operation = Operation.objects.filter(election=election).order_by("pk").first() if election else None
    voting_day = demo_date(2024, 2, 14)
    first_day = voting_day - dt.timedelta(days=DAYS - 1)
    units = _units(polres)
    report(10, "unit patroli / patrol units")
    points = _points(units, election)
    report(25, f"{len(points)} titik / points")
    if not points or not units:
        return
    plan = services.create_plan(
        actor=None, name="Patroli acak Pemilu 2024: minggu pemungutan suara", polres=polres, starts_on=first_day,
        ends_on=voting_day, points=points, units=units, election=election, operation=operation, visits_per_vehicle_shift=5,
    )  # fmt: skip
    for i in range(DAYS):
        services.generate_day(
            actor=None, plan=plan, day_on=first_day + dt.timedelta(days=i), time_limit=ROUTE_SECONDS
        )
        report(30 + 8 * i, f"{first_day + dt.timedelta(days=i):%d-%m}")
    n = _checkins(plan, voting_day)
    # A staff override on voting day: an extra visit to the KPU office at 07:00, recorded with who and why.
    kpu = next(
        (p for p in points if p.vital_object and p.vital_object.kind == VitalObject.Kind.KPU_OFFICE), None
    )
    day = plan.days.filter(day_on=voting_day).first()
    if kpu is not None and day is not None:
        from django.contrib.auth import get_user_model

        staff = get_user_model().objects.filter(username="kabagops").first()
        services.override_visit(
            actor=staff, day=day, action="add", point=kpu, at=day.starts_at + dt.timedelta(hours=1),
            reason="Demo: permintaan Kapolres, kunjungan tambahan saat logistik tiba di KPU", unit=units[0],
        )  # fmt: skip
    # An implausible pair: the Sat Samapta crew "checks in" 30 km away two minutes after its last check-in.
    last = PatrolCheckIn.objects.filter(unit=units[0], day_on__lt=voting_day).order_by("-arrived_at").first()
    far = PatrolPoint.objects.filter(plans=plan, kecamatan__name__iexact="Tempurejo").first()
    if last is not None and far is not None:
        services.record_checkin(
            actor=None, client_key=uuid.uuid5(NAMESPACE, "impossible-speed"), point=far, unit=units[0], lat=far.lat, lng=far.lng,
            accuracy_m=10, arrived_at=(last.left_at or last.arrived_at) + dt.timedelta(minutes=2), note="Demo: absen mustahil (uji tanda)",
        )  # fmt: skip
    report(95, f"{n} absen / check-ins")
