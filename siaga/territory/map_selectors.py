"""Reads for the command map and the registry pages that `selectors.py` does not offer yet (all scoped)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from siaga.accounts.selectors import scope_for
from siaga.territory.models import Kabupaten, Kecamatan


def kabupaten_for(user: Any) -> QuerySet[Kabupaten]:
    """The kabupaten that contain at least one kecamatan the user may see."""
    scope = scope_for(user)
    return Kabupaten.objects.filter(scope.q("kecamatan__id")).distinct().order_by("code")


def kecamatan_choices(user: Any) -> list[tuple[int, str]]:
    """(id, name) of the user's kecamatan, for filter drop-downs (one light query, no boundaries)."""
    qs = scope_for(user).filter(Kecamatan.objects.all(), "id")
    return list(qs.order_by("name").values_list("id", "name"))


def desa_counts_by_kecamatan(kecamatan_ids: list[int]) -> dict[int, int]:
    """How many desa each of these kecamatan has (ids come from a scoped list already)."""
    from django.db.models import Count

    from siaga.territory.models import Desa

    rows = Desa.objects.filter(kecamatan_id__in=kecamatan_ids).values("kecamatan_id").annotate(n=Count("id"))
    return {r["kecamatan_id"]: r["n"] for r in rows.order_by()}


# Used when the user's jurisdiction is empty: Indonesia, so the map is never blank and never fails.
INDONESIA_BOUNDS = [[-11.0, 95.0], [6.0, 141.0]]


def bounds_for(user: Any) -> list[list[float]]:
    """[[south, west], [north, east]] around the user's kecamatan (their centres, with a margin)."""
    from django.db.models import Max, Min

    qs = scope_for(user).filter(Kecamatan.objects.all(), "id")
    box = qs.aggregate(s=Min("lat"), n=Max("lat"), w=Min("lng"), e=Max("lng"))
    if box["s"] is None:
        return INDONESIA_BOUNDS
    margin = 0.06  # about 6 km: kecamatan centres lie inside their boundaries, not on them
    return [[box["s"] - margin, box["w"] - margin], [box["n"] + margin, box["e"] + margin]]
