"""Reads for guard posts, rosters, the live board and alerts, filtered by the user's jurisdiction.

A post is visible when its vital object lies in the user's kecamatan; a roster when one of its posts is; a
roster's rows only on visible posts. An officer's schedule is visible through the posts they guard.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.guard import engine as bridge
from siaga.guard.alerts import PostNow, posts_now
from siaga.guard.models import (
    Alert,
    Assignment,
    CalendarFeed,
    CheckIn,
    Handover,
    Post,
    Roster,
    SwapRequest,
    on_duty_q,
)
from siaga.personnel.models import Personnel


def posts_for(
    user: Any, *, search: str = "", vital_object_id: int | None = None, active_only: bool = False
) -> QuerySet[Post]:
    qs = scope_for(user).filter(
        Post.objects.select_related("vital_object", "vital_object__kecamatan"), "vital_object__kecamatan_id"
    )
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(vital_object__name__icontains=search) | Q(code__icontains=search)
        )
    if vital_object_id:
        qs = qs.filter(vital_object_id=vital_object_id)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs


def access_post(user: Any, pk: int) -> Post:
    obj = posts_for(user).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Pos tidak ditemukan"))
    return obj


def rosters_for(user: Any) -> QuerySet[Roster]:
    scope = scope_for(user)
    qs = Roster.objects.select_related("polres", "election", "job")
    if scope.kecamatan_ids is not None:
        visible = Post.objects.filter(vital_object__kecamatan_id__in=scope.kecamatan_ids).values("id")
        qs = qs.filter(pk__in=Roster.objects.filter(posts__in=visible).values("pk"))
    return qs.annotate(n_posts=Count("posts", distinct=True), n_officers=Count("officers", distinct=True))


def access_roster(user: Any, pk: int) -> Roster:
    obj = rosters_for(user).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Roster tidak ditemukan"))
    return obj


def assignments_for(user: Any, roster: Roster) -> QuerySet[Assignment]:
    return (
        scope_for(user)
        .filter(
            roster.assignments.select_related("post", "personnel", "personnel__rank"),
            "post__vital_object__kecamatan_id",
        )
        .order_by("starts_at", "post__name", "personnel__name")
    )


def access_assignment(user: Any, pk: int) -> Assignment:
    qs = scope_for(user).filter(
        Assignment.objects.select_related("roster", "post", "personnel", "personnel__rank"),
        "post__vital_object__kecamatan_id",
    )
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Penugasan tidak ditemukan"))
    return obj


@dataclass
class GridRow:
    on: dt.date
    shift_code: str
    starts_at: dt.datetime
    cells: list[list[Assignment]]


def roster_grid(user: Any, roster: Roster, *, on: dt.date | None = None) -> tuple[list[Post], list[GridRow]]:
    """The roster as a table: one row per date and shift, one column per post (the visible ones)."""
    posts = list(posts_for(user).filter(rosters=roster).order_by("vital_object__name", "kind", "name"))
    rows = assignments_for(user, roster)
    if on is not None:
        rows = rows.filter(on=on)
    by_slot: dict[tuple[dt.date, str], dict[int, list[Assignment]]] = defaultdict(lambda: defaultdict(list))
    starts: dict[tuple[dt.date, str], dt.datetime] = {}
    for a in rows:
        by_slot[(a.on, a.shift_code)][a.post_id].append(a)
        starts[(a.on, a.shift_code)] = a.starts_at
    shifts = bridge.shift_types(roster)
    grid = []
    for day in bridge.horizon(roster):
        if on is not None and day != on:
            continue
        for s in shifts:
            key = (day, s.code)
            start = starts.get(key) or bridge.to_aware(s.starts_at(day))
            grid.append(GridRow(day, s.code, start, [by_slot[key].get(p.pk, []) for p in posts]))
    return posts, grid


def calendar_weeks(roster: Roster) -> list[list[dt.date | None]]:
    """The roster's horizon laid out as Monday-first weeks for a month-style calendar."""
    days = bridge.horizon(roster)
    weeks: list[list[dt.date | None]] = []
    week: list[dt.date | None] = [None] * days[0].weekday()
    for day in days:
        week.append(day)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


def officers_for(user: Any) -> QuerySet[Personnel]:
    """Officers whose guard schedule the user may see: those rostered on a visible post (everyone for a Polres)."""
    scope = scope_for(user)
    qs = Personnel.objects.select_related("rank", "unit")
    if scope.kecamatan_ids is not None:
        qs = qs.filter(
            pk__in=Assignment.objects.filter(post__vital_object__kecamatan_id__in=scope.kecamatan_ids).values(
                "personnel_id"
            )
        )
    return qs


def access_officer(user: Any, pk: int) -> Personnel:
    obj = officers_for(user).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Personel tidak ditemukan"))
    return obj


def officer_schedule(
    user: Any, personnel: Personnel, *, published_only: bool = False
) -> QuerySet[Assignment]:
    qs = scope_for(user).filter(
        Assignment.objects.filter(personnel=personnel).select_related("post", "post__vital_object", "roster"),
        "post__vital_object__kecamatan_id",
    )
    if published_only:
        qs = qs.filter(roster__status=Roster.Status.PUBLISHED)
    return qs.order_by("starts_at")


def pool_candidates(user: Any, roster: Roster | None = None) -> QuerySet[Personnel]:
    """Active officers of the user's Polres who can be put in a guard pool."""
    qs = Personnel.objects.filter(status=Personnel.Status.ACTIVE).select_related("rank", "unit")
    unit = getattr(user, "police_unit", None)
    if unit is not None:
        qs = qs.filter(unit__polres__kabupaten_id=unit.kabupaten_id)
    return qs


def board(user: Any, *, now: dt.datetime) -> list[PostNow]:
    """Who is on which post now, with each post's alerts."""
    return posts_now(list(posts_for(user, active_only=True)), now=now)


def alerts_for(user: Any, *, open_only: bool = True) -> QuerySet[Alert]:
    qs = scope_for(user).filter(
        Alert.objects.select_related("post", "post__vital_object"), "post__vital_object__kecamatan_id"
    )
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return qs


def swaps_for(user: Any, roster: Roster) -> QuerySet[SwapRequest]:
    rel = (
        "first",
        "first__post",
        "first__personnel",
        "second",
        "second__post",
        "second__personnel",
        "to_personnel",
        "requested_by",
    )
    return scope_for(user).filter(
        roster.swaps.select_related(*rel), "first__post__vital_object__kecamatan_id"
    )


def access_swap(user: Any, pk: int) -> SwapRequest:
    obj = (
        scope_for(user)
        .filter(
            SwapRequest.objects.select_related("roster", "first", "second", "to_personnel"),
            "first__post__vital_object__kecamatan_id",
        )
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise NotFound(_("Permintaan tidak ditemukan"))
    return obj


def open_check_ins(post: Post, *, now: dt.datetime | None = None) -> QuerySet[CheckIn]:
    """Who is at the post now: an open check-in past its duty end (shift end plus grace) no longer counts."""
    return post.check_ins.filter(on_duty_q(now or timezone.now())).select_related(
        "personnel", "personnel__rank"
    )


def recent_check_outs(post: Post, *, limit: int = 10) -> QuerySet[CheckIn]:
    """The latest check-outs at the post, far ones and those the system closed among them."""
    return (
        post.check_ins.filter(checked_out_at__isnull=False)
        .select_related("post", "personnel", "personnel__rank")
        .order_by("-checked_out_at")[:limit]
    )


def handovers_for(user: Any, *, post: Post | None = None) -> QuerySet[Handover]:
    qs = scope_for(user).filter(
        Handover.objects.select_related("post", "outgoing", "incoming"), "post__vital_object__kecamatan_id"
    )
    if post is not None:
        qs = qs.filter(post=post)
    return qs


def duty_officers(post: Post, *, now: dt.datetime) -> QuerySet[Personnel]:
    """Officers rostered on the post around now (the shift now, the one before and the next), for the phone."""
    window = dt.timedelta(hours=12)
    ids = Assignment.objects.filter(
        post=post,
        roster__status=Roster.Status.PUBLISHED,
        starts_at__lte=now + window,
        ends_at__gte=now - window,
    ).values("personnel_id")
    return Personnel.objects.filter(pk__in=ids).select_related("rank").order_by("name")


def feed_for(token: str) -> tuple[Personnel, QuerySet[Assignment]] | None:
    """The officer and their published shifts behind a calendar-feed token (None for an unknown token)."""
    feed = CalendarFeed.objects.select_related("personnel").filter(digest=CalendarFeed.hash(token)).first()
    if feed is None:
        return None
    rows = (
        Assignment.objects.filter(personnel=feed.personnel, roster__status=Roster.Status.PUBLISHED)
        .select_related("post", "post__vital_object")
        .order_by("starts_at")
    )
    return feed.personnel, rows


def posts_with_requirements(user: Any) -> QuerySet[Post]:
    return posts_for(user).prefetch_related(Prefetch("requirements"))
