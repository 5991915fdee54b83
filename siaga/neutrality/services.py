"""Writes for neutrality cases: filing (public, internal, partner), the one transition function, linking the
named officer, the relatives register and pledges. Every write is audited; identity never enters the trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.audit import record_change, record_update, snapshot
from siaga.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.incidents.rules import new_receipt
from siaga.neutrality import rules
from siaga.neutrality.models import (
    Case,
    CaseEvent,
    Classification,
    Complainant,
    DeadlineRule,
    Pledge,
    Relative,
    Step,
)
from siaga.sites.models import Tps
from siaga.territory.models import Desa, Kecamatan


def deadline_rules() -> dict[str, tuple[int, int]]:
    return {r.key: (r.days, r.warn_hours) for r in DeadlineRule.objects.all()}


def _set_deadline(case: Case, *, rule_table: dict[str, tuple[int, int]] | None = None) -> None:
    deadline = rules.deadline_for(
        step=case.step,
        classification=case.classification,
        step_started_at=case.step_started_at,
        received_at=case.received_at,
        rules=deadline_rules() if rule_table is None else rule_table,
    )
    case.step_due_at, case.step_warn_at = deadline.due_at, deadline.warn_at


@dataclass(frozen=True)
class Place:
    """Where it happened: a desa (which gives the kecamatan) or a kecamatan, optionally a TPS number."""

    kecamatan: Kecamatan
    desa: Desa | None = None
    tps: Tps | None = None
    place: str = ""


def resolve_place(
    *, kecamatan_id: int | None, desa_id: int | None, tps_number: int | None, place: str
) -> Place:
    desa = Desa.objects.select_related("kecamatan").filter(pk=desa_id).first() if desa_id else None
    if desa_id and desa is None:
        raise ValidationFailed(_("Desa tidak dikenal"), fields={"desa": [str(desa_id)]})
    kecamatan = (
        desa.kecamatan
        if desa
        else Kecamatan.objects.filter(pk=kecamatan_id).first()
        if kecamatan_id
        else None
    )
    if kecamatan is None:
        raise ValidationFailed(
            _("Pilih desa atau kecamatan tempat kejadian"),
            fields={"desa": [_("wajib")]},
        )
    tps = None
    if tps_number:
        if desa is None:
            raise ValidationFailed(
                _("Nomor TPS perlu desanya"),
                fields={"tps_number": [str(tps_number)]},
            )
        tps = Tps.objects.filter(desa=desa, number=tps_number).order_by("-election__voting_on").first()
        if tps is None:
            raise ValidationFailed(
                _("TPS itu tidak ada di desa tersebut"),
                fields={"tps_number": [str(tps_number)]},
            )
    return Place(kecamatan=kecamatan, desa=desa, tps=tps, place=place.strip())


def open_case(
    *,
    actor: Any,
    source: str,
    summary: str,
    officer_description: str,
    occurred_at: dt.datetime,
    where: Place,
    idempotency_key: str | None = None,
    incident_id: int | None = None,
    now: dt.datetime | None = None,
) -> Case:
    now = now or timezone.now()
    if occurred_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(
            _("Waktu kejadian tidak boleh di masa depan"),
            fields={"occurred_at": [occurred_at.isoformat()]},
        )
    case = Case(
        receipt=new_receipt(),
        source=source,
        summary=summary.strip(),
        officer_description=officer_description.strip(),
        occurred_at=occurred_at,
        kecamatan=where.kecamatan,
        desa=where.desa,
        tps=where.tps,
        place=where.place,
        incident_id=incident_id,
        received_at=now,
        step_started_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        idempotency_key=idempotency_key,
    )
    _set_deadline(case)
    case.full_clean(exclude=["receipt"])
    case.save()
    CaseEvent.objects.create(case=case, from_step="", to_step=Step.RECEIVED, at=now, actor=case.created_by)
    record_change(actor=actor or "publik", action=AuditEvent.Action.CREATE, obj=case, after=snapshot(case))
    return case


def file_case(
    *,
    actor: Any,
    summary: str,
    officer_description: str,
    occurred_at: dt.datetime,
    kecamatan_id: int | None,
    desa_id: int | None = None,
    tps_number: int | None = None,
    place: str = "",
    incident_id: int | None = None,
) -> Case:
    """An internal case (Siwas, a commander) or a partner's finding (Bawaslu), inside the filer's area."""
    if not can(actor, "file_neutrality"):
        raise PermissionDenied(_("Anda tidak boleh mencatat pengaduan netralitas"))
    is_partner = getattr(actor, "role", "") == "partner_viewer"
    if is_partner and getattr(actor, "partner", "") != "bawaslu":
        raise PermissionDenied(_("Hanya Bawaslu yang dapat menyampaikan temuan netralitas"))
    where = resolve_place(kecamatan_id=kecamatan_id, desa_id=desa_id, tps_number=tps_number, place=place)
    if not scope_for(actor).allows(where.kecamatan.pk):
        raise NotFound(_("Kecamatan tidak ditemukan"))
    with transaction.atomic():
        return open_case(
            actor=actor,
            source=Case.Source.PARTNER if is_partner else Case.Source.INTERNAL,
            summary=summary,
            officer_description=officer_description,
            occurred_at=occurred_at,
            where=where,
            incident_id=incident_id,
        )


def move_case(
    *,
    actor: Any,
    case: Case,
    to: str,
    note: str = "",
    document: Any = None,
    classification: str = "",
    decision: str = "",
    sanction: str = "",
    close_reason: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """The one transition function of a case. Refuses illegal moves and moves that lost a race."""
    if not can(actor, "handle_neutrality"):
        raise PermissionDenied(_("Hanya Propam/Siwas yang menangani perkara netralitas"))
    if to not in rules.TRANSITIONS.get(case.step, frozenset()):
        raise Conflict(
            _("Perkara pada tahap %(step)s tidak dapat dipindah ke %(to)s")
            % {"step": Step(case.step).label, "to": Step(to).label if to in Step.values else to},
            code="illegal_transition",
        )
    errors: dict[str, list[str]] = {}
    if to == Step.CLASSIFIED and classification not in Classification.values:
        errors["classification"] = [_("Pilih klasifikasi: ringan, sedang atau berat")]
    if to == Step.DECIDED and not decision.strip():
        errors["decision"] = [_("Tuliskan putusan")]
    if to == Step.CLOSED and close_reason not in Case.CloseReason.values:
        errors["close_reason"] = [_("Pilih alasan penutupan")]
    if to in (Step.CLARIFICATION, Step.GELAR_PERKARA, Step.HEARING, Step.CLOSED) and not note.strip():
        errors["note"] = [_("Tuliskan catatan langkah ini")]
    if errors:
        raise ValidationFailed(_("Periksa isian langkah ini"), fields=errors)
    now = now or timezone.now()
    with transaction.atomic():
        before = snapshot(case)
        from_step = case.step
        case.step = to
        case.step_started_at = now
        if to == Step.CLASSIFIED:
            case.classification = classification
        if to == Step.DECIDED:
            case.decision, case.sanction = decision.strip(), sanction.strip()
        if to == Step.CLOSED:
            case.close_reason = close_reason
        _set_deadline(case)
        # Two handlers moving the same case: the conditional update lets exactly one win.
        moved = Case.objects.filter(pk=case.pk, step=from_step).update(
            step=case.step,
            step_started_at=case.step_started_at,
            step_due_at=case.step_due_at,
            step_warn_at=case.step_warn_at,
            classification=case.classification,
            decision=case.decision,
            sanction=case.sanction,
            close_reason=case.close_reason,
        )
        if not moved:
            case.refresh_from_db()
            raise Conflict(
                _("Perkara sudah dipindah oleh petugas lain; muat ulang halaman"), code="stale_case"
            )
        event = CaseEvent(case=case, from_step=from_step, to_step=to, at=now, actor=actor, note=note.strip())
        if document:
            event.document = document
        event.save()
        record_update(actor=actor, obj=case, before=before, message=f"{from_step} -> {to}")
    return case


def identify_officer(*, actor: Any, case: Case, personnel_id: int | None) -> Case:
    """Link the case to the officer it names, once Propam has identified him (or unlink it)."""
    from siaga.personnel.selectors import personnel_for

    if not can(actor, "handle_neutrality"):
        raise PermissionDenied(_("Hanya Propam/Siwas yang menangani perkara netralitas"))
    officer = None
    if personnel_id:
        officer = personnel_for(actor).filter(pk=personnel_id).first()
        if officer is None:
            raise NotFound(_("Personel tidak ditemukan"))
    with transaction.atomic():
        before = snapshot(case)
        case.officer = officer
        case.save(update_fields=["officer"])
        record_update(actor=actor, obj=case, before=before, message="officer identified")
    return case


def declare_relative(
    *,
    actor: Any,
    personnel_id: int,
    name: str,
    relation: str,
    standing: str,
    party: str = "",
    contest: str = "",
    kecamatan_ids: list[int] | None = None,
    declared_on: dt.date | None = None,
) -> Relative:
    from siaga.personnel.selectors import personnel_for

    if not can(actor, "manage_neutrality_register"):
        raise PermissionDenied(_("Anda tidak boleh mengubah daftar kerabat"))
    officer = personnel_for(actor).filter(pk=personnel_id).first()
    if officer is None:
        raise NotFound(_("Personel tidak ditemukan"))
    with transaction.atomic():
        relative = Relative(
            personnel=officer,
            name=name.strip(),
            relation=relation,
            standing=standing,
            party=party.strip(),
            contest=contest.strip(),
            declared_on=declared_on or timezone.localdate(),
        )
        relative.full_clean()
        relative.save()
        if kecamatan_ids:
            relative.kecamatan.set(Kecamatan.objects.filter(pk__in=kecamatan_ids))
        record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=relative, after=snapshot(relative))
    return relative


def record_pledge(*, actor: Any, personnel_id: int, operation_id: int, signed_on: dt.date) -> Pledge:
    from siaga.operations.models import Operation
    from siaga.personnel.selectors import personnel_for

    if not can(actor, "manage_neutrality_register"):
        raise PermissionDenied(_("Anda tidak boleh mencatat pakta integritas"))
    officer = personnel_for(actor).filter(pk=personnel_id).first()
    operation = Operation.objects.filter(pk=operation_id).first()
    if officer is None or operation is None:
        raise NotFound(_("Personel atau operasi tidak ditemukan"))
    with transaction.atomic():
        pledge, created = Pledge.objects.get_or_create(
            personnel=officer, operation=operation, defaults={"signed_on": signed_on, "recorded_by": actor}
        )
        if created:
            record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=pledge, after=snapshot(pledge))
    return pledge


def open_case_from_incident(*, actor: Any, incident: Any) -> Case | None:
    """An incident referred to Propam becomes a neutrality case (in the caller's transaction), with the
    reporter's contact carried over as the complainant; None when the incident has no kecamatan to own it."""
    from siaga.incidents.models import ReporterContact

    if Case.objects.filter(incident=incident).exists():
        return Case.objects.filter(incident=incident).first()
    kecamatan = incident.kecamatan or (incident.desa.kecamatan if incident.desa_id else None)
    if kecamatan is None:
        return None
    case = open_case(
        actor=actor,
        source={"field": Case.Source.INTERNAL, "partner": Case.Source.PARTNER}.get(
            incident.source, Case.Source.PUBLIC
        ),
        summary=incident.description,
        officer_description=_("lihat uraian laporan kejadian %(receipt)s") % {"receipt": incident.receipt},
        occurred_at=min(incident.occurred_at, timezone.now()),
        where=Place(kecamatan=kecamatan, desa=incident.desa, tps=incident.tps, place=incident.place),
        incident_id=incident.pk,
    )
    contact = ReporterContact.objects.filter(incident=incident).first()
    if contact is not None:
        Complainant.objects.create(case=case, name=contact.name, phone=contact.phone)
    return case
