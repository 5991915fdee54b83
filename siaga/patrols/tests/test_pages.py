"""Pages, map layers, the PDF report and the bench command: who sees what, without N+1 queries."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from siaga.core.models import Job
from siaga.patrols import selectors, services
from siaga.patrols.models import PatrolDay, PatrolPlan, PatrolPoint


@pytest.fixture
def day(plan: PatrolPlan) -> PatrolDay:
    day = services.generate_day(actor=None, plan=plan, day_on=plan.starts_on, time_limit=0.5)
    # The first visit is done, the rest are missed (the day is long past).
    visit = day.visits.filter(unit__isnull=False).select_related("point", "unit").first()
    assert visit is not None and visit.planned_at is not None
    services.record_checkin(actor=None, client_key=uuid.uuid4(), point=visit.point, unit=visit.unit, lat=visit.point.lat,
                            lng=visit.point.lng, accuracy_m=5, arrived_at=visit.planned_at)  # fmt: skip
    return day


def test_personas_see_patrol_schedules_only_as_needed(
    day: PatrolDay,
    client_for: Callable[..., Client],
    kabagops: Any,
    commander: Any,
    polsek_tempurejo: Any,
    outsider: Any,
    partner_kpu: Any,
) -> None:
    for user in (kabagops, commander):
        assert client_for(user).get(f"/patroli/hari/{day.pk}/").status_code == 200
    # The Tempurejo Polsek runs a unit in the plan: it sees the day, but only its own unit's visits.
    assert client_for(polsek_tempurejo).get(f"/patroli/hari/{day.pk}/").status_code == 200
    own = list(selectors.visits_for(polsek_tempurejo, day))
    assert own and {v.unit.code for v in own} == {"t-tempurejo"}
    # Kaliwates has no unit in the plan: 404 (not 403, existence does not leak); partners: 403, no layers.
    assert client_for(outsider).get(f"/patroli/hari/{day.pk}/").status_code == 404
    assert client_for(outsider).get(f"/patroli/rencana/{day.plan_id}/").status_code == 404
    for url in (
        "/patroli/",
        f"/patroli/hari/{day.pk}/",
        "/patroli/peta/titik.geojson",
        "/patroli/peta/cakupan.geojson",
        "/patroli/absen/",
    ):
        assert client_for(partner_kpu).get(url).status_code == 403, url
    from siaga.core.maplayers import layers_for

    assert not [layer for layer in layers_for(partner_kpu) if layer["key"].startswith("patrol")]
    assert {"patrol_points", "patrol_heat"} <= {layer["key"] for layer in layers_for(kabagops)}
    assert client_for(partner_kpu).get(f"/api/v1/patrols/days/{day.pk}").status_code == 403


def test_day_page_shows_planned_against_done_with_missed_points(
    day: PatrolDay, client_for: Callable[..., Client], kabagops: Any
) -> None:
    rows = selectors.coverage_rows(kabagops, day)
    assert sum(r.done for r in rows) == 1
    assert sum(r.planned for r in rows) == day.visits.count()
    assert sum(r.missed for r in rows) == day.visits.count() - 1
    html = client_for(kabagops).get(f"/patroli/hari/{day.pk}/").content.decode()
    assert html.count('class="patrol-missed"') == sum(1 for r in rows if r.is_missed)
    pdf = client_for(kabagops).get(f"/patroli/hari/{day.pk}/laporan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_map_layers_colour_points_and_kecamatan(
    day: PatrolDay, client_for: Callable[..., Client], kabagops: Any, outsider: Any
) -> None:
    points = client_for(kabagops).get("/patroli/peta/titik.geojson").json()
    assert len(points["features"]) == PatrolPoint.objects.count()
    colours = {f["properties"]["color"] for f in points["features"]}
    assert "#dc3545" in colours  # missed points are red
    heat = client_for(kabagops).get("/patroli/peta/cakupan.geojson").json()
    assert {f["properties"]["id"] for f in heat["features"]} == set(
        PatrolPoint.objects.values_list("kecamatan_id", flat=True)
    )
    assert all(f["geometry"] for f in heat["features"])
    # Kaliwates Polsek: its own kecamatan's points only.
    mine = client_for(outsider).get("/patroli/peta/titik.geojson").json()["features"]
    assert mine and all(
        "Kaliwates" in f["properties"]["label"]
        or "KPU" in f["properties"]["label"]
        or "Bawaslu" in f["properties"]["label"]
        for f in mine
    )


def test_lists_do_not_grow_queries_with_rows(
    day: PatrolDay, client_for: Callable[..., Client], kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(kabagops)
    for url in ("/patroli/", "/patroli/titik/", "/patroli/unit/", f"/patroli/rencana/{day.plan_id}/", f"/patroli/hari/{day.pk}/",
                "/patroli/absen/daftar/", "/patroli/absen/", "/patroli/peta/titik.geojson", "/patroli/peta/cakupan.geojson"):  # fmt: skip
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/patrols/days/{day.pk}").status_code == 200
    export = client.get("/patroli/titik/?format=csv")
    assert export.status_code == 200 and b"t-kpu" in export.content


def test_plan_pages_create_a_plan_and_draw_days_as_a_job(
    points: list[PatrolPoint],
    samapta_unit: Any,
    client_for: Callable[..., Client],
    kabagops: Any,
    run_tasks: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(kabagops)
    answer = client.post("/patroli/rencana/baru/", {
        "name": "Rencana halaman", "starts_on": "2024-02-10", "ends_on": "2024-02-12", "points": [p.pk for p in points],
        "units": [samapta_unit.pk], "visits_per_vehicle_shift": 5,
    })  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:2000]
    plan = PatrolPlan.objects.get(name="Rencana halaman")
    assert plan.created_by == kabagops and plan.plan_points.exclude(coverage=None).count() == len(points)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/patroli/rencana/{plan.pk}/", {"starts_on": "2024-02-10", "days": 2})
    assert response.status_code == 200
    run_tasks()
    job = Job.objects.get(kind="patrols.generate_days")
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert plan.days.count() == 2


def test_bench_command_prints_the_figures_other_checks_rely_on() -> None:
    out = StringIO()
    call_command("bench_coverage", "--points", "60", "--resources", "12", "--seed", "3", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert {"seconds", "defender_utility", "milp_defender_utility", "max_sampling_deviation"} <= set(figures)
    assert abs(figures["defender_utility"] - figures["milp_defender_utility"]) < 1e-6
    assert figures["max_sampling_deviation"] <= 0.05


def test_day_dates_follow_the_06_00_plan_day() -> None:
    from django.utils import timezone

    from siaga.patrols.models import plan_day_of, slot_of

    night = timezone.make_aware(dt.datetime(2024, 2, 11, 2, 30))
    assert plan_day_of(night) == dt.date(2024, 2, 10) and slot_of(night) == 2
    assert slot_of(timezone.make_aware(dt.datetime(2024, 2, 11, 6, 0))) == 0
