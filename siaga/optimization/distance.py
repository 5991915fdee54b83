"""Travel distances for the planners: great-circle distance times a circuity factor.

Until a road network is imported, planners use the haversine distance multiplied by a circuity factor
(a setting, SIAGA_CIRCUITY_FACTOR) that accounts for roads not running in straight lines.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lng2 - lng1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)))


def haversine_matrix_km(lats: NDArray[np.float64], lngs: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pairwise great-circle distances (km) between all points, as a dense matrix."""
    lat = np.radians(np.asarray(lats, dtype=float))
    lng = np.radians(np.asarray(lngs, dtype=float))
    dp = lat[:, None] - lat[None, :]
    dl = lng[:, None] - lng[None, :]
    a = np.sin(dp / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def road_matrix_km(
    lats: NDArray[np.float64], lngs: NDArray[np.float64], *, circuity: float = 1.35
) -> NDArray[np.float64]:
    """Estimated road distances (km): great-circle distance times the circuity factor."""
    if circuity < 1.0:
        raise ValueError("circuity factor must be at least 1.0")
    return haversine_matrix_km(lats, lngs) * circuity
