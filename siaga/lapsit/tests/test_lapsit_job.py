"""The Lapsit as a job: the daily schedule queues each Polres once from the configured hour, the real worker runs
it with a progress bar, the history keeps each revision; pages and API by role; strength at a glance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from siaga.core.errors import ValidationFailed
from siaga.core.models import Job
from siaga.lapsit import services
from siaga.lapsit.models import Lapsit, Reserve
from siaga.territory.models import PoliceUnit

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 2, 13)


def local(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@override_settings(SIAGA_LAPSIT_HOUR=20)
def test_the_schedule_queues_each_polres_once_and_the_worker_stores_it(
    run_tasks: Any,
    kabagops: Any,
    client_for: Any,
    polsek_tempurejo: Any,
    partner_kpu: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert services.schedule_daily_lapsits(now=local(DAY, 19)) == []  # before the hour: nothing
    # The worker's scheduler (siaga.posko.scheduler) runs the app's periodic task: no cron.
    from siaga.posko.scheduler import run_due

    with django_capture_on_commit_callbacks(execute=True):
        ran = run_due(now=local(DAY, 20), tasks=[services.DAILY_LAPSIT])
    assert ran == {"lapsit.daily": {"queued": [PoliceUnit.objects.get(code="polres-jember").pk]}}
    jobs = list(Job.objects.filter(kind=services.JOB_KIND))
    assert len(jobs) == 1
    assert services.schedule_daily_lapsits(now=local(DAY, 21)) == []  # queued already: not twice
    run_tasks()
    job = Job.objects.get(pk=jobs[0].pk)
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100, job.log
    lapsit = Lapsit.objects.get(pk=job.result["lapsit_id"])
    assert (lapsit.day, lapsit.trigger, lapsit.revision, lapsit.generated_by) == (DAY, "scheduled", 1, None)
    assert services.schedule_daily_lapsits(now=local(DAY, 22)) == []  # stored already: not again

    # On demand: a new revision with the same number; a day not yet come is refused.
    staff = client_for(kabagops)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/lapsit/", {"day": DAY.isoformat()})
    assert response.status_code == 302 and "?job=" in response["Location"]
    run_tasks()
    second = Lapsit.objects.get(day=DAY, revision=2)
    assert (
        second.number == lapsit.number and second.generated_by == kabagops and second.trigger == "on_demand"
    )
    with pytest.raises(ValidationFailed):
        services.request_lapsit(
            actor=kabagops, polres=lapsit.polres, day=timezone.localdate() + dt.timedelta(days=1)
        )

    page = staff.get("/lapsit/")
    assert page.status_code == 200 and lapsit.number in page.content.decode()
    detail = staff.get(f"/lapsit/{second.pk}/").content.decode()
    assert "Kejadian menonjol" in detail and 'class="lapsit-chart"' in detail
    assert staff.get(f"/lapsit/{second.pk}/berkas/pdf/")["Content-Type"] == "application/pdf"
    api = staff.get(f"/api/v1/lapsit/{second.pk}").json()
    assert (api["schema"], api["version"], api["number"], api["revision"]) == (
        "siaga.lapsit",
        1,
        second.number,
        2,
    )
    assert staff.get("/api/v1/lapsit").json()["count"] == 2
    # The Polsek and the partners do not read the Polres's Lapsit; a partner gets its kind's extract only.
    assert client_for(polsek_tempurejo).get(f"/lapsit/{second.pk}/").status_code == 403
    assert client_for(polsek_tempurejo).get(f"/api/v1/lapsit/{second.pk}").status_code == 403
    assert client_for(partner_kpu).get(f"/lapsit/{second.pk}/").status_code == 403
    extract = client_for(partner_kpu).get(f"/api/v1/lapsit/{second.pk}/partner?kind=tni").json()
    assert extract["partner_kind"] == "kpu" and "strength" not in extract["sections"]
    assert "incidents" in extract["sections"]


def test_strength_at_a_glance_by_role_with_the_reserve_apart(
    kabagops: Any, polsek_tempurejo: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    jember = PoliceUnit.objects.get(code="polres-jember")
    Reserve.objects.create(
        polres=jember, name="1 SSK Brimob", origin="brimob", count=100, starts_on=timezone.localdate()
    )
    staff = client_for(kabagops)
    with django_assert_max_num_queries(60):
        page = staff.get("/lapsit/kekuatan/")
    body = page.content.decode()
    assert (
        page.status_code == 200
        and "1 SSK Brimob" in body
        and "Polsek Tempurejo" in body
        and "Polsek Kaliwates" in body
    )
    polsek = client_for(polsek_tempurejo).get("/api/v1/strength").json()
    assert [r["code"] for r in polsek["rows"]] == ["polsek-tempurejo"]
    assert polsek["total"] is None and polsek["reserve"] is None
    whole = staff.get("/api/v1/strength").json()
    assert whole["reserve"]["total"] == 100 and len(whole["rows"]) > 20
    assert whole["total"]["polri_available"] == sum(r["polri_available"] for r in whole["rows"])
    response = staff.post(
        "/lapsit/kekuatan/", {"name": "", "origin": "brimob", "count": "0", "starts_on": ""}
    )
    assert response.status_code == 200 and Reserve.objects.count() == 1
    assert (
        client_for(polsek_tempurejo)
        .post("/lapsit/kekuatan/", {"name": "x", "origin": "polres", "count": 5, "starts_on": "2024-02-01"})
        .status_code
        == 403
    )
