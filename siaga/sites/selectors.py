"""Reads of TPS and vital objects, filtered by the user's jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.operations.models import Election
from siaga.sites.models import LocationQuality, LokasiKhususType, Tps, VitalObject


def elections() -> QuerySet[Election]:
    return Election.objects.all()


def election_or_default(slug: str | None) -> Election | None:
    """The election with this slug, else the latest Pemilu, else the latest election of any kind."""
    if slug and (election := Election.objects.filter(slug=slug).first()):
        return election
    return (
        Election.objects.filter(kind=Election.Kind.PEMILU).order_by("-voting_on").first()
        or Election.objects.order_by("-voting_on").first()
    )


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
        raise NotFound(_("TPS tidak ditemukan"))
    return tps


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
        raise NotFound(_("Objek vital tidak ditemukan"))
    return obj


def lokasi_khusus_types_with_counts() -> QuerySet[LokasiKhususType]:
    """Every kind of lokasi khusus (reference data, the same for the whole Polres) with how many TPS use it."""
    used = Tps.objects.filter(lokasi_khusus=OuterRef("code")).values("lokasi_khusus")
    return LokasiKhususType.objects.annotate(
        n_tps=Coalesce(Subquery(used.annotate(n=Count("pk")).values("n")[:1]), 0)
    )


def access_lokasi_khusus_type(user: Any, pk: int) -> LokasiKhususType:
    obj = LokasiKhususType.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Jenis lokasi khusus tidak ditemukan"))
    return obj
