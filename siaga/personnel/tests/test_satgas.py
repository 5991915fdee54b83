"""Satgas membership: assigning officers (audited, once per satgas) and present vs roster per satgas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from siaga.core.errors import Conflict, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.operations.models import Operation, Satgas
from siaga.personnel import selectors, services
from siaga.personnel.models import ApelEntry, ApelSession, Personnel, SatgasAssignment

pytestmark = pytest.mark.django_db

HELD_ON = dt.date(2024, 8, 19)  # the `apel` fixture's day


def _satgas(kind: str) -> Satgas:
    return Satgas.objects.get(operation__slug="mantap-praja-2024", kind=kind, parent__isnull=True)


def _assign(actor: Any, person: Personnel, kind: str, **dates: Any) -> SatgasAssignment:
    dates.setdefault("from_on", dt.date(2024, 8, 1))
    return services.assign_to_satgas(actor=actor, personnel=person, satgas=_satgas(kind), **dates)


def test_assigning_records_a_create_and_unassigning_a_delete(
    kabagops: Any, make_officer: Callable[..., Personnel]
) -> None:
    officer = make_officer("sat_intelkam")
    assignment = _assign(kabagops, officer, Satgas.Kind.PREEMTIF)
    assert assignment.role == ""
    created = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE,
        object_type="personnel.satgasassignment",
        object_id=str(assignment.pk),
    )
    assert created.object_type == "personnel.satgasassignment"

    pk = assignment.pk
    services.unassign_from_satgas(actor=kabagops, assignment=assignment)
    assert not SatgasAssignment.objects.filter(pk=pk).exists()
    deleted = AuditEvent.objects.get(
        action=AuditEvent.Action.DELETE, object_type="personnel.satgasassignment", object_id=str(pk)
    )
    assert deleted.before["personnel_id"] == officer.pk


def test_an_officer_is_in_a_satgas_once(kabagops: Any, make_officer: Callable[..., Personnel]) -> None:
    officer = make_officer()
    _assign(kabagops, officer, Satgas.Kind.PREVENTIF)
    with pytest.raises(Conflict):
        _assign(kabagops, officer, Satgas.Kind.PREVENTIF)
    # The database refuses it too, whatever the service checked first.
    with pytest.raises(IntegrityError), transaction.atomic():
        SatgasAssignment.objects.create(
            personnel=officer, satgas=_satgas(Satgas.Kind.PREVENTIF), from_on=dt.date(2024, 8, 1)
        )
    assert SatgasAssignment.objects.filter(personnel=officer).count() == 1


def test_an_assignment_cannot_end_before_it_starts(
    kabagops: Any, make_officer: Callable[..., Personnel]
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _assign(
            kabagops,
            make_officer(),
            Satgas.Kind.GAKKUM,
            from_on=dt.date(2024, 9, 1),
            to_on=dt.date(2024, 8, 1),
        )
    assert "to_on" in exc.value.fields
    assert not SatgasAssignment.objects.exists()


def test_by_satgas_counts_present_against_roster_on_the_apel_day(
    kabagops: Any, apel: ApelSession, roster: list[Personnel]
) -> None:
    samapta = [p for p in roster if p.unit.function == "sat_samapta"]  # four officers
    tempurejo = [p for p in roster if p.unit.police_unit.code == "polsek-tempurejo"]  # three
    for p in samapta:
        _assign(kabagops, p, Satgas.Kind.PREVENTIF)
    _assign(kabagops, tempurejo[0], Satgas.Kind.PREVENTIF)
    _assign(kabagops, tempurejo[1], Satgas.Kind.GAKKUM)
    # Not on the apel day: ended before it, and starts after it.
    _assign(kabagops, tempurejo[2], Satgas.Kind.GAKKUM, to_on=dt.date(2024, 8, 10))
    _assign(kabagops, samapta[0], Satgas.Kind.HUMAS, from_on=dt.date(2024, 8, 20))
    entries = {e.personnel_id: e for e in apel.entries.all()}
    for p in (samapta[0], samapta[1], tempurejo[1]):
        services.mark_attendance(actor=kabagops, entry=entries[p.pk], status=ApelEntry.Status.PRESENT)
    services.mark_attendance(actor=kabagops, entry=entries[samapta[2].pk], status=ApelEntry.Status.SICK)

    rows = {r["label"]: r for r in selectors.readiness(kabagops, apel).as_dict()["by_satgas"]}

    operation = Operation.objects.get(slug="mantap-praja-2024")
    assert list(rows) == [s.name for s in operation.satgas.order_by("order", "id")]
    preventif = rows[_satgas(Satgas.Kind.PREVENTIF).name]
    assert (preventif["roster"], preventif["present"], preventif["sick"]) == (5, 2, 1)
    gakkum = rows[_satgas(Satgas.Kind.GAKKUM).name]
    assert (gakkum["roster"], gakkum["present"]) == (1, 1)
    humas = rows[_satgas(Satgas.Kind.HUMAS).name]
    assert (humas["roster"], humas["present"]) == (0, 0)


def test_by_satgas_is_scoped_for_a_polsek_account(
    kabagops: Any, polsek_tempurejo: Any, apel: ApelSession, roster: list[Personnel]
) -> None:
    for p in roster:
        _assign(kabagops, p, Satgas.Kind.PREVENTIF)
    rows = {r["label"]: r for r in selectors.readiness(polsek_tempurejo, apel).as_dict()["by_satgas"]}
    assert rows[_satgas(Satgas.Kind.PREVENTIF).name]["roster"] == 3  # only Polsek Tempurejo's officers


def test_readiness_api_has_by_satgas(
    kabagops: Any, apel: ApelSession, roster: list[Personnel], client_for: Any
) -> None:
    _assign(kabagops, roster[0], Satgas.Kind.PREVENTIF)
    response = client_for(kabagops).get(
        "/api/v1/readiness", {"operation": "mantap-praja-2024", "apel": apel.pk}
    )
    assert response.status_code == 200, response.content
    by_satgas = {r["label"]: r for r in response.json()["by_satgas"]}
    assert by_satgas[_satgas(Satgas.Kind.PREVENTIF).name]["roster"] == 1
