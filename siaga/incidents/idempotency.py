"""Idempotency-Key for API writes (IETF draft-ietf-httpapi-idempotency-key-header): the first response is
stored with the write in one transaction and replayed for retries with the same body; the same key with a
different body is refused with 422.

The record is inserted *before* the work, so a concurrent retry waits on the unique index (PostgreSQL) or on the
write lock (SQLite IMMEDIATE) until the first commits, then replays it. Domain errors are not stored (the
transaction rolls back), so a corrected retry may succeed, as with Stripe.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from siaga.core.errors import ValidationFailed
from siaga.incidents.models import IdempotencyRecord
from siaga.incidents.services import fingerprint

# The key is stored with a prefix naming the caller ("u123:") in Incident.client_key (100 characters): 80 leaves
# room for any prefix, and a UUID (36) is what clients send. A longer key was a database error on PostgreSQL.
MAX_KEY_LENGTH = 80


def check_key(key: str | None, *, required: bool = True) -> str | None:
    if not key:
        if required:
            raise ValidationFailed(
                _("Header Idempotency-Key wajib"),
                code="idempotency_key_missing",
                fields={"Idempotency-Key": ["?"]},
            )
        return None
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(_("Idempotency-Key tidak valid"), code="idempotency_key_invalid")
    return key


def _replay(record: IdempotencyRecord, fp: str) -> tuple[int, Any, bool]:
    if record.fingerprint != fp:
        raise ValidationFailed(
            _("Kunci idempotensi sudah dipakai untuk permintaan lain"),
            code="idempotency_key_reused",
        )
    return record.status_code, record.response, True


def run_once(
    *, scope: str, key: str, payload: Any, work: Callable[[], tuple[int, Any]]
) -> tuple[int, Any, bool]:
    """(status, body, replayed): run `work` once per (scope, key); replay its stored response afterwards."""
    fp = fingerprint(payload)
    existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if existing is not None:
        return _replay(existing, fp)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                scope=scope, key=key, fingerprint=fp, status_code=0, response={}
            )
            status, body = work()
            IdempotencyRecord.objects.filter(pk=record.pk).update(status_code=status, response=body)
            return status, body, False
    except IntegrityError:
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is None:
            raise
        return _replay(existing, fp)
