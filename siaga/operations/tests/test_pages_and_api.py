"""Pages and API per persona: access, confidentiality for partners, scoping, exports and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from siaga.core.models import AuditEvent
from siaga.operations.models import TpsCategory
from siaga.sites.models import Tps


@pytest.mark.django_db
def test_required_strength_api_gives_the_interface_fields(
    ops_demo: None, client_for: Any, kabagops: Any
) -> None:
    r = client_for(kabagops).get("/api/v1/required-strength?election=pemilu-2024")
    assert r.status_code == 200
    body = r.json()
    assert {"police_required", "linmas_required", "tni_required", "police_available", "by_polsek"} <= set(
        body
    )
    assert body["police_available"] == 645
    assert body["police_required"] == sum(p["police_required"] for p in body["by_polsek"])
    assert body["shortfall"] == max(0, body["police_required"] - 645)


@pytest.mark.django_db
def test_required_strength_api_is_scoped_for_a_polsek(
    ops_demo: None, client_for: Any, polsek_tempurejo: Any
) -> None:
    body = client_for(polsek_tempurejo).get("/api/v1/required-strength?election=pemilu-2024").json()
    assert [p["unit"] for p in body["by_polsek"]] == ["Polsek Tempurejo"]
    assert body["by_polsek"][0]["tps_by_category"]["rawan"] == 6


@pytest.mark.django_db
def test_partner_sees_only_counts(ops_demo: None, client_for: Any, partner_kpu: Any, pemilu: Any) -> None:
    c = client_for(partner_kpu)
    page = c.get(reverse("operations:category_list") + "?election=pemilu-2024")
    assert page.status_code == 200
    assert b"category-counts" in page.content and b"Andongrejo" not in page.content
    layer = c.get(reverse("operations:tps_category_layer") + "?election=pemilu-2024").json()
    assert layer["features"] == []
    assert {row["code"]: row["count"] for row in layer["counts"]}["rawan"] == 6
    assert c.get("/api/v1/tps-categories?election=pemilu-2024").status_code == 403
    assert c.get("/api/v1/tps-category-counts?election=pemilu-2024").status_code == 200
    tps = Tps.objects.filter(election=pemilu, kecamatan__name="Tempurejo").first()
    assert c.get(reverse("operations:tps_category", args=[tps.pk])).status_code == 403


@pytest.mark.django_db
def test_outsider_gets_404_for_another_polsek_tps(
    ops_demo: None, client_for: Any, outsider: Any, pemilu: Any
) -> None:
    tps = Tps.objects.filter(election=pemilu, kecamatan__name="Tempurejo").first()
    c = client_for(outsider)
    assert c.get(reverse("operations:tps_category", args=[tps.pk])).status_code == 404
    assert (
        c.get("/api/v1/tps-categories?election=pemilu-2024&limit=5000").json()["count"]
        == Tps.objects.filter(election=pemilu, kecamatan__name="Kaliwates").count()
    )


@pytest.mark.django_db
def test_map_layer_features_carry_the_contract_properties(
    ops_demo: None, client_for: Any, polsek_tempurejo: Any, pemilu: Any
) -> None:
    data = (
        client_for(polsek_tempurejo)
        .get(reverse("operations:tps_category_layer") + "?election=pemilu-2024")
        .json()
    )
    assert len(data["features"]) == Tps.objects.filter(election=pemilu, kecamatan__name="Tempurejo").count()
    props = data["features"][0]["properties"]
    assert {"id", "label", "color", "url", "synthetic"} <= set(props)
    assert sum(f["properties"]["color"] == "#f9a825" for f in data["features"]) == 6


@pytest.mark.django_db
def test_category_list_is_not_n_plus_one(
    ops_demo: None, client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    c = client_for(kabagops)
    with django_assert_max_num_queries(20):
        r = c.get(reverse("operations:category_list") + "?election=pemilu-2024")
    assert r.status_code == 200 and b"TPS 001" in r.content


@pytest.mark.django_db
def test_api_tps_category_list_is_not_n_plus_one(
    ops_demo: None, client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    c = client_for(kabagops)
    with django_assert_max_num_queries(15):
        r = c.get("/api/v1/tps-categories?election=pemilu-2024&limit=200")
    assert len(r.json()["items"]) == 200


@pytest.mark.django_db
def test_required_strength_page_and_exports(
    ops_demo: None, client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    c = client_for(kabagops)
    with django_assert_max_num_queries(25):
        page = c.get(reverse("operations:required_strength") + "?election=pemilu-2024")
    assert page.status_code == 200
    assert b'id="police-required">686<' in page.content and b"shortfall" in page.content
    xlsx = c.get(reverse("operations:required_strength") + "?election=pemilu-2024&export=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = c.get(reverse("operations:required_strength") + "?election=pemilu-2024&export=pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert AuditEvent.objects.filter(action="export", object_type="operations.requiredstrength").count() == 2


@pytest.mark.django_db
def test_pages_load_for_operations_staff(ops_demo: None, client_for: Any, kabagops: Any, pemilu: Any) -> None:
    c = client_for(kabagops)
    tps = Tps.objects.filter(election=pemilu, desa__name="Andongrejo", number=15).first()
    for url in [
        reverse("operations:index"),
        reverse("operations:operation_detail", args=["mantap-brata-2023"]),
        reverse("operations:timeline", args=["mantap-praja-2024"]),
        reverse("operations:pattern_list") + "?election=pemilu-2024",
        reverse("operations:tps_category", args=[tps.pk]),
        reverse("operations:assessment_import"),
    ]:
        r = c.get(url)
        assert r.status_code == 200, url
        assert b"<script>" not in r.content and b' style="' not in r.content, url


@pytest.mark.django_db
def test_field_officer_cannot_change_categories(
    ops_demo: None, client_for: Any, field_officer: Any, pemilu: Any
) -> None:
    tps = Tps.objects.filter(election=pemilu, kecamatan__name="Tempurejo").first()
    r = client_for(field_officer).put(
        f"/api/v1/tps-categories/{tps.pk}",
        {"category": "rawan", "justification": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert TpsCategory.objects.get(tps=tps).category.code == "kurang_rawan"


@pytest.mark.django_db
def test_bulk_edit_from_the_list_records_history(
    ops_demo: None, client_for: Any, kabagops: Any, pemilu: Any
) -> None:
    from siaga.operations.models import VulnerabilityCategory

    ids = list(
        Tps.objects.filter(election=pemilu, kecamatan__name="Ambulu")
        .order_by("id")
        .values_list("id", flat=True)[:3]
    )
    r = client_for(kabagops).post(
        reverse("operations:category_bulk"),
        {
            "election": "pemilu-2024",
            "scope": "selected",
            "tps": ids,
            "category": VulnerabilityCategory.objects.get(code="sangat_rawan").pk,
            "justification": "Konflik perguruan silat",
        },
    )
    assert r.status_code == 302
    assert set(TpsCategory.objects.filter(tps_id__in=ids).values_list("category__code", flat=True)) == {
        "sangat_rawan"
    }
    # No sangat rawan pattern yet: the strength page says so instead of silently dropping them.
    page = client_for(kabagops).get(reverse("operations:required_strength") + "?election=pemilu-2024")
    assert b"3 TPS tidak punya pola" in page.content


@pytest.mark.django_db
def test_api_refuses_one_police_pattern_without_reason(
    ops_demo: None, client_for: Any, kabagops: Any
) -> None:
    c = client_for(kabagops)
    r = c.post(
        "/api/v1/security-patterns",
        {"election": "pemilu-2024", "category": "sangat_rawan", "police": 1, "tps": 1},
        content_type="application/json",
    )
    assert r.status_code == 422 and "police" in r.json()["fields"]
    r = c.post(
        "/api/v1/security-patterns",
        {
            "election": "pemilu-2024",
            "category": "sangat_rawan",
            "police": 1,
            "tps": 1,
            "body_system_override_reason": "2 Linmas mendampingi",
        },
        content_type="application/json",
    )
    assert r.status_code == 201


@pytest.mark.django_db
def test_today_api_and_operation_detail(ops_demo: None, client_for: Any, kabagops: Any) -> None:
    c = client_for(kabagops)
    body = c.get("/api/v1/elections/pemilu-2024/today?day=2024-02-12").json()
    assert (body["h_label"], body["stage"], body["siaga_level"], body["siaga_fraction"]) == (
        "H-2",
        "masa-tenang",
        "siaga1",
        "2/3",
    )
    op = c.get("/api/v1/operations/mantap-brata-2023").json()
    assert op["days"] == 222
    assert {s["name"] for s in op["satgas"] if s["parent_id"] is None} == {
        "Satgas Preemtif",
        "Satgas Preventif",
        "Satgas Kamseltibcarlantas",
        "Satgas Gakkum",
        "Satgas Humas",
        "Satgas Banops",
    }
    assert c.get("/api/v1/operations/mantap-praja-2024").json()["days"] == 135


def test_tps_category_layer_is_compressed(client_for: Any, kabagops: Any) -> None:
    import gzip
    import json

    url = reverse("operations:tps_category_layer") + "?election=pemilu-2024"
    response = client_for(kabagops).get(url, HTTP_ACCEPT_ENCODING="gzip")
    # Before: 2.1 MB of plain GeoJSON for Jember's 7,706 TPS.
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    layer = json.loads(gzip.decompress(response.content))
    assert len(layer["features"]) == 7706
    assert len(response.content) < 400_000
