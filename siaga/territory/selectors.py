"""Reads of the territory, filtered by the user's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min, QuerySet

from siaga.accounts.selectors import scope_for
from siaga.territory.models import Desa, Kabupaten, Kecamatan, PoliceUnit

# Used when the user's jurisdiction is empty: Indonesia, so the map is never blank and never fails.
INDONESIA_BOUNDS = [[-11.0, 95.0], [6.0, 141.0]]


def kecamatan_for(user: Any) -> QuerySet[Kecamatan]:
    return scope_for(user).filter(Kecamatan.objects.select_related("kabupaten"), "id")


def desa_for(user: Any, *, kecamatan_id: int | None = None, search: str = "") -> QuerySet[Desa]:
    qs = scope_for(user).filter(Desa.objects.select_related("kecamatan"), "kecamatan_id")
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs


def police_units_for(user: Any) -> QuerySet[PoliceUnit]:
    """Units whose jurisdiction overlaps the user's (a Polsek account sees its own unit and the Polres)."""
    scope = scope_for(user)
    qs = PoliceUnit.objects.select_related("kabupaten", "parent").prefetch_related("jurisdiction")
    if scope.kecamatan_ids is None:
        return qs.annotate(n_kecamatan=Count("jurisdiction"))
    return qs.filter(jurisdiction__in=scope.kecamatan_ids).distinct()


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
    rows = Desa.objects.filter(kecamatan_id__in=kecamatan_ids).values("kecamatan_id").annotate(n=Count("id"))
    return {r["kecamatan_id"]: r["n"] for r in rows.order_by()}


def bounds_for(user: Any) -> list[list[float]]:
    """[[south, west], [north, east]] around the user's kecamatan (their centres, with a margin)."""
    qs = scope_for(user).filter(Kecamatan.objects.all(), "id")
    box = qs.aggregate(s=Min("lat"), n=Max("lat"), w=Min("lng"), e=Max("lng"))
    if box["s"] is None:
        return INDONESIA_BOUNDS
    margin = 0.06  # about 6 km: kecamatan centres lie inside their boundaries, not on them
    return [[box["s"] - margin, box["w"] - margin], [box["n"] + margin, box["e"] + margin]]
