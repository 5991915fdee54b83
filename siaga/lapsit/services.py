"""Writes of the Lapsit app: generating and storing Lapsits (a job), the daily schedule, the reserve, partner
field rules and referral packets with their one status transition. Every write is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.core.audit import record_change, snapshot
from siaga.core.errors import Conflict, PermissionDenied, ValidationFailed
from siaga.core.jobs import Progress, no_progress, start_job
from siaga.core.models import AuditEvent, Job
from siaga.core.schedule import Periodic
from siaga.lapsit import documents, figures, partners
from siaga.lapsit.models import (
    REFERRAL_TRANSITIONS,
    Lapsit,
    PartnerFieldRule,
    ReferralPacket,
    ReferralStatus,
    Reserve,
)
from siaga.territory.models import PoliceUnit

JOB_KIND = "lapsit"


def _require(actor: Any, capability: str) -> None:
    if not can(actor, capability):
        raise PermissionDenied(_("Peran Anda tidak boleh melakukan ini"))


# --- the Lapsit ---------------------------------------------------------------------------------------------


def request_lapsit(
    *, actor: Any, polres: PoliceUnit, day: dt.date, trigger: str = Lapsit.Trigger.ON_DEMAND
) -> Job:
    """Queue the generation of a Polres's Lapsit for a day (a background job with a progress bar).

    `actor` None is the scheduler (siaga.posko's tick calls `schedule_daily_lapsits`)."""
    from siaga.lapsit.tasks import lapsit_task

    if actor is not None:
        _require(actor, "generate_lapsit")
    if day > timezone.localdate():
        raise ValidationFailed(
            _("Lapsit tidak dapat dibuat untuk hari yang belum tiba"),
            fields={"day": [day.isoformat()]},
        )
    return start_job(
        kind=JOB_KIND,
        title=_("Lapsit %(polres)s %(day)s") % {"polres": polres.name, "day": day.strftime("%d-%m-%Y")},
        task=lapsit_task,
        actor=actor,
        params={"polres_id": polres.pk, "day": day.isoformat(), "trigger": trigger},
    )


def _store(data: bytes, ext: str) -> str:
    # Random names under MEDIA_ROOT/lapsit/: served only through the views' permission checks, never directly.
    return default_storage.save(f"lapsit/{secrets.token_hex(16)}.{ext}", ContentFile(data))


def generate_lapsit(
    *,
    polres: PoliceUnit,
    day: dt.date,
    trigger: str,
    actor: Any = None,
    job: Job | None = None,
    now: dt.datetime | None = None,
    report: Progress = no_progress,
) -> Lapsit:
    """Compute the figures, render PDF, XLSX and JSON, and store them as a new revision (immutable)."""
    now = now or timezone.now()

    def building(percent: float, message: str = "") -> None:
        report(percent * 0.6, message)

    data = figures.build(polres=polres, day=day, now=now, report=building)
    for _attempt in range(3):
        same_day = Lapsit.objects.filter(polres=polres, day=day)
        revision = (same_day.aggregate(m=Max("revision"))["m"] or 0) + 1
        # One number per day (its revisions share it), counted through the year.
        first = same_day.order_by("revision").first()
        seq = Lapsit.objects.filter(polres=polres, day__year=day.year, day__lt=day, revision=1).count() + 1
        number = first.number if first else documents.lapsit_number(seq=seq, day=day)
        envelope = {
            **data,
            "number": number,
            "revision": revision,
            "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        }
        report(65, _("menyusun PDF"))
        pdf = documents.render_pdf(envelope)
        report(85, _("menyusun XLSX dan JSON"))
        xlsx = documents.render_xlsx(envelope)
        body = documents.export_json(envelope)
        digest = hashlib.sha256(json.dumps(data["sections"], sort_keys=True).encode()).hexdigest()
        try:
            with transaction.atomic():
                lapsit = Lapsit(
                    polres=polres,
                    election_id=_election_id(data),
                    day=day,
                    revision=revision,
                    number=number,
                    trigger=trigger,
                    schema_version=figures.VERSION,
                    figures=envelope,
                    digest=digest,
                    pdf_file=_store(pdf, "pdf"),
                    xlsx_file=_store(xlsx, "xlsx"),
                    json_file=_store(body, "json"),
                    generated_at=now,
                    generated_by=actor if getattr(actor, "is_authenticated", False) else None,
                    job=job,
                )
                lapsit.full_clean()
                lapsit.save()
                record_change(
                    actor=actor, action=AuditEvent.Action.CREATE, obj=lapsit, after=snapshot(lapsit)
                )
            return lapsit
        except IntegrityError:
            # Another worker stored the same revision first: take the next one.
            continue
    raise Conflict(_("Lapsit sedang dibuat oleh proses lain"), code="busy")


def _election_id(data: dict[str, Any]) -> int | None:
    from siaga.operations.models import Election

    election = data["sections"]["situation"].get("election")
    if not election:
        return None
    return Election.objects.filter(slug=election["slug"]).values_list("pk", flat=True).first()


def lapsit_hour() -> int:
    return int(getattr(settings, "SIAGA_LAPSIT_HOUR", 20))


def schedule_daily_lapsits(*, now: dt.datetime | None = None) -> list[Job]:
    """The daily schedule: from SIAGA_LAPSIT_HOUR on, queue today's Lapsit of every Polres with an operation
    running today, once (a scheduled Lapsit stored or queued for the day is not queued again). The posko
    scheduler calls this on each tick; calling it more often changes nothing."""
    from siaga.operations.models import Operation

    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < lapsit_hour():
        return []
    day = local.date()
    polres_ids = set(
        Operation.objects.filter(starts_on__lte=day, ends_on__gte=day).values_list("polres_id", flat=True)
    )
    jobs = []
    for polres in PoliceUnit.objects.filter(pk__in=polres_ids).order_by("pk"):
        if Lapsit.objects.filter(polres=polres, day=day, trigger=Lapsit.Trigger.SCHEDULED).exists():
            continue
        pending = Job.objects.filter(
            kind=JOB_KIND,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
            params__polres_id=polres.pk,
            params__day=day.isoformat(),
            params__trigger=Lapsit.Trigger.SCHEDULED,
        )
        if pending.exists():
            continue
        with transaction.atomic():
            jobs.append(request_lapsit(actor=None, polres=polres, day=day, trigger=Lapsit.Trigger.SCHEDULED))
    return jobs


def daily_lapsit_tick(*, now: dt.datetime) -> dict[str, Any]:
    """The periodic task the posko scheduler runs (siaga.core.schedule): queue the day's Lapsits when due."""
    jobs = schedule_daily_lapsits(now=now)
    return {"queued": [job.params["polres_id"] for job in jobs]}


# Checked every 10 minutes; `schedule_daily_lapsits` itself waits for SIAGA_LAPSIT_HOUR and queues once a day.
DAILY_LAPSIT = Periodic("lapsit.daily", "siaga.lapsit.services.daily_lapsit_tick", every_s=600)


def audit_download(*, actor: Any, lapsit: Lapsit, fmt: str) -> None:
    record_change(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=lapsit,
        object_repr=lapsit.number,
        after={"format": fmt},
    )


# --- the reserve (cadangan) ----------------------------------------------------------------------------------


def create_reserve(
    *,
    actor: Any,
    polres: PoliceUnit,
    name: str,
    count: int,
    starts_on: dt.date,
    origin: str = Reserve.Origin.POLRES,
    ends_on: dt.date | None = None,
    stationed_at: str = "",
    note: str = "",
) -> Reserve:
    _require(actor, "manage_operations")
    with transaction.atomic():
        reserve = Reserve(
            polres=polres,
            name=name.strip(),
            count=count,
            origin=origin,
            starts_on=starts_on,
            ends_on=ends_on,
            stationed_at=stationed_at.strip(),
            note=note.strip(),
        )
        reserve.full_clean()
        reserve.save()
        record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=reserve, after=snapshot(reserve))
    return reserve


def delete_reserve(*, actor: Any, reserve: Reserve) -> None:
    _require(actor, "manage_operations")
    with transaction.atomic():
        record_change(actor=actor, action=AuditEvent.Action.DELETE, obj=reserve, before=snapshot(reserve))
        reserve.delete()


# --- partner field rules -------------------------------------------------------------------------------------


def set_partner_rule(*, actor: Any, partner_kind: str, object_type: str, field: str, visible: bool) -> None:
    """Show or hide one field to one partner kind; the press is refused personal fields (partners.check_rule)."""
    _require(actor, "manage_reference_data")
    if visible:
        partners.check_rule(partner_kind, object_type, field)
    with transaction.atomic():
        existing = PartnerFieldRule.objects.filter(
            partner_kind=partner_kind, object_type=object_type, field=field
        ).first()
        if visible and existing is None:
            rule = PartnerFieldRule(partner_kind=partner_kind, object_type=object_type, field=field)
            rule.full_clean()
            rule.save()
            record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=rule, after=snapshot(rule))
        elif not visible and existing is not None:
            record_change(
                actor=actor, action=AuditEvent.Action.DELETE, obj=existing, before=snapshot(existing)
            )
            existing.delete()


# --- referral packets to Bawaslu (Sentra Gakkumdu) -----------------------------------------------------------


def packet_data(incident: Any) -> dict[str, Any]:
    """What Bawaslu receives: the incident as recorded (its text and place, not the reporter's identity) and its
    timeline. Frozen in the packet when it is sent."""
    from siaga.incidents.models import TimelineEntry

    record = partners.incident_record(incident)
    record["lat"], record["lng"] = incident.lat, incident.lng  # the addressee gets the real position
    timeline = [
        {
            "at": timezone.localtime(t.at).isoformat(timespec="minutes"),
            "kind": t.kind,
            "kind_label": str(t.get_kind_display()),
            "note": t.note,
        }
        for t in TimelineEntry.objects.filter(incident=incident).exclude(
            kind=TimelineEntry.Kind.IDENTITY_VIEWED
        )
    ]
    return {"schema": "siaga.referral", "version": 1, "incident": record, "timeline": timeline}


def open_referral(*, actor: Any, incident: Any, note: str = "") -> ReferralPacket:
    """Make the packet of an incident referred to Bawaslu (called by siaga.incidents.services.refer_incident)."""
    now = timezone.now()
    with transaction.atomic():
        seq = ReferralPacket.objects.filter(sent_at__year=now.year).count() + 1
        packet = ReferralPacket(
            incident=incident,
            number=f"B/{seq}/{documents.ROMAN[now.month]}/{now.year}/GAKKUMDU/{incident.receipt}",
            status=ReferralStatus.SENT,
            data=packet_data(incident),
            sent_at=now,
            note=note[:500],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        packet.full_clean()
        packet.save()
        record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=packet, after=snapshot(packet))
    return packet


_STAMP = {
    ReferralStatus.RECEIVED: "received_at",
    ReferralStatus.PROCESSED: "processed_at",
    ReferralStatus.CLOSED: "closed_at",
}


def transition_referral(*, actor: Any, packet: ReferralPacket, to: str, note: str = "") -> ReferralPacket:
    """The one way a referral's status changes: sent -> received -> processed -> closed (closing early allowed).

    The database settles two operators moving the same packet: the update names the status it expects."""
    _require(actor, "manage_referrals")
    if to not in REFERRAL_TRANSITIONS.get(packet.status, frozenset()):
        raise Conflict(
            _("Perubahan status %(a)s -> %(b)s tidak diizinkan / Status change not allowed")
            % {"a": packet.get_status_display(), "b": dict(ReferralStatus.choices).get(to, to)},
            code="illegal_transition",
        )
    now = timezone.now()
    with transaction.atomic():
        fields = {"status": to, _STAMP[ReferralStatus(to)]: now, "note": note.strip()[:500]}
        if not ReferralPacket.objects.filter(pk=packet.pk, status=packet.status).update(**fields):
            raise Conflict(_("Status rujukan sudah berubah"), code="stale")
        before = packet.status
        for key, value in fields.items():
            setattr(packet, key, value)
        record_change(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=packet,
            before={"status": before},
            after={"status": to},
            message=note.strip(),
        )
    return packet
