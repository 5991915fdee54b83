"""Template helpers: H-day labels for any date (`{{ day|hday:election }}`) and today's operation status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from siaga.operations import calendar

register = template.Library()


@register.filter
def hday(value: Any, election: Any) -> str:
    """'H-7', 'H', 'H+1' for a date (or datetime) relative to an election's voting day (or a date)."""
    if value is None or election is None:
        return ""
    day = value.date() if isinstance(value, dt.datetime) else value
    voting_on = getattr(election, "voting_on", election)
    return calendar.h_label_for(day, voting_on)


@register.simple_tag(takes_context=True)
def operations_today(context: template.Context, election: Any = None) -> Any:
    """Today's stage, H-n and siaga level for the map header (None without an election)."""
    from siaga.operations import selectors

    request = context.get("request")
    election = election or selectors.election_or_default(None)
    if election is None or request is None:
        return None
    return selectors.today_status(request.user, election)
