"""Logistics escort: the chain from the TPS list, idempotent field status, late-leg alerts, escorts refused
when on PAM TPS duty, and no officer on two overlapping duties across events, escorts, guard posts and PAM TPS."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from siaga.core import duties
from siaga.core.errors import Conflict
from siaga.deployment.tests.test_commitments import publish_team
from siaga.events import services as events
from siaga.events.models import Event
from siaga.guard import services as guard
from siaga.guard.models import Assignment as GuardShift
from siaga.guard.models import Post, Roster
from siaga.logistics import selectors, services
from siaga.logistics.models import Escort, Hop, Leg, StatusUpdate
from siaga.operations.models import Election
from siaga.personnel.models import Personnel, Rank, Unit
from siaga.sites.models import Tps, VitalObject
from siaga.territory.models import Kecamatan, PoliceUnit

TZ = ZoneInfo("Asia/Jakarta")
_nrp = itertools.count(66010001)


@pytest.fixture
def pemilu(db: Any) -> Election:
    return Election.objects.get(slug="pemilu-2024")


@pytest.fixture
def polres(db: Any) -> PoliceUnit:
    return PoliceUnit.objects.get(code="polres-jember")


@pytest.fixture
def chain(pemilu: Election) -> Election:
    services.generate_chain(actor=None, election=pemilu)
    return pemilu


@pytest.fixture
def officers(polres: PoliceUnit) -> list[Personnel]:
    unit, _ = Unit.objects.get_or_create(
        code="polres-jember-sat-samapta-l",
        defaults={"name": "Sat Samapta", "polres": polres, "police_unit": polres, "order": 3},
    )
    rank = Rank.objects.order_by("order").first()
    return [
        Personnel.objects.create(
            nrp=str(next(_nrp)), name=f"Bripda Kawal {i}", rank=rank, unit=unit, is_synthetic=True
        )
        for i in range(40)
    ]


def test_chain_has_every_leg_of_every_tps_and_generating_again_changes_nothing(chain: Election) -> None:
    n_tps = Tps.objects.filter(election=chain).count()
    assert n_tps == 7706
    counts = {hop: Leg.objects.filter(election=chain, hop=hop).count() for hop in Hop.values}
    assert counts[Hop.PPS_TPS] == counts[Hop.TPS_PPS] == n_tps
    n_kec = Kecamatan.objects.filter(pk__in=Tps.objects.filter(election=chain).values("kecamatan_id")).count()
    assert counts[Hop.WH_PPK] == counts[Hop.PPK_WH] == n_kec == 31
    first = Leg.objects.filter(election=chain, hop=Hop.WH_PPK).order_by("pk").first()
    assert first is not None and first.planned_depart.astimezone(TZ).date() == chain.voting_on - dt.timedelta(
        days=5
    )
    assert first.travel_minutes > 0 and first.planned_arrive > first.planned_depart
    # Outbound legs reach every TPS before voting day.
    last_out = Leg.objects.filter(election=chain, hop=Hop.PPS_TPS).order_by("-planned_arrive").first()
    assert last_out is not None and last_out.planned_arrive.astimezone(TZ).date() < chain.voting_on
    again = services.generate_chain(actor=None, election=chain)
    assert again["created"] == 0 and Leg.objects.filter(election=chain).count() == sum(counts.values())


def test_the_same_status_update_sent_three_times_is_stored_once(
    chain: Election, client_for: Any, kabagops: Any
) -> None:
    leg = Leg.objects.filter(election=chain, hop=Hop.PPS_TPS).order_by("pk").first()
    assert leg is not None
    client = client_for(kabagops)
    key = str(uuid.uuid4())
    answers = [
        client.post(
            f"/api/v1/logistics/legs/{leg.pk}/status", {"status": "departed", "at": "2024-02-13T07:05:00+07:00"},
            content_type="application/json", headers={"Idempotency-Key": key},
        )
        for _ in range(3)
    ]  # fmt: skip
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert answers[0].json()["id"] == answers[1].json()["id"] == answers[2].json()["id"]
    assert answers[2]["Idempotent-Replayed"] == "true"
    assert StatusUpdate.objects.filter(leg=leg).count() == 1
    leg.refresh_from_db()
    assert leg.status == Leg.Status.DEPARTED and leg.actual_depart == dt.datetime(
        2024, 2, 13, 7, 5, tzinfo=TZ
    )
    # The same key for another report is refused; a new key moves the leg on.
    reused = client.post(
        f"/api/v1/logistics/legs/{leg.pk}/status", {"status": "arrived"}, content_type="application/json",
        headers={"Idempotency-Key": key},
    )  # fmt: skip
    assert reused.status_code == 422
    services.record_status(actor=None, leg=leg, status="arrived", key=str(uuid.uuid4()))
    leg.refresh_from_db()
    assert leg.status == Leg.Status.ARRIVED and StatusUpdate.objects.filter(leg=leg).count() == 2


def test_a_late_leg_raises_an_alert_once(chain: Election, client_for: Any, kabagops: Any) -> None:
    legs = list(Leg.objects.filter(election=chain, hop=Hop.WH_PPK).order_by("pk")[:2])
    on_time, late = legs
    services.record_status(actor=None, leg=on_time, status="arrived", key="k1", at=on_time.planned_arrive)
    now = late.planned_arrive + dt.timedelta(minutes=45)
    alerted = services.alert_late_legs(now=now)
    ids = {x.pk for x in alerted}
    assert late.pk in ids and on_time.pk not in ids
    assert services.alert_late_legs(now=now + dt.timedelta(minutes=5)) == []  # once each
    late.refresh_from_db()
    assert late.late_alerted_at == now
    late_rows = selectors.legs_for(kabagops, election_id=chain.pk, late_at=now)
    assert late.pk in set(late_rows.values_list("pk", flat=True))


def test_escort_on_pam_tps_duty_is_refused(
    chain: Election, polres: PoliceUnit, officers: list[Personnel]
) -> None:
    publish_team(polres, chain, officers[:2])
    back = Leg.objects.filter(election=chain, hop=Hop.TPS_PPS).order_by("pk").first()
    assert back is not None
    with pytest.raises(Conflict) as exc:
        services.assign_escort(actor=None, leg=back, personnel_ids=[officers[0].pk])
    assert exc.value.code == "duty_overlap" and "PAM TPS" in str(exc.value.message)
    out = Leg.objects.filter(election=chain, hop=Hop.WH_PPK).order_by("pk").first()
    assert out is not None
    assert services.assign_escort(actor=None, leg=out, personnel_ids=[officers[0].pk])  # H-5 is free


def test_no_officer_on_two_overlapping_duties_across_events_escorts_guard_and_pam_tps(
    chain: Election, polres: PoliceUnit, officers: list[Personnel]
) -> None:
    # PAM TPS: officers 0-1 on voting day. Guard: officers 2-3 on the KPU post the whole of H-5.
    publish_team(polres, chain, officers[:2])
    kpu = VitalObject.objects.get(kind=VitalObject.Kind.KPU_OFFICE, name__icontains="Jember")
    post = guard.create_post(
        actor=None, vital_object=kpu, code="t-kpu", name="Pos KPU", kind=Post.Kind.POS_JAGA, required=2
    )
    h5 = chain.voting_on - dt.timedelta(days=5)
    roster = Roster.objects.create(
        name="uji", polres=polres, election=chain, starts_on=h5, ends_on=h5, status=Roster.Status.PUBLISHED
    )
    start = dt.datetime.combine(h5, dt.time(0), tzinfo=TZ)
    GuardShift.objects.bulk_create(
        [GuardShift(roster=roster, post=post, personnel=o, on=h5, shift_code="P", starts_at=start,
                    ends_at=start + dt.timedelta(days=1)) for o in officers[2:4]]
    )  # fmt: skip
    # An event on H-3 morning filled from the same pool.
    kec = Kecamatan.objects.get(name__iexact="Tempurejo")
    event = events.create_event(
        actor=None, election=chain,
        fields={"kind": Event.Kind.KPU, "title": "Pleno uji", "kecamatan": kec, "place": "Kantor", "lat": -8.3,
                "lng": 113.7, "crowd": 100, "starts_at": dt.datetime.combine(h5 + dt.timedelta(days=2), dt.time(7), tzinfo=TZ),
                "ends_at": dt.datetime.combine(h5 + dt.timedelta(days=2), dt.time(12), tzinfo=TZ)},
    )  # fmt: skip
    events.plan_sectors(actor=None, event=event)
    events.fill_plan(actor=None, event=event, pool=officers)
    result = services.plan_escorts(actor=None, election=chain, polres=polres)
    assert result["escorted"] > 0
    escorted = set(Escort.objects.values_list("personnel_id", flat=True))
    assert escorted  # the pool did escort
    window = (start - dt.timedelta(days=1), start + dt.timedelta(days=20))
    assert duties.double_bookings(start=window[0], end=window[1]) == []
    # The check itself can fail: a hand-made double booking is found.
    busy_guard = officers[2]
    leg = Leg.objects.filter(election=chain, hop=Hop.WH_PPK).order_by("pk").first()
    assert leg is not None
    Escort.objects.create(leg=leg, personnel=busy_guard)
    pairs = duties.double_bookings(start=window[0], end=window[1])
    assert {a.personnel_id for a, _b in pairs} == {busy_guard.pk}


def test_board_and_pages_are_scoped(chain: Election, client_for: Any, kabagops: Any, outsider: Any,
                                    django_assert_max_num_queries: Any) -> None:  # fmt: skip
    ops = client_for(kabagops)
    with django_assert_max_num_queries(15):
        response = ops.get(f"/logistik/?pemilihan={chain.pk}")
    assert response.status_code == 200 and "0</strong> dari 7706" in response.content.decode().replace(
        "7.706", "7706"
    )
    with django_assert_max_num_queries(15):
        assert ops.get(f"/logistik/ruas/?pemilihan={chain.pk}").status_code == 200
    tempurejo = Leg.objects.filter(election=chain, kecamatan__name="Tempurejo").order_by("pk").first()
    assert tempurejo is not None
    assert ops.get(f"/logistik/ruas/{tempurejo.pk}/").status_code == 200
    assert client_for(outsider).get(f"/logistik/ruas/{tempurejo.pk}/").status_code == 404
