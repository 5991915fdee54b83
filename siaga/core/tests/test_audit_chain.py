"""The audit trail is append-only and hash-chained; `siaga verify-audit` finds any change (ASVS 16.4.2, G19).

Runs on SQLite and PostgreSQL (`make test` runs both): the triggers refuse UPDATE on both, DELETE on PostgreSQL;
a deletion on SQLite is found by the chain.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from siaga.core.audit import record_change, seal_audit, verify_audit
from siaga.core.models import AuditEvent, AuditSeal

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    return [
        record_change(actor=None, action=AuditEvent.Action.VIEW, object_type="t.x", object_repr=f"uji {i}")
        for i in range(n)
    ]


def _seal() -> AuditSeal | None:
    """Seal as if five minutes had passed (records are sealed once no open transaction can precede them)."""
    return seal_audit(now=timezone.now() + dt.timedelta(minutes=5))


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_record_carries_the_digest_of_its_content() -> None:
    (event,) = _events(1)
    event.refresh_from_db()
    assert len(event.digest) == 64
    assert verify_audit().ok


def test_seal_then_verify_passes_and_the_command_says_so() -> None:
    _events(3)
    out = StringIO()
    call_command("verify_audit", stdout=out)  # seals nothing yet: the records are seconds old
    assert "audit trail intact" in out.getvalue()
    # Records other tests left committed (PostgreSQL keeps the audit table append-only) may already be sealed:
    # the new seal covers every record after the last one.
    before = AuditSeal.objects.order_by("-upto_id").first()
    unsealed = AuditEvent.objects.filter(pk__gt=before.upto_id if before else 0).count()
    seal = _seal()
    assert seal is not None and seal.rows == unsealed >= 3
    result = verify_audit()
    assert result.ok and result.unsealed == 0


def test_the_application_cannot_change_an_audit_record() -> None:
    (event,) = _events(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(message="disunting")
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["lain", event.pk])
    event.refresh_from_db()
    assert event.object_repr == "uji 0"


def test_deleting_an_audit_record_is_refused_or_found() -> None:
    events = _events(3)
    _seal()
    try:
        with transaction.atomic():
            AuditEvent.objects.filter(pk=events[1].pk).delete()
    except DatabaseError:
        assert connection.vendor == "postgresql"  # refused outright there
        assert AuditEvent.objects.filter(pk=events[1].pk).exists()
        return
    # SQLite lets the row go; the chain shows it.
    result = verify_audit()
    assert not result.ok and "chain broken" in result.problems[0]
    with pytest.raises(CommandError):
        call_command("verify_audit", "--no-seal", stdout=StringIO(), stderr=StringIO())


def test_seals_cannot_be_rewritten() -> None:
    _events(2)
    seal = _seal()
    assert seal is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.filter(pk=seal.pk).update(chain="0" * 64)


def test_a_changed_record_is_found_when_the_trigger_is_bypassed() -> None:
    """Someone with the database superuser's or file's rights gets around the trigger and edits a record: verify-audit says so."""
    events = _events(2)
    _seal()
    if connection.vendor == "postgresql":
        # A superuser's way around every trigger.
        _raw("SET session_replication_role = replica", [])
        _raw("UPDATE core_auditevent SET message = %s WHERE id = %s", ["diubah", events[0].pk])
        _raw("SET session_replication_role = origin", [])
    else:
        with connection.cursor() as cursor:
            sql = cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'siaga_auditevent_append_only'"
            ).fetchone()[0]
            cursor.execute("DROP TRIGGER siaga_auditevent_append_only")
            cursor.execute("UPDATE core_auditevent SET message = %s WHERE id = %s", ["diubah", events[0].pk])
            cursor.execute(sql)
    result = verify_audit()
    assert [p for p in result.problems if f"record {events[0].pk}:" in p]


def test_a_deleted_user_keeps_the_trail_intact(kabagops: Any) -> None:
    record_change(actor=kabagops, action=AuditEvent.Action.VIEW, object_type="t.x", object_repr="lihat")
    _seal()
    kabagops.delete()  # the one allowed change: actor_id -> NULL, the name stays in actor_label
    event = AuditEvent.objects.get(object_repr="lihat")
    assert event.actor_id is None and event.actor_label == "t.kabagops"
    assert verify_audit().ok
