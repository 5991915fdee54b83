"""The command map: boundaries as the base layer, then every layer the apps register (siaga.core.maplayers)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.core import pages
from siaga.core.maplayers import header_templates, layers_for
from siaga.sites import selectors as site_selectors
from siaga.territory import selectors as territory_selectors


def map_config(request: HttpRequest, election: Any) -> dict[str, Any]:
    """What map.js needs to draw the command map (also on the Posko board)."""
    return {
        "layers": layers_for(request.user),
        "bounds": territory_selectors.bounds_for(request.user),
        "election": election.slug if election else "",
        "tile_url": settings.SIAGA_MAP_TILE_URL,
        "tile_attribution": settings.SIAGA_MAP_TILE_ATTRIBUTION,
        # Strings the script shows, translated here so map.js holds no language of its own.
        "text": {
            "layers": _("Lapisan"),
            "legend": _("Legenda"),
            "loading": _("memuat…"),
            "failed": _("gagal dimuat"),
            "details": _("Buka detail"),
            "synthetic": _("posisi sintetis (demo), bukan lokasi sebenarnya"),
            "zoom_in": _("Perbesar untuk melihat"),
            "points": _("titik"),
        },
    }


def command_map(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view_map"):
        raise PermissionDenied
    election = site_selectors.election_or_default(pages.remembered(request, "election"))
    tps = site_selectors.tps_counts(request.user, election=election)
    config = map_config(request, election)
    return render(
        request,
        "dashboard/map.html",
        {
            "config": config,
            "election": election,
            "elections": list(site_selectors.elections()),
            "kecamatan_count": territory_selectors.kecamatan_for(request.user).count(),
            "desa_count": territory_selectors.desa_for(request.user).count(),
            "tps_count": tps["total"],
            "tps_synthetic_count": tps["synthetic"],
            "header_templates": header_templates(),
        },
    )
