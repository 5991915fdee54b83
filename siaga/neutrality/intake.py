"""The public door of neutrality: what the portal (/lapor/netralitas/) may call. A citizen files a complaint
and follows its status by receipt code; nothing here reads other cases, officers or identities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.core.errors import NotFound
from siaga.incidents import ratelimit
from siaga.neutrality.models import Case, Complainant, Step
from siaga.neutrality.services import open_case, resolve_place


@dataclass(frozen=True)
class PublicComplaint:
    summary: str
    officer_description: str
    occurred_at: dt.datetime
    desa_id: int | None
    tps_number: int | None
    place: str
    name: str = ""
    nik: str = ""
    phone: str = ""


def _public_limits(client: str | None) -> list[ratelimit.Limit]:
    who = client or "unknown"
    return [
        ratelimit.Limit(
            f"ntr:c:{who}", getattr(settings, "SIAGA_NEUTRALITY_COMPLAINTS_PER_CLIENT_PER_HOUR", 10), 3600
        ),
        ratelimit.Limit("ntr:all", getattr(settings, "SIAGA_NEUTRALITY_COMPLAINTS_PER_MINUTE", 600), 60),
    ]


def file_public_complaint(
    *, complaint: PublicComplaint, idempotency_key: str, client: str | None, now: dt.datetime | None = None
) -> Case:
    """A citizen's complaint from /lapor/netralitas/. Sending the same form twice gives the same receipt."""
    existing = Case.objects.filter(idempotency_key=f"pub:{idempotency_key}").first()
    if existing is not None:
        return existing
    ratelimit.hit(_public_limits(client))
    where = resolve_place(
        kecamatan_id=None, desa_id=complaint.desa_id, tps_number=complaint.tps_number, place=complaint.place
    )
    try:
        with transaction.atomic():
            case = open_case(
                actor=None,
                source=Case.Source.PUBLIC,
                summary=complaint.summary,
                officer_description=complaint.officer_description,
                occurred_at=complaint.occurred_at,
                where=where,
                idempotency_key=f"pub:{idempotency_key}",
                now=now,
            )
            person = Complainant(
                case=case,
                name=complaint.name.strip(),
                nik=complaint.nik.strip(),
                phone=complaint.phone.strip(),
            )
            person.full_clean()
            person.save()
    except IntegrityError:
        # A concurrent submission with the same key won the race: answer with its receipt.
        existing = Case.objects.filter(idempotency_key=f"pub:{idempotency_key}").first()
        if existing is None:
            raise
        return existing
    return case


def receipt_exists(receipt: str) -> bool:
    return Case.objects.filter(receipt=receipt.strip().upper()[:20]).exists()


PUBLIC_STEPS: dict[str, Any] = {
    Step.RECEIVED: gettext_lazy("Diterima, menunggu klarifikasi"),
    Step.CLARIFICATION: gettext_lazy("Dalam klarifikasi"),
    Step.GELAR_PERKARA: gettext_lazy("Dalam pemeriksaan"),
    Step.CLASSIFIED: gettext_lazy("Dalam pemeriksaan"),
    Step.HEARING: gettext_lazy("Dalam sidang"),
    Step.DECIDED: gettext_lazy("Selesai: sudah diputus"),
    Step.CLOSED: gettext_lazy("Ditutup"),
}


@dataclass(frozen=True)
class PublicStatus:
    """What the complainant sees: the receipt, the step and when it last moved. Nothing about anyone."""

    receipt: str
    step: str
    step_label: str
    received_at: dt.datetime
    updated_at: dt.datetime
    close_reason: str


def public_status(receipt: str) -> PublicStatus:
    case = (
        Case.objects.filter(receipt=receipt.strip().upper())
        .values("receipt", "step", "received_at", "step_started_at", "close_reason")
        .first()
    )
    if case is None:
        raise NotFound(_("Kode tidak ditemukan"))
    reason = Case.CloseReason(case["close_reason"]).label if case["close_reason"] else ""
    return PublicStatus(
        receipt=case["receipt"],
        step=case["step"],
        step_label=str(PUBLIC_STEPS[case["step"]]),
        received_at=case["received_at"],
        updated_at=case["step_started_at"],
        close_reason=str(reason),
    )
