"""Territory registry pages and boundary layers: lists, details, jurisdiction (404 outside), query counts."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.territory.models import Desa, Kecamatan, PoliceUnit

pytestmark = pytest.mark.django_db


def test_kecamatan_list_shows_all_31_with_their_desa_counts(client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get("/wilayah/kecamatan/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert response.context["page"].paginator.count == 31
    tempurejo = next(n for k, n in rows if k.name == "Tempurejo")
    assert tempurejo == Desa.objects.filter(kecamatan__name="Tempurejo").count()


def test_desa_list_filters_by_kecamatan_kind_and_search(client_for: Any, kabagops: Any) -> None:
    client = client_for(kabagops)
    assert client.get("/wilayah/desa/").context["page"].paginator.count == 248
    kec = Kecamatan.objects.get(name="Tempurejo")
    assert (
        client.get("/wilayah/desa/", {"kecamatan": kec.pk}).context["page"].paginator.count
        == kec.desa.count()
    )
    kelurahan = client.get("/wilayah/desa/", {"kind": "kelurahan"}).context["page"].paginator.count
    assert kelurahan == Desa.objects.filter(kind="kelurahan").count() > 0
    desa = kec.desa.first()
    found = client.get("/wilayah/desa/", {"q": desa.name}).context["page"]
    assert desa in list(found)


def test_police_unit_list_filters_by_level(client_for: Any, kabagops: Any) -> None:
    page = client_for(kabagops).get("/wilayah/satuan/", {"level": "polsek"}).context["page"]
    assert page.paginator.count == PoliceUnit.objects.filter(level="polsek").count() > 20


def test_polsek_sees_only_its_kecamatan_and_gets_404_elsewhere(
    client_for: Any, polsek_tempurejo: Any
) -> None:
    client = client_for(polsek_tempurejo)
    assert [k.name for k, _ in client.get("/wilayah/kecamatan/").context["rows"]] == ["Tempurejo"]
    desa_page = client.get("/wilayah/desa/").context["page"]
    assert {d.kecamatan.name for d in desa_page} == {"Tempurejo"}
    other = Kecamatan.objects.exclude(name="Tempurejo").first()
    other_desa = Desa.objects.exclude(kecamatan__name="Tempurejo").first()
    assert client.get(f"/wilayah/kecamatan/{other.pk}/").status_code == 404
    assert client.get(f"/wilayah/desa/{other_desa.pk}/").status_code == 404
    own = Kecamatan.objects.get(name="Tempurejo")
    assert client.get(f"/wilayah/kecamatan/{own.pk}/").status_code == 200


def test_details_show_the_object_tps_counts_and_a_small_map(client_for: Any, kabagops: Any) -> None:
    client = client_for(kabagops)
    kec = Kecamatan.objects.get(name="Tempurejo")
    response = client.get(f"/wilayah/kecamatan/{kec.pk}/")
    html = response.content.decode()
    assert kec.code in html and 'data-map="mini-map-data"' in html
    assert {c["slug"] for c in response.context["tps_counts"]} == {"pemilu-2024", "pilkada-2024"}
    desa = kec.desa.first()
    response = client.get(f"/wilayah/desa/{desa.pk}/")
    assert response.context["mini_map"]["polygons"]["features"][0]["geometry"] == desa.boundary
    unit = PoliceUnit.objects.get(code="polsek-tempurejo")
    response = client.get(f"/wilayah/satuan/{unit.pk}/")
    assert response.status_code == 200 and "Tempurejo" in response.content.decode()


@pytest.mark.parametrize("url", ["/wilayah/kecamatan/", "/wilayah/desa/", "/wilayah/satuan/"])
def test_lists_query_count_is_bounded(
    client_for: Any, kabagops: Any, django_assert_max_num_queries: Any, url: str
) -> None:
    client = client_for(kabagops)
    client.get(url)  # the first request writes the session's last-seen time
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200


def test_boundary_layers_are_scoped(client_for: Any, kabagops: Any, polsek_tempurejo: Any) -> None:
    everyone = client_for(kabagops)
    assert len(everyone.get("/wilayah/peta/kecamatan.geojson").json()["features"]) == 31
    assert len(everyone.get("/wilayah/peta/desa.geojson").json()["features"]) == 248
    assert len(everyone.get("/wilayah/peta/kabupaten.geojson").json()["features"]) == 1
    polsek = client_for(polsek_tempurejo)
    kecamatan = polsek.get("/wilayah/peta/kecamatan.geojson").json()["features"]
    assert [f["properties"]["label"] for f in kecamatan] == ["Kecamatan Tempurejo"]
    desa = polsek.get("/wilayah/peta/desa.geojson").json()["features"]
    assert len(desa) == Desa.objects.filter(kecamatan__name="Tempurejo").count()
    units = {f["properties"]["label"] for f in polsek.get("/wilayah/peta/satuan.geojson").json()["features"]}
    assert "Polsek Tempurejo" in units and "Polsek Kaliwates" not in units


def test_boundary_layers_use_few_queries(
    client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(kabagops)
    client.get("/wilayah/peta/desa.geojson")
    for url in [
        "/wilayah/peta/kabupaten.geojson",
        "/wilayah/peta/kecamatan.geojson",
        "/wilayah/peta/desa.geojson",
        "/wilayah/peta/satuan.geojson",
    ]:
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_layers_need_the_map_capability(client: Any) -> None:
    assert client.get("/wilayah/peta/desa.geojson").status_code == 302
