"""What the named officer was doing at the time and place of a complaint, and the relatives register."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from siaga.neutrality import selectors, services
from siaga.territory.models import Kecamatan

from .conftest import Deployed, make_officer

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def test_officer_on_a_pam_tps_team_at_the_reported_tps_and_hour_is_found(deployed: Deployed) -> None:
    at = dt.datetime.combine(deployed.voting_on, dt.time(10, 30), tzinfo=WIB)
    duties = selectors.officer_context(
        personnel_id=deployed.officer.pk,
        at=at,
        kecamatan_id=deployed.tps.kecamatan_id,
        tps_id=deployed.tps.pk,
    )
    assert [d.kind for d in duties] == ["pam_tps"]
    assert duties[0].at_reported_place is True
    assert deployed.tps.code in duties[0].label


def test_the_same_officer_two_days_later_has_no_pam_tps_duty(deployed: Deployed) -> None:
    at = dt.datetime.combine(deployed.voting_on + dt.timedelta(days=2), dt.time(10, 30), tzinfo=WIB)
    assert selectors.officer_context(personnel_id=deployed.officer.pk, at=at, tps_id=deployed.tps.pk) == []


def test_another_officer_is_not_found_at_that_tps(deployed: Deployed) -> None:
    other = make_officer(name="Briptu Lain")
    at = dt.datetime.combine(deployed.voting_on, dt.time(10, 30), tzinfo=WIB)
    assert selectors.officer_context(personnel_id=other.pk, at=at, tps_id=deployed.tps.pk) == []


def test_counting_night_still_counts_as_the_team_duty(deployed: Deployed) -> None:
    at = dt.datetime.combine(deployed.voting_on + dt.timedelta(days=1), dt.time(2, 0), tzinfo=WIB)
    duties = selectors.officer_context(personnel_id=deployed.officer.pk, at=at, tps_id=deployed.tps.pk)
    assert [d.kind for d in duties] == ["pam_tps"]


def test_relative_standing_where_the_officer_is_deployed_warns(deployed: Deployed, kabagops: Any) -> None:
    assert selectors.relative_conflicts(kabagops) == []
    elsewhere = Kecamatan.objects.exclude(pk=deployed.tps.kecamatan_id).order_by("name").first()
    services.declare_relative(
        actor=kabagops,
        personnel_id=deployed.officer.pk,
        name="Haji Fulan",
        relation="parent",
        standing="candidate",
        party="Partai Contoh",
        contest="DPRD Kab. Jember",
        kecamatan_ids=[elsewhere.pk],
    )
    assert selectors.relative_conflicts(kabagops) == []  # the relative stands elsewhere
    services.declare_relative(
        actor=kabagops,
        personnel_id=deployed.officer.pk,
        name="Ibu Fulanah",
        relation="sibling",
        standing="candidate",
        kecamatan_ids=[deployed.tps.kecamatan_id],
    )
    conflicts = selectors.relative_conflicts(kabagops)
    assert [(c.officer, c.relative, c.team) for c in conflicts] == [
        (deployed.officer.name, "Ibu Fulanah", "TMP-01")
    ]
    assert selectors.relative_conflicts(kabagops, plan_id=deployed.plan.pk + 1000) == []


def test_relatives_register_is_scoped(deployed: Deployed, outsider: Any, kabagops: Any) -> None:
    services.declare_relative(
        actor=kabagops,
        personnel_id=deployed.officer.pk,
        name="Ibu Fulanah",
        relation="sibling",
        standing="candidate",
        kecamatan_ids=[deployed.tps.kecamatan_id],
    )
    assert selectors.relatives_for(kabagops).count() == 1
    assert selectors.relatives_for(outsider).count() == 0
