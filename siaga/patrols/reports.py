"""The daily patrol report (PDF, WeasyPrint): routes per unit, planned against done per point with missed
points highlighted, flagged check-ins, overrides and predictability warnings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from siaga.patrols import selectors, services
from siaga.patrols.models import SLOT_LABELS, PatrolDay


def day_report_context(day: PatrolDay, *, user: Any) -> dict[str, Any]:
    visits = list(selectors.visits_for(user, day))
    rows = selectors.coverage_rows(user, day)
    return {
        "day": day, "plan": day.plan, "routes": selectors.routes_of([v for v in visits if v.unit_id]), "rows": rows,
        "missed": [r for r in rows if r.is_missed], "overrides": [v for v in visits if v.is_override],
        "flagged": selectors.checkins_for(user, day_on=day.day_on, flagged_only=True).filter(point__plans=day.plan),
        "flag_text": services.FLAG_TEXT, "slot_labels": SLOT_LABELS, "printed_at": timezone.localtime(),
        "planned": sum(r.planned for r in rows), "done": sum(r.done for r in rows),
    }  # fmt: skip


def day_report_pdf(request: HttpRequest | None, day: PatrolDay, *, user: Any) -> bytes:
    from weasyprint import HTML

    html = render_to_string("patrols/day_report_pdf.html", day_report_context(day, user=user))
    # The template references no external resources; the base URL only keeps WeasyPrint from guessing one.
    base_url = request.build_absolute_uri("/") if request is not None else "http://localhost/"
    return HTML(string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]
