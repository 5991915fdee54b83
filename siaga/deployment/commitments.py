"""PAM TPS teams as an incident commitment provider (`siaga.incidents.commitments`).

On voting day a response unit may not be sent to an incident if taking its officers away leaves a team of the
published plan with fewer officers than its security pattern puts at its TPS (`Team.pattern.police`).

The window is the voting day from 00:00 to 12:00 the next day, local time (settings.TIME_ZONE, Asia/Jakarta):
teams stand at their TPS while votes are cast and stay through the counting, which runs into the night and
often past midnight until the C1 forms are signed and the ballot boxes leave for the PPK.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.core.duties import Busy
from siaga.deployment.models import DeploymentPlan, TeamMember, TeamTps

# Local hour of the day after voting until which teams stay (counting and handing over the ballot boxes).
COUNTING_ENDS_HOUR = 12


def voting_days_covering(at: dt.datetime) -> list[dt.date]:
    """The voting days whose window (the day 00:00 to the next day 12:00, local) contains `at`."""
    local = timezone.localtime(at, ZoneInfo(settings.TIME_ZONE))
    days = [local.date()]
    if local.hour < COUNTING_ENDS_HOUR:
        days.append(local.date() - dt.timedelta(days=1))
    return days


class TpsTeamProvider:
    """Holds back a unit whose officers belong to a TPS team that would then be below its pattern."""

    def blocked_units(self, *, members: Mapping[int, Collection[int]], at: dt.datetime) -> Mapping[int, str]:
        wanted = {pid for officer_ids in members.values() for pid in officer_ids}
        if not wanted:
            return {}
        in_force = TeamMember.objects.filter(
            plan__status=DeploymentPlan.Status.PUBLISHED,
            plan__election__voting_on__in=voting_days_covering(at or timezone.now()),
        )
        # One query: every member of the teams in force that count at least one of the units' officers.
        rows = in_force.filter(
            team_id__in=in_force.filter(personnel_id__in=wanted).values("team_id")
        ).values_list("team_id", "team__code", "team__pattern__police", "personnel_id")
        staff: dict[int, set[int]] = defaultdict(set)
        teams: dict[int, tuple[str, int]] = {}
        for team_id, code, police, personnel_id in rows:
            staff[team_id].add(personnel_id)
            teams[team_id] = (code, police)
        breaking: dict[int, tuple[int, int]] = {}  # unit id -> (team id, officers taken)
        for unit_id, officer_ids in members.items():
            taken_from = set(officer_ids)
            for team_id in sorted(teams, key=lambda t: teams[t][0]):
                taken = len(staff[team_id] & taken_from)
                if taken and len(staff[team_id]) - taken < teams[team_id][1]:
                    breaking[unit_id] = (team_id, taken)
                    break
        if not breaking:
            return {}
        # Second query, only when something is held back: how many TPS each of those teams secures.
        tps = dict(
            TeamTps.objects.filter(team_id__in={t for t, _n in breaking.values()})
            .values("team_id")
            .annotate(n=Count("pk"))
            .values_list("team_id", "n")
        )
        return {
            unit_id: _(
                "Tim PAM TPS %(team)s (%(tps)d TPS): %(taken)d dari %(size)d anggota akan ditarik "
                "(minimum %(required)d polisi)"
            )
            % {
                "team": teams[team_id][0],
                "tps": tps.get(team_id, 0),
                "taken": taken,
                "size": len(staff[team_id]),
                "required": teams[team_id][1],
            }
            for unit_id, (team_id, taken) in breaking.items()
        }


def tps_duty_window(voting_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The PAM TPS duty period of a voting day: 00:00 to COUNTING_ENDS_HOUR the next day, local time."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(voting_on, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1, hours=COUNTING_ENDS_HOUR)


class TpsDutyProvider:
    """Members of published PAM TPS plans as duty periods (`siaga.core.duties`), over the voting-day window."""

    def busy(
        self, *, personnel_ids: Collection[int] | None, start: dt.datetime, end: dt.datetime
    ) -> list[Busy]:
        first = timezone.localtime(start, ZoneInfo(settings.TIME_ZONE)).date() - dt.timedelta(days=1)
        last = timezone.localtime(end, ZoneInfo(settings.TIME_ZONE)).date()
        qs = TeamMember.objects.filter(
            plan__status=DeploymentPlan.Status.PUBLISHED,
            plan__election__voting_on__gte=first,
            plan__election__voting_on__lte=last,
        )
        if personnel_ids is not None:
            qs = qs.filter(personnel_id__in=list(personnel_ids))
        out = []
        for pk, pid, voting_on, code in qs.values_list(
            "pk", "personnel_id", "plan__election__voting_on", "team__code"
        ):
            s, e = tps_duty_window(voting_on)
            out.append(
                Busy(pid, s, e, f"deployment.teammember:{pk}", _("PAM TPS tim %(team)s") % {"team": code})
            )
        return out
