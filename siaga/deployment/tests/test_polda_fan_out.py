"""The plans of every Polres of a Polda as one fan-out on the RQ backend (a real Redis): a parent job, one
planning job per Polres, a page with the progress of each Polres; outside the jurisdiction, 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from siaga.accounts.models import User
from siaga.core.errors import NotFound
from siaga.core.models import Job
from siaga.deployment import services
from siaga.deployment.models import PlanningRun
from siaga.operations.models import Election
from siaga.polda.tests.factories import make_polda, persona
from siaga.territory.models import Kabupaten, Kecamatan, PoliceUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def lumajang_kabagops(db: Any) -> User:
    """Bag Ops of another Polres (a minimal Lumajang: one kecamatan), who must not see Jember's fan-out."""
    kab = Kabupaten.objects.create(code="35.08", name="Lumajang")
    Kecamatan.objects.create(
        kabupaten=kab, code="35.08.01", kpu_code="350801", name="Tempursari", lat=-8.3, lng=113.0
    )
    unit = PoliceUnit.objects.create(
        code="polres-lumajang", name="Polres Lumajang", level="polres", kabupaten=kab, lat=-8.13, lng=113.22
    )
    return User.objects.create_user(
        username="t.lumajang", password="x-123456789", role="ops_staff", police_unit=unit
    )


def test_a_polda_fan_out_plans_each_polres_on_rq_with_progress_per_polres(
    polda_staff: User,
    kabagops: User,
    client_for: Callable[[User], Any],
    run_rq_tasks: Callable[[], None],
    pemilu: Election,
    polres: PoliceUnit,
    staff: Callable[[dict[str, int]], Any],
    outsider: User,
    lumajang_kabagops: User,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    staff({"polsubsektor-ajung": 12})
    ajung = list(PoliceUnit.objects.filter(code="polsubsektor-ajung").values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        parent = services.start_polda_planning(
            actor=polda_staff,
            election=pemilu,
            polres_units=[polres],
            time_limit=2,
            parameters={"polsek_ids": ajung},
        )
    assert parent.status == Job.Status.RUNNING
    page = client_for(polda_staff).get(f"/plotting/polda/{parent.pk}/")
    assert page.status_code == 200 and b'data-polres="polres-jember"' in page.content
    assert b"hx-get" in page.content  # polls while the Polres plans run
    run_rq_tasks()
    parent.refresh_from_db()
    assert parent.status == Job.Status.SUCCEEDED and parent.progress == 100, parent.message
    run = PlanningRun.objects.get(job__parent=parent)
    assert run.status == PlanningRun.Status.DONE and run.plan is not None and run.workers == 1
    c = client_for(polda_staff)
    # Session, user, parent, the runs (with Polres, job and plan in one query), the jurisdiction: no query per Polres.
    with django_assert_max_num_queries(9):
        page = c.get(f"/plotting/polda/{parent.pk}/?partial=1")
    body = page.content.decode()
    assert f"{run.plan.tps_covered} / {run.plan.tps_total}" in body and "hx-get" not in body
    listing = client_for(polda_staff).get("/plotting/polda/")
    assert listing.status_code == 200 and f"/plotting/polda/{parent.pk}/" in listing.content.decode()
    # The Polres's own Bag Ops follows its line; another Polres's staff and another Polda's get 404.
    assert client_for(kabagops).get(f"/plotting/polda/{parent.pk}/").status_code == 200
    assert client_for(lumajang_kabagops).get(f"/plotting/polda/{parent.pk}/").status_code == 404
    jateng = persona("t.polda.jateng", "polda_staff", make_polda("polda-jateng-uji", "Polda Jateng (uji)"))
    assert client_for(jateng).get(f"/plotting/polda/{parent.pk}/").status_code == 404
    with pytest.raises(NotFound):
        services.start_polda_planning(actor=jateng, election=pemilu, polres_units=[polres])
    # Launching is for Polda staff: a Polres Bag Ops or a Polsek officer gets 403.
    assert client_for(kabagops).post("/plotting/polda/", {"election": pemilu.pk}).status_code == 403
    assert client_for(outsider).post("/plotting/polda/", {"election": pemilu.pk}).status_code == 403


def test_the_polda_page_launches_a_fan_out_over_the_polres_of_the_polda(
    polda_staff: User, client_for: Callable[[User], Any], pemilu: Election, rq_backend: str
) -> None:
    import django_rq

    jatim = PoliceUnit.objects.get(code="polda-jatim")
    board = client_for(polda_staff).get(f"/polda/{jatim.pk}/").content.decode()
    url = f"/plotting/polda/?polda={jatim.pk}"
    assert url in board  # the Polda board links to the fan-out
    answer = client_for(polda_staff).post(url, {"election": pemilu.pk, "time_limit": 5, "seed": 1})
    assert answer.status_code == 302
    parent = Job.objects.get(kind="deployment.polda_plan")
    assert answer["Location"] == f"/plotting/polda/{parent.pk}/"
    assert list(PlanningRun.objects.filter(job__parent=parent).values_list("polres__code", flat=True)) == [
        "polres-jember"
    ]
    bad = client_for(polda_staff).post(url, {"election": pemilu.pk, "time_limit": 0})
    assert bad.status_code == 422
    assert django_rq.get_queue("default").count == 0  # queued only when the transaction commits
    assert client_for(polda_staff).get("/plotting/polda/?polda=999999").status_code == 404
