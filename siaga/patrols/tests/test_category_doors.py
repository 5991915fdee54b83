"""What a role may not see through one door it may not see through another (issue 21 item 2): the TPS category
is refused to field officers by the category API, so patrol point names, kinds, values, the map layer, the list
page, the detail page and the export must not tell a rawan TPS apart either."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from siaga.accounts.services import create_api_token
from siaga.operations.models import Election, TpsCategory
from siaga.patrols import services
from siaga.patrols.models import PatrolPoint
from siaga.territory.models import Kecamatan


@pytest.fixture
def rawan_points(db: Any) -> list[PatrolPoint]:
    tempurejo = Kecamatan.objects.get(name="Tempurejo")
    election = Election.objects.get(slug="pemilu-2024")
    points = services.points_from_sites(
        actor=None, election=election, kecamatan_ids=[tempurejo.pk], max_tps=5
    )
    rawan = [p for p in points if p.kind == PatrolPoint.Kind.RAWAN_TPS]
    assert rawan, "the demo has rawan TPS in Tempurejo"
    return rawan


def category_words() -> set[str]:
    rows = TpsCategory.objects.select_related("category").filter(category__severity__gte=2)
    return {str(row.category.label).lower() for row in rows} | {"rawan"}


def test_generated_names_do_not_carry_the_category(rawan_points: list[PatrolPoint]) -> None:
    for point in rawan_points:
        assert not any(word in point.name.lower() for word in category_words()), point.name


def test_field_officer_cannot_tell_rawan_tps_apart_through_any_door(
    rawan_points: list[PatrolPoint], field_officer: Any, client_for: Any
) -> None:
    assert Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=field_officer)}").get(
        "/api/v1/tps-categories", {"election": "pemilu-2024"}
    ).status_code in (403, 404)  # the door that was already shut
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=field_officer)}")
    items = api.get("/api/v1/patrols/points", {"limit": 1000}).json()["items"]
    mine = {item["id"]: item for item in items}
    for point in rawan_points:
        assert mine[point.pk]["kind"] == "tps" and mine[point.pk]["value"] is None
    assert api.get("/api/v1/patrols/points", {"kind": "rawan_tps"}).json()["count"] == 0
    pages = client_for(field_officer)
    bodies = [
        pages.get("/patroli/titik/").content.decode(),
        pages.get("/patroli/peta/titik.geojson").content.decode(),
        *(pages.get(f"/patroli/titik/{p.pk}/").content.decode() for p in rawan_points),
    ]
    for body in bodies:
        assert "TPS rawan" not in body and "rawan_tps" not in body
        assert not any(f"({word}" in body.lower() for word in category_words())


def test_commander_still_sees_the_kind(rawan_points: list[PatrolPoint], kabagops: Any) -> None:
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=kabagops)}")
    items = {i["id"]: i for i in api.get("/api/v1/patrols/points", {"limit": 1000}).json()["items"]}
    for point in rawan_points:
        assert items[point.pk]["kind"] == "rawan_tps" and items[point.pk]["value"] == point.value
