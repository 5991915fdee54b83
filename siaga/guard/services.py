"""Writes for guard posts: posts and their staffing rules, rosters (solve, lock, publish, swaps), check-ins,
handovers, alerts and calendar feeds. Every write is audited and runs in one transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.core.audit import record_change, record_update, snapshot
from siaga.core.errors import Conflict, PermissionDenied, ValidationFailed
from siaga.core.jobs import start_job
from siaga.core.models import AuditEvent, Job
from siaga.guard import engine as bridge
from siaga.guard.greedy import greedy_roster
from siaga.guard.models import (
    Alert,
    Assignment,
    CalendarFeed,
    CheckIn,
    Handover,
    OfficerQualification,
    Post,
    PostRequirement,
    Roster,
    SwapRequest,
    Unavailability,
    on_duty_q,
)
from siaga.optimization import roster as engine
from siaga.optimization.distance import haversine_km
from siaga.personnel.models import Personnel

Report = Callable[[float, str], None]


def _full_clean(obj: Any, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise ValidationFailed(
            "; ".join(exc.messages),
            fields={k: [str(m) for m in v] for k, v in getattr(exc, "message_dict", {}).items()},
        ) from exc


def _create(actor: Any, obj: Any, *, message: str = "", **clean: Any) -> Any:
    _full_clean(obj, **clean)
    obj.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, after=snapshot(obj), message=message)
    return obj


# --- posts -------------------------------------------------------------------------------------------------


@transaction.atomic
def create_post(*, actor: Any, **fields: Any) -> Post:
    post = Post(**fields)
    if post.kind == Post.Kind.CCTV:
        post.required = 1
    return _create(actor, post)


@transaction.atomic
def update_post(*, actor: Any, post: Post, data: dict[str, Any]) -> Post:
    # "Before" from the database: a ModelForm has already written the new values onto `post` while
    # validating, and a snapshot of it would make every page save look like no change (nothing audited).
    before = snapshot(Post.objects.get(pk=post.pk))
    for key, value in data.items():
        setattr(post, key, value)
    _full_clean(post)
    post.save()
    record_update(actor=actor, obj=post, before=before)
    return post


@transaction.atomic
def add_requirement(*, actor: Any, post: Post, required: int, **conditions: Any) -> PostRequirement:
    return _create(actor, PostRequirement(post=post, required=required, **conditions))


@transaction.atomic
def grant_qualification(*, actor: Any, personnel: Personnel, qualification: str) -> OfficerQualification:
    existing = OfficerQualification.objects.filter(personnel=personnel, qualification=qualification).first()
    if existing:
        return existing
    return _create(actor, OfficerQualification(personnel=personnel, qualification=qualification))


@transaction.atomic
def add_unavailability(
    *,
    actor: Any,
    personnel: Personnel,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = Unavailability.Reason.LEAVE,
    note: str = "",
) -> Unavailability:
    return _create(
        actor,
        Unavailability(personnel=personnel, starts_on=starts_on, ends_on=ends_on, reason=reason, note=note),
    )


# --- rosters -----------------------------------------------------------------------------------------------


@transaction.atomic
def create_roster(
    *,
    actor: Any,
    name: str,
    polres: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    posts: Iterable[Post],
    officers: Iterable[Personnel],
    pattern: str = Roster.Pattern.THREE_EIGHT,
    election: Any = None,
    operation: Any = None,
    first_start_hour: int | None = None,
    time_limit_s: int = 20,
) -> Roster:
    roster = Roster(
        name=name, polres=polres, starts_on=starts_on, ends_on=ends_on, pattern=pattern, election=election,
        operation=operation, time_limit_s=time_limit_s, created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    if first_start_hour is not None:
        roster.first_start_hour = first_start_hour
    elif pattern == Roster.Pattern.TWO_TWELVE:
        roster.first_start_hour = 7
    _full_clean(roster)
    roster.save()
    roster.posts.set(list(posts))
    # Only officers on active duty can be rostered (not in training, transferred or retired).
    roster.officers.set([p for p in officers if p.status == Personnel.Status.ACTIVE])
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=roster, after=snapshot(roster))
    return roster


def _store(roster: Roster, instance: engine.RosterInstance, rows: Sequence[engine.Assignment]) -> None:
    """Replace the roster's unlocked rows by the engine's rows (locked rows are in `rows` too and stay)."""
    locked = set(instance.locked)
    roster.assignments.filter(is_locked=False).delete()
    new = []
    for a in rows:
        if a in locked:
            continue
        starts_at, ends_at = bridge.shift_bounds(instance.shifts, a.on, a.shift_code)
        new.append(
            Assignment(
                roster=roster, post_id=int(a.post_id), personnel_id=int(a.officer_id), on=a.on,
                shift_code=a.shift_code, starts_at=starts_at, ends_at=ends_at,
            )
        )  # fmt: skip
    Assignment.objects.bulk_create(new, batch_size=1000)


def _no_report(percent: float, message: str = "") -> None:
    return None


def compute_roster(
    *, roster: Roster, report: Report | None = None, time_limit: float | None = None, seed: int = 0
) -> engine.Result:
    """Solve the roster now and store the result (rows, or the diagnosis of what cannot be covered)."""
    if report is None:
        report = _no_report
    report(5, _("menyiapkan data"))
    instance = bridge.build_instance(roster)
    previous = bridge.assignment_rows(roster)
    report(15, _("menyusun roster"))
    result = engine.solve(
        instance, time_limit=time_limit or roster.time_limit_s, seed=seed, previous=previous
    )
    solve_status = str(result.status)
    if result.status == engine.Status.UNKNOWN:
        # No roster and no proof within the limit: try the greedy order, and keep it only if validate() agrees.
        report(85, _("mencoba penyusunan cepat"))
        rows = greedy_roster(instance)
        if rows is not None and not engine.validate(instance, rows):
            result = dataclasses.replace(result, status=engine.Status.FEASIBLE, assignment=tuple(rows))
            solve_status = "GREEDY"
    report(90, _("menyimpan"))
    post_names = {str(p.pk): p.name for p in roster.posts.all()}
    with transaction.atomic():
        before = snapshot(roster)
        roster.solve_status = solve_status
        roster.objective = result.objective
        roster.solve_seconds = round(result.seconds, 2)
        if result.is_feasible():
            _store(roster, instance, result.assignment)
            roster.diagnosis = []
            roster.status = Roster.Status.PUBLISHED if roster.published_at else Roster.Status.READY
        else:
            roster.diagnosis = bridge.diagnosis_rows(
                result.diagnosis, post_names, min_rest_hours=roster.min_rest_hours
            )
            roster.status = Roster.Status.INFEASIBLE
        roster.save()
        record_update(actor=None, obj=roster, before=before, message=_("roster disusun"))
    return result


def request_solve(*, actor: Any, roster: Roster) -> Job:
    """Solve the roster in the background (a job with progress)."""
    from siaga.guard.tasks import solve_roster_task

    with transaction.atomic():
        locked = (
            Roster.objects.filter(pk=roster.pk)
            .exclude(status=Roster.Status.SOLVING)
            .update(status=Roster.Status.SOLVING)
        )
        if not locked:
            raise Conflict(_("Roster sedang disusun"))
        job = start_job(
            kind="guard_roster", title=_("Susun roster %(name)s") % {"name": roster.name}, task=solve_roster_task,
            actor=actor, params={"roster_id": roster.pk},
        )  # fmt: skip
        Roster.objects.filter(pk=roster.pk).update(job=job)
        record_change(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=roster,
            message=_("penyusunan roster dimulai"),
        )
    roster.refresh_from_db()
    return job


@transaction.atomic
def make_unavailable(
    *,
    actor: Any,
    roster: Roster,
    personnel: Iterable[Personnel],
    dates: Sequence[dt.date] | None = None,
    reason: str = Unavailability.Reason.SICK,
) -> list[Unavailability]:
    """Take officers off the roster for some dates (default: the whole horizon); re-solve afterwards."""
    first, last = (min(dates), max(dates)) if dates else (roster.starts_on, roster.ends_on)
    rows = [
        add_unavailability(actor=actor, personnel=p, starts_on=first, ends_on=last, reason=reason)
        for p in personnel
    ]
    # Their unlocked shifts in that period go; locked ones stay (and the solve will say they clash).
    roster.assignments.filter(
        personnel__in=[r.personnel for r in rows], on__gte=first, on__lte=last, is_locked=False
    ).delete()
    return rows


@transaction.atomic
def set_locked(*, actor: Any, assignment: Assignment, locked: bool) -> Assignment:
    before = snapshot(assignment)
    assignment.is_locked = locked
    assignment.save(update_fields=["is_locked"])
    record_update(actor=actor, obj=assignment, before=before)
    return assignment


@transaction.atomic
def publish_roster(*, actor: Any, roster: Roster, now: dt.datetime | None = None) -> Roster:
    if roster.status not in (Roster.Status.READY, Roster.Status.PUBLISHED):
        raise Conflict(_("Hanya roster yang tersusun dapat diterbitkan"))
    violations = engine.validate(bridge.build_instance(roster), bridge.assignment_rows(roster))
    if violations:
        raise ValidationFailed(
            _("Roster melanggar aturan: %(r)s")
            % {"r": bridge.describe_violation(violations[0], min_rest_hours=roster.min_rest_hours)}
        )
    before = snapshot(roster)
    roster.status = Roster.Status.PUBLISHED
    roster.published_at = now or timezone.now()
    roster.save(update_fields=["status", "published_at"])
    record_update(actor=actor, obj=roster, before=before, message=_("roster diterbitkan"))
    return roster


# --- swaps -------------------------------------------------------------------------------------------------


def _check(swap: SwapRequest) -> engine.ChangeCheck:
    roster = swap.roster
    instance = bridge.build_instance(roster)
    rows = bridge.assignment_rows(roster)
    first = bridge.as_engine_row(swap.first)
    if swap.second_id:
        return engine.check_swap(instance, rows, first=first, second=bridge.as_engine_row(swap.second))  # type: ignore[arg-type]
    assert swap.to_personnel_id is not None
    if str(swap.to_personnel_id) not in {o.id for o in instance.officers}:
        raise ValidationFailed(_("Personel bukan anggota roster ini"))
    return engine.check_reassign(instance, rows, row=first, to_officer_id=str(swap.to_personnel_id))


def _refusal(roster: Roster, check: engine.ChangeCheck) -> str:
    return "; ".join(
        bridge.describe_violation(v, min_rest_hours=roster.min_rest_hours) for v in check.violations
    )


def request_swap(
    *, actor: Any, first: Assignment, second: Assignment | None = None, to_personnel: Personnel | None = None
) -> SwapRequest:
    """Ask to exchange two shifts (or hand one to another officer); refused at once when a rule would break."""
    if (second is None) == (to_personnel is None):
        raise ValidationFailed(_("Pilih satu shift lawan atau satu personel"))
    if second is not None and (
        second.roster_id != first.roster_id or second.personnel_id == first.personnel_id
    ):
        raise ValidationFailed(_("Tukar shift butuh dua personel di roster yang sama"))
    with transaction.atomic():
        swap = SwapRequest(
            roster=first.roster, first=first, second=second, to_personnel=to_personnel,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )  # fmt: skip
        check = _check(swap)
        if not check.allowed:
            swap.status = SwapRequest.Status.REFUSED
            swap.reason = _refusal(first.roster, check)[:500]
            swap.decided_at = timezone.now()
        _create(actor, swap)
    if not check.allowed:
        raise ValidationFailed(
            _("Tukar shift ditolak: %(r)s") % {"r": swap.reason},
            code="swap_refused",
            fields={"rules": [str(v.rule) for v in check.violations]},
        )
    return swap


@transaction.atomic
def approve_swap(*, actor: Any, swap: SwapRequest) -> SwapRequest:
    """Apply a requested swap, after checking the rules again against the roster as it is now."""
    from siaga.accounts.roles import can

    if not can(actor, "approve_guard_swap"):
        raise PermissionDenied(_("Anda tidak boleh menyetujui tukar shift"))
    # Claim the request first: two approvers racing settle on the database row.
    if not SwapRequest.objects.filter(pk=swap.pk, status=SwapRequest.Status.REQUESTED).update(
        status=SwapRequest.Status.APPROVED
    ):
        raise Conflict(_("Permintaan sudah diputuskan"))
    swap.refresh_from_db()
    check = _check(swap)
    if not check.allowed:
        raise ValidationFailed(
            _("Tukar shift ditolak: %(r)s") % {"r": _refusal(swap.roster, check)},
            code="swap_refused",
        )
    before = snapshot(swap)
    first, second = swap.first, swap.second
    if second is not None:
        if (first.on, first.shift_code) == (second.on, second.shift_code):
            # Same shift, two posts: exchanging the posts is the same swap and never trips the unique row.
            first.post_id, second.post_id = second.post_id, first.post_id
            Assignment.objects.bulk_update([first, second], ["post"])
        else:
            first.personnel_id, second.personnel_id = second.personnel_id, first.personnel_id
            Assignment.objects.bulk_update([first, second], ["personnel"])
    else:
        first.personnel_id = swap.to_personnel_id  # type: ignore[assignment]
        first.save(update_fields=["personnel"])
    swap.refresh_from_db()
    swap.decided_by = actor
    swap.decided_at = timezone.now()
    swap.save(update_fields=["decided_by", "decided_at"])
    record_update(actor=actor, obj=swap, before=before, message=_("tukar shift disetujui"))
    return swap


@transaction.atomic
def refuse_swap(*, actor: Any, swap: SwapRequest, reason: str) -> SwapRequest:
    if not SwapRequest.objects.filter(pk=swap.pk, status=SwapRequest.Status.REQUESTED).update(
        status=SwapRequest.Status.REFUSED, reason=reason[:500], decided_by=actor, decided_at=timezone.now()
    ):
        raise Conflict(_("Permintaan sudah diputuskan"))
    swap.refresh_from_db()
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=swap,
        after={"status": swap.status, "reason": swap.reason},
    )
    return swap


# --- at the post -------------------------------------------------------------------------------------------


def distance_m(post: Post, lat: float, lng: float) -> float:
    plat, plng = post.position
    return haversine_km(plat, plng, lat, lng) * 1000


@transaction.atomic
def check_in(
    *,
    actor: Any,
    post: Post,
    personnel: Personnel,
    lat: float,
    lng: float,
    accuracy_m: float | None = None,
    now: dt.datetime | None = None,
) -> CheckIn:
    """Check an officer in at the post: refused farther from the post than its radius."""
    now = now or timezone.now()
    distance = distance_m(post, lat, lng)
    if distance > post.radius_m:
        raise ValidationFailed(
            _("Anda %(d)d m dari pos, batasnya %(r)d m") % {"d": round(distance), "r": post.radius_m},
            code="too_far",
        )
    assignment = (
        Assignment.objects.filter(
            post=post, personnel=personnel, starts_at__lte=now + dt.timedelta(minutes=60), ends_at__gt=now
        )
        .order_by("starts_at")
        .first()
    )
    checkin = CheckIn(
        post=post, personnel=personnel, assignment=assignment, checked_in_at=now, lat=lat, lng=lng,
        accuracy_m=accuracy_m, distance_m=round(distance, 1), recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    _full_clean(checkin, validate_constraints=False)
    # A check-in never closed and past its duty end must not block today's check-in.
    close_expired_check_ins(now=now, personnel=personnel)
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError as exc:
        raise Conflict(_("Personel ini masih tercatat di pos")) from exc
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=checkin, after=snapshot(checkin))
    return checkin


@transaction.atomic
def check_out(
    *,
    actor: Any,
    checkin: CheckIn,
    lat: float | None = None,
    lng: float | None = None,
    confirm_far: bool = False,
    now: dt.datetime | None = None,
) -> CheckIn:
    """Check an officer out. Farther from the post than its radius is refused until confirmed, then kept
    with its distance so the Posko sees a flagged check-out."""
    now = now or timezone.now()
    distance = round(distance_m(checkin.post, lat, lng), 1) if lat is not None and lng is not None else None
    if distance is not None and distance > checkin.post.radius_m and not confirm_far:
        raise ValidationFailed(
            _(
                "Anda %(km)s km dari pos (batas %(r)d m). Absen keluar di sini tetap dicatat sebagai jauh dari pos"
            )
            % {"km": f"{distance / 1000:.1f}", "r": checkin.post.radius_m},
            code="far_checkout",
        )
    if not CheckIn.objects.filter(pk=checkin.pk, checked_out_at__isnull=True).update(
        checked_out_at=max(now, checkin.checked_in_at), out_lat=lat, out_lng=lng, out_distance_m=distance
    ):
        raise Conflict(_("Sudah absen keluar"))
    checkin.refresh_from_db()
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=checkin,
        after={"checked_out_at": checkin.checked_out_at, "out_distance_m": distance},
        message="far check-out confirmed" if confirm_far and distance is not None else "",
    )
    return checkin


@transaction.atomic
def close_expired_check_ins(*, now: dt.datetime | None = None, personnel: Personnel | None = None) -> int:
    """Close the open check-ins past their duty end (shift end plus grace) at that duty end, audited."""
    now = now or timezone.now()
    qs = CheckIn.objects.filter(checked_out_at__isnull=True, checked_in_at__lte=now).exclude(on_duty_q(now))
    if personnel is not None:
        qs = qs.filter(personnel=personnel)
    closed = 0
    # The conditional update below settles a race with a real check-out: no row lock needed.
    for checkin in qs.select_related("assignment"):
        end = min(checkin.duty_ends_at, now)
        if CheckIn.objects.filter(pk=checkin.pk, checked_out_at__isnull=True).update(
            checked_out_at=end, closed_by_system=True
        ):
            closed += 1
            record_change(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                obj=checkin,
                after={"checked_out_at": end, "closed_by_system": True},
                message="duty ended without a check-out",
            )
    return closed


def _sign_check(personnel: Personnel, nrp: str) -> None:
    if nrp.strip() != personnel.nrp:
        raise ValidationFailed(
            _("NRP tidak cocok dengan %(name)s") % {"name": personnel.name},
            code="bad_signature",
        )


@transaction.atomic
def record_handover(
    *,
    actor: Any,
    post: Post,
    shift_boundary_at: dt.datetime,
    outgoing: Personnel,
    incoming: Personnel,
    outgoing_nrp: str,
    incoming_nrp: str = "",
    inventory_complete: bool,
    inventory_notes: str = "",
    logbook_entries: int = 0,
    events: str = "",
    cctv_working: bool | None = None,
    now: dt.datetime | None = None,
) -> Handover:
    """The serah terima: the outgoing officer signs with their NRP; the incoming one now or later."""
    now = now or timezone.now()
    if outgoing.pk == incoming.pk:
        raise ValidationFailed(_("Serah terima butuh dua personel"))
    if post.is_cctv and cctv_working is None:
        raise ValidationFailed(
            _("Isi kondisi CCTV"),
            fields={"cctv_working": [_("wajib")]},
        )
    _sign_check(outgoing, outgoing_nrp)
    if incoming_nrp:
        _sign_check(incoming, incoming_nrp)
    handover = Handover(
        post=post, shift_boundary_at=shift_boundary_at, outgoing=outgoing, incoming=incoming,
        inventory_complete=inventory_complete, inventory_notes=inventory_notes, logbook_entries=logbook_entries,
        events=events, cctv_working=cctv_working, outgoing_signed_at=now, incoming_signed_at=now if incoming_nrp else None,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    _full_clean(handover, validate_constraints=False)
    if Handover.objects.filter(post=post, shift_boundary_at=shift_boundary_at).exists():
        raise Conflict(_("Serah terima pergantian ini sudah dicatat"))
    handover.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=handover, after=snapshot(handover))
    return handover


@transaction.atomic
def sign_handover(*, actor: Any, handover: Handover, nrp: str, now: dt.datetime | None = None) -> Handover:
    _sign_check(handover.incoming, nrp)
    if not Handover.objects.filter(pk=handover.pk, incoming_signed_at__isnull=True).update(
        incoming_signed_at=now or timezone.now()
    ):
        raise Conflict(_("Sudah ditandatangani"))
    handover.refresh_from_db()
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=handover,
        after={"incoming_signed_at": handover.incoming_signed_at},
    )
    return handover


# --- alerts ------------------------------------------------------------------------------------------------


@transaction.atomic
def refresh_alerts(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Store the alerts in force at `now` and close those no longer in force. Idempotent."""
    from siaga.guard.alerts import compute_alerts

    now = now or timezone.now()
    close_expired_check_ins(now=now)
    current = compute_alerts(now=now)
    keys = set()
    created = 0
    for a in current:
        keys.add((a.post_id, a.kind, a.since))
        _obj, was_created = Alert.objects.get_or_create(
            post_id=a.post_id,
            kind=a.kind,
            since=a.since,
            defaults={"raised_at": now, "message": a.message[:300]},
        )
        created += was_created
        if not was_created and _obj.resolved_at is not None:
            Alert.objects.filter(pk=_obj.pk).update(resolved_at=None)
    resolved = 0
    for alert in Alert.objects.filter(resolved_at__isnull=True):
        if (alert.post_id, alert.kind, alert.since) not in keys:
            alert.resolved_at = now
            alert.save(update_fields=["resolved_at"])
            resolved += 1
    if created or resolved:
        record_change(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            object_type="guard.alert",
            message=f"alerts +{created} -{resolved}",
        )
    return {"open": len(current), "created": created, "resolved": resolved}


# --- calendar feeds ----------------------------------------------------------------------------------------


@transaction.atomic
def issue_calendar_feed(*, actor: Any, personnel: Personnel) -> str:
    """A new secret feed token for the officer (the old link stops working). Returned once, stored hashed."""
    raw = CalendarFeed.generate()
    CalendarFeed.objects.update_or_create(personnel=personnel, defaults={"digest": CalendarFeed.hash(raw)})
    record_change(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="guard.calendarfeed",
        object_id=personnel.pk,
        object_repr=str(personnel),
    )
    return raw
