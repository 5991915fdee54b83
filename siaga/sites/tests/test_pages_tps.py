"""TPS registry pages: list with filters, search and pagination; details; jurisdiction; query counts."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.sites.models import Tps
from siaga.territory.models import Desa, Kecamatan

pytestmark = pytest.mark.django_db


def tempurejo_tps(election: str = "pemilu-2024") -> Any:
    return Tps.objects.filter(kecamatan__name="Tempurejo", election__slug=election)


def test_tps_list_pages_through_all_pemilu_tps(client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get("/situs/tps/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 7706
    assert len(page.object_list) == 50
    second = client_for(kabagops).get("/situs/tps/", {"page": 2}).context["page"]
    assert {t.pk for t in second}.isdisjoint({t.pk for t in page})


def test_tps_list_filters_by_election_kecamatan_desa_and_search(client_for: Any, kabagops: Any) -> None:
    client = client_for(kabagops)
    assert client.get("/situs/tps/", {"election": "pilkada-2024"}).context["page"].paginator.count == 4046
    # The choice is remembered; back to the Pemilu for the filters below.
    assert client.get("/situs/tps/").context["election"].slug == "pilkada-2024"
    client.get("/situs/tps/", {"election": "pemilu-2024"})
    kec = Kecamatan.objects.get(name="Tempurejo")
    by_kec = client.get("/situs/tps/", {"kecamatan": kec.pk}).context["page"].paginator.count
    assert by_kec == tempurejo_tps().count()
    desa = Desa.objects.filter(kecamatan=kec).first()
    assert desa is not None
    response = client.get("/situs/tps/", {"kecamatan": kec.pk, "desa": desa.pk})
    assert (
        response.context["page"].paginator.count
        == Tps.objects.filter(desa=desa, election__slug="pemilu-2024").count()
    )
    assert desa.name in response.content.decode()
    tps = tempurejo_tps().first()
    found = client.get("/situs/tps/", {"q": tps.code}).context["page"]
    assert [t.pk for t in found] == [tps.pk]
    khusus = client.get("/situs/tps/", {"khusus": "1"}).context["page"].paginator.count
    assert khusus == Tps.objects.filter(election__slug="pemilu-2024").exclude(lokasi_khusus="").count() == 4


def test_pagination_links_keep_the_filters(client_for: Any, kabagops: Any) -> None:
    html = client_for(kabagops).get("/situs/tps/", {"election": "pilkada-2024"}).content.decode()
    assert "?election=pilkada-2024&amp;page=2" in html


def test_polsek_lists_only_tempurejo_tps(client_for: Any, polsek_tempurejo: Any) -> None:
    page = client_for(polsek_tempurejo).get("/situs/tps/").context["page"]
    assert page.paginator.count == tempurejo_tps().count()
    assert {t.kecamatan.name for t in page} == {"Tempurejo"}
    # Asking for another kecamatan gives nothing rather than its TPS.
    other = Kecamatan.objects.exclude(name="Tempurejo").first()
    assert (
        client_for(polsek_tempurejo)
        .get("/situs/tps/", {"kecamatan": other.pk})
        .context["page"]
        .paginator.count
        == 0
    )


def test_outsider_gets_404_on_a_tempurejo_tps(client_for: Any, outsider: Any, polsek_tempurejo: Any) -> None:
    tps = tempurejo_tps().first()
    assert client_for(polsek_tempurejo).get(f"/situs/tps/{tps.pk}/").status_code == 200
    assert client_for(outsider).get(f"/situs/tps/{tps.pk}/").status_code == 404
    assert client_for(outsider).get(f"/situs/tps/{tps.pk}/ubah/").status_code == 404


def test_tps_detail_shows_the_object_and_its_small_map(client_for: Any, kabagops: Any) -> None:
    tps = tempurejo_tps().first()
    response = client_for(kabagops).get(f"/situs/tps/{tps.pk}/")
    html = response.content.decode()
    assert tps.code in html and tps.desa.name in html
    assert 'data-map="mini-map-data"' in html and 'id="mini-map-data"' in html
    assert response.context["mini_map"]["points"][0]["lat"] == tps.lat
    assert "SINTETIS" in html  # the synthetic position is said so on the page


@pytest.mark.parametrize("url", ["/situs/tps/", "/situs/tps/?kecamatan=1", "/situs/objek-vital/"])
def test_lists_query_count_is_bounded(
    client_for: Any, kabagops: Any, django_assert_max_num_queries: Any, url: str
) -> None:
    client = client_for(kabagops)
    client.get(url)  # the first request writes the session's last-seen time
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_polsek_list_query_count_is_bounded(
    client_for: Any, polsek_tempurejo: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(polsek_tempurejo)
    client.get("/situs/tps/")
    with django_assert_max_num_queries(11):
        assert client.get("/situs/tps/").status_code == 200


def test_partner_reads_but_cannot_edit_or_export(client_for: Any, partner_kpu: Any) -> None:
    client = client_for(partner_kpu)
    tps = tempurejo_tps().first()
    assert client.get("/situs/tps/").status_code == 200
    html = client.get(f"/situs/tps/{tps.pk}/").content.decode()
    assert f"/situs/tps/{tps.pk}/ubah/" not in html
    assert client.get(f"/situs/tps/{tps.pk}/ubah/").status_code == 403
    assert client.post(f"/situs/tps/{tps.pk}/ubah/", {"address": "x"}).status_code == 403
    assert client.get("/situs/tps/", {"export": "csv"}).status_code == 403


def test_vital_object_list_filters_by_kind(client_for: Any, kabagops: Any) -> None:
    from siaga.sites.models import VitalObject

    kind = VitalObject.objects.values_list("kind", flat=True).first()
    page = client_for(kabagops).get("/situs/objek-vital/", {"kind": kind}).context["page"]
    assert page.paginator.count == VitalObject.objects.filter(kind=kind).count() > 0
