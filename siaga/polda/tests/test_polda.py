"""Polda and Mabes (issue 20): the unit tree, jurisdiction of a Polda account (its Polres and nothing else,
another Polda's objects are 404 on pages and API), Mabes reads all and writes nothing, and the Polda board's
figures against independent counts with a query count that does not grow with the number of Polres."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from siaga.accounts import services as accounts
from siaga.accounts.models import Role
from siaga.accounts.selectors import scope_for
from siaga.core.errors import ValidationFailed
from siaga.incidents.models import OPEN_STATUSES, Incident
from siaga.operations.models import Election
from siaga.personnel.models import Personnel
from siaga.polda.tests.factories import make_polda, make_polres, persona
from siaga.sites.models import Tps
from siaga.territory import services as territory
from siaga.territory.hierarchy import polda_of, polres_of, units_within
from siaga.territory.models import Kecamatan, PoliceUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def election() -> Election:
    return Election.objects.get(slug="pemilu-2024")


@pytest.fixture
def jatim() -> PoliceUnit:
    return PoliceUnit.objects.get(code="polda-jatim")


@pytest.fixture
def jateng(election: Election) -> PoliceUnit:
    """Another Polda with a Polres of its own (synthetic)."""
    polda = make_polda("polda-jateng-uji", "Polda Jateng (uji)")
    make_polres(polda, election=election, covered=3)
    return polda


# --- the unit tree -----------------------------------------------------------------------------------------


def test_demo_tree_has_mabes_above_polda_jatim_above_polres_jember(jatim: PoliceUnit) -> None:
    jember = PoliceUnit.objects.get(code="polres-jember")
    tempurejo = PoliceUnit.objects.get(code="polsek-tempurejo")
    assert jember.parent == jatim and jatim.parent.code == "mabes-polri"  # type: ignore[union-attr]
    assert list(polres_of(jatim)) == [jember]
    assert polda_of(tempurejo) == jatim and polda_of(jember) == jatim
    assert set(units_within(jatim)) == {jatim, *PoliceUnit.objects.filter(kabupaten=jember.kabupaten)}


def test_units_above_polres_have_no_kabupaten_and_the_right_parent(jatim: PoliceUnit) -> None:
    jember = PoliceUnit.objects.get(code="polres-jember")
    with pytest.raises(ValidationFailed):  # a Polda cannot sit under a Polda
        territory.save_unit_above_polres(
            actor=None, code="polda-x", name="Polda X", level="polda", lat=-7, lng=110, parent=jatim
        )
    with pytest.raises(ValidationFailed):  # only Polda and Mabes are made here
        territory.save_unit_above_polres(
            actor=None, code="polres-x", name="Polres X", level="polres", lat=-7, lng=110
        )
    with pytest.raises(ValidationFailed):  # a Polres goes under a Polda, not under another Polres
        territory.attach_polres(
            actor=None, polres=jember, polda=PoliceUnit.objects.get(code="polsek-tempurejo")
        )
    with pytest.raises(ValueError):  # Polres-level code cannot filter by a Polda's empty kabupaten
        _ = jatim.kabupaten_pk
    assert jember.parent == jatim


def test_polda_and_mabes_accounts_need_a_unit_of_their_level(admin_user: Any, jatim: PoliceUnit) -> None:
    jember = PoliceUnit.objects.get(code="polres-jember")

    def create(username: str, role: str, unit: PoliceUnit) -> Any:
        return accounts.create_account(
            actor=admin_user, username=username, first_name="Uji", last_name="", role=role, police_unit=unit
        )

    with pytest.raises(ValidationFailed):
        create("t.polda.salah", Role.POLDA_STAFF, jember)
    with pytest.raises(ValidationFailed):  # a Polres role at a Polda would write in every Polres of it
        create("t.ops.polda", Role.OPS_STAFF, jatim)
    assert create("t.polda.benar", Role.POLDA_STAFF, jatim).police_unit == jatim


# --- jurisdiction ------------------------------------------------------------------------------------------


def test_scope_of_a_polda_is_its_polres_kabupaten(
    polda_staff: Any, mabes_staff: Any, kabagops: Any, jateng: PoliceUnit
) -> None:
    jember_kecamatan = set(Kecamatan.objects.filter(kabupaten__code="35.09").values_list("id", flat=True))
    assert set(scope_for(polda_staff).kecamatan_ids or ()) == jember_kecamatan
    assert set(scope_for(kabagops).kecamatan_ids or ()) == jember_kecamatan  # a Polres account is unchanged
    assert scope_for(mabes_staff).is_unrestricted
    other = persona("t.polda.jateng", Role.POLDA_STAFF, jateng)
    other_kecamatan = set(scope_for(other).kecamatan_ids or ())
    assert other_kecamatan and not (other_kecamatan & jember_kecamatan)


def test_another_polda_gets_404_for_jember_objects_on_pages_and_api(
    client_for: Any, polda_staff: Any, jateng: PoliceUnit, jatim: PoliceUnit, election: Election
) -> None:
    other = client_for(persona("t.polda.jateng", Role.POLDA_STAFF, jateng))
    mine = client_for(polda_staff)
    tps = Tps.objects.filter(election=election, kecamatan__kabupaten__code="35.09").first()
    incident = Incident.objects.create(
        receipt="UJIPOLDA0001",
        source="call",
        category="money_politics",
        description="Laporan uji papan Polda",
        occurred_at=timezone.now(),
        kecamatan=Kecamatan.objects.get(name__iexact="Tempurejo"),
    )
    urls = [
        reverse("polda:board_of", args=[jatim.pk]),
        reverse("sites:tps_detail", args=[tps.pk]),  # type: ignore[union-attr]
        reverse("incidents:detail", args=[incident.pk]),
        f"/api/v1/polda/{jatim.pk}/board",
        f"/api/v1/tps/{tps.pk}",  # type: ignore[union-attr]
        f"/api/v1/incidents/{incident.pk}",
    ]
    assert [other.get(u).status_code for u in urls] == [404] * len(urls)
    assert [mine.get(u).status_code for u in urls] == [200] * len(urls)
    # Each Polda account's board list names only its own Polda.
    assert [p["code"] for p in other.get("/api/v1/polda").json()] == ["polda-jateng-uji"]
    assert [p["code"] for p in mine.get("/api/v1/polda").json()] == ["polda-jatim"]
    assert other.get(reverse("polda:board")).url == reverse("polda:board_of", args=[jateng.pk])


def test_mabes_reads_every_polda_and_writes_nothing(
    client_for: Any, mabes_staff: Any, jateng: PoliceUnit
) -> None:
    c = client_for(mabes_staff)
    codes = [p["code"] for p in c.get("/api/v1/polda").json()]
    assert codes == ["polda-jateng-uji", "polda-jatim"]
    assert c.get(reverse("polda:board_of", args=[jateng.pk])).status_code == 200
    assert c.get(reverse("polda:board")).status_code == 200  # the choice of Polda
    before = Incident.objects.count()
    assert c.post(reverse("incidents:new"), {"category": "money_politics"}).status_code == 403
    assert Incident.objects.count() == before


def test_polres_accounts_see_no_polda_board(client_for: Any, kabagops: Any, jatim: PoliceUnit) -> None:
    c = client_for(kabagops)
    assert c.get(reverse("polda:board")).status_code == 403
    assert c.get(reverse("polda:board_of", args=[jatim.pk])).status_code == 403
    assert c.get(f"/api/v1/polda/{jatim.pk}/board").status_code == 403


# --- the board ---------------------------------------------------------------------------------------------


def test_board_figures_match_independent_counts(
    client_for: Any, polda_staff: Any, jatim: PoliceUnit, jateng: PoliceUnit, election: Election
) -> None:
    a = make_polres(jatim, election=election, tps=4, personnel=3, covered=4, incidents=(2, 0, 1), alerts=0)
    b = make_polres(jatim, election=election, tps=5, personnel=1, covered=None, incidents=(3, 2, 2), alerts=2)
    board = client_for(polda_staff).get(f"/api/v1/polda/{jatim.pk}/board", {"election": election.slug}).json()
    rows = {r["code"]: r for r in board["rows"]}
    assert set(rows) == {"polres-jember", a.polres.code, b.polres.code}  # nothing of Polda Jateng
    for f in (a, b):
        row = rows[f.polres.code]
        got = {
            k: row[k]
            for k in ("personnel", "tps", "tps_covered", "incidents_open", "incidents_p1", "alerts_open")
        }
        assert got == {
            "personnel": f.personnel,
            "tps": f.tps,
            "tps_covered": f.tps_covered,
            "incidents_open": f.incidents_open,
            "incidents_p1": f.incidents_p1,
            "alerts_open": f.alerts_open,
        }
        assert row["incidents_24h"] == f.incidents_24h
    assert rows[a.polres.code]["plan_version"] == 2 and rows[a.polres.code]["run_status"] == "done"
    assert rows[b.polres.code]["plan_status"] is None and rows[b.polres.code]["needs_attention"]
    # Jember against counts made here, another way (per kecamatan ids of the kabupaten).
    jember = rows["polres-jember"]
    kecamatan = list(Kecamatan.objects.filter(kabupaten__code="35.09").values_list("id", flat=True))
    assert jember["tps"] == Tps.objects.filter(election=election, kecamatan_id__in=kecamatan).count() > 0
    assert jember["personnel"] == sum(
        1
        for p in Personnel.objects.select_related("unit__polres")
        if p.unit.polres.code == "polres-jember" and p.status == Personnel.Status.ACTIVE
    )
    assert (
        jember["incidents_open"]
        == Incident.objects.filter(kecamatan_id__in=kecamatan, status__in=OPEN_STATUSES).count()
    )
    totals = board["totals"]
    assert totals["polres"] == 3
    assert totals["tps"] == sum(r["tps"] for r in board["rows"])
    assert totals["incidents_open"] == sum(r["incidents_open"] for r in board["rows"])
    assert totals["alerts_open"] == sum(r["alerts_open"] for r in board["rows"])
    # The page shows the same figures.
    page = client_for(polda_staff).get(
        reverse("polda:board_of", args=[jatim.pk]), {"election": election.slug}
    )
    html = page.content.decode()
    assert page.status_code == 200 and b.polres.name in html and "Polres Jember" in html
    assert f'data-total="incidents">{totals["incidents_open"]}<' in html
    # The board's plan link opens the Polres plan; the Polda is no Polsek with a strength of its own there.
    plan_page = client_for(polda_staff).get(
        reverse("deployment:plan_detail", args=[rows[a.polres.code]["plan_id"]])
    )
    assert plan_page.status_code == 200
    basis = plan_page.content.decode().split('id="plan-basis"')[1].split("</p>")[0]
    assert "Polda Jawa Timur" not in basis


def test_board_export_is_audited(client_for: Any, polda_staff: Any, jatim: PoliceUnit) -> None:
    from siaga.core.models import AuditEvent

    response = client_for(polda_staff).get(reverse("polda:board_of", args=[jatim.pk]), {"export": "csv"})
    assert response.status_code == 200 and b"Polres Jember" in response.content
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_type="polda.board").count() == 1


def test_board_query_count_does_not_grow_with_polres(
    client_for: Any, mabes_staff: Any, election: Election
) -> None:
    c = client_for(mabes_staff)
    counts = []
    for n in (2, 5):
        polda = make_polda(f"polda-uji-{n}", f"Polda Uji {n}")
        for _ in range(n):
            make_polres(polda, election=election, covered=2)
        url = reverse("polda:board_of", args=[polda.pk])
        c.get(url, {"election": election.slug})  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url, {"election": election.slug})
        assert response.status_code == 200 and response.content.count(b"data-polres=") == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20, counts


def test_board_speaks_the_users_language(client_for: Any, polda_staff: Any, jatim: PoliceUnit) -> None:
    c = client_for(polda_staff)
    url = reverse("polda:board_of", args=[jatim.pk])
    indonesian = c.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    english = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Papan Polda Jawa Timur" in indonesian and "Kejadian terbuka" in indonesian
    assert "Polda Jawa Timur board" in english and "Open incidents" in english
    assert "Kejadian terbuka" not in english


def test_board_shows_each_polres_latest_lapsit_and_the_polda_reads_it(
    client_for: Any, polda_staff: Any, jatim: PoliceUnit, jateng: PoliceUnit, election: Election
) -> None:
    from siaga.core.errors import NotFound
    from siaga.lapsit.models import Lapsit
    from siaga.lapsit.selectors import access_lapsit

    jember = PoliceUnit.objects.get(code="polres-jember")
    other = make_polres(
        jateng, election=election, tps=2, personnel=1, covered=None, incidents=(0, 0, 0), alerts=0
    )
    now = timezone.now()

    def lapsit(polres: PoliceUnit, day: str, revision: int, number: str) -> Lapsit:
        return Lapsit.objects.create(
            polres=polres,
            election=election,
            day=day,
            revision=revision,
            number=number,
            trigger="manual",
            schema_version=1,
            figures={},
            digest="0" * 64,
            pdf_file="x.pdf",
            xlsx_file="x.xlsx",
            json_file="x.json",
            generated_at=now,
        )

    lapsit(jember, "2024-02-13", 1, "LAPSIT/13")
    latest = lapsit(jember, "2024-02-14", 2, "LAPSIT/14-R2")
    lapsit(jember, "2024-02-14", 1, "LAPSIT/14")
    foreign = lapsit(other.polres, "2024-02-15", 1, "LAPSIT/JATENG")
    board = client_for(polda_staff).get(f"/api/v1/polda/{jatim.pk}/board", {"election": election.slug}).json()
    rows = {r["code"]: r for r in board["rows"]}
    assert rows["polres-jember"]["lapsit"] == "LAPSIT/14-R2 (14-02-2024)"
    html = client_for(polda_staff).get(reverse("polda:board_of", args=[jatim.pk])).content.decode()
    assert reverse("lapsit:detail", args=[latest.pk]) in html
    # The Polda reads its Polres' Lapsit, not another Polda's (whose existence does not leak).
    assert access_lapsit(polda_staff, latest.pk) == latest
    with pytest.raises(NotFound):
        access_lapsit(polda_staff, foreign.pk)
