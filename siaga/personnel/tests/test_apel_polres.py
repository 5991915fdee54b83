"""Apel for a whole Polres: "all present" per unit then the exceptions; a large roster starts with its units
collapsed and loads a unit's rows (or a search) on demand, so the page stays small."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from siaga.core.errors import Conflict
from siaga.core.models import AuditEvent
from siaga.personnel import services
from siaga.personnel.models import ApelEntry, ApelSession, Personnel, Rank, Unit
from siaga.personnel.views import INLINE_ROSTER_LIMIT
from siaga.territory.models import PoliceUnit

pytestmark = pytest.mark.django_db


def test_all_present_marks_only_the_unmarked_of_the_unit_and_audits_each(
    apel: ApelSession, kabagops: Any, units: dict[str, Unit]
) -> None:
    samapta = ApelEntry.objects.filter(session=apel, unit=units["sat_samapta"]).order_by("pk")
    sick = samapta.first()
    assert sick is not None
    services.mark_attendance(actor=kabagops, entry=sick, status=ApelEntry.Status.SICK)
    marked = services.mark_unit_present(actor=kabagops, session=apel, entries=samapta)
    assert sorted(marked) == sorted(e.pk for e in samapta if e.pk != sick.pk) and len(marked) == 3
    statuses = dict(samapta.values_list("pk", "status"))
    assert statuses.pop(sick.pk) == ApelEntry.Status.SICK  # an exception tapped before is kept
    assert set(statuses.values()) == {ApelEntry.Status.PRESENT}
    # Other units are untouched.
    assert (
        not ApelEntry.objects.filter(session=apel)
        .exclude(unit=units["sat_samapta"])
        .exclude(status=ApelEntry.Status.UNMARKED)
        .exists()
    )
    events = AuditEvent.objects.filter(
        object_type="personnel.apelentry", object_id__in=[str(i) for i in marked]
    )
    assert events.count() == 3
    assert {(e.before["status"], e.after["status"], e.actor_id) for e in events} == {
        ("unmarked", "present", kabagops.pk)
    }
    assert all(e.after["version"] == e.before["version"] + 1 for e in events)
    # The exception that follows is an ordinary tap.
    entry = ApelEntry.objects.get(pk=marked[0])
    services.mark_attendance(actor=kabagops, entry=entry, status=ApelEntry.Status.LEAVE)
    assert ApelEntry.objects.get(pk=marked[0]).status == ApelEntry.Status.LEAVE


def test_all_present_is_refused_once_the_apel_is_locked(
    apel: ApelSession, kabagops: Any, commander: Any, units: dict[str, Unit]
) -> None:
    every = ApelEntry.objects.filter(session=apel)
    services.mark_unit_present(actor=kabagops, session=apel, entries=every)
    services.lock_apel(actor=commander, session=apel)
    with pytest.raises(Conflict):
        services.mark_unit_present(actor=kabagops, session=apel, entries=every)


def test_all_present_endpoint_is_scoped_to_the_users_units(
    apel: ApelSession, client_for: Any, polsek_tempurejo: Any, outsider: Any, units: dict[str, Unit]
) -> None:
    tempurejo = units["polsek-tempurejo"]
    url = f"/personel/apel/{apel.pk}/satuan/{tempurejo.pk}/semua-hadir/"
    assert client_for(outsider).post(url).status_code == 404
    assert not ApelEntry.objects.filter(session=apel, status=ApelEntry.Status.PRESENT).exists()
    data = client_for(polsek_tempurejo).post(url).json()
    assert len(data["marked"]) == 3 and data["unit"] == {
        "id": tempurejo.pk,
        "name": tempurejo.name,
        "roster": 3,
        "present": 3,
        "unmarked": 0,
    }
    assert data["summary"]["present"] == 3 and data["summary"]["roster"] == 3
    samapta = units["sat_samapta"]
    response = client_for(polsek_tempurejo).post(f"/personel/apel/{apel.pk}/satuan/{samapta.pk}/semua-hadir/")
    assert response.status_code == 404


@pytest.fixture
def polres_apel(kabagops: Any, polres: PoliceUnit, units: dict[str, Unit]) -> ApelSession:
    """A Polres apel of 620 officers in 31 units (20 each): over the inline limit."""
    bripda = Rank.objects.get(code="bripda")
    chosen = list(units.values())[:31]
    Personnel.objects.bulk_create(
        [
            Personnel(nrp=f"{71000000 + i}", name=f"Anggota {i:03d}", rank=bripda, unit=chosen[i % 31])
            for i in range(620)
        ]
    )
    return services.create_apel_session(
        actor=kabagops,
        polres=polres,
        operation_slug="mantap-praja-2024",
        kind=ApelSession.Kind.GELAR_PASUKAN,
        held_on=dt.date(2024, 2, 13),
        place="Lapangan Mapolres Jember",
    )


def test_a_polres_apel_starts_collapsed_and_small(
    polres_apel: ApelSession, client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    assert polres_apel.entries.count() == 620 > INLINE_ROSTER_LIMIT
    c = client_for(kabagops)
    c.get(f"/personel/apel/{polres_apel.pk}/")
    with django_assert_max_num_queries(12):
        response = c.get(f"/personel/apel/{polres_apel.pk}/")
    html = response.content.decode()
    assert 'class="rc-row"' not in html
    assert html.count('class="rc-unit"') == 31 and html.count("rc-all-present") == 31
    assert len(response.content) < 60_000  # the whole roster rendered was ~1.5 MB on the Jember demo


def test_unit_rows_and_search_load_on_demand(
    polres_apel: ApelSession,
    client_for: Any,
    kabagops: Any,
    units: dict[str, Unit],
    django_assert_max_num_queries: Any,
) -> None:
    c = client_for(kabagops)
    unit = ApelEntry.objects.filter(session=polres_apel).order_by("pk").first().unit  # type: ignore[union-attr]
    with django_assert_max_num_queries(10):
        rows = c.get(f"/personel/apel/{polres_apel.pk}/baris/?unit={unit.pk}")
    assert rows.content.decode().count('class="rc-row"') == 20
    found = c.get(f"/personel/apel/{polres_apel.pk}/baris/?q=Anggota 01").content.decode()
    assert found.count('class="rc-row"') == 10 and "Anggota 010" in found  # 010-019
    many = c.get(f"/personel/apel/{polres_apel.pk}/baris/?q=Anggota").content.decode()
    assert many.count('class="rc-row"') == 100 and "persempit" in many
    c.post(f"/personel/apel/{polres_apel.pk}/satuan/{unit.pk}/semua-hadir/")
    assert (
        "rc-row"
        not in c.get(f"/personel/apel/{polres_apel.pk}/baris/?unit={unit.pk}&belum=1").content.decode()
    )
    assert c.get(f"/personel/apel/{polres_apel.pk}/baris/").status_code == 400
    summary = c.get(f"/personel/apel/{polres_apel.pk}/ringkasan/").json()
    assert summary["summary"]["present"] == 20
    assert [u["present"] for u in summary["units"] if u["id"] == unit.pk] == [20]
