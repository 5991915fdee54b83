"""Reads for the command map and registry pages that `selectors.py` does not offer yet (all scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from siaga.accounts.selectors import scope_for
from siaga.operations.models import Election
from siaga.sites.models import LocationQuality, Tps


def tps_points(user: Any, *, election: Election) -> list[tuple[Any, ...]]:
    """(id, lat, lng, code, synthetic, number, desa name) of an election's TPS with coordinates, in one query."""
    qs = scope_for(user).filter(Tps.objects.filter(election=election, lat__isnull=False), "kecamatan_id")
    rows = qs.order_by("desa__code", "number").values_list(
        "id", "lat", "lng", "code", "location_quality", "number", "desa__name"
    )
    return [
        (pk, lat, lng, code, q == LocationQuality.SYNTHETIC, n, desa)
        for pk, lat, lng, code, q, n, desa in rows
    ]


def tps_counts(user: Any, *, election: Election | None) -> dict[str, int]:
    """Total and synthetic-position TPS of an election in the user's jurisdiction."""
    if election is None:
        return {"total": 0, "synthetic": 0}
    qs = scope_for(user).filter(Tps.objects.filter(election=election), "kecamatan_id")
    return qs.aggregate(
        total=Count("id"), synthetic=Count("id", filter=Q(location_quality=LocationQuality.SYNTHETIC))
    )


def tps_counts_by_election(
    user: Any, *, kecamatan_id: int | None = None, desa_id: int | None = None
) -> list[dict[str, Any]]:
    """Per election: name, slug and TPS count, for a kecamatan or desa detail page."""
    qs = scope_for(user).filter(Tps.objects.all(), "kecamatan_id")
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    if desa_id:
        qs = qs.filter(desa_id=desa_id)
    rows = qs.values("election__slug", "election__name").annotate(n=Count("id")).order_by("election__slug")
    return [{"slug": r["election__slug"], "name": r["election__name"], "n": r["n"]} for r in rows]


def election_or_default(slug: str | None) -> Election | None:
    """The election with this slug, else the latest Pemilu, else the latest election of any kind."""
    if slug and (election := Election.objects.filter(slug=slug).first()):
        return election
    return (
        Election.objects.filter(kind=Election.Kind.PEMILU).order_by("-voting_on").first()
        or Election.objects.order_by("-voting_on").first()
    )
