"""Synthetic Polda and Polres for the Polda tests: a kabupaten each (codes 9x.yy, which no real province has),
one kecamatan and desa, TPS, officers, incidents, a guard alert and a plotting plan, with known counts."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from siaga.deployment.models import DeploymentPlan, PlanningRun
from siaga.guard.models import Alert, Post
from siaga.incidents.models import Incident, Priority, Status
from siaga.operations.models import Election
from siaga.personnel.models import Personnel, Rank, Unit
from siaga.posko.models import Alert as PoskoAlert
from siaga.sites.models import Tps, VitalObject
from siaga.territory import services as territory
from siaga.territory.models import Desa, Kabupaten, Kecamatan, PoliceUnit

_seq = itertools.count(1)
_nrp = itertools.count(91000001)


def make_polda(code: str, name: str) -> PoliceUnit:
    mabes = PoliceUnit.objects.get(code="mabes-polri")
    return territory.save_unit_above_polres(
        actor=None, code=code, name=name, level=PoliceUnit.Level.POLDA, lat=-7.0, lng=110.4, parent=mabes
    )


@dataclass
class Figures:
    """What one synthetic Polres was given, for the board to be checked against."""

    polres: PoliceUnit
    personnel: int
    tps: int
    tps_covered: int
    incidents_open: int
    incidents_p1: int
    incidents_24h: int
    alerts_open: int


def make_polres(
    polda: PoliceUnit,
    *,
    election: Election,
    tps: int = 3,
    personnel: int = 2,
    covered: int | None = None,
    incidents: tuple[int, int, int] = (1, 1, 1),
    alerts: int = 1,
) -> Figures:
    """A Polres under `polda` with `tps` TPS, `personnel` active officers (and one retired, not counted), a
    valid plan covering `covered` TPS (None: no plan), incidents (open, of which P1, closed long ago) and
    `alerts` open guard alerts (and one resolved, not counted)."""
    n = next(_seq)
    code = f"9{n // 100 % 10}.{n % 100:02d}"
    kab = Kabupaten.objects.create(code=code, name=f"Kabupaten Sintetis {n}")
    kec = Kecamatan.objects.create(
        kabupaten=kab,
        code=f"{code}.01",
        kpu_code=f"9{n:05d}"[:6],
        name=f"Kec Sintetis {n}",
        lat=-7.5,
        lng=111.0,
    )
    desa = Desa.objects.create(
        kecamatan=kec,
        code=f"{code}.01.2001",
        kpu_code=f"9{n:09d}"[:10],
        name=f"Desa {n}",
        lat=-7.5,
        lng=111.0,
    )
    polres = PoliceUnit.objects.create(
        code=f"polres-sintetis-uji-{n}",
        name=f"Polres Sintetis {n}",
        level=PoliceUnit.Level.POLRES,
        parent=polda,
        kabupaten=kab,
        lat=-7.5,
        lng=111.0,
    )
    polres.jurisdiction.set([kec])
    for i in range(tps):
        Tps.objects.create(election=election, desa=desa, kecamatan=kec, number=i + 1, code=f"S{n}-{i + 1}")
    unit = Unit.objects.create(
        code=f"sintetis-uji-{n}", name="Bag Ops", polres=polres, police_unit=polres, function="bag_ops"
    )
    rank = Rank.objects.get(code="bripda")
    for i in range(personnel + 1):
        Personnel.objects.create(
            nrp=str(next(_nrp)),
            name=f"Bripda Sintetis {n}-{i}",
            rank=rank,
            unit=unit,
            status=Personnel.Status.RETIRED if i == personnel else Personnel.Status.ACTIVE,
            is_synthetic=True,
        )
    if covered is not None:
        DeploymentPlan.objects.create(
            election=election, polres=polres, version=1, title="v1", tps_total=tps, tps_covered=tps - 1
        )
        plan = DeploymentPlan.objects.create(
            election=election,
            polres=polres,
            version=2,
            title="v2",
            tps_total=tps,
            tps_covered=covered,
            is_valid=True,
        )
        PlanningRun.objects.create(
            election=election, polres=polres, plan=plan, status=PlanningRun.Status.DONE
        )
    open_n, p1, closed = incidents
    now = timezone.now()

    def incident(status: str, priority: int, reported_at: dt.datetime) -> None:
        Incident.objects.create(
            receipt=f"S{n:03d}{next(_seq):05d}",
            source="call",
            category="money_politics",
            description="Laporan sintetis uji papan Polda",
            occurred_at=reported_at,
            reported_at=reported_at,
            kecamatan=kec,
            status=status,
            priority=priority,
        )

    for i in range(open_n):
        incident(Status.NEW, Priority.P1 if i < p1 else Priority.P3, now - dt.timedelta(hours=30))
    for _ in range(closed):
        incident(Status.CLOSED, Priority.P3, now - dt.timedelta(hours=2))
    vital = VitalObject.objects.create(
        kind=VitalObject.Kind.KPU_OFFICE, name=f"KPU Sintetis {n}", kecamatan=kec, lat=-7.5, lng=111.0
    )
    post = Post.objects.create(vital_object=vital, code=f"pos-sintetis-{n}", name="Pos KPU")
    for i in range(alerts + 1):
        Alert.objects.create(
            post=post,
            kind=Alert.Kind.UNSTAFFED,
            since=now - dt.timedelta(hours=i + 1),
            raised_at=now,
            resolved_at=now if i == alerts else None,
            message="Pos kosong (uji)",
        )
        # The Posko stream carries the same fact (its scheduler mirrors guard alerts); the board counts the stream.
        PoskoAlert.objects.create(
            key=f"guard.unstaffed:sintetis-{n}:{i}",
            source="guard",
            kind="unstaffed_post",
            title="Pos kosong (uji)",
            kecamatan=kec,
            status=PoskoAlert.Status.CLOSED if i == alerts else PoskoAlert.Status.OPEN,
            closed_at=now if i == alerts else None,
            since=now - dt.timedelta(hours=i + 1),
            raised_at=now,
            last_seen_at=now,
        )
    return Figures(
        polres=polres,
        personnel=personnel,
        tps=tps,
        tps_covered=covered or 0,
        incidents_open=open_n,
        incidents_p1=p1,
        incidents_24h=closed,
        alerts_open=alerts,
    )


def persona(username: str, role: str, unit: PoliceUnit, **extra: Any) -> Any:
    from siaga.accounts.models import User

    return User.objects.create_user(username=username, password="x", role=role, police_unit=unit, **extra)
