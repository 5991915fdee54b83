"""The TPS and vital-object map layers: compact, complete, and scoped by jurisdiction."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from siaga.sites.models import Tps, VitalObject
from siaga.territory.models import Kecamatan

pytestmark = pytest.mark.django_db


def test_tps_layer_carries_all_7706_pemilu_points_compactly(client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get("/situs/peta/tps.json", {"election": "pemilu-2024"})
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "SiagaPoints"
    assert len(data["rows"]) == 7706
    fields = data["fields"]
    row = data["rows"][0]
    tps = Tps.objects.select_related("desa").get(pk=row[fields.index("id")])
    assert (row[fields.index("lat")], row[fields.index("lng")]) == (tps.lat, tps.lng)
    assert row[fields.index("code")] == tps.code
    assert row[fields.index("synthetic")] == 1  # the demo's positions are flagged as synthetic
    assert data["groups"][row[fields.index("group")]] == tps.desa.name
    assert data["url"].replace("{}", str(tps.pk)) == f"/situs/tps/{tps.pk}/"
    # Small enough for a field laptop on a slow link: a few dozen bytes per TPS.
    assert len(response.content) < 7706 * 70


def test_tps_layer_follows_the_election(client_for: Any, kabagops: Any) -> None:
    data = client_for(kabagops).get("/situs/peta/tps.json", {"election": "pilkada-2024"}).json()
    assert len(data["rows"]) == 4046


def test_tps_layer_is_gzipped_when_the_browser_accepts_it(client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get("/situs/peta/tps.json", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(response.content))["rows"]) == 7706
    # Authenticated answers are never cached (G16), the TPS layer included.
    assert response["Cache-Control"] == "no-store"


def test_polsek_gets_only_its_kecamatans_tps_on_the_map(client_for: Any, polsek_tempurejo: Any) -> None:
    tempurejo = Kecamatan.objects.get(name="Tempurejo")
    data = client_for(polsek_tempurejo).get("/situs/peta/tps.json", {"election": "pemilu-2024"}).json()
    ids = {row[0] for row in data["rows"]}
    expected = set(
        Tps.objects.filter(kecamatan=tempurejo, election__slug="pemilu-2024").values_list("id", flat=True)
    )
    assert ids == expected and ids


def test_vital_objects_layer_is_scoped(client_for: Any, kabagops: Any, polsek_tempurejo: Any) -> None:
    tempurejo = Kecamatan.objects.get(name="Tempurejo")
    # The demo has no vital object in Tempurejo: without one the scoped layer would pass by being empty.
    VitalObject.objects.create(
        kind=VitalObject.Kind.PPK_OFFICE,
        name="PPK Tempurejo (uji)",
        kecamatan=tempurejo,
        lat=tempurejo.lat,
        lng=tempurejo.lng,
    )
    all_features = client_for(kabagops).get("/situs/peta/objek-vital.geojson").json()["features"]
    assert len(all_features) == VitalObject.objects.count() > 0
    response = client_for(polsek_tempurejo).get("/situs/peta/objek-vital.geojson")
    assert response.status_code == 200
    mine = VitalObject.objects.filter(kecamatan=tempurejo)
    assert 0 < mine.count() < len(all_features)
    assert {f["properties"]["id"] for f in response.json()["features"]} == set(
        mine.values_list("id", flat=True)
    )


def test_map_layers_use_few_queries(
    client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(kabagops)
    # The first request writes the session once: its last-seen time and the remembered election.
    client.get("/situs/peta/tps.json", {"election": "pemilu-2024"})
    with django_assert_max_num_queries(6):
        tps = client.get("/situs/peta/tps.json", {"election": "pemilu-2024"})
    with django_assert_max_num_queries(6):
        vital = client.get("/situs/peta/objek-vital.geojson")
    # A redirect or a refusal also takes few queries: the answers must be the full layers.
    assert tps.status_code == vital.status_code == 200
    assert len(tps.json()["rows"]) == 7706
    assert len(vital.json()["features"]) == VitalObject.objects.count()


def test_partner_may_see_the_tps_layer_but_an_anonymous_visitor_may_not(
    client: Any, client_for: Any, partner_kpu: Any
) -> None:
    assert client_for(partner_kpu).get("/situs/peta/tps.json").status_code == 200
    assert client.get("/situs/peta/tps.json").status_code == 302
