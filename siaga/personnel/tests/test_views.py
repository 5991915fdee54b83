"""Pages and API: each persona's access, jurisdiction, JSON roll-call endpoints and query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from siaga.personnel import services
from siaga.personnel.models import ApelEntry, ApelSession, Personnel

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(make_officer: Callable[..., Personnel]) -> None:
    for unit in ("sat_samapta", "bag_ops", "polsek-tempurejo", "polsek-ambulu"):
        for _ in range(15):
            make_officer(unit)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("kabagops", 200),
        ("commander", 200),
        ("polsek_tempurejo", 200),
        ("field_officer", 403),
        ("partner_kpu", 403),
    ],
)
def test_page_access_by_persona(
    request: pytest.FixtureRequest, apel: ApelSession, client_for: Any, persona: str, status: int
) -> None:
    c = client_for(request.getfixturevalue(persona))
    for url in (
        "/personel/",
        "/personel/peralatan/",
        "/personel/bko-mitra/",
        "/personel/apel/",
        f"/personel/apel/{apel.pk}/kesiapan/",
    ):
        assert c.get(url).status_code == status, url


def test_roll_call_page_shows_only_the_users_officers(
    apel: ApelSession, client_for: Any, polsek_tempurejo: Any, outsider: Any, kabagops: Any
) -> None:
    tempurejo = client_for(polsek_tempurejo).get(f"/personel/apel/{apel.pk}/").content.decode()
    assert tempurejo.count('class="rc-row"') == 3 and "Sat Samapta" not in tempurejo
    assert (
        client_for(kabagops).get(f"/personel/apel/{apel.pk}/").content.decode().count('class="rc-row"') == 10
    )
    # An entry of another Polsek is 404 for the outsider, never 403.
    entry = ApelEntry.objects.filter(session=apel, unit__police_unit__code="polsek-tempurejo").first()
    assert entry is not None
    response = client_for(outsider).post(
        f"/personel/apel/{apel.pk}/entri/{entry.pk}/kehadiran/", {"status": "present"}
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    entry.refresh_from_db()
    assert entry.status == ApelEntry.Status.UNMARKED


def test_mark_endpoint_returns_entry_and_summary(
    apel: ApelSession, client_for: Any, polsek_tempurejo: Any
) -> None:
    entry = ApelEntry.objects.filter(session=apel, unit__police_unit__code="polsek-tempurejo").first()
    assert entry is not None
    c = client_for(polsek_tempurejo)
    data = c.post(f"/personel/apel/{apel.pk}/entri/{entry.pk}/kehadiran/", {"status": "present"}).json()
    assert (
        data["entry"]["status"] == "present"
        and data["summary"]["present"] == 1
        and data["summary"]["roster"] == 3
    )
    bad = c.post(f"/personel/apel/{apel.pk}/entri/{entry.pk}/kehadiran/", {"status": "absent"})
    assert bad.status_code == 422 and "reason" in bad.json()["fields"]
    kit = c.post(f"/personel/apel/{apel.pk}/entri/{entry.pk}/perlengkapan/", {"missing": ["senter"]}).json()
    assert kit["entry"]["kit_missing"] == ["senter"] and kit["entry"]["kit_checked"] is True
    assert c.get(f"/personel/apel/{apel.pk}/ringkasan/").json()["summary"]["present"] == 1


def test_locking_from_the_page(
    apel: ApelSession, client_for: Any, kabagops: Any, commander: Any, polsek_tempurejo: Any
) -> None:
    for e in ApelEntry.objects.filter(session=apel):
        services.mark_attendance(actor=kabagops, entry=e, status="present")
    assert client_for(polsek_tempurejo).post(f"/personel/apel/{apel.pk}/kunci/").status_code == 403
    response = client_for(commander).post(f"/personel/apel/{apel.pk}/kunci/")
    assert response.status_code == 302
    apel.refresh_from_db()
    assert apel.is_locked
    entry = ApelEntry.objects.filter(session=apel).first()
    assert entry is not None
    locked = client_for(kabagops).post(
        f"/personel/apel/{apel.pk}/entri/{entry.pk}/kehadiran/", {"status": "sick"}
    )
    assert locked.status_code == 409


def test_opening_an_apel_from_the_page(
    client_for: Any, polsek_tempurejo: Any, commander: Any, roster: Any
) -> None:
    data = {
        "operation_slug": "mantap-praja-2024",
        "kind": "harian",
        "held_on": "2024-11-26",
        "place": "Mapolres",
    }
    assert client_for(polsek_tempurejo).post("/personel/apel/", data).status_code == 403
    response = client_for(commander).post("/personel/apel/", data)
    session = ApelSession.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/personel/apel/{session.pk}/"
    assert session.entries.count() == 10


def test_lists_do_not_grow_queries_with_rows(
    many: None, apel: ApelSession, client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    session = services.create_apel_session(
        actor=kabagops,
        polres=apel.polres,
        operation_slug=apel.operation_slug,
        kind="harian",
        held_on=apel.held_on,
        place="x",
    )
    for e in ApelEntry.objects.filter(session=session)[:20]:
        services.check_kit(actor=kabagops, entry=e, missing_codes=["senter"])
    c = client_for(kabagops)
    with django_assert_max_num_queries(14):
        assert c.get("/personel/").status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get(f"/personel/apel/{session.pk}/").content.decode().count('class="rc-row"') == 70
    with django_assert_max_num_queries(20):
        assert c.get(f"/personel/apel/{session.pk}/kesiapan/").status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get(f"/personel/apel/{session.pk}/peralatan/?category=almatsus").status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get("/personel/peralatan/").status_code == 200
    with django_assert_max_num_queries(20):
        assert c.get(f"/personel/apel/{session.pk}/laporan.xlsx").status_code == 200
    with django_assert_max_num_queries(12):
        assert c.get("/api/v1/personnel?limit=200").json()["count"] == 70


def test_readiness_api(
    apel: ApelSession, client_for: Any, kabagops: Any, commander: Any, polsek_tempurejo: Any, partner_kpu: Any
) -> None:
    c = client_for(kabagops)
    assert c.get("/api/v1/readiness", {"operation": "mantap-praja-2024"}).status_code == 404
    entries = list(ApelEntry.objects.filter(session=apel).order_by("pk"))
    for i, e in enumerate(entries):
        services.mark_attendance(actor=kabagops, entry=e, status="present" if i % 2 == 0 else "leave")
    services.lock_apel(actor=commander, session=apel)
    data = c.get("/api/v1/readiness", {"operation": "mantap-praja-2024"}).json()
    assert (data["roster"], data["present"], data["apel_id"]) == (10, 5, apel.pk)
    assert sum(u["roster"] for u in data["by_unit"]) == 10 and sum(u["present"] for u in data["by_unit"]) == 5
    assert {u["label"] for u in data["by_unit"]} == {"Sat Samapta", "Polsek Tempurejo", "Polsek Kaliwates"}
    scoped = client_for(polsek_tempurejo).get("/api/v1/readiness", {"operation": "mantap-praja-2024"}).json()
    assert scoped["roster"] == 3 and [u["label"] for u in scoped["by_unit"]] == ["Polsek Tempurejo"]
    assert (
        client_for(partner_kpu).get("/api/v1/readiness", {"operation": "mantap-praja-2024"}).status_code
        == 403
    )
    officers = c.get("/api/v1/readiness/available-officers", {"operation": "mantap-praja-2024"}).json()
    assert officers["count"] == 5 and {"rank_order", "is_perwira", "police_unit_id"} <= set(
        officers["items"][0]
    )


def test_personnel_list_is_scoped(roster: Any, client_for: Any, polsek_tempurejo: Any, outsider: Any) -> None:
    page = client_for(polsek_tempurejo).get("/personel/?export=csv").content.decode()
    assert (
        page.count("Polsek Tempurejo") == 3 and "Sat Samapta" not in page and "Polsek Kaliwates" not in page
    )
    api = client_for(outsider).get("/api/v1/personnel").json()
    assert api["count"] == 3 and {p["unit"] for p in api["items"]} == {"Polsek Kaliwates"}
