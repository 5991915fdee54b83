"""The incident state machine: every legal move works and is recorded, every other move is refused."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siaga.core.errors import Conflict, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.incidents import services
from siaga.incidents.models import TRANSITIONS, Incident, Status, TimelineEntry
from siaga.incidents.tests.factories import make_incident, make_unit

pytestmark = pytest.mark.django_db


def test_every_status_has_a_transition_entry() -> None:
    assert set(TRANSITIONS) == set(Status.values)
    assert TRANSITIONS[Status.CLOSED] == frozenset()


def test_a_full_life_sets_each_timestamp_once_and_logs_every_step(kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    services.transition_incident(actor=kabagops, incident=incident, to=Status.VERIFIED)
    # "Unit dikirim" only through a named unit.
    services.dispatch_unit(actor=kabagops, incident=incident, unit=make_unit(call_sign="TMP-LIFE"))
    for to in (Status.ON_SCENE, Status.RESOLVED, Status.CLOSED):
        services.transition_incident(actor=kabagops, incident=incident, to=to)
    incident.refresh_from_db()
    assert incident.status == Status.CLOSED
    assert (
        incident.verified_at
        <= incident.dispatched_at
        <= incident.on_scene_at
        <= incident.resolved_at
        <= incident.closed_at
    )
    steps = list(
        incident.timeline.filter(kind=TimelineEntry.Kind.STATUS).values_list(
            "from_status", "to_status", "actor"
        )
    )
    assert [s[1] for s in steps] == ["verified", "dispatched", "on_scene", "resolved", "closed"]
    assert all(actor == kabagops.pk for *_, actor in steps)
    audits = AuditEvent.objects.filter(
        object_type="incidents.incident", object_id=str(incident.pk), action="update"
    )
    assert audits.count() == 5


def test_illegal_move_is_refused_and_changes_nothing(kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    with pytest.raises(Conflict) as exc:
        services.transition_incident(actor=kabagops, incident=incident, to=Status.CLOSED)
    assert exc.value.code == "illegal_transition"
    assert Incident.objects.get(pk=incident.pk).status == Status.NEW


def test_a_stale_copy_loses_to_the_first_change(kabagops: Any, commander: Any) -> None:
    incident = make_incident(actor=kabagops)
    stale = Incident.objects.get(pk=incident.pk)
    services.transition_incident(actor=kabagops, incident=incident, to=Status.REJECTED)
    with pytest.raises(Conflict) as exc:
        services.transition_incident(actor=commander, incident=stale, to=Status.VERIFIED)
    assert exc.value.code == "stale_status"
    assert Incident.objects.get(pk=incident.pk).status == Status.REJECTED


def test_duplicate_needs_the_original(kabagops: Any) -> None:
    first, second = make_incident(actor=kabagops), make_incident(actor=kabagops)
    with pytest.raises(ValidationFailed):
        services.transition_incident(actor=kabagops, incident=second, to=Status.DUPLICATE)
    services.transition_incident(actor=kabagops, incident=second, to=Status.DUPLICATE, duplicate_of=first)
    assert Incident.objects.get(pk=second.pk).duplicate_of_id == first.pk


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.sampled_from(Status.values), min_size=1, max_size=8))
def test_any_sequence_of_moves_follows_the_table(kabagops: Any, moves: list[str]) -> None:
    incident = make_incident(actor=kabagops, category="other")
    other = make_incident(actor=kabagops, category="other")
    expected = Status.NEW
    for to in moves:
        legal = to in TRANSITIONS[expected]
        if to == Status.DISPATCHED:  # only dispatch_unit, naming a unit, moves an incident there
            with pytest.raises(ValidationFailed):
                services.transition_incident(actor=kabagops, incident=incident, to=to)
            continue
        try:
            services.transition_incident(actor=kabagops, incident=incident, to=to, duplicate_of=other)
            assert legal, f"{expected} -> {to} was allowed"
            expected = to
        except Conflict:
            assert not legal, f"{expected} -> {to} was refused"
        assert Incident.objects.get(pk=incident.pk).status == expected
    logged = incident.timeline.filter(kind=TimelineEntry.Kind.STATUS).count()
    assert (
        logged
        == AuditEvent.objects.filter(
            object_type="incidents.incident", object_id=str(incident.pk), action="update"
        ).count()
    )
