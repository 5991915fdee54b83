"""Reads of TPS and vital objects, filtered by the user's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.operations.models import Election
from siaga.sites.models import Tps, VitalObject


def elections() -> QuerySet[Election]:
    return Election.objects.all()


def tps_for(
    user: Any,
    *,
    election: Election | None = None,
    kecamatan_id: int | None = None,
    desa_id: int | None = None,
    search: str = "",
) -> QuerySet[Tps]:
    qs = scope_for(user).filter(Tps.objects.select_related("desa", "kecamatan", "election"), "kecamatan_id")
    if election is not None:
        qs = qs.filter(election=election)
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    if desa_id:
        qs = qs.filter(desa_id=desa_id)
    if search:
        term = search.strip()
        qs = qs.filter(code__startswith=term) if term.isdigit() else qs.filter(desa__name__icontains=term)
    return qs.order_by("desa__code", "number")


def access_tps(user: Any, pk: int) -> Tps:
    tps = tps_for(user).filter(pk=pk).first()
    if tps is None:
        raise NotFound("TPS tidak ditemukan / TPS not found")
    return tps


def vital_objects_for(user: Any, *, kind: str = "", search: str = "") -> QuerySet[VitalObject]:
    qs = scope_for(user).filter(VitalObject.objects.select_related("kecamatan", "desa"), "kecamatan_id")
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs


def access_vital_object(user: Any, pk: int) -> VitalObject:
    obj = vital_objects_for(user).filter(pk=pk).first()
    if obj is None:
        raise NotFound("Objek vital tidak ditemukan / Vital object not found")
    return obj
