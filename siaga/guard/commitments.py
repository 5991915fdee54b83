"""Guard posts as an incident commitment provider (`siaga.incidents.commitments`).

A response unit may not be sent to an incident if taking its officers away leaves a guard post with fewer
officers on duty than it needs. "On duty" and "needs" both come from the published roster at that moment: the
assignments whose shift covers `at` at an active post. The roster already resolved the post's requirement
rules (H-day, stage, siaga level) for that shift, so the rostered count is the minimum; taking even one rostered
officer away breaks it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.core.duties import Busy
from siaga.guard.models import Assignment, Roster


class GuardPostProvider:
    """Holds back a unit whose officers are rostered on a post that would then be short."""

    def blocked_units(self, *, members: Mapping[int, Collection[int]], at: dt.datetime) -> Mapping[int, str]:
        wanted = {pid for officer_ids in members.values() for pid in officer_ids}
        if not wanted:
            return {}
        at = at or timezone.now()
        covering = Assignment.objects.filter(
            roster__status=Roster.Status.PUBLISHED, post__is_active=True, starts_at__lte=at, ends_at__gt=at
        )
        # One query: every officer on duty now at the posts where at least one of the units' officers stands.
        rows = covering.filter(
            post_id__in=covering.filter(personnel_id__in=wanted).values("post_id")
        ).values_list("post_id", "post__name", "personnel_id")
        on_duty: dict[int, set[int]] = defaultdict(set)
        names: dict[int, str] = {}
        for post_id, name, personnel_id in rows:
            on_duty[post_id].add(personnel_id)
            names[post_id] = name
        blocked: dict[int, str] = {}
        for unit_id, officer_ids in members.items():
            taken_from = set(officer_ids)
            for post_id in sorted(on_duty, key=lambda p: names[p]):
                staff = on_duty[post_id]
                required = len(staff)  # the rostered count (see the module docstring)
                taken = len(staff & taken_from)
                if len(staff) - taken < required:
                    blocked[unit_id] = _(
                        "%(post)s: %(taken)d dari %(on_duty)d petugas jaga akan ditarik (minimum %(required)d)"
                    ) % {"post": names[post_id], "taken": taken, "on_duty": len(staff), "required": required}
                    break
        return blocked


class GuardDutyProvider:
    """Guard shifts of published rosters as duty periods (`siaga.core.duties`): an officer on a shift cannot be
    put on an event or an escort at the same time."""

    def busy(
        self, *, personnel_ids: Collection[int] | None, start: dt.datetime, end: dt.datetime
    ) -> list[Busy]:
        qs = Assignment.objects.filter(
            roster__status=Roster.Status.PUBLISHED, starts_at__lt=end, ends_at__gt=start
        )
        if personnel_ids is not None:
            qs = qs.filter(personnel_id__in=list(personnel_ids))
        return [
            Busy(pid, s, e, f"guard.assignment:{pk}", _("Jaga %(post)s") % {"post": name})
            for pk, pid, s, e, name in qs.values_list(
                "pk", "personnel_id", "starts_at", "ends_at", "post__name"
            )
        ]
