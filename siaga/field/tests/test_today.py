"""The officer's day through the one duty registry (siaga.core.duties), and the pages that show it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from siaga.field import selectors


@pytest.mark.django_db
def test_today_lists_every_duty_from_the_registry(field_world: Any) -> None:
    today = selectors.today_for(field_world.user)
    sources = {d.source.split(":")[0] for d in today.duties}
    assert {"deployment.teammember", "guard.assignment"} <= sources
    assert [s.tps_id for s in today.stops] == [t.pk for t in field_world.tps]
    assert [s.post_id for s in today.guard_shifts] == [field_world.post.pk]
    assert [p.pk for p in today.guard_shifts[0].handover_candidates] == [field_world.partner.pk]
    assert len(today.patrol_visits) == 2
    assert [a.session_id for a in today.apels] == [field_world.apel.pk]


@pytest.mark.django_db
def test_pages_render_for_the_officer(field_world: Any, django_assert_max_num_queries: Any) -> None:
    client = Client()
    client.force_login(field_world.user)
    with django_assert_max_num_queries(60):
        home = client.get("/lapangan/")
    assert home.status_code == 200
    text = home.content.decode()
    assert "Pos PPK Tempurejo" in text and "Kebun Tempurejo 0" in text and "TPR-01" in text
    tps = client.get("/lapangan/tps/").content.decode()
    assert "Iptu Padal Uji" in tps and "0812-0000-1111" in tps and "0331-123456" in tps
    assert "senjata api" in tps and "luar area TPS" in tps
    for url in ("/lapangan/lapor/", "/lapangan/kotak-keluar/"):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_service_worker_and_manifest_are_public_and_list_the_shell(field_world: Any) -> None:
    client = Client()
    sw = client.get("/lapangan/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("application/javascript")
    body = sw.content.decode()
    assert '"/lapangan/tps/"' in body and "field/outbox.js" in body
    manifest = client.get("/lapangan/manifest.webmanifest").json()
    assert manifest["start_url"] == "/lapangan/" and manifest["display"] == "standalone"


@pytest.mark.django_db
def test_office_roles_without_field_duty_get_403(partner_kpu: Any) -> None:
    client = Client()
    client.force_login(partner_kpu)
    assert client.get("/lapangan/").status_code == 403


@pytest.mark.django_db
def test_logout_tells_the_browser_to_empty_the_phone(field_officer: Any) -> None:
    client = Client()
    client.force_login(field_officer)
    response = client.post("/keluar/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
