"""Geographic helpers: coordinate validation, point-in-polygon, deterministic points inside a polygon."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # Shapely (and NumPy under it) loads on first use, not when the web server starts (issue 15, G3).
    from shapely.geometry.base import BaseGeometry

# Indonesia's bounding box (with a margin): Sabang to Merauke, Miangas to Rote.
INDONESIA_LAT = (-11.5, 6.5)
INDONESIA_LNG = (94.5, 141.5)


def validate_lat(value: float) -> None:
    if not -90 <= value <= 90:
        raise ValidationError(_("Lintang harus antara -90 dan 90"))


def validate_lng(value: float) -> None:
    if not -180 <= value <= 180:
        raise ValidationError(_("Bujur harus antara -180 dan 180"))


def in_indonesia(lat: float, lng: float) -> bool:
    return INDONESIA_LAT[0] <= lat <= INDONESIA_LAT[1] and INDONESIA_LNG[0] <= lng <= INDONESIA_LNG[1]


def geometry(geojson: dict[str, Any]) -> BaseGeometry:
    """A valid shapely geometry from a GeoJSON geometry; self-intersections are repaired with buffer(0)."""
    from shapely.geometry import shape

    geom = shape(geojson)
    if not geom.is_valid:
        geom = geom.buffer(0)
    return geom


def random_points_inside(geojson: dict[str, Any], count: int, *, seed: str) -> list[tuple[float, float]]:
    """`count` (lat, lng) points inside a polygon, the same for the same seed (rejection sampling)."""
    from shapely.geometry import Point
    from shapely.prepared import prep

    geom = geometry(geojson)
    prepared = prep(geom)
    min_x, min_y, max_x, max_y = geom.bounds
    rng = random.Random(seed)
    points: list[tuple[float, float]] = []
    attempts = 0
    while len(points) < count:
        attempts += 1
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if prepared.contains(Point(x, y)):
            points.append((round(y, 6), round(x, 6)))
        elif attempts > 1000 * (count + 10):
            # A sliver polygon: fall back to its representative point rather than loop for ever.
            rp = geom.representative_point()
            points.append((round(rp.y, 6), round(rp.x, 6)))
    return points
