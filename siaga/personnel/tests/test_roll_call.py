"""The roll-call services: marking, locking, the audit trail and races between two operators."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.core.errors import Conflict, PermissionDenied, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.personnel import selectors, services
from siaga.personnel.models import ApelEntry, ApelEquipmentCheck, ApelSession

pytestmark = pytest.mark.django_db


def _entries(apel: ApelSession, unit: str = "") -> list[ApelEntry]:
    qs = ApelEntry.objects.filter(session=apel).order_by("pk")
    if unit:
        qs = qs.filter(unit__police_unit__code=unit)
    return list(qs)


def test_opening_an_apel_snapshots_the_active_roster_and_equipment(
    apel: ApelSession, roster: list[Any]
) -> None:
    assert apel.entries.count() == len(roster)
    assert set(apel.entries.values_list("status", flat=True)) == {ApelEntry.Status.UNMARKED}
    assert apel.equipment_checks.count() == 4


def test_a_mark_is_saved_with_one_audit_record(apel: ApelSession, kabagops: Any) -> None:
    entry = _entries(apel)[0]
    services.mark_attendance(actor=kabagops, entry=entry, status=ApelEntry.Status.PRESENT)
    entry.refresh_from_db()
    assert entry.status == ApelEntry.Status.PRESENT and entry.version == 1 and entry.marked_by == kabagops
    events = AuditEvent.objects.filter(object_type="personnel.apelentry", object_id=str(entry.pk))
    assert events.count() == 1
    assert events[0].before["status"] == "unmarked" and events[0].after["status"] == "present"


def test_absent_needs_a_reason(apel: ApelSession, kabagops: Any) -> None:
    entry = _entries(apel)[0]
    with pytest.raises(ValidationFailed):
        services.mark_attendance(actor=kabagops, entry=entry, status=ApelEntry.Status.ABSENT)
    services.mark_attendance(
        actor=kabagops, entry=entry, status=ApelEntry.Status.ABSENT, reason="tidak ada kabar"
    )
    entry.refresh_from_db()
    assert entry.reason == "tidak ada kabar"


def test_two_operators_marking_the_same_officer_at_once(
    apel: ApelSession, kabagops: Any, polsek_tempurejo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Operator A reads the entry, operator B marks it and commits, then A writes: A's stale write is refused
    by the version check, A re-reads and applies. One final status, one audit record per operator, and each
    record's `before` is the state that operator actually replaced."""
    entry = _entries(apel, "polsek-tempurejo")[0]  # visible to both operators
    original = services._read_current
    raced = {"done": False}

    def read_then_lose_the_race(model: Any, pk: int) -> Any:
        current = original(model, pk)
        if not raced["done"]:
            raced["done"] = True
            services.mark_attendance(actor=polsek_tempurejo, entry=entry, status=ApelEntry.Status.SICK)
        return current

    monkeypatch.setattr(services, "_read_current", read_then_lose_the_race)
    services.mark_attendance(actor=kabagops, entry=entry, status=ApelEntry.Status.PRESENT)

    entry.refresh_from_db()
    assert entry.status == ApelEntry.Status.PRESENT
    assert entry.version == 2
    events = list(
        AuditEvent.objects.filter(object_type="personnel.apelentry", object_id=str(entry.pk)).order_by("id")
    )
    assert [e.actor for e in events] == [polsek_tempurejo, kabagops]
    assert events[0].before["status"] == "unmarked" and events[0].after["status"] == "sick"
    assert events[1].before["status"] == "sick" and events[1].after["status"] == "present"
    assert events[1].before["version"] == events[0].after["version"]


def test_a_write_that_keeps_losing_gives_a_conflict(
    apel: ApelSession, kabagops: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _entries(apel)[0]
    original = services._read_current

    def always_stale(model: Any, pk: int) -> Any:
        current = original(model, pk)
        model.objects.filter(pk=pk).update(version=current.version + 1)
        return current

    monkeypatch.setattr(services, "_read_current", always_stale)
    with pytest.raises(Conflict):
        services.mark_attendance(actor=kabagops, entry=entry, status=ApelEntry.Status.PRESENT)
    assert not AuditEvent.objects.filter(object_type="personnel.apelentry").exists()


def test_locking_needs_every_officer_marked_and_the_right_role(
    apel: ApelSession, kabagops: Any, commander: Any, polsek_tempurejo: Any
) -> None:
    entries = _entries(apel)
    with pytest.raises(Conflict):
        services.lock_apel(actor=commander, session=apel)
    for e in entries:
        services.mark_attendance(actor=kabagops, entry=e, status=ApelEntry.Status.PRESENT)
    with pytest.raises(PermissionDenied):
        services.lock_apel(actor=polsek_tempurejo, session=apel)
    services.lock_apel(actor=commander, session=apel)
    apel.refresh_from_db()
    assert apel.is_locked and apel.locked_by == commander
    with pytest.raises(Conflict):
        services.lock_apel(actor=commander, session=apel)


def test_a_locked_apel_is_immutable(apel: ApelSession, kabagops: Any, commander: Any) -> None:
    for e in _entries(apel):
        services.mark_attendance(actor=kabagops, entry=e, status=ApelEntry.Status.PRESENT)
    services.lock_apel(actor=commander, session=apel)
    entry = _entries(apel)[0]
    with pytest.raises(Conflict):
        services.mark_attendance(actor=kabagops, entry=entry, status=ApelEntry.Status.SICK)
    with pytest.raises(Conflict):
        services.check_health(actor=kabagops, entry=entry, health=ApelEntry.Health.FIT)
    with pytest.raises(Conflict):
        services.check_kit(actor=kabagops, entry=entry, missing_codes=["senter"])
    check = ApelEquipmentCheck.objects.filter(session=apel).first()
    assert check is not None
    with pytest.raises(Conflict):
        services.check_equipment(actor=kabagops, check=check, result=ApelEquipmentCheck.Result.READY)
    entry.refresh_from_db()
    assert entry.status == ApelEntry.Status.PRESENT


def test_kit_and_health_checks(apel: ApelSession, kabagops: Any) -> None:
    entry = _entries(apel)[0]
    services.check_kit(actor=kabagops, entry=entry, missing_codes=["senter", "jas-hujan"])
    services.check_health(actor=kabagops, entry=entry, health=ApelEntry.Health.FIT)
    entry.refresh_from_db()
    assert entry.kit_checked and sorted(entry.kit_missing.values_list("code", flat=True)) == [
        "jas-hujan",
        "senter",
    ]
    assert entry.health == ApelEntry.Health.FIT
    with pytest.raises(ValidationFailed):
        services.check_kit(actor=kabagops, entry=entry, missing_codes=["jetpack"])


def test_summary_counts_only_what_the_user_may_see(
    apel: ApelSession, kabagops: Any, polsek_tempurejo: Any, outsider: Any
) -> None:
    for e in _entries(apel, "polres-jember") + _entries(apel, "polsek-tempurejo")[:1]:
        services.mark_attendance(actor=kabagops, entry=e, status=ApelEntry.Status.PRESENT)
    assert selectors.apel_summary(kabagops, apel)["present"] == 5
    assert selectors.apel_summary(kabagops, apel)["roster"] == 10
    # Tempurejo sees its own three officers (one of them marked), never the Polres functions.
    tempurejo = selectors.apel_summary(polsek_tempurejo, apel)
    assert (tempurejo["roster"], tempurejo["present"]) == (3, 1)
    kaliwates = selectors.apel_summary(outsider, apel)
    assert (kaliwates["roster"], kaliwates["present"]) == (3, 0)
