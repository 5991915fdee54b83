"""The command map page: counts per jurisdiction, the synthetic notice, every registered layer, CSP-safe markup."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.apps import apps

from siaga.core.maplayers import MapLayer
from siaga.sites.models import Tps
from siaga.territory.models import Desa, Kecamatan

pytestmark = pytest.mark.django_db


def map_config(response: Any) -> dict[str, Any]:
    html = response.content.decode()
    match = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the map configuration is passed through json_script"
    return json.loads(match.group(1))


def test_kabagops_sees_the_whole_kabupaten_with_pemilu_2024_by_default(
    client_for: Any, kabagops: Any
) -> None:
    response = client_for(kabagops).get("/peta/")
    assert response.status_code == 200
    assert response.context["kecamatan_count"] == 31
    assert response.context["desa_count"] == 248
    assert response.context["tps_count"] == 7706
    assert response.context["election"].slug == "pemilu-2024"
    html = response.content.decode()
    assert 'data-count="7706"' in html
    assert 'id="synthetic-notice"' in html  # demo positions are never presented as real
    assert map_config(response)["election"] == "pemilu-2024"


def test_election_selector_switches_the_tps_count(client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get("/peta/", {"election": "pilkada-2024"})
    assert response.context["tps_count"] == 4046
    assert map_config(response)["election"] == "pilkada-2024"


def test_polsek_counts_only_its_kecamatan(client_for: Any, polsek_tempurejo: Any) -> None:
    tempurejo = Kecamatan.objects.get(name="Tempurejo")
    response = client_for(polsek_tempurejo).get("/peta/")
    assert response.context["kecamatan_count"] == 1
    assert response.context["desa_count"] == Desa.objects.filter(kecamatan=tempurejo).count()
    expected = Tps.objects.filter(kecamatan=tempurejo, election__slug="pemilu-2024").count()
    assert 0 < response.context["tps_count"] == expected < 7706
    south_west, north_east = map_config(response)["bounds"]
    assert south_west[0] < tempurejo.lat < north_east[0] and south_west[1] < tempurejo.lng < north_east[1]


def test_every_registered_layer_is_offered_including_other_apps_layers(
    client_for: Any, kabagops: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = MapLayer(key="test_extra", label="Lapisan uji", url_name="sites:map_vital_objects", order=99)
    monkeypatch.setattr(apps.get_app_config("operations"), "map_layers", [extra], raising=False)
    layers = {layer["key"]: layer for layer in map_config(client_for(kabagops).get("/peta/"))["layers"]}
    assert {"kabupaten", "kecamatan", "desa", "tps", "vital_objects", "police_units", "test_extra"} <= set(
        layers
    )
    assert layers["tps"]["url"] == "/situs/peta/tps.json"
    assert layers["desa"]["kind"] == "polygons"


def test_other_apps_header_templates_are_rendered(
    client_for: Any, kabagops: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        apps.get_app_config("operations"), "map_header_template", "sites/_tabs.html", raising=False
    )
    html = client_for(kabagops).get("/peta/").content.decode()
    assert '<div class="map-header-extra">' in html
    assert "/situs/objek-vital/" in html


def test_map_page_has_no_inline_script_or_style_and_no_other_host(client_for: Any, kabagops: Any) -> None:
    html = client_for(kabagops).get("/peta/").content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert "/static/leaflet/leaflet.js" in html and "/static/siaga/map.js" in html


def test_map_page_query_count_is_bounded(
    client_for: Any, kabagops: Any, django_assert_max_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only this page's own queries: other apps' header templates are measured by their own tests.
    monkeypatch.setattr("siaga.dashboard.views.header_templates", lambda: [])
    client = client_for(kabagops)
    client.get("/peta/")  # the first request writes the session's last-seen time
    with django_assert_max_num_queries(10):
        assert client.get("/peta/").status_code == 200


def test_map_needs_login(client: Any) -> None:
    response = client.get("/peta/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_partner_sees_the_map(client_for: Any, partner_kpu: Any) -> None:
    assert client_for(partner_kpu).get("/peta/").status_code == 200
