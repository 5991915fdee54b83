"""All writes on incidents and response units. Each runs in one transaction with its audit and timeline rows.

Races are settled by the database: the incident state machine and unit dispatch both use conditional
`UPDATE ... WHERE status = ...`, so of two dispatchers sending the same unit exactly one succeeds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.core import bulk
from siaga.core.audit import audit_event, record_change, snapshot
from siaga.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from siaga.core.jobs import start_job
from siaga.core.models import AuditEvent, Job
from siaga.incidents import commitments, locate, photos
from siaga.incidents.dbretry import retry_when_locked
from siaga.incidents.models import (
    TRANSITIONS,
    Category,
    Dispatch,
    Incident,
    IncidentPhoto,
    Priority,
    Referral,
    ReporterContact,
    ResponseUnit,
    Source,
    Status,
    TimelineEntry,
)
from siaga.incidents.notify import Notification, deliver
from siaga.incidents.rules import REFERRALS, new_receipt, suggest_priority
from siaga.sites.models import Tps
from siaga.territory.models import Desa

# An operator's "being handled by" lock lapses after this long without renewal, so a lock left by someone who
# went home does not block the queue.
HANDLER_LOCK = dt.timedelta(minutes=15)
# Which timestamp a status sets the first time it is reached (response times are never back-filled).
STATUS_TIMESTAMPS: dict[str, str] = {
    Status.VERIFIED: "verified_at",
    Status.DISPATCHED: "dispatched_at",
    Status.ON_SCENE: "on_scene_at",
    Status.RESOLVED: "resolved_at",
    Status.CLOSED: "closed_at",
}
# Reaching these releases every unit still attached to the incident.
RELEASING_STATUSES = {Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.DUPLICATE}
CATEGORY_CODES = frozenset(Category.values)  # Category.values builds a new list on every access


@dataclass(frozen=True)
class ReporterData:
    name: str = ""
    phone: str = ""
    email: str = ""
    consented: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.email)


@dataclass(frozen=True)
class IncidentData:
    """What intake collects, from any channel."""

    source: str
    category: str
    description: str
    occurred_at: dt.datetime
    lat: float | None = None
    lng: float | None = None
    desa_id: int | None = None
    tps_id: int | None = None
    place: str = ""
    reporter: ReporterData = field(default_factory=ReporterData)
    priority: int | None = None
    is_synthetic: bool = False


def fingerprint(payload: Any) -> str:
    """SHA-256 of a canonical JSON rendering of a request body (key order does not matter)."""
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _actor_label(actor: Any) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else str(actor or "publik")


def _timeline(
    incident: Incident, actor: Any, kind: str, *, note: str = "", from_status: str = "", to_status: str = ""
) -> None:
    TimelineEntry.objects.create(
        incident=incident,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor)[:150],
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note[:500],
    )


def _notify(incidents: Sequence[Incident], event: str, actor: Any = None) -> None:
    """Queue one notification job for these incidents in their own transaction: one commit for both (the queue
    is a table in the same database), and no notification for reports that rolled back."""
    from siaga.incidents.tasks import notify_incident_task

    receipts = ", ".join(i.receipt for i in incidents[:5]) + (" ..." if len(incidents) > 5 else "")
    start_job(
        kind="incident_notify",
        title=f"Notifikasi {receipts} ({event})"[:200],
        task=notify_incident_task,
        actor=actor,
        params={"incident_ids": [i.pk for i in incidents], "event": event},
        same_transaction=True,
    )


def send_notification(job: Job, report: Any) -> dict[str, Any]:
    """The notification job's work: one message per incident (no reporter identity), sent everywhere.

    Returns {channel: outcome}: "ok" when every message went through that channel, else the first failure.
    """
    ids = job.params.get("incident_ids") or [job.params["incident_id"]]
    event = job.params.get("event", "reported")
    incidents = Incident.objects.select_related("kecamatan").filter(pk__in=ids).order_by("pk")
    outcome: dict[str, str] = {}
    for done, incident in enumerate(incidents, start=1):
        kecamatan = incident.kecamatan.name if incident.kecamatan else ""
        notification = Notification(
            event=event,
            receipt=incident.receipt,
            category=incident.category,
            priority=incident.priority,
            status=incident.status,
            kecamatan=kecamatan,
            text=(
                f"Siaga {incident.receipt}: {incident.get_category_display()} P{incident.priority}, "
                f"{incident.get_status_display()}, kec. {kecamatan or '-'}"
            ),
        )
        for channel, result in deliver(notification).items():
            if outcome.get(channel, "ok") == "ok":
                outcome[channel] = result
        report(100 * done / len(ids), incident.receipt)
    report(100, ", ".join(f"{k}: {v}" for k, v in outcome.items()) or _("tidak ada kanal"))
    return outcome


# --- intake ---------------------------------------------------------------------------------------------------


def _resolve_place(data: IncidentData) -> tuple[int | None, int | None, int | None]:
    """(kecamatan, desa, tps) ids from what the reporter gave: a TPS, a desa, or a point."""
    if data.tps_id:
        tps = Tps.objects.filter(pk=data.tps_id).values_list("kecamatan_id", "desa_id").first()
        if tps is None:
            raise ValidationFailed(_("TPS tidak dikenal"), fields={"tps": [_("TPS tidak dikenal")]})
        return tps[0], tps[1], data.tps_id
    if data.desa_id:
        kec = Desa.objects.filter(pk=data.desa_id).values_list("kecamatan_id", flat=True).first()
        if kec is None:
            raise ValidationFailed(_("Desa tidak dikenal"), fields={"desa": [_("Desa tidak dikenal")]})
        return kec, data.desa_id, None
    if data.lat is not None and data.lng is not None:
        kec_id, desa_id = locate.locate(data.lat, data.lng)
        return kec_id, desa_id, None
    return None, None, None


def _check(data: IncidentData, photo_count: int) -> None:
    errors: dict[str, list[str]] = {}
    if data.category not in CATEGORY_CODES:
        errors["category"] = [_("Pilih kategori")]
    if len(data.description.strip()) < 10:
        errors["description"] = [_("Ceritakan apa yang terjadi (minimal 10 huruf)")]
    if data.lat is None and data.lng is None and not data.desa_id and not data.tps_id:
        errors["location"] = [_("Tandai lokasi di peta, pakai lokasi ponsel, atau pilih desa")]
    if (data.lat is None) != (data.lng is None):
        errors["location"] = [_("Lintang dan bujur harus diisi keduanya")]
    if data.source == Source.PUBLIC and not data.reporter.is_empty and not data.reporter.consented:
        # Contact details are personal data (UU PDP): kept only with the reporter's consent.
        errors["consent"] = [_("Centang persetujuan bila memberi kontak")]
    if photo_count > photos.MAX_PHOTOS:
        errors["photos"] = [_("Paling banyak %(n)d foto") % {"n": photos.MAX_PHOTOS}]
    if errors:
        raise ValidationFailed(_("Laporan belum lengkap"), fields=errors)


@dataclass
class PreparedIncident:
    """A checked, placed and prioritised report, not yet written: what `write_incidents` stores.

    Preparing (validation, point-in-polygon, photo decoding, priority) needs no database lock and runs in the
    caller's thread; writing is the short part that the public intake batches (see siaga.incidents.batch).
    """

    incident: Incident
    contact: ReporterContact | None
    audit: AuditEvent
    images: list[Any] = field(default_factory=list)
    actor: Any = None


def prepare_incident(
    *,
    actor: Any,
    data: IncidentData,
    client_key: str | None = None,
    request_fingerprint: str = "",
    photo_files: Sequence[Any] = (),
) -> PreparedIncident:
    """Check and place a report from any channel; raise ValidationFailed with every problem at once."""
    _check(data, len(photo_files))
    kecamatan_id, desa_id, tps_id = _resolve_place(data)
    encoded = [
        photos.reencode(f) for f in photo_files
    ]  # decode and check every photo before writing anything
    priority = data.priority or suggest_priority(
        category=data.category, description=data.description, near_tps=bool(tps_id)
    )
    incident = Incident(
        receipt=new_receipt(),
        client_key=client_key or None,
        request_fingerprint=request_fingerprint,
        source=data.source,
        category=data.category,
        description=data.description.strip(),
        occurred_at=data.occurred_at,
        reported_at=timezone.now(),
        lat=data.lat,
        lng=data.lng,
        place=data.place[:200],
        kecamatan_id=kecamatan_id,
        desa_id=desa_id,
        tps_id=tps_id,
        priority=priority,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_synthetic=data.is_synthetic,
    )
    try:
        # Uniqueness and check constraints are enforced by the database itself (and raced there); asking
        # Django to pre-check them would cost a query each on the hot intake path.
        incident.full_clean(
            exclude=["receipt", "client_key", "kecamatan", "desa", "tps", "created_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise ValidationFailed(
            _("Laporan tidak valid"),
            fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
        ) from exc
    contact = None
    if not data.reporter.is_empty:
        contact = ReporterContact(
            name=data.reporter.name[:150],
            phone=data.reporter.phone[:40],
            email=data.reporter.email[:254],
            consented_at=timezone.now() if data.reporter.consented else None,
        )
    # Built now, in the request's thread, so that it carries this request's audit context (source, address);
    # the object id and snapshot are filled in once the row exists.
    audit = audit_event(actor=actor, action=AuditEvent.Action.CREATE, object_type=Incident._meta.label_lower)
    return PreparedIncident(incident=incident, contact=contact, audit=audit, images=encoded, actor=actor)


def write_incidents(items: Sequence[PreparedIncident]) -> None:
    """Write prepared reports with their contact, photos, audit and timeline rows: a few bulk INSERTs in the
    caller's transaction (the caller opens it), whatever the number of reports. Sets each incident's pk.

    A repeated client key or a colliding receipt raises IntegrityError; callers roll back and replay or retry.
    """
    stored: list[str] = []
    try:
        incidents = [item.incident for item in items]
        bulk.insert(incidents)
        contacts = []
        for item in items:
            if item.contact is not None:
                item.contact.incident = item.incident
                contacts.append(item.contact)
        if contacts:
            bulk.insert(contacts)
        photo_rows = []
        for item in items:
            for image in item.images:
                name = photos.store(image)
                stored.append(name)
                photo_rows.append(
                    IncidentPhoto(
                        incident=item.incident,
                        file_name=name,
                        width=image.width,
                        height=image.height,
                        size_bytes=len(image.data),
                    )
                )
        if photo_rows:
            bulk.insert(photo_rows)
        audits, timeline = [], []
        for item in items:
            incident = item.incident
            item.audit.object_id = str(incident.pk)
            item.audit.object_repr = str(incident)[:300]
            item.audit.after = snapshot(incident)
            audits.append(item.audit)
            timeline.append(
                TimelineEntry(
                    incident=incident,
                    actor=item.actor if getattr(item.actor, "is_authenticated", False) else None,
                    actor_label=_actor_label(item.actor)[:150],
                    kind=TimelineEntry.Kind.CREATED,
                    to_status=Status.NEW,
                    note=str(Source(incident.source).label),
                    at=incident.reported_at,
                )
            )
        bulk.insert(audits)
        bulk.insert(timeline)
        urgent = [item.incident for item in items if item.incident.priority <= Priority.P2]
        if urgent:
            _notify(urgent, "reported", items[0].actor if len(items) == 1 else None)
    except BaseException:
        for name in stored:
            photos.delete(name)
        for item in items:  # the caller may write them again (one by one): back to unsaved
            for row in (item.incident, item.contact, item.audit):
                if row is not None:
                    row.pk = None
                    row._state.adding = True
        raise


def create_incident(
    *,
    actor: Any,
    data: IncidentData,
    client_key: str | None = None,
    request_fingerprint: str = "",
    photo_files: Sequence[Any] = (),
) -> Incident:
    """Record a report from any channel. A repeated `client_key` raises IntegrityError (callers replay)."""
    prepared = prepare_incident(
        actor=actor,
        data=data,
        client_key=client_key,
        request_fingerprint=request_fingerprint,
        photo_files=photo_files,
    )
    with transaction.atomic():
        write_incidents([prepared])
    return prepared.incident


# --- the state machine ----------------------------------------------------------------------------------------


@retry_when_locked
def transition_incident(
    *, actor: Any, incident: Incident, to: str, note: str = "", duplicate_of: Incident | None = None
) -> Incident:
    """Move an incident to another state. Illegal moves and moves that lost a race are refused.

    "Unit dikirim" is not a button: it is what `dispatch_unit` does when it sends a named unit, so a report
    never shows as handled with nobody on the way."""
    if to == Status.DISPATCHED:
        raise ValidationFailed(_("Pilih unit yang dikirim"), fields={"to": [to]}, code="needs_unit")
    return _transition(actor=actor, incident=incident, to=to, note=note, duplicate_of=duplicate_of)


def _transition(
    *, actor: Any, incident: Incident, to: str, note: str = "", duplicate_of: Incident | None = None
) -> Incident:
    if to not in Status.values:
        raise ValidationFailed(_("Status tidak dikenal"), fields={"to": [to]})
    current = incident.status
    if to not in TRANSITIONS[current]:
        raise Conflict(
            _("Tidak bisa dari %(a)s ke %(b)s") % {"a": Status(current).label, "b": Status(to).label},
            code="illegal_transition",
        )
    if to == Status.DUPLICATE and (duplicate_of is None or duplicate_of.pk == incident.pk):
        raise ValidationFailed(
            _("Sebutkan laporan aslinya"),
            fields={"duplicate_of": ["?"]},
        )
    now = timezone.now()
    updates: dict[str, Any] = {"status": to}
    stamp = STATUS_TIMESTAMPS.get(to)
    if stamp and getattr(incident, stamp) is None:
        updates[stamp] = now
    if to == Status.DUPLICATE:
        updates["duplicate_of"] = duplicate_of
    if to in (Status.CLOSED, Status.REJECTED, Status.DUPLICATE):
        updates.update(handler=None, handler_since=None)
    with transaction.atomic():
        changed = Incident.objects.filter(pk=incident.pk, status=current).update(**updates)
        if not changed:
            fresh = Incident.objects.filter(pk=incident.pk).values_list("status", flat=True).first()
            raise Conflict(
                _("Laporan sudah diubah orang lain (status kini: %(s)s)")
                % {"s": Status(fresh).label if fresh else "-"},
                code="stale_status",
            )
        for key, value in updates.items():
            setattr(incident, key, value)
        if to in RELEASING_STATUSES:
            _release_units(actor, incident, now)
        record_change(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=incident,
            before={"status": current},
            after={"status": to},
            message=note,
        )
        _timeline(incident, actor, TimelineEntry.Kind.STATUS, from_status=current, to_status=to, note=note)
    return incident


def _release_units(actor: Any, incident: Incident, now: dt.datetime) -> None:
    units = list(ResponseUnit.objects.filter(current_incident=incident))
    if not units:
        return
    ResponseUnit.objects.filter(current_incident=incident).update(
        status=ResponseUnit.UnitStatus.AVAILABLE, current_incident=None, status_at=now
    )
    Dispatch.objects.filter(incident=incident, released_at__isnull=True).update(released_at=now)
    for unit in units:
        _timeline(incident, actor, TimelineEntry.Kind.UNIT, note=f"{unit.call_sign}: {_('dilepas')}")


def set_priority(*, actor: Any, incident: Incident, priority: int, note: str = "") -> Incident:
    if priority not in Priority.values:
        raise ValidationFailed(_("Prioritas 1-4"), fields={"priority": [str(priority)]})
    with transaction.atomic():
        before = incident.priority
        Incident.objects.filter(pk=incident.pk).update(priority=priority)
        incident.priority = priority
        record_change(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=incident,
            before={"priority": before},
            after={"priority": priority},
        )
        _timeline(
            incident, actor, TimelineEntry.Kind.PRIORITY, note=f"P{before} -> P{priority} {note}".strip()
        )
    return incident


def assign_incident(*, actor: Any, incident: Incident, user: Any = None, police_unit: Any = None) -> Incident:
    """Give an incident to a person and/or a police unit (Polsek) to follow up."""
    if user is None and police_unit is None:
        raise ValidationFailed(_("Pilih petugas atau satuan"), fields={"assignee": ["?"]})
    with transaction.atomic():
        before = {
            "assigned_user_id": incident.assigned_user_id,
            "assigned_police_unit_id": incident.assigned_police_unit_id,
        }
        if user is not None:
            incident.assigned_user = user
        if police_unit is not None:
            incident.assigned_police_unit = police_unit
        Incident.objects.filter(pk=incident.pk).update(
            assigned_user=incident.assigned_user, assigned_police_unit=incident.assigned_police_unit
        )
        after = {
            "assigned_user_id": incident.assigned_user_id,
            "assigned_police_unit_id": incident.assigned_police_unit_id,
        }
        record_change(actor=actor, action=AuditEvent.Action.UPDATE, obj=incident, before=before, after=after)
        names = ", ".join(str(x) for x in (user, police_unit) if x is not None)
        _timeline(incident, actor, TimelineEntry.Kind.ASSIGNED, note=names)
    return incident


@retry_when_locked
def claim_incident(*, actor: Any, incident: Incident) -> Incident:
    """Take the "being handled by" lock; refused while another operator holds a fresh one."""
    now = timezone.now()
    with transaction.atomic():
        free = Q(handler__isnull=True) | Q(handler=actor) | Q(handler_since__lt=now - HANDLER_LOCK)
        if not Incident.objects.filter(free, pk=incident.pk).update(handler=actor, handler_since=now):
            holder = (
                Incident.objects.filter(pk=incident.pk).values_list("handler__username", flat=True).first()
            )
            raise Conflict(
                _("Sedang ditangani oleh %(u)s") % {"u": holder or "-"},
                code="locked",
            )
        if incident.handler_id != actor.pk:
            _timeline(incident, actor, TimelineEntry.Kind.CLAIMED)
        incident.handler, incident.handler_since = actor, now
    return incident


def release_incident(*, actor: Any, incident: Incident) -> Incident:
    with transaction.atomic():
        if Incident.objects.filter(pk=incident.pk, handler=actor).update(handler=None, handler_since=None):
            _timeline(incident, actor, TimelineEntry.Kind.RELEASED)
        incident.handler, incident.handler_since = None, None
    return incident


def refer_incident(*, actor: Any, incident: Incident, to: str, note: str = "") -> Incident:
    """Refer an election offence to Bawaslu (Sentra Gakkumdu) or a neutrality complaint to Propam."""
    if to not in REFERRALS:
        raise ValidationFailed(_("Tujuan rujukan tidak dikenal"), fields={"to": [to]})
    if incident.category not in REFERRALS[to]:
        raise ValidationFailed(
            _("Kategori %(c)s tidak dirujuk ke %(t)s")
            % {"c": incident.get_category_display(), "t": Referral(to).label},
            fields={"to": [to]},
        )
    if incident.referral:
        raise Conflict(
            _("Sudah dirujuk ke %(t)s") % {"t": incident.get_referral_display()},
            code="already_referred",
        )
    with transaction.atomic():
        now = timezone.now()
        if not Incident.objects.filter(pk=incident.pk, referral="").update(referral=to, referred_at=now):
            raise Conflict(_("Sudah dirujuk"), code="already_referred")
        incident.referral, incident.referred_at = to, now
        record_change(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=incident,
            before={"referral": ""},
            after={"referral": to},
            message=note,
        )
        _timeline(incident, actor, TimelineEntry.Kind.REFERRED, note=f"{Referral(to).label} {note}".strip())
        if to == Referral.PROPAM:
            # Propam handles it as a neutrality case, to its deadlines (siaga.neutrality).
            from siaga.neutrality.services import open_case_from_incident

            open_case_from_incident(actor=actor, incident=incident)
        elif to == Referral.BAWASLU:
            # The referral is a packet with a status Bawaslu's answers move (siaga.lapsit), not only a flag.
            from siaga.lapsit.services import open_referral

            open_referral(actor=actor, incident=incident, note=note)
    return incident


def add_note(*, actor: Any, incident: Incident, note: str) -> None:
    if not note.strip():
        raise ValidationFailed(_("Catatan kosong"), fields={"note": ["?"]})
    with transaction.atomic():
        _timeline(incident, actor, TimelineEntry.Kind.NOTE, note=note.strip())


def reveal_reporter(*, actor: Any, incident: Incident) -> ReporterContact | None:
    """The reporter's identity, for the named role only; every look is recorded (AuditEvent VIEW)."""
    if not can(actor, "view_reporter_identity"):
        # A refused look is recorded too: who tried to see whom matters as much as who saw.
        record_change(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            obj=incident,
            object_repr=f"identitas pelapor {incident.receipt}",
            message="reporter identity refused",
        )
        raise PermissionDenied(_("Peran Anda tidak boleh melihat identitas pelapor"))
    with transaction.atomic():
        contact = ReporterContact.objects.filter(incident=incident).first()
        record_change(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            obj=incident,
            object_repr=f"identitas pelapor {incident.receipt}",
            message="reporter identity viewed",
        )
        _timeline(incident, actor, TimelineEntry.Kind.IDENTITY_VIEWED)
    return contact


# --- units and dispatch ---------------------------------------------------------------------------------------

DISPATCHABLE = (Status.NEW, Status.VERIFIED, Status.DISPATCHED, Status.ON_SCENE)


@retry_when_locked
def dispatch_unit(
    *, actor: Any, incident: Incident, unit: ResponseUnit, eta_minutes: float | None = None
) -> Dispatch:
    """Send an available unit. Exactly one of two dispatchers racing for the same unit succeeds."""
    if incident.status not in DISPATCHABLE:
        raise Conflict(
            _("Kejadian berstatus %(s)s tidak bisa dikirimi unit") % {"s": incident.get_status_display()},
            code="not_dispatchable",
        )
    now = timezone.now()
    members = {unit.pk: list(unit.members.values_list("pk", flat=True))}
    blocked = commitments.blocked_units(members, at=now)
    if unit.pk in blocked:
        raise Conflict(
            _("%(u)s tidak boleh ditarik: %(r)s") % {"u": unit.call_sign, "r": blocked[unit.pk]},
            code="commitment",
        )
    with transaction.atomic():
        won = ResponseUnit.objects.filter(pk=unit.pk, status=ResponseUnit.UnitStatus.AVAILABLE).update(
            status=ResponseUnit.UnitStatus.EN_ROUTE, current_incident=incident, status_at=now
        )
        if not won:
            fresh = (
                ResponseUnit.objects.filter(pk=unit.pk)
                .values_list("status", "current_incident__receipt")
                .first()
            )
            if fresh is None:
                raise NotFound(_("Unit tidak ditemukan"))
            status, receipt = fresh
            raise Conflict(
                _("%(u)s tidak tersedia: %(s)s%(r)s")
                % {
                    "u": unit.call_sign,
                    "s": ResponseUnit.UnitStatus(status).label,
                    "r": f" ({receipt})" if receipt else "",
                },
                code="unit_unavailable",
            )
        unit.status, unit.current_incident, unit.status_at = ResponseUnit.UnitStatus.EN_ROUTE, incident, now
        dispatch = Dispatch.objects.create(
            incident=incident, unit=unit, eta_minutes=eta_minutes, dispatched_by=_user(actor)
        )
        record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=dispatch, after=snapshot(dispatch))
        _timeline(incident, actor, TimelineEntry.Kind.DISPATCHED, note=f"{unit.call_sign} {unit.name}")
        if incident.status in (Status.NEW, Status.VERIFIED):
            _transition(actor=actor, incident=incident, to=Status.DISPATCHED)
        _notify([incident], "dispatched", actor)
    return dispatch


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@retry_when_locked
def set_unit_status(
    *, actor: Any, unit: ResponseUnit, status: str, lat: float | None = None, lng: float | None = None
) -> ResponseUnit:
    """A unit reports its status: arrival moves its incident on scene; "available" releases it."""
    S = ResponseUnit.UnitStatus
    allowed = {
        S.AVAILABLE: {S.OFF_DUTY},
        S.OFF_DUTY: {S.AVAILABLE},
        S.EN_ROUTE: {S.ON_SCENE, S.AVAILABLE},
        S.ON_SCENE: {S.AVAILABLE},
    }
    if status not in S.values:
        raise ValidationFailed(_("Status unit tidak dikenal"), fields={"status": [status]})
    current = unit.status
    if status not in allowed[S(current)]:
        raise Conflict(
            _("Unit tidak bisa dari %(a)s ke %(b)s") % {"a": S(current).label, "b": S(status).label},
            code="illegal_transition",
        )
    now = timezone.now()
    incident = unit.current_incident
    with transaction.atomic():
        updates: dict[str, Any] = {"status": status, "status_at": now}
        if status in (S.AVAILABLE, S.OFF_DUTY):
            updates["current_incident"] = None
        if lat is not None and lng is not None:
            updates.update(lat=lat, lng=lng, position_at=now)
        if not ResponseUnit.objects.filter(pk=unit.pk, status=current).update(**updates):
            raise Conflict(_("Status unit baru saja berubah"), code="stale_status")
        for key, value in updates.items():
            setattr(unit, key, value)
        record_change(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=unit,
            before={"status": current},
            after={"status": status},
        )
        if incident is not None:
            open_dispatch = Dispatch.objects.filter(incident=incident, unit=unit, released_at__isnull=True)
            if status == S.ON_SCENE:
                open_dispatch.filter(arrived_at__isnull=True).update(arrived_at=now)
                if incident.status == Status.DISPATCHED:
                    transition_incident(actor=actor, incident=incident, to=Status.ON_SCENE)
            else:
                open_dispatch.update(released_at=now)
            _timeline(incident, actor, TimelineEntry.Kind.UNIT, note=f"{unit.call_sign}: {S(status).label}")
    return unit


def update_unit_position(*, actor: Any, unit: ResponseUnit, lat: float, lng: float) -> ResponseUnit:
    """A position fix from the unit's phone or AVL: low value, so no audit row (it would swamp the trail)."""
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationFailed(_("Koordinat tidak valid"), fields={"lat": ["?"], "lng": ["?"]})
    now = timezone.now()
    ResponseUnit.objects.filter(pk=unit.pk).update(lat=lat, lng=lng, position_at=now)
    unit.lat, unit.lng, unit.position_at = lat, lng, now
    return unit


def create_response_unit(
    *,
    actor: Any,
    call_sign: str,
    name: str,
    kind: str,
    police_unit: Any,
    kecamatan: Any,
    lat: float | None = None,
    lng: float | None = None,
    member_ids: Sequence[int] = (),
    is_synthetic: bool = False,
) -> ResponseUnit:
    with transaction.atomic():
        unit = ResponseUnit(
            call_sign=call_sign,
            name=name,
            kind=kind,
            police_unit=police_unit,
            kecamatan=kecamatan,
            lat=lat,
            lng=lng,
            position_at=timezone.now() if lat is not None else None,
            is_synthetic=is_synthetic,
        )
        try:
            unit.full_clean()
        except ValidationError as exc:
            raise ValidationFailed(
                _("Unit tidak valid"),
                fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
            ) from exc
        unit.save()
        if member_ids:
            unit.members.set(member_ids)
        record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=unit, after=snapshot(unit))
    return unit


@retry_when_locked
def idempotency_key_reused() -> ValidationFailed:
    """422 for a report key already used with a different body."""
    return ValidationFailed(
        _("Kunci idempotensi sudah dipakai untuk laporan lain"),
        code="idempotency_key_reused",
    )


def replay_or_conflict(*, client_key: str, request_fingerprint: str) -> Incident | None:
    """For a retried report: the incident made by the first request, or 422 if the body differs."""
    existing = (
        Incident.objects.filter(client_key=client_key)
        .order_by()
        .only("pk", "receipt", "request_fingerprint", "reported_at", "status")
        .first()
    )
    if existing is None:
        return None
    if existing.request_fingerprint and existing.request_fingerprint != request_fingerprint:
        raise idempotency_key_reused()
    return existing


@retry_when_locked
def write_incident_once(prepared: PreparedIncident) -> tuple[Incident, bool]:
    """Write one prepared report exactly once per client key: (incident, created). The unique column is the
    guarantee: if the write fails on it, a concurrent request with the same key won (replay it, or 422 if its
    body differs) or the receipt collided (try again with a new one)."""
    key, fp = prepared.incident.client_key, prepared.incident.request_fingerprint
    for _attempt in range(3):
        try:
            with transaction.atomic():
                write_incidents([prepared])
            return prepared.incident, True
        except IntegrityError:
            existing = replay_or_conflict(client_key=key, request_fingerprint=fp) if key else None
            if existing is not None:
                return existing, False
            prepared.incident.receipt = new_receipt()
    raise Conflict(_("Coba kirim lagi"), code="retry")


@retry_when_locked
def create_incident_once(
    *,
    actor: Any,
    data: IncidentData,
    client_key: str,
    request_fingerprint: str,
    photo_files: Sequence[Any] = (),
) -> tuple[Incident, bool]:
    """Create a report exactly once per client key: (incident, created); a retry gets the first incident."""
    existing = replay_or_conflict(client_key=client_key, request_fingerprint=request_fingerprint)
    if existing is not None:
        return existing, False
    prepared = prepare_incident(
        actor=actor,
        data=data,
        client_key=client_key,
        request_fingerprint=request_fingerprint,
        photo_files=photo_files,
    )
    return write_incident_once(prepared)
