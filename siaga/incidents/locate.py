"""Which kecamatan and desa a reported point lies in, from the GeoJSON boundaries (no spatial database).

Boundaries change only on a territory import, so the prepared geometries are cached per process; `refresh()`
forgets them (after an import, or in tests).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from shapely.geometry import Point
from shapely.prepared import prep

from siaga.core.geo import geometry
from siaga.incidents.dbretry import retry_when_locked
from siaga.incidents.rules import distance_km
from siaga.territory.models import Desa, Kecamatan

# A point outside every kecamatan (a bad GPS fix near the border) goes to the nearest one within this distance.
NEAREST_FALLBACK_KM = 15.0


@dataclass
class _Area:
    id: int
    parent_id: int | None
    bounds: tuple[float, float, float, float]
    prepared: Any
    lat: float
    lng: float


_lock = threading.Lock()
_cache: dict[str, Any] = {"signature": None, "kecamatan": [], "desa": {}}


@retry_when_locked
def _build() -> None:
    kecamatan: list[_Area] = []
    for pk, boundary, lat, lng in Kecamatan.objects.values_list("id", "boundary", "lat", "lng"):
        if boundary:
            geom = geometry(boundary)
            kecamatan.append(_Area(pk, None, geom.bounds, prep(geom), lat, lng))
    desa: dict[int, list[_Area]] = {}
    for pk, kec_id, boundary, lat, lng in Desa.objects.values_list(
        "id", "kecamatan_id", "boundary", "lat", "lng"
    ):
        if boundary:
            geom = geometry(boundary)
            desa.setdefault(kec_id, []).append(_Area(pk, kec_id, geom.bounds, prep(geom), lat, lng))
    _cache.update(kecamatan=kecamatan, desa=desa)


def _areas(*, refresh: bool = False) -> tuple[list[_Area], dict[int, list[_Area]]]:
    with _lock:
        if refresh or _cache["signature"] is None:
            _build()
            _cache["signature"] = "built"
        return _cache["kecamatan"], _cache["desa"]


def _find(areas: list[_Area], lat: float, lng: float, pt: Point) -> _Area | None:
    for area in areas:
        min_x, min_y, max_x, max_y = area.bounds
        if min_x <= lng <= max_x and min_y <= lat <= max_y and area.prepared.contains(pt):
            return area
    return None


def locate(lat: float, lng: float) -> tuple[int | None, int | None]:
    """(kecamatan id, desa id) containing the point; the nearest kecamatan when just outside; else (None, None)."""
    kecamatan, desa = _areas()
    if not kecamatan:
        kecamatan, desa = _areas(refresh=True)
    pt = Point(lng, lat)
    kec = _find(kecamatan, lat, lng, pt)
    if kec is None:
        near = min(kecamatan, key=lambda a: distance_km(lat, lng, a.lat, a.lng), default=None)
        if near is None or distance_km(lat, lng, near.lat, near.lng) > NEAREST_FALLBACK_KM:
            return None, None
        return near.id, None
    found = _find(desa.get(kec.id, []), lat, lng, pt)
    return kec.id, (found.id if found else None)


def refresh() -> None:
    """Forget the cached boundaries (after a territory import, or in tests)."""
    with _lock:
        _cache["signature"] = None
