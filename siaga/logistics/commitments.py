"""Escorts as duty periods (`siaga.core.duties`): an escort officer is taken for the whole planned leg."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.utils.translation import gettext as _

from siaga.core.duties import Busy
from siaga.logistics.models import Escort


class EscortDutyProvider:
    def busy(
        self, *, personnel_ids: Collection[int] | None, start: dt.datetime, end: dt.datetime
    ) -> list[Busy]:
        qs = Escort.objects.filter(
            leg__planned_depart__lt=end, leg__planned_arrive__gt=start, leg__planned_depart__isnull=False
        )
        if personnel_ids is not None:
            qs = qs.filter(personnel_id__in=list(personnel_ids))
        return [
            Busy(pid, s, e, f"logistics.trip:{trip}", _("Pengawalan logistik %(trip)s") % {"trip": trip})
            for pid, s, e, trip in qs.values_list(
                "personnel_id", "leg__planned_depart", "leg__planned_arrive", "leg__trip"
            )
            if s is not None and e is not None
        ]
