"""Page helpers for every page that depends on an election: one way to pick it, remembered across pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from siaga.core.pages import int_param, remember, remembered
from siaga.operations.models import Election


def election_for(request: HttpRequest, *, with_data: QuerySet[Any] | None = None) -> Election | None:
    """`?pemilihan=<id>` or `?election=<slug>`, else the election remembered from any page that picks one
    (`siaga.core.pages.remembered`), else among the elections that have rows in `with_data` (an `election_id`
    values query; all elections when none has) the one whose voting day is nearest ahead, else the latest."""
    pk = int_param(request, "pemilihan")
    found = Election.objects.filter(pk=pk).first() if pk else None
    if found is None and (slug := remembered(request, "election")):
        found = Election.objects.filter(slug=slug).first()
    if found is not None:
        remember(request, "election", found.slug)
        return found
    candidates = Election.objects.all()
    if with_data is not None and candidates.filter(pk__in=with_data).exists():
        candidates = candidates.filter(pk__in=with_data)
    today = timezone.localdate()
    return (
        candidates.filter(voting_on__gte=today).order_by("voting_on").first()
        or candidates.order_by("-voting_on").first()
    )
