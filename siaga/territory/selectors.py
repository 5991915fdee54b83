"""Reads of the territory, filtered by the user's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from siaga.accounts.selectors import scope_for
from siaga.territory.models import Desa, Kecamatan, PoliceUnit


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
