"""The command map's layers are contributed by the apps.

An app's AppConfig may define `map_layers = [MapLayer(...)]`. Each layer's URL returns a GeoJSON
FeatureCollection for the requesting user's jurisdiction (the `election` query parameter is passed through).
Point features carry `properties`: `id`, `label` (plain text; the map sets it as text, never as HTML),
`color` (hex), optional `url` (a detail page) and optional `synthetic` (true when the position is synthetic).
Large point sets may instead use the compact form read by `map.js` (`{"format": "siaga-points", ...}`:
see `siaga.sites.views.tps_points` for the TPS layer), and a FeatureCollection may carry `legend`
(a list of `{"label", "color"}`) and `style` (stroke and fill for polygons).
An app may also define `map_header_template`: a template rendered in the map's header (context: `election`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

log = logging.getLogger(__name__)

# Colours of the boundary base layers; the detail pages' small maps draw their polygons in the same ones.
BOUNDARY_COLORS = {"kabupaten": "#1f2f4a", "kecamatan": "#1f2f4a", "desa": "#6c757d"}


@dataclass(frozen=True)
class MapLayer:
    key: str
    label: Any  # str or a lazy translation
    url_name: str
    kind: str = "points"  # "points" (clustered when many) or "polygons"
    default_on: bool = True
    capability: str = "view_map"
    order: int = 50
    # Live layers (incidents, units, guard posts) are fetched again this often while switched on; 0: never.
    refresh_s: int = 0


def layers_for(user: object) -> list[dict[str, object]]:
    from siaga.accounts.roles import can

    out = []
    for config in apps.get_app_configs():
        for layer in getattr(config, "map_layers", ()):
            if not can(user, layer.capability):
                continue
            try:
                url = reverse(layer.url_name)
            except NoReverseMatch:
                # One app's broken layer must not take the whole command map down.
                log.error("map layer %s: no URL named %s", layer.key, layer.url_name)
                continue
            out.append(
                {
                    "key": layer.key,
                    "label": str(layer.label),
                    "url": url,
                    "kind": layer.kind,
                    "default_on": layer.default_on,
                    "order": layer.order,
                    "refresh_s": layer.refresh_s,
                }
            )
    return sorted(out, key=lambda item: (item["order"], item["key"]))  # type: ignore[arg-type, return-value]


def header_templates() -> list[str]:
    return [t for c in apps.get_app_configs() if (t := getattr(c, "map_header_template", None))]


# --- GeoJSON builders for the layers and the detail pages' small maps ----------------------------------------


def position(lng: float | None, lat: float | None) -> list[float | None]:
    """A GeoJSON position to 5 decimals (about 1 m): big layers shrink by a third with no visible change."""
    return [None if lng is None else round(lng, 5), None if lat is None else round(lat, 5)]


def feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def feature_collection(features: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features, **extra}


def point(lat: float | None, lng: float | None, label: str, color: str) -> list[dict[str, Any]]:
    """The points of a detail page's small map (none when the object has no coordinates)."""
    if lat is None or lng is None:
        return []
    return [{"lat": lat, "lng": lng, "label": label, "color": color}]


def detail_url(url_name: str) -> Callable[[int | str], str]:
    """A fast reverse() for a URL taking one pk: one reverse() per layer, then string formatting per feature."""
    template = reverse(url_name, args=[987654321]).replace("987654321", "{}")
    return lambda pk: template.format(pk)
