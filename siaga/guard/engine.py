"""The bridge between the guard tables and the pure roster engine (`siaga.optimization.roster`).

Builds a `RosterInstance` from a Roster row (posts with their requirement rules resolved per date, the pool
of officers with qualifications, leave and busy periods, locked rows) and turns the engine's rule codes into
Indonesian-first sentences for the pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from siaga.guard.models import Assignment, OfficerQualification, Post, PostRequirement, Roster, Unavailability
from siaga.optimization import roster as engine

# --- time ------------------------------------------------------------------------------------------------


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def to_aware(naive: dt.datetime) -> dt.datetime:
    """A naive local wall-clock time (the engine's) as an aware datetime (the database's)."""
    return naive.replace(tzinfo=local_tz())


def to_local_naive(aware: dt.datetime) -> dt.datetime:
    return aware.astimezone(local_tz()).replace(tzinfo=None)


def shift_types(roster: Roster) -> tuple[engine.ShiftType, ...]:
    if roster.pattern == Roster.Pattern.TWO_TWELVE:
        return engine.two_twelve_hour_shifts(first_start_hour=roster.first_start_hour)
    return engine.three_eight_hour_shifts(first_start_hour=roster.first_start_hour)


def horizon(roster: Roster) -> tuple[dt.date, ...]:
    return tuple(roster.starts_on + dt.timedelta(days=i) for i in range(roster.days))


# --- the voting-day hook -----------------------------------------------------------------------------------

# A provider answers: for these officers, which local (naive) periods are already taken by another plan
# (PAM TPS on voting day, an escort), between these two dates? The deployment app registers one when its plan
# exposes assignments; until then no officer is busy.
BusyProvider = Callable[
    [Sequence[int], dt.date, dt.date], dict[int, list[tuple[dt.datetime, dt.datetime, str]]]
]
_busy_providers: list[BusyProvider] = []


def register_busy_provider(provider: BusyProvider) -> BusyProvider:
    """Let another app (deployment: the voting-day plan) mark officers busy; usable as a decorator."""
    if provider not in _busy_providers:
        _busy_providers.append(provider)
    return provider


def unregister_busy_provider(provider: BusyProvider) -> None:
    if provider in _busy_providers:
        _busy_providers.remove(provider)


def busy_periods(
    personnel_ids: Sequence[int], first: dt.date, last: dt.date
) -> dict[int, list[engine.BusyPeriod]]:
    out: dict[int, list[engine.BusyPeriod]] = defaultdict(list)
    for provider in _busy_providers:
        for pid, periods in provider(personnel_ids, first, last).items():
            out[pid] += [engine.BusyPeriod(s, e, reason=r) for s, e, r in periods]
    return out


# --- requirements ------------------------------------------------------------------------------------------

LEVEL_ORDER = {"": 0, "normal": 0, "siaga3": 1, "siaga2": 2, "siaga1": 3}


@dataclass(frozen=True)
class Context:
    """What requirement rules are evaluated against, per date."""

    voting_on: dt.date | None
    stage_ranges: dict[int, tuple[dt.date, dt.date]]
    level_on: dict[dt.date, str]


def siaga_levels(roster: Roster, days: Iterable[dt.date]) -> dict[dt.date, str]:
    """The operation's siaga level in force at the end of each date (a raise during the day counts)."""
    if roster.operation_id is None:
        return {}
    from siaga.operations.models import SiagaLevelChange

    changes = list(
        SiagaLevelChange.objects.filter(operation_id=roster.operation_id)
        .order_by("effective_at")
        .values_list("effective_at", "level")
    )
    out = {}
    for day in days:
        end = to_aware(dt.datetime.combine(day, dt.time(23, 59)))
        level = ""
        for at, lvl in changes:
            if at <= end:
                level = lvl
        out[day] = level
    return out


def rule_applies(rule: PostRequirement, day: dt.date, shift_code: str, ctx: Context) -> bool:
    if rule.starts_on and day < rule.starts_on:
        return False
    if rule.ends_on and day > rule.ends_on:
        return False
    if rule.from_h_day is not None and (
        ctx.voting_on is None or (day - ctx.voting_on).days < rule.from_h_day
    ):
        return False
    if rule.stage_id is not None:
        rng = ctx.stage_ranges.get(rule.stage_id)
        if rng is None or not rng[0] <= day <= rng[1]:
            return False
    if rule.min_siaga_level and LEVEL_ORDER.get(ctx.level_on.get(day, ""), 0) < LEVEL_ORDER.get(
        rule.min_siaga_level, 0
    ):
        return False
    codes = {c.strip() for c in rule.shift_codes.split(",") if c.strip()}
    return not codes or shift_code in codes


def required_on(
    post: Post, rules: Sequence[PostRequirement], day: dt.date, shift_code: str, ctx: Context
) -> int:
    """Officers a post needs on a date and shift: 0 outside its guarded period, else the winning rule."""
    if (
        not post.is_active
        or (post.active_from and day < post.active_from)
        or (post.active_until and day > post.active_until)
    ):
        return 0
    required = post.required
    for rule in sorted(rules, key=lambda r: (r.priority, r.pk or 0)):
        if rule_applies(rule, day, shift_code, ctx):
            required = rule.required
    return required


def _engine_post(
    post: Post, rules: Sequence[PostRequirement], days: Sequence[dt.date], codes: Sequence[str], ctx: Context
) -> engine.Post:
    # One RequirementPeriod per (date, shift) whose need differs from the base: simple and exact.
    periods = tuple(
        engine.RequirementPeriod(day, need, ends_on=day, shift_codes=frozenset({code}))
        for day in days
        for code in codes
        if (need := required_on(post, rules, day, code, ctx)) != post.required
    )
    return engine.Post(
        str(post.pk),
        post.required,
        name=post.name,
        exact=post.is_cctv,
        qualification=post.qualification or None,
        periods=periods,
    )


# --- the instance ------------------------------------------------------------------------------------------


def build_instance(
    roster: Roster, *, extra_unavailable: dict[int, list[dt.date]] | None = None
) -> engine.RosterInstance:
    """The roster as the engine's input; locked rows come from the roster's locked assignments."""
    days = horizon(roster)
    shifts = shift_types(roster)
    codes = [s.code for s in shifts]
    posts = list(roster.posts.select_related("vital_object").prefetch_related("requirements").order_by("pk"))
    stage_ids = {r.stage_id for p in posts for r in p.requirements.all() if r.stage_id}
    stage_ranges: dict[int, tuple[dt.date, dt.date]] = {}
    if stage_ids:
        from siaga.operations.models import ElectionStage

        stage_ranges = {
            s.pk: (s.starts_on, s.ends_on) for s in ElectionStage.objects.filter(pk__in=stage_ids)
        }
    ctx = Context(
        voting_on=roster.election.voting_on if roster.election is not None else None,
        stage_ranges=stage_ranges,
        level_on=siaga_levels(roster, days),
    )
    engine_posts = tuple(_engine_post(p, list(p.requirements.all()), days, codes, ctx) for p in posts)

    officer_ids = list(roster.officers.order_by("pk").values_list("pk", flat=True))
    quals: dict[int, set[str]] = defaultdict(set)
    for pid, q in OfficerQualification.objects.filter(personnel_id__in=officer_ids).values_list(
        "personnel_id", "qualification"
    ):
        quals[pid].add(q)
    leave: dict[int, list[engine.Unavailability]] = defaultdict(list)
    for u in Unavailability.objects.filter(
        personnel_id__in=officer_ids, starts_on__lte=days[-1], ends_on__gte=days[0]
    ):
        day = max(u.starts_on, days[0])
        while day <= min(u.ends_on, days[-1]):
            leave[u.personnel_id].append(
                engine.Unavailability(day, shift_code=u.shift_code or None, reason=u.reason)
            )
            day += dt.timedelta(days=1)
    for pid, extra_days in (extra_unavailable or {}).items():
        leave[pid] += [engine.Unavailability(d, reason="sick") for d in extra_days]
    busy = busy_periods(officer_ids, days[0], days[-1])
    officers = tuple(
        engine.Officer(
            str(pid),
            qualifications=frozenset(quals[pid]),
            unavailable=tuple(leave[pid]),
            busy=tuple(busy[pid]),
        )
        for pid in officer_ids
    )
    locked = tuple(
        engine.Assignment(str(pid), on, code, str(post_id))
        for pid, on, code, post_id in roster.assignments.filter(is_locked=True).values_list(
            "personnel_id", "on", "shift_code", "post_id"
        )
    )
    return engine.RosterInstance(
        horizon=days,
        shifts=shifts,
        posts=engine_posts,
        officers=officers,
        locked=locked,
        rules=engine.Rules(
            min_rest_hours=roster.min_rest_hours, max_hours_per_week=roster.max_hours_per_week
        ),
    )


def assignment_rows(roster: Roster) -> list[engine.Assignment]:
    return [
        engine.Assignment(str(pid), on, code, str(post_id))
        for pid, on, code, post_id in roster.assignments.values_list(
            "personnel_id", "on", "shift_code", "post_id"
        )
    ]


def as_engine_row(a: Assignment) -> engine.Assignment:
    return engine.Assignment(str(a.personnel_id), a.on, a.shift_code, str(a.post_id))


def shift_bounds(
    shifts: Iterable[engine.ShiftType], on: dt.date, code: str
) -> tuple[dt.datetime, dt.datetime]:
    shift = next(s for s in shifts if s.code == code)
    return to_aware(shift.starts_at(on)), to_aware(shift.ends_at(on))


# --- messages ----------------------------------------------------------------------------------------------


def rule_labels() -> dict[str, str]:
    """The engine's rule codes in the users' words (Indonesian first)."""
    return {
        engine.Rule.COVERAGE: _("Pos kurang personel"),
        engine.Rule.OVERSTAFFED: _("Kursi CCTV lebih dari satu orang"),
        engine.Rule.ONE_SHIFT_PER_DAY: _("Satu shift per hari"),
        engine.Rule.REST: _("Waktu istirahat minimal"),
        engine.Rule.WEEKLY_HOURS: _("Jam kerja maksimal per minggu"),
        engine.Rule.UNAVAILABLE: _("Cuti atau berhalangan"),
        engine.Rule.BUSY: _("Bertugas di rencana lain (PAM TPS)"),
        engine.Rule.QUALIFICATION: _("Kualifikasi pos tidak dipenuhi"),
        engine.Rule.LOCKED: _("Penugasan terkunci"),
        engine.Rule.DUPLICATE: _("Penugasan ganda"),
        engine.Rule.UNKNOWN: _("Data tidak dikenal"),
    }


def rest_sentence(min_rest_hours: float) -> str:
    return _("istirahat kurang dari %(h)s jam") % {"h": f"{min_rest_hours:g}"}


def describe_violation(v: engine.Violation, *, min_rest_hours: float = 8) -> str:
    """'Waktu istirahat minimal: istirahat kurang dari 8 jam (less than 8 h rest between ...)'."""
    label = rule_labels().get(v.rule, str(v.rule))
    if v.rule == engine.Rule.REST:
        return f"{label}: {rest_sentence(min_rest_hours)} ({v.message})"
    return f"{label}: {v.message}"


def diagnosis_rows(
    diagnosis: engine.Diagnosis | None, posts: dict[str, str], *, min_rest_hours: float = 8
) -> list[dict[str, object]]:
    """The diagnosis as JSON rows for the roster page: which post-shift, how many missing, which rules, why."""
    if diagnosis is None:
        return [
            {
                "post": "",
                "reason": _("Tidak ada roster yang ditemukan dalam batas waktu"),
                "rules": [],
            }
        ]
    labels = rule_labels()
    rows: list[dict[str, object]] = [
        {"post": posts.get(v.post_id or "", ""), "on": v.on.isoformat() if v.on else "", "shift_code": v.shift_code or "",
         "required": None, "missing": None, "rules": [str(v.rule)], "rule_labels": [labels.get(v.rule, str(v.rule))],
         "reason": describe_violation(v, min_rest_hours=min_rest_hours)}
        for v in diagnosis.locked_conflicts
    ]  # fmt: skip
    for u in diagnosis.uncovered:
        rows.append(
            {
                "post_id": u.post_id,
                "post": posts.get(u.post_id, u.post_id),
                "on": u.on.isoformat(),
                "shift_code": u.shift_code,
                "required": u.required,
                "missing": u.missing,
                "rules": [str(r) for r in u.rules],
                "rule_labels": [labels.get(r, str(r)) for r in u.rules]
                or [_("gabungan aturan: perlu tambahan personel")],
                "reason": u.reason,
            }
        )
    return rows
