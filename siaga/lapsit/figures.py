"""The figures of a daily Lapsit (laporan situasi), in the usual Polri order:

I. situasi umum (stage, H-day, siaga level), II. kekuatan (Polri/TNI/Linmas available vs required per Polsek,
deployed, Siaga share, reserve), III. kegiatan (patrols done vs planned, guard posts and their alerts, events,
logistics), IV. kejadian menonjol (incidents by category, Polsek and priority), V. kendala (what fell short),
VI. langkah dan rencana (tomorrow), plus the notes of the posko journal (buku mutasi).

The figures are plain JSON (codes and counts; labels are added when rendered, in the reader's language) so the
stored snapshot is language-neutral and a Polda can ingest it (`SCHEMA`, `VERSION`). The day is the calendar day
in the Polres's time zone, up to the moment of generation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db.models import Count
from django.utils import timezone

from siaga.core.jobs import Progress, no_progress
from siaga.core.jurisdiction import Scope
from siaga.operations import calendar
from siaga.operations.selectors import unit_for_kecamatan
from siaga.territory.models import PoliceUnit

SCHEMA = "siaga.lapsit"
VERSION = 1

_ARRIVED = ("arrived", "handed_over")


def day_window(day: dt.date, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, min(start + dt.timedelta(days=1), now)


def _per_unit(counts: Mapping[Any, int], unit_of: dict[int, int], polres: PoliceUnit) -> Counter[int]:
    out: Counter[int] = Counter()
    for kecamatan_id, n in counts.items():
        out[unit_of.get(kecamatan_id or 0, polres.pk)] += n
    return out


def build(
    *, polres: PoliceUnit, day: dt.date, now: dt.datetime | None = None, report: Progress = no_progress
) -> dict[str, Any]:
    """Every figure of the Lapsit of `polres` for `day`, as of `now`."""
    from siaga.events.models import Event
    from siaga.guard.models import Assignment
    from siaga.incidents.models import OPEN_STATUSES, Category, Incident, Priority
    from siaga.lapsit.glance import operation_for, polres_kecamatan, strength_glance
    from siaga.logistics.models import Leg
    from siaga.patrols.models import PatrolPlan, PatrolVisit

    now = now or timezone.now()
    start, end = day_window(day, now)
    kecamatan = polres_kecamatan(polres)
    unit_of = {k: u for k, u in unit_for_kecamatan().items() if k in kecamatan}
    unit_ids = set(unit_of.values()) | {polres.pk}
    units = {u.pk: u for u in PoliceUnit.objects.filter(pk__in=unit_ids)}
    unit_order = sorted(units, key=lambda pk: units[pk].name)

    def unit_rows(**columns: Counter[int]) -> list[dict[str, Any]]:
        rows = []
        for pk in unit_order:
            values = {name: counts.get(pk, 0) for name, counts in columns.items()}
            if any(values.values()):
                rows.append({"code": units[pk].code, "name": units[pk].name, **values})
        return rows

    report(5, "situasi")
    operation = operation_for(polres, day)
    election = operation.election if operation else None
    glance = strength_glance(polres=polres, day=day, at=end)
    situation: dict[str, Any] = {
        "election": None,
        "operation": operation.name if operation else None,
        "siaga": {"level": glance.siaga_level, "fraction": glance.as_dict()["siaga_check"]["fraction"]},
    }
    if election is not None:
        stages = list(election.stages.all())
        stage = calendar.current_stage(stages, day)
        nxt = calendar.next_stage(stages, day)
        offset = calendar.h_day(day, election.voting_on)
        situation.update(
            election={
                "slug": election.slug,
                "name": election.name,
                "voting_on": election.voting_on.isoformat(),
            },
            h_offset=offset,
            h_label=calendar.h_label(offset),
            stage=stage.name if stage else None,
            next_stage={"name": nxt.name, "starts_on": nxt.starts_on.isoformat()} if nxt else None,
        )

    report(25, "kekuatan")
    guard_assignments = Assignment.objects.filter(roster__polres=polres, on=day)
    strength = glance.as_dict()
    strength["deployed"] = {
        "pam_tps": glance.total.pam_tps_deployed,
        "guard_posts": guard_assignments.values("personnel_id").distinct().count(),
        "events": Event.objects.filter(kecamatan_id__in=kecamatan, starts_at__gte=start, starts_at__lt=end)
        .filter(assignments__isnull=False)
        .values("assignments__personnel_id")
        .distinct()
        .count(),
        "escorts": Leg.objects.filter(
            kecamatan_id__in=kecamatan,
            planned_depart__gte=start,
            planned_depart__lt=end,
            escorts__isnull=False,
        )
        .values("escorts__personnel_id")
        .distinct()
        .count(),
    }

    report(45, "kegiatan")
    visits = PatrolVisit.objects.filter(
        day__day_on=day, day__plan__polres=polres, is_cancelled=False
    ).exclude(day__plan__status=PatrolPlan.Status.DRAFT)
    visit_rows = list(
        visits.annotate(n_checkins=Count("checkins")).values_list("point__kecamatan_id", "n_checkins")
    )
    planned = Counter(k for k, _n in visit_rows)
    done = Counter(k for k, n in visit_rows if n)
    alerts = posko_alerts(kecamatan=kecamatan, day=day)
    raised = [a for a in alerts if start <= a.raised_at < end]
    alert_kinds = Counter(a.kind for a in raised)  # "<app>.<what>" (siaga.core.alerts)
    events = list(
        Event.objects.filter(kecamatan_id__in=kecamatan, starts_at__gte=start, starts_at__lt=end)
        .select_related("kecamatan")
        .order_by("starts_at", "id")
    )
    legs = Leg.objects.filter(kecamatan_id__in=kecamatan, planned_arrive__gte=start, planned_arrive__lt=end)
    legs_due = legs.count()
    legs_arrived = legs.filter(status__in=_ARRIVED).count()
    legs_late = legs.filter(planned_arrive__lt=end).exclude(status__in=_ARRIVED).count()
    activities = {
        "patrols": {
            "planned": sum(planned.values()),
            "done": sum(done.values()),
            "by_polsek": unit_rows(
                planned=_per_unit(planned, unit_of, polres), done=_per_unit(done, unit_of, polres)
            ),
        },
        "guard": {
            "officers_rostered": strength["deployed"]["guard_posts"],
            "posts_rostered": guard_assignments.values("post_id").distinct().count(),
        },
        # The posko alert stream (siaga.posko): raised during the day, carried over, still open at its end.
        "alerts": {
            "raised": len(raised),
            "carried_over": len(alerts) - len(raised),
            "by_kind": [{"code": k, "n": n} for k, n in sorted(alert_kinds.items())],
            "guard": sum(1 for a in raised if a.source == "guard"),
            "acknowledged": sum(
                1 for a in raised if a.acknowledged_at is not None and a.acknowledged_at < end
            ),
            "open_at_end": sum(1 for a in alerts if a.closed_at is None or a.closed_at >= end),
        },
        "events": {
            "count": len(events),
            "by_status": dict(sorted(Counter(e.status for e in events).items())),
            "items": [
                {
                    "title": e.title,
                    "kind": e.kind,
                    "kecamatan": e.kecamatan.name,
                    "starts_at": timezone.localtime(e.starts_at).isoformat(timespec="minutes"),
                    "risk": e.risk,
                    "status": e.status,
                }
                for e in events
            ],
        },
        "logistics": {"legs_due": legs_due, "arrived": legs_arrived, "late": legs_late},
    }

    report(65, "kejadian")
    incidents = Incident.objects.filter(
        kecamatan_id__in=kecamatan, reported_at__gte=start, reported_at__lt=end
    )
    rows = list(incidents.values_list("category", "kecamatan_id", "priority", "status", "referral"))
    by_category = Counter(r[0] for r in rows)
    by_priority = Counter(r[2] for r in rows)
    incident_section = {
        "total": len(rows),
        "by_category": [{"code": c, "n": by_category.get(c, 0)} for c in Category.values],
        "by_polsek": unit_rows(n=_per_unit(Counter(r[1] for r in rows), unit_of, polres)),
        "by_priority": [{"code": p, "n": by_priority.get(p, 0)} for p in Priority.values],
        "open": sum(1 for r in rows if r[3] in OPEN_STATUSES),
        "referred": {
            "bawaslu": sum(1 for r in rows if r[4] == "bawaslu"),
            "propam": sum(1 for r in rows if r[4] == "propam"),
        },
        "notable": [
            {
                "receipt": i.receipt,
                "category": i.category,
                "priority": i.priority,
                "status": i.status,
                "kecamatan": i.kecamatan.name if i.kecamatan else "",
            }
            for i in incidents.filter(priority__lte=2)
            .select_related("kecamatan")
            .order_by("priority", "reported_at")[:20]
        ],
    }

    report(80, "kendala dan rencana")
    obstacles: list[dict[str, Any]] = []
    for row in glance.rows:
        if row.polri_available < row.polri_required:
            obstacles.append(
                {"kind": "polri_short", "unit": row.name, "n": row.polri_required - row.polri_available}
            )
    for force in ("linmas", "tni"):
        short = getattr(glance.total, f"{force}_required") - getattr(glance.total, f"{force}_available")
        if short > 0:
            obstacles.append({"kind": f"{force}_short", "unit": polres.name, "n": short})
    if glance.siaga_fraction and not glance.siaga_ok:
        obstacles.append(
            {
                "kind": "siaga_share",
                "unit": polres.name,
                "n": glance.siaga_needed - glance.total.polri_available,
            }
        )
    checks = [
        (
            "patrols_missed",
            activities["patrols"]["planned"] - activities["patrols"]["done"]
            if end >= start + dt.timedelta(days=1)
            else 0,
        ),
        ("alerts_open", activities["alerts"]["open_at_end"]),
        ("legs_late", legs_late),
        ("incidents_open", incident_section["open"]),
    ]
    obstacles += [{"kind": kind, "unit": polres.name, "n": n} for kind, n in checks if n > 0]

    tomorrow = day + dt.timedelta(days=1)
    t_start, t_end = day_window(
        tomorrow, timezone.make_aware(dt.datetime.combine(tomorrow + dt.timedelta(days=1), dt.time.min))
    )
    plans = {
        "day": tomorrow.isoformat(),
        "events": Event.objects.filter(
            kecamatan_id__in=kecamatan, starts_at__gte=t_start, starts_at__lt=t_end
        )
        .exclude(status="cancelled")
        .count(),
        "patrol_visits": PatrolVisit.objects.filter(
            day__day_on=tomorrow, day__plan__polres=polres, is_cancelled=False
        )
        .exclude(day__plan__status=PatrolPlan.Status.DRAFT)
        .count(),
        "legs_due": Leg.objects.filter(
            kecamatan_id__in=kecamatan, planned_arrive__gte=t_start, planned_arrive__lt=t_end
        ).count(),
        "guard_officers": Assignment.objects.filter(roster__polres=polres, on=tomorrow)
        .values("personnel_id")
        .distinct()
        .count(),
        "next_stage": situation.get("next_stage"),
    }

    report(90, "buku mutasi")
    journal = journal_notes(kecamatan=kecamatan, day=day, end=end)
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "day": day.isoformat(),
        "window": {"from": start.isoformat(), "to": end.isoformat()},
        "polres": {"code": polres.code, "name": polres.name},
        "sections": {
            "situation": situation,
            "strength": strength,
            "activities": activities,
            "incidents": incident_section,
            "obstacles": obstacles,
            "plans": plans,
            "journal": journal,
        },
    }


def posko_alerts(*, kecamatan: frozenset[int], day: dt.date) -> list[Any]:
    """The posko stream's alerts of the day (raised or still open), with the Polres's own (no kecamatan) rows."""
    from siaga.posko.selectors import alerts_for_day

    return list(alerts_for_day(Scope(kecamatan_ids=kecamatan), day, polres_wide=True))


def journal_notes(*, kecamatan: frozenset[int], day: dt.date, end: dt.datetime) -> dict[str, Any]:
    """The posko journal's entries of the day up to the moment of generation (corrections included)."""
    from siaga.posko.selectors import journal_for_day

    entries = journal_for_day(Scope(kecamatan_ids=kecamatan), day, polres_wide=True).filter(
        occurred_at__lt=end
    )
    return {
        "entries": [
            {
                "at": timezone.localtime(e.occurred_at).isoformat(timespec="minutes"),
                "kind": e.kind,
                "text": e.text,
                "radio_from": e.radio_from,
                "radio_to": e.radio_to,
                "author": e.author.get_full_name() or e.author.get_username(),
                "kecamatan": e.kecamatan.name if e.kecamatan else "",
                "corrects": e.corrects_id,
            }
            for e in entries
        ]
    }
