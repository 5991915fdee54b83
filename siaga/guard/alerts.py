"""What the Posko must be told about the guard posts at a given moment.

`compute_alerts(now=...)` is a pure read with the clock as an argument, so tests drive it with a controlled
clock; `services.refresh_alerts` stores its answer and the `guard_alerts` command runs that periodically.
A post counts as staffed by the officers checked in there (not by the roster): the roster says who should be
there, the check-ins say who is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.guard.models import (  # noqa: F401  (DUTY_GRACE_MINUTES: the one duty-end rule, re-exported)
    DUTY_GRACE_MINUTES,
    Alert,
    Assignment,
    CheckIn,
    Handover,
    Post,
    Roster,
    on_duty_q,
)

# Minutes after a shift starts before a short post is reported (people walk from the apel to the post).
UNSTAFFED_GRACE_MINUTES = getattr(settings, "SIAGA_GUARD_UNSTAFFED_GRACE_MINUTES", 15)
# Minutes after a shift change before a missing serah terima is reported.
HANDOVER_GRACE_MINUTES = getattr(settings, "SIAGA_GUARD_HANDOVER_GRACE_MINUTES", 30)


@dataclass(frozen=True)
class AlertData:
    post_id: int
    kind: str
    since: dt.datetime
    message: str


@dataclass
class PostNow:
    """A post at one moment: who should be there, who is, and what is wrong."""

    post: Post
    rostered: list[Assignment] = field(default_factory=list)
    present: list[CheckIn] = field(default_factory=list)
    slot_start: dt.datetime | None = None
    slot_end: dt.datetime | None = None
    alerts: list[AlertData] = field(default_factory=list)

    @property
    def required(self) -> int:
        return len(self.rostered)

    @property
    def state(self) -> str:
        """ok / short / empty / off (no shift rostered now)."""
        if self.alerts:
            return "alert"
        if not self.rostered:
            return "off"
        if len(self.present) >= self.required:
            return "ok"
        return "short" if self.present else "empty"

    @property
    def color(self) -> str:
        return {
            "ok": "#198754",
            "short": "#fd7e14",
            "empty": "#fd7e14",
            "alert": "#dc3545",
            "off": "#6c757d",
        }[self.state]


def posts_now(posts: list[Post], *, now: dt.datetime) -> list[PostNow]:
    """The live state of the given posts at `now` (five queries whatever the number of posts)."""
    by_post = {p.pk: PostNow(post=p) for p in posts}
    ids = list(by_post)
    active = (
        Assignment.objects.filter(
            post_id__in=ids, roster__status=Roster.Status.PUBLISHED, starts_at__lte=now, ends_at__gt=now
        )
        .select_related("personnel", "personnel__rank")
        .order_by("post_id", "personnel__name")
    )
    for a in active:
        row = by_post[a.post_id]
        row.rostered.append(a)
        row.slot_start = min(row.slot_start or a.starts_at, a.starts_at)
        row.slot_end = max(row.slot_end or a.ends_at, a.ends_at)
    present = (
        CheckIn.objects.filter(on_duty_q(now), post_id__in=ids)
        .select_related("personnel", "personnel__rank")
        .order_by("checked_in_at")
    )
    for c in present:
        by_post[c.post_id].present.append(c)

    staffed_now = [r for r in by_post.values() if r.slot_start is not None]
    if not staffed_now:
        return list(by_post.values())
    starts = {r.slot_start for r in staffed_now}
    # Posts whose previous shift ended exactly when this one started: a handover is due at that boundary.
    handover_due = set(
        Assignment.objects.filter(
            post_id__in=[r.post.pk for r in staffed_now],
            roster__status=Roster.Status.PUBLISHED,
            ends_at__in=starts,
        ).values_list("post_id", "ends_at")
    )
    done = set(
        Handover.objects.filter(post_id__in=ids, shift_boundary_at__in=starts).values_list(
            "post_id", "shift_boundary_at"
        )
    )
    last_out = dict(
        CheckIn.objects.filter(
            post_id__in=[r.post.pk for r in staffed_now if r.post.is_cctv], checked_out_at__lte=now
        )
        .values("post_id")
        .annotate(last=Max("checked_out_at"))
        .values_list("post_id", "last")
    )
    for row in staffed_now:
        row.alerts = _alerts_of(row, now=now, handover_due=handover_due, done=done, last_out=last_out)
    return list(by_post.values())


def _alerts_of(
    row: PostNow,
    *,
    now: dt.datetime,
    handover_due: set[tuple[int, dt.datetime]],
    done: set[tuple[int, dt.datetime]],
    last_out: dict[int, dt.datetime],
) -> list[AlertData]:
    post, start = row.post, row.slot_start
    assert start is not None
    out = []
    if post.is_cctv:
        if not row.present:
            # Empty since the last watcher left in this shift or just before it, else since the shift began.
            left = last_out.get(post.pk)
            since = left if left is not None and left > start - dt.timedelta(hours=1) else start
            minutes = (now - since).total_seconds() / 60
            if minutes >= post.empty_alert_minutes:
                out.append(
                    AlertData(
                        post.pk,
                        Alert.Kind.CCTV_EMPTY,
                        since,
                        _("%(post)s kosong %(m)d menit (batas %(limit)d)")
                        % {"post": post.name, "m": int(minutes), "limit": post.empty_alert_minutes},
                    )
                )
    elif len(row.present) < row.required and now - start >= dt.timedelta(minutes=UNSTAFFED_GRACE_MINUTES):
        out.append(
            AlertData(
                post.pk,
                Alert.Kind.UNSTAFFED,
                start,
                _("%(post)s: %(n)d dari %(need)d personel hadir")
                % {"post": post.name, "n": len(row.present), "need": row.required},
            )
        )
    if (
        (post.pk, start) in handover_due
        and (post.pk, start) not in done
        and now - start >= dt.timedelta(minutes=HANDOVER_GRACE_MINUTES)
    ):
        local = timezone.localtime(start)
        out.append(
            AlertData(
                post.pk,
                Alert.Kind.HANDOVER_MISSED,
                start,
                _("%(post)s: serah terima pukul %(t)s belum dicatat")
                % {"post": post.name, "t": f"{local:%H:%M}"},
            )
        )
    return out


def compute_alerts(*, now: dt.datetime, posts: list[Post] | None = None) -> list[AlertData]:
    """Every alert in force at `now` over the given posts (default: every active post)."""
    if posts is None:
        posts = list(Post.objects.filter(is_active=True).select_related("vital_object"))
    return [a for row in posts_now(posts, now=now) for a in row.alerts]
