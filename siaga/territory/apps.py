from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class TerritoryConfig(AppConfig):
    name = "siaga.territory"
    label = "territory"
    verbose_name = _("Wilayah")

    nav_items = [(_("Wilayah"), "territory:kecamatan_list", "view_sites")]
    # The boundaries are the map's base layer: with no tile server the map still shows where things are.
    map_layers = [
        MapLayer(
            key="kabupaten",
            label=_("Batas kabupaten"),
            url_name="territory:map_kabupaten",
            kind="polygons",
            order=1,
        ),
        MapLayer(
            key="kecamatan",
            label=_("Batas kecamatan"),
            url_name="territory:map_kecamatan",
            kind="polygons",
            order=2,
        ),
        MapLayer(
            key="desa",
            label=_("Batas desa/kelurahan"),
            url_name="territory:map_desa",
            kind="polygons",
            order=3,
        ),
        MapLayer(
            key="police_units", label=_("Polres/Polsek"), url_name="territory:map_police_units", order=40
        ),
    ]
