"""The audit trail: every create, update and delete records actor, time, object and before/after values.

Services call `record_change` explicitly inside their transaction, so an action and its audit record commit
or roll back together. The request context (client address, UI or API) comes from AuditContextMiddleware.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models

from siaga.core.models import AuditEvent, AuditSeal, audit_digest


@dataclass(frozen=True)
class AuditContext:
    source: str = AuditEvent.Source.SYSTEM
    ip_address: str | None = None


_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "siaga_audit",
    default=AuditContext(),  # noqa: B039 - a frozen dataclass, immutable
)


@contextmanager
def audit_context(*, source: str, ip_address: str | None = None) -> Iterator[None]:
    token = _context.set(AuditContext(source=source, ip_address=ip_address))
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> AuditContext:
    return _context.get()


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's concrete field values, JSON-ready. Large geometry fields are left out on purpose."""
    excluded = set(getattr(obj, "audit_exclude", ()))
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in excluded:
            continue
        data[field.attname] = _jsonable(field.value_from_object(obj))
    for field in obj._meta.many_to_many:
        if field.name in excluded or obj.pk is None:
            continue
        data[field.name] = sorted(v.pk for v in field.value_from_object(obj))
    return data


def changed_only(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the keys whose value differs, so an audit record shows what an edit actually changed."""
    keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def audit_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    source: str | None = None,
) -> AuditEvent:
    """An unsaved audit record; imports build many and write them with one `bulk_create`."""
    ctx = current_context()
    user = actor if getattr(actor, "is_authenticated", False) else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = object_repr or str(obj)
    return AuditEvent(
        actor=user,
        actor_label=(user.get_username() if user else str(actor or "sistem"))[:150],
        action=action,
        source=source or ctx.source,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        message=message[:500],
        ip_address=ctx.ip_address,
    )


def record_change(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    source: str | None = None,
) -> AuditEvent:
    """Write one audit record inside the caller's transaction."""
    event = audit_event(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
        message=message,
        source=source,
    )
    event.save()
    return event


def record_update(
    *, actor: Any, obj: models.Model, before: dict[str, Any], message: str = ""
) -> AuditEvent | None:
    """Record an update with only the changed fields; nothing is recorded if nothing changed."""
    b, a = changed_only(before, snapshot(obj))
    if not a:
        return None
    return record_change(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=obj, before=b, after=a, message=message
    )


# --- hash chain (G19) ----------------------------------------------------------------------------------------

# Seal only records older than this: a transaction still open may hold a lower id that commits later.
SEAL_AFTER_S = 60
_GENESIS = "0" * 64


def _link(previous: str, digests: list[str]) -> str:
    h = hashlib.sha256(previous.encode())
    for d in digests:
        h.update(d.encode())
    return h.hexdigest()


def seal_audit(*, now: dt.datetime | None = None, settle_s: int = SEAL_AFTER_S) -> AuditSeal | None:
    """Chain every unsealed record older than `settle_s` to the last seal; None when there is nothing new."""
    from django.db import transaction
    from django.utils import timezone

    now = now or timezone.now()
    with transaction.atomic():
        last = AuditSeal.objects.select_for_update().order_by("-upto_id").first()
        start = last.upto_id if last else 0
        rows = list(
            AuditEvent.objects.filter(pk__gt=start, at__lt=now - dt.timedelta(seconds=settle_s))
            .order_by("pk")
            .values_list("pk", "digest")
        )
        if not rows:
            return None
        return AuditSeal.objects.create(
            upto_id=rows[-1][0],
            rows=len(rows),
            chain=_link(last.chain if last else _GENESIS, [d for _p, d in rows]),
        )


@dataclass
class AuditVerification:
    records: int
    sealed: int
    unsealed: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_audit() -> AuditVerification:
    """Recompute every record's digest and every seal's chain link; list what does not match."""
    problems: list[str] = []
    records = 0
    digests: list[tuple[int, str]] = []
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        records += 1
        if audit_digest(event) != event.digest:
            problems.append(f"record {event.pk}: content changed (digest mismatch)")
        digests.append((event.pk, event.digest))
    previous, start, sealed, i = _GENESIS, 0, 0, 0
    for seal in AuditSeal.objects.order_by("upto_id"):
        chunk = []
        while i < len(digests) and digests[i][0] <= seal.upto_id:
            chunk.append(digests[i][1])
            i += 1
        if len(chunk) != seal.rows or _link(previous, chunk) != seal.chain:
            problems.append(
                f"seal up to record {seal.upto_id}: chain broken (records {start + 1}-{seal.upto_id}: "
                f"{len(chunk)} found, {seal.rows} sealed)"
            )
        previous, start, sealed = seal.chain, seal.upto_id, sealed + len(chunk)
    return AuditVerification(records=records, sealed=sealed, unsealed=records - sealed, problems=problems)


def save_imported(
    *, actor: Any, model: type[models.Model], existing: models.Model | None, data: dict[str, Any]
) -> str:
    """Create or update one imported row with its audit record; 'created', 'updated' or 'unchanged'.

    Re-importing the same file changes nothing, so an unchanged row is neither saved nor audited."""
    if existing is None:
        obj = model(**data)
        obj.save()
        record_change(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=obj,
            after=snapshot(obj),
            source=AuditEvent.Source.IMPORT,
        )
        return "created"
    before = snapshot(existing)
    for field, value in data.items():
        setattr(existing, field, value)
    if snapshot(existing) == before:
        return "unchanged"
    existing.save()
    b, a = changed_only(before, snapshot(existing))
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=existing,
        before=b,
        after=a,
        source=AuditEvent.Source.IMPORT,
    )
    return "updated"
