"""Dispatch: nearest available units, the commitment rule, and two dispatchers racing for one unit."""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from siaga.core.errors import Conflict
from siaga.incidents import commitments, selectors, services
from siaga.incidents.models import Dispatch, Incident, ResponseUnit, Status
from siaga.incidents.tests.factories import make_incident, make_unit
from siaga.personnel.models import Personnel, Rank, Unit
from siaga.territory.models import PoliceUnit


class PostMinimumProvider:
    """A crafted guard post: it needs `minimum` officers and has exactly `staff` on it."""

    def __init__(self, *, staff: set[int], minimum: int, name: str):
        self.staff, self.minimum, self.name = staff, minimum, name

    def blocked_units(self, *, members: Mapping[int, Collection[int]], at: Any) -> dict[int, str]:
        out = {}
        for unit_id, officer_ids in members.items():
            left = len(self.staff - set(officer_ids))
            if left < self.minimum:
                out[unit_id] = f"{self.name}: {left} < {self.minimum}"
        return out


def _officers(n: int) -> list[int]:
    polres = PoliceUnit.objects.get(code="polres-jember")
    unit, _ = Unit.objects.get_or_create(
        code="test-samapta",
        defaults={
            "name": "Sat Samapta uji",
            "polres": polres,
            "police_unit": polres,
            "function": "sat_samapta",
        },
    )
    rank = Rank.objects.order_by("order").first()
    start = Personnel.objects.count()
    return [
        Personnel.objects.create(
            nrp=f"{90000000 + start + i}", name=f"Bripda Uji {i}", rank=rank, unit=unit
        ).pk
        for i in range(n)
    ]


@pytest.mark.django_db
def test_recommendation_is_nearest_first_and_skips_busy_units(kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    far = make_unit(call_sign="TMP-FAR", offset=(0.05, 0.05))
    near = make_unit(call_sign="TMP-NEAR", offset=(0.005, 0.0))
    make_unit(call_sign="TMP-BUSY", offset=(0.001, 0.0), status=ResponseUnit.UnitStatus.OFF_DUTY)
    rec = selectors.recommend_units(kabagops, incident)
    assert [r.unit.call_sign for r in rec.units] == ["TMP-NEAR", "TMP-FAR"]
    assert rec.units[0].eta_minutes < rec.units[1].eta_minutes
    assert rec.units[0].distance_km == pytest.approx(0.005 * 111.2 * 1.35, rel=0.05)
    assert [r.unit.pk for r in rec.units] == [near.pk, far.pk]
    for r in rec.units:  # road distance at the default 40 km/h
        assert r.eta_minutes == pytest.approx(r.distance_km / 40 * 60, abs=0.1)


@pytest.mark.django_db
def test_recommendation_never_strips_a_post_below_its_minimum(kabagops: Any) -> None:
    a, b, c, d = _officers(4)
    # Post KPU Jember needs 2 and has exactly A and B; the TPS team needs 1 and has C and D.
    post = PostMinimumProvider(staff={a, b}, minimum=2, name="Pos KPU Jember")
    tps_team = PostMinimumProvider(staff={c, d}, minimum=1, name="Tim TPS 005")
    incident = make_incident(actor=kabagops)
    nearest = make_unit(
        call_sign="TMP-A", offset=(0.001, 0.0), members=[a]
    )  # would leave the post with 1 of 2
    second = make_unit(call_sign="TMP-C", offset=(0.01, 0.0), members=[c])  # leaves the TPS team with D: fine
    both = make_unit(
        call_sign="TMP-CD", offset=(0.002, 0.0), members=[c, d]
    )  # would leave the TPS team empty
    commitments.register_provider(post)
    commitments.register_provider(tps_team)
    try:
        rec = selectors.recommend_units(kabagops, incident, k=5)
        proposed = [r.unit.call_sign for r in rec.units]
        assert proposed == ["TMP-C"]
        assert set(rec.held_back) == {"TMP-A", "TMP-CD"}
        assert rec.held_back == {"TMP-A": "Pos KPU Jember: 1 < 2", "TMP-CD": "Tim TPS 005: 0 < 1"}
        with pytest.raises(Conflict) as exc:
            services.dispatch_unit(actor=kabagops, incident=incident, unit=nearest)
        assert exc.value.code == "commitment"
        assert ResponseUnit.objects.get(pk=nearest.pk).status == ResponseUnit.UnitStatus.AVAILABLE
        services.dispatch_unit(actor=kabagops, incident=incident, unit=second)
        # C is now out: sending C and D together is refused as well, and nothing changes for them.
        with pytest.raises(Conflict):
            services.dispatch_unit(actor=kabagops, incident=incident, unit=both)
    finally:
        commitments.unregister_provider(post)
        commitments.unregister_provider(tps_team)
    statuses = dict(
        ResponseUnit.objects.filter(call_sign__startswith="TMP-").values_list("call_sign", "status")
    )
    assert statuses == {"TMP-A": "available", "TMP-C": "en_route", "TMP-CD": "available"}
    assert list(Dispatch.objects.filter(incident=incident).values_list("unit__call_sign", flat=True)) == [
        "TMP-C"
    ]


@pytest.mark.django_db
def test_providers_declared_by_an_app_config_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.apps import apps

    provider = PostMinimumProvider(staff={1}, minimum=1, name="Pos uji")
    monkeypatch.setattr(
        apps.get_app_config("guard"), "incident_commitment_providers", [provider], raising=False
    )
    assert commitments.blocked_units({7: [1], 8: [2]}, at=None) == {7: "Pos uji: 0 < 1"}  # type: ignore[arg-type]


@pytest.mark.django_db
def test_dispatch_moves_unit_and_incident_and_arrival_and_release(kabagops: Any, field_officer: Any) -> None:
    incident = make_incident(actor=kabagops)
    unit = make_unit(call_sign="TMP-1")
    services.dispatch_unit(actor=kabagops, incident=incident, unit=unit)
    incident.refresh_from_db()
    unit.refresh_from_db()
    assert incident.status == Status.DISPATCHED and incident.dispatched_at is not None
    assert unit.status == ResponseUnit.UnitStatus.EN_ROUTE and unit.current_incident_id == incident.pk
    services.set_unit_status(actor=field_officer, unit=unit, status=ResponseUnit.UnitStatus.ON_SCENE)
    incident.refresh_from_db()
    assert incident.status == Status.ON_SCENE and incident.on_scene_at is not None
    assert Dispatch.objects.get(unit=unit).arrived_at is not None
    services.transition_incident(actor=kabagops, incident=incident, to=Status.RESOLVED)
    unit.refresh_from_db()
    assert unit.status == ResponseUnit.UnitStatus.AVAILABLE and unit.current_incident is None
    assert Dispatch.objects.get(unit=unit).released_at is not None


@pytest.mark.django_db
def test_dispatch_to_a_closed_incident_is_refused(kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    services.transition_incident(actor=kabagops, incident=incident, to=Status.REJECTED)
    with pytest.raises(Conflict):
        services.dispatch_unit(actor=kabagops, incident=incident, unit=make_unit(call_sign="TMP-2"))


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_one_unit_exactly_one_wins(
    jember_data: None, kabagops: Any, polsek_tempurejo: Any
) -> None:
    first = make_incident(actor=kabagops, description="Keributan pendukung di depan balai desa")
    second = make_incident(actor=kabagops, description="Pengrusakan baliho calon di pertigaan pasar")
    unit = make_unit(call_sign="TMP-RACE")
    barrier = threading.Barrier(2)

    def attempt(args: tuple[Any, Incident]) -> str:
        actor, incident = args
        try:
            mine, target = Incident.objects.get(pk=incident.pk), ResponseUnit.objects.get(pk=unit.pk)
            barrier.wait()
            services.dispatch_unit(actor=actor, incident=mine, unit=target)
            return "ok"
        except Conflict as exc:
            return f"{exc.code}: {exc.message}"
        finally:
            connection.close()

    for _ in range(3):
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(attempt, [(kabagops, first), (polsek_tempurejo, second)]))
        assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
        refusal = next(o for o in outcomes if o != "ok")
        assert refusal.startswith("unit_unavailable") and "TMP-RACE" in refusal and "menuju lokasi" in refusal
        fresh = ResponseUnit.objects.get(pk=unit.pk)
        assert fresh.status == ResponseUnit.UnitStatus.EN_ROUTE
        winner = first if outcomes[0] == "ok" else second
        assert fresh.current_incident_id == winner.pk
        assert Dispatch.objects.filter(unit=unit, released_at__isnull=True).count() == 1
        # Release and race again.
        services.set_unit_status(actor=kabagops, unit=fresh, status=ResponseUnit.UnitStatus.AVAILABLE)
