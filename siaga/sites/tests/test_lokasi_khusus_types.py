"""Kinds of TPS lokasi khusus are reference data: loaded by a migration, kept by the Polres admin, and the
TPS import accepts exactly the active ones (code or name), naming them when a row has another."""

from __future__ import annotations

import io
from typing import Any

import pytest

from conftest import _make_user
from siaga.core.errors import ImportRejected
from siaga.core.models import AuditEvent
from siaga.operations.models import Election
from siaga.sites.models import LokasiKhususType, Tps
from siaga.sites.services import import_tps

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(db: Any) -> Election:
    return Election.objects.create(
        slug="pilkades-2025", name="Uji", kind=Election.Kind.PILKADA, voting_on="2025-06-01"
    )


@pytest.fixture
def polres_admin(db: Any) -> Any:
    return _make_user("t.admin.polres", "admin", "polres-jember")


def _import(election: Election, body: str) -> dict[str, int]:
    data = ("kode_desa,nomor_tps,lokasi_khusus\n" + body).encode()
    return import_tps(election=election, source=io.BytesIO(data), filename="tps.csv")


def test_migration_loads_pondok_pesantren_and_the_former_fixed_list() -> None:
    codes = set(LokasiKhususType.objects.values_list("code", flat=True))
    assert codes >= {
        "pondok_pesantren",
        "lapas",
        "rutan",
        "panti_sosial",
        "relokasi_bencana",
        "daerah_konflik",
        "rumah_sakit",
        "lainnya",
    }
    # The demo's lokasi khusus TPS (created with the old codes) are still valid TPS.
    tps = Tps.objects.exclude(lokasi_khusus="").select_related("desa", "kecamatan").first()
    assert tps is not None
    tps.full_clean()


def test_import_accepts_code_or_name_and_refuses_an_unknown_kind_listing_the_accepted(
    election: Election,
) -> None:
    _import(election, "35.09.18.2001,901,pondok_pesantren\n35.09.18.2001,902,Pondok Pesantren\n")
    assert set(Tps.objects.filter(election=election).values_list("lokasi_khusus", flat=True)) == {
        "pondok_pesantren"
    }
    with pytest.raises(ImportRejected) as info:
        _import(election, "35.09.18.2001,903,asrama haji\n")
    (error,) = info.value.rows
    assert error.row == 2 and error.column == "lokasi_khusus"
    assert "asrama haji" in error.message
    assert "pondok_pesantren" in error.message and "lapas" in error.message


def test_admin_adds_a_kind_and_the_import_accepts_it_then_refuses_it_once_deactivated(
    client_for: Any, polres_admin: Any, election: Election
) -> None:
    c = client_for(polres_admin)
    assert c.get("/situs/lokasi-khusus/").status_code == 200
    response = c.post("/situs/lokasi-khusus/", {"code": "asrama_haji", "name": "Asrama haji", "order": 90})
    assert response.status_code == 302
    kind = LokasiKhususType.objects.get(code="asrama_haji")
    assert AuditEvent.objects.filter(
        object_type="sites.lokasikhusustype", action="create", actor=polres_admin
    ).exists()
    _import(election, "35.09.18.2001,903,asrama haji\n")
    tps = Tps.objects.get(election=election, number=903)
    assert tps.lokasi_khusus == "asrama_haji"
    assert "Asrama haji" in c.get(f"/situs/tps/{tps.pk}/").content.decode()
    listing = c.get(f"/situs/tps/?election={election.slug}&khusus=1").content.decode()
    assert "Asrama haji" in listing
    page = c.get("/situs/lokasi-khusus/").content.decode()
    assert "Asrama haji" in page

    response = c.post(f"/situs/lokasi-khusus/{kind.pk}/", {"name": "Asrama haji", "order": 90})
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.is_active is False
    assert AuditEvent.objects.get(object_type="sites.lokasikhusustype", action="update").after == {
        "is_active": False
    }
    with pytest.raises(ImportRejected):
        _import(election, "35.09.18.2001,904,asrama_haji\n")
    # A duplicate code is a form error, not a 500.
    response = c.post("/situs/lokasi-khusus/", {"code": "lapas", "name": "Lapas lagi", "order": 1})
    assert response.status_code == 200 and LokasiKhususType.objects.filter(code="lapas").count() == 1


def test_only_the_polres_admin_manages_the_kinds(
    client_for: Any, kabagops: Any, polsek_tempurejo: Any
) -> None:
    assert client_for(kabagops).get("/situs/lokasi-khusus/").status_code == 403
    assert (
        client_for(polsek_tempurejo)
        .post("/situs/lokasi-khusus/", {"code": "x", "name": "x", "order": 1})
        .status_code
        == 403
    )
    assert not LokasiKhususType.objects.filter(code="x").exists()


def test_the_kinds_page_query_count_is_bounded(
    client_for: Any, polres_admin: Any, django_assert_max_num_queries: Any
) -> None:
    c = client_for(polres_admin)
    c.get("/situs/lokasi-khusus/")
    with django_assert_max_num_queries(8):
        page = c.get("/situs/lokasi-khusus/").content.decode()
    assert "pondok_pesantren" in page
