"""Writes for the Posko: the alert stream's tick (raise, refresh, close, notify, escalate), acknowledging and
closing alerts, the journal (append-only), the visitor log and the CCTV register. Every write is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from siaga.accounts.models import User
from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.alerts import AlertFact, AlertKind, AlertSource, alert_kinds, alert_sources
from siaga.core.audit import audit_event, record_change, snapshot
from siaga.core.errors import Conflict, PermissionDenied, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.core.schedule import Periodic
from siaga.posko import notify
from siaga.posko.models import Alert, Camera, EscalationRule, JournalEntry, Notification, Visitor
from siaga.posko.selectors import is_polres_level

log = logging.getLogger(__name__)


def _full_clean(obj: Any, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise ValidationFailed(
            "; ".join(exc.messages),
            fields={k: [str(m) for m in v] for k, v in getattr(exc, "message_dict", {}).items()},
        ) from exc


# --- the tick: raise, refresh, close -----------------------------------------------------------------------


def run_alert_tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Ask every source what is in force at `now`, keep the stream in step, then send due notifications.

    A source that fails is logged and skipped: its alerts are neither refreshed nor closed on that tick.
    """
    now = now or timezone.now()
    kinds = alert_kinds()
    counts: Counter[str] = Counter()
    # Stored titles and messages are in the Posko's language (Indonesian), whatever thread runs the tick.
    with override("id"):
        for source in alert_sources():
            try:
                facts = list(source.collect(now=now))
            except Exception:
                log.exception("alert source %s failed", source.name)
                counts["failed_sources"] += 1
                continue
            counts.update(_apply(source, facts, kinds, now=now))
        counts.update(send_due_notifications(now=now, kinds=kinds))
    return dict(counts)


def _apply(
    source: AlertSource, facts: Iterable[AlertFact], kinds: dict[str, AlertKind], *, now: dt.datetime
) -> Counter[str]:
    counts: Counter[str] = Counter()
    by_key = {f.key: f for f in facts if f.kind in kinds}
    with transaction.atomic():
        existing = {a.key: a for a in Alert.objects.filter(key__in=list(by_key))} if by_key else {}
        new = [
            Alert(
                key=f.key[:200],
                source=source.name,
                kind=f.kind,
                severity=f.severity or kinds[f.kind].severity,
                title=f.title[:300],
                kecamatan_id=f.kecamatan_id,
                lat=f.lat,
                lng=f.lng,
                url=f.url[:300],
                since=f.since,
                raised_at=now,
                last_seen_at=now,
            )
            for key, f in by_key.items()
            if key not in existing
        ]
        audits = []
        if new:
            Alert.objects.bulk_create(new)
            created = Alert.objects.filter(key__in=[a.key for a in new]).only("pk", "key", "kind", "title")
            audits += [
                audit_event(
                    actor=None,
                    action=AuditEvent.Action.CREATE,
                    obj=a,
                    source=AuditEvent.Source.SYSTEM,
                    message="raised",
                )
                for a in created
            ]
            counts["raised"] += len(new)
        seen, reopened = [], []
        for key, alert in existing.items():
            fact = by_key[key]
            if alert.status == Alert.Status.CLOSED:
                # Closed by the system and in force again: the same fact is back. A user's close stands.
                if alert.closed_by_id is None and kinds[alert.kind].closes_when_gone:
                    reopened.append(alert.pk)
                continue
            seen.append(alert.pk)
            title = fact.title[:300]
            severity = fact.severity or kinds[fact.kind].severity
            if alert.title != title or alert.severity != severity:
                Alert.objects.filter(pk=alert.pk).update(title=title, severity=severity)
        if seen:
            Alert.objects.filter(pk__in=seen).update(last_seen_at=now, resolved_at=None)
            counts["refreshed"] += len(seen)
        if reopened:
            Alert.objects.filter(pk__in=reopened).update(
                status=Alert.Status.OPEN,
                raised_at=now,
                last_seen_at=now,
                resolved_at=None,
                closed_at=None,
                acknowledged_at=None,
                acknowledged_by=None,
                notified_level=-1,
                escalated_at=None,
            )
            audits += [
                audit_event(
                    actor=None,
                    action=AuditEvent.Action.UPDATE,
                    object_type="posko.alert",
                    object_id=pk,
                    source=AuditEvent.Source.SYSTEM,
                    message="reopened",
                )
                for pk in reopened
            ]
            counts["reopened"] += len(reopened)
        gone = (
            Alert.objects.filter(source=source.name, resolved_at__isnull=True)
            .exclude(status=Alert.Status.CLOSED)
            .exclude(key__in=list(by_key))
            .values_list("pk", "kind")
        )
        to_close = [pk for pk, kind in gone if kinds.get(kind) is None or kinds[kind].closes_when_gone]
        to_mark = [pk for pk, kind in gone if pk not in set(to_close)]
        if to_close:
            Alert.objects.filter(pk__in=to_close).update(
                status=Alert.Status.CLOSED, closed_at=now, resolved_at=now
            )
            audits += [
                audit_event(
                    actor=None,
                    action=AuditEvent.Action.UPDATE,
                    object_type="posko.alert",
                    object_id=pk,
                    source=AuditEvent.Source.SYSTEM,
                    message="closed: condition over",
                )
                for pk in to_close
            ]
            counts["closed"] += len(to_close)
        if to_mark:
            # A past event (a missed checkpoint) no longer reported stays open for a named user to close.
            Alert.objects.filter(pk__in=to_mark).update(resolved_at=now)
        if audits:
            AuditEvent.objects.bulk_create(audits)
    return counts


# --- notifications and escalation --------------------------------------------------------------------------


def _rule_for(rules: list[EscalationRule], alert: Alert, level: int) -> EscalationRule | None:
    """The most specific active rule of a level for the alert: kind and severity, kind, severity, any."""
    best, best_rank = None, -1
    for rule in rules:
        if (
            rule.level != level
            or (rule.kind and rule.kind != alert.kind)
            or (rule.severity and rule.severity != alert.severity)
        ):
            continue
        rank = 2 * bool(rule.kind) + bool(rule.severity)
        if rank > best_rank:
            best, best_rank = rule, rank
    return best


class _Recipients:
    """Active users of some roles, with their scopes, looked up once per tick."""

    def __init__(self, roles: set[str]) -> None:
        self.users = list(User.objects.filter(is_active=True, role__in=roles).select_related("police_unit"))

    def for_alert(self, alert: Alert, roles: list[str], capability: str) -> list[User]:
        out = []
        for user in self.users:
            if user.role not in roles or not can(user, capability):
                continue
            if alert.kecamatan_id is None:
                if is_polres_level(user):  # a Polres-wide fact goes to the Polres' own staff
                    out.append(user)
            elif scope_for(user).allows(alert.kecamatan_id):
                out.append(user)
        return out


def notification_text(alert: Alert, kinds: dict[str, AlertKind], *, level: int) -> str:
    kind = kinds.get(alert.kind)
    label = str(kind.label) if kind else alert.kind
    prefix = _("ESKALASI") + f" {level}: " if level else ""
    return f"[Siaga] {prefix}{label}: {alert.title}"[:400]


def send_due_notifications(*, now: dt.datetime, kinds: dict[str, AlertKind] | None = None) -> Counter[str]:
    """Tell the people the rules name: level 0 when an alert is raised, higher levels when nobody has
    acknowledged it `after_minutes` after it was raised. Each (alert, person, level, channel) is told once."""
    kinds = kinds if kinds is not None else alert_kinds()
    counts: Counter[str] = Counter()
    rules = list(EscalationRule.objects.filter(is_active=True))
    if not rules:
        return counts
    top = max(r.level for r in rules)
    candidates = list(
        Alert.objects.exclude(status=Alert.Status.CLOSED).filter(notified_level__lt=top).order_by("pk")
    )
    if not candidates:
        return counts
    recipients = _Recipients({role for r in rules for role in r.roles})
    rows: list[Notification] = []
    for alert in candidates:
        kind = kinds.get(alert.kind)
        if kind is None:
            continue
        due: list[EscalationRule] = []
        for level in range(alert.notified_level + 1, top + 1):
            rule = _rule_for(rules, alert, level)
            if rule is None:
                continue
            if level > 0 and alert.status != Alert.Status.OPEN:
                break  # acknowledged: no escalation
            if alert.raised_at + dt.timedelta(minutes=rule.after_minutes) > now:
                break
            due.append(rule)
        if not due:
            continue
        for rule in due:
            text = notification_text(alert, kinds, level=rule.level)
            for user in recipients.for_alert(alert, rule.roles, kind.capability):
                for channel in rule.channels:
                    rows.append(
                        Notification(
                            alert=alert,
                            recipient=user,
                            level=rule.level,
                            channel=channel,
                            address=user.phone if channel != notify.INAPP else "",
                            text=text,
                            status=Notification.Status.SENT
                            if channel == notify.INAPP
                            else Notification.Status.PENDING,
                            created_at=now,
                        )
                    )
        level = due[-1].level
        updates: dict[str, Any] = {"notified_level": level}
        if level > 0:
            updates["escalated_at"] = now
            counts["escalated"] += 1
        Alert.objects.filter(pk=alert.pk).update(**updates)
    # ignore_conflicts: two runs never tell the same person twice (posko_notification_once).
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    counts["notified"] += len(rows)
    counts.update(deliver_pending())
    return counts


def deliver_pending(*, limit: int = 200) -> Counter[str]:
    """Send the SMS/WhatsApp messages waiting, outside any transaction (a slow provider holds no lock)."""
    counts: Counter[str] = Counter()
    pending = list(Notification.objects.filter(status=Notification.Status.PENDING).order_by("pk")[:limit])
    gateways: dict[str, Any] = {}
    for note in pending:
        error = ""
        try:
            if not note.address:
                raise notify.GatewayError("recipient has no phone number")
            if note.channel not in gateways:
                gateways[note.channel] = notify.gateway_for(note.channel)
            gateways[note.channel].send_text(to=note.address, text=note.text)
        except Exception as exc:  # a broken provider must never stop the tick
            error = str(exc)[:300] or type(exc).__name__
        status = Notification.Status.FAILED if error else Notification.Status.SENT
        Notification.objects.filter(pk=note.pk, status=Notification.Status.PENDING).update(
            status=status, error=error
        )
        counts["failed" if error else "delivered"] += 1
    return counts


def tick(*, now: dt.datetime) -> dict[str, int]:
    """The scheduler's entry point."""
    return run_alert_tick(now=now)


def _tick_seconds() -> int:
    from django.conf import settings

    return int(getattr(settings, "SIAGA_POSKO_TICK_SECONDS", 20))


ALERT_TICK = Periodic("posko.alert_tick", "siaga.posko.services.tick", _tick_seconds())


# --- acknowledging and closing -----------------------------------------------------------------------------


def _transition(*, actor: Any, alert: Alert, to: str, note: str, now: dt.datetime) -> Alert:
    """The one state change of an alert: open -> acknowledged -> closed, or open -> closed, by a named user."""
    allowed_from: list[str] = {
        str(Alert.Status.ACKNOWLEDGED): [str(Alert.Status.OPEN)],
        str(Alert.Status.CLOSED): [str(Alert.Status.OPEN), str(Alert.Status.ACKNOWLEDGED)],
    }[to]
    if not can(actor, "handle_alerts"):
        raise PermissionDenied(_("Anda tidak berwenang menangani peringatan."))
    before = snapshot(alert)
    fields: dict[str, Any] = {"status": to}
    if to == Alert.Status.ACKNOWLEDGED or alert.acknowledged_at is None:
        fields.update(acknowledged_at=now, acknowledged_by=actor)
    if to == Alert.Status.CLOSED:
        fields.update(closed_at=now, closed_by=actor, close_note=note[:300])
    # Conditional update: two officers pressing at once, or the tick closing it meanwhile, settle in the DB.
    if not Alert.objects.filter(pk=alert.pk, status__in=allowed_from).update(**fields):
        raise Conflict(_("Peringatan ini sudah ditangani orang lain; muat ulang."))
    alert.refresh_from_db()
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=alert,
        before=before,
        after=snapshot(alert),
        message=to,
    )
    kind = alert_kinds().get(alert.kind)
    label = str(kind.label) if kind else alert.kind
    verb = _("Peringatan diterima") if to == Alert.Status.ACKNOWLEDGED else _("Peringatan ditutup")
    text = f"{verb}: {label}: {alert.title}" + (f" — {note}" if note else "")
    _append_journal(
        actor=actor,
        kind=JournalEntry.Kind.ALERT,
        text=text[:2000],
        occurred_at=now,
        kecamatan_id=alert.kecamatan_id,
        alert=alert,
    )
    return alert


@transaction.atomic
def acknowledge_alert(*, actor: Any, alert: Alert, now: dt.datetime | None = None) -> Alert:
    """A named user says the Posko has seen the alert and is on it: escalation stops."""
    return _transition(
        actor=actor, alert=alert, to=Alert.Status.ACKNOWLEDGED, note="", now=now or timezone.now()
    )


@transaction.atomic
def close_alert(*, actor: Any, alert: Alert, note: str, now: dt.datetime | None = None) -> Alert:
    """A named user closes the alert, saying what was done (kept on the alert and in the journal)."""
    note = note.strip()
    if not note:
        raise ValidationFailed(
            _("Tulis tindakan yang diambil sebelum menutup."),
            fields={"note": [_("Wajib diisi.")]},
        )
    return _transition(actor=actor, alert=alert, to=Alert.Status.CLOSED, note=note, now=now or timezone.now())


@transaction.atomic
def mark_notifications_read(*, actor: Any, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=actor, channel=notify.INAPP, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now(), status=Notification.Status.READ)


# --- the journal (buku mutasi) -----------------------------------------------------------------------------


def _append_journal(
    *, actor: Any, kind: str, text: str, occurred_at: dt.datetime, kecamatan_id: int | None, **extra: Any
) -> JournalEntry:
    entry = JournalEntry(
        kind=kind,
        text=text,
        occurred_at=occurred_at,
        written_at=timezone.now(),
        author=actor,
        kecamatan_id=kecamatan_id,
        **extra,
    )
    _full_clean(entry)
    entry.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=entry, after=snapshot(entry))
    return entry


@transaction.atomic
def write_journal_entry(
    *,
    actor: Any,
    text: str,
    kind: str = JournalEntry.Kind.NOTE,
    occurred_at: dt.datetime | None = None,
    kecamatan_id: int | None = None,
    radio_from: str = "",
    radio_to: str = "",
    corrects: JournalEntry | None = None,
) -> JournalEntry:
    """Append a line to the buku mutasi. Lines are never changed: a correction is a new line naming the old."""
    if not can(actor, "write_journal"):
        raise PermissionDenied(_("Anda tidak berwenang menulis jurnal posko."))
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(
            _("Waktu kejadian tidak boleh di masa depan."),
            fields={"occurred_at": [_("Waktu di masa depan.")]},
        )
    scope = scope_for(actor)
    if (
        kecamatan_id is None
        and not scope.is_unrestricted
        and scope.kecamatan_ids is not None
        and len(scope.kecamatan_ids) == 1
    ):
        kecamatan_id = next(iter(scope.kecamatan_ids))  # a Polsek writes about its own area
    if kecamatan_id is not None and not scope.allows(kecamatan_id):
        raise PermissionDenied(_("Kecamatan di luar wilayah Anda."))
    if corrects is not None:
        kind = JournalEntry.Kind.CORRECTION
    return _append_journal(
        actor=actor,
        kind=kind,
        text=text.strip(),
        occurred_at=occurred_at,
        kecamatan_id=kecamatan_id,
        radio_from=radio_from.strip(),
        radio_to=radio_to.strip(),
        corrects=corrects,
    )


# --- visitors at guard posts -------------------------------------------------------------------------------


@transaction.atomic
def record_visitor_in(
    *,
    actor: Any,
    post: Any,
    name: str,
    purpose: str,
    institution: str = "",
    identity_number: str = "",
    arrived_at: dt.datetime | None = None,
) -> Visitor:
    if not can(actor, "record_visitors"):
        raise PermissionDenied(_("Anda tidak berwenang mencatat tamu."))
    visitor = Visitor(
        post=post,
        name=name.strip(),
        institution=institution.strip(),
        purpose=purpose.strip(),
        identity_number=identity_number.strip(),
        arrived_at=arrived_at or timezone.now(),
        recorded_by=actor,
    )
    _full_clean(visitor)
    visitor.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=visitor, after=snapshot(visitor))
    return visitor


@transaction.atomic
def record_visitor_out(*, actor: Any, visitor: Visitor, left_at: dt.datetime | None = None) -> Visitor:
    if not can(actor, "record_visitors"):
        raise PermissionDenied(_("Anda tidak berwenang mencatat tamu."))
    left_at = left_at or timezone.now()
    if left_at < visitor.arrived_at:
        raise ValidationFailed(
            _("Jam keluar sebelum jam masuk."), fields={"left_at": [_("Sebelum jam masuk.")]}
        )
    if not Visitor.objects.filter(pk=visitor.pk, left_at__isnull=True).update(left_at=left_at):
        raise Conflict(_("Tamu ini sudah tercatat keluar."))
    before = snapshot(visitor)
    visitor.refresh_from_db()
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=visitor,
        before=before,
        after=snapshot(visitor),
        message="out",
    )
    return visitor


# --- the CCTV register -------------------------------------------------------------------------------------


@transaction.atomic
def save_camera(*, actor: Any, camera: Camera) -> Camera:
    if not can(actor, "manage_cctv"):
        raise PermissionDenied(_("Anda tidak berwenang mengubah register CCTV."))
    if not scope_for(actor).allows(camera.kecamatan_id):
        raise PermissionDenied(_("Kecamatan di luar wilayah Anda."))
    before = snapshot(Camera.objects.get(pk=camera.pk)) if camera.pk else None
    _full_clean(camera)
    camera.save()
    if before is None:
        record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=camera, after=snapshot(camera))
    else:
        record_change(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=camera, before=before, after=snapshot(camera)
        )
    return camera


def last_tick_at() -> dt.datetime | None:
    """When the alert stream last ran (the board says so: a stopped worker must not look like a quiet night)."""
    from siaga.posko.models import SchedulerTick

    return SchedulerTick.objects.filter(name=ALERT_TICK.name).aggregate(m=Max("started_at"))["m"]
