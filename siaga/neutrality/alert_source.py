"""Neutrality cases in the Posko alert stream (siaga.core.alerts): a step's deadline near (inside its warning
window) or passed. Only the receipt code is shown: a case's file is Propam's (siaga.neutrality.selectors)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from siaga.core.alerts import HIGH, LOW, AlertFact, AlertKind


class NeutralityAlertSource:
    name = "neutrality"
    kinds = [
        AlertKind(
            "neutrality.deadline_warning",
            _("Batas tahap perkara netralitas mendekat"),
            LOW,
            "view_neutrality_summary",
        ),
        AlertKind(
            "neutrality.overdue",
            _("Batas tahap perkara netralitas terlewat"),
            HIGH,
            "view_neutrality_summary",
        ),
    ]

    def collect(self, *, now: dt.datetime) -> list[AlertFact]:
        from siaga.neutrality.models import Case, Step

        rows = (
            Case.objects.exclude(step__in=[Step.DECIDED, Step.CLOSED])
            .filter(Q(step_due_at__lte=now) | Q(step_warn_at__lte=now, step_due_at__gt=now))
            .values_list("pk", "receipt", "step", "step_due_at", "step_warn_at", "kecamatan_id")
        )
        facts = []
        for pk, receipt, step, due_at, warn_at, kecamatan_id in rows:
            overdue = due_at is not None and due_at <= now
            kind = "neutrality.overdue" if overdue else "neutrality.deadline_warning"
            facts.append(
                AlertFact(
                    # One alert per step and deadline: the next step's deadline is a new fact.
                    key=f"{kind}:{pk}:{step}:{due_at.isoformat() if due_at else ''}",
                    kind=kind,
                    title=receipt,
                    since=(due_at if overdue else warn_at) or now,
                    kecamatan_id=kecamatan_id,
                )
            )
        return facts
