"""Live views: the queue asks for changes every few seconds and gets an empty answer while nothing changed;
a finished job reloads the page around it; live map layers say how often they refresh (issue 14 item 4)."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.core.maplayers import layers_for
from siaga.core.models import Job
from siaga.incidents.tests.factories import make_incident

pytestmark = pytest.mark.django_db


def test_queue_poll_is_204_until_an_incident_arrives(
    client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(kabagops)
    page = client.get("/kejadian/").content.decode()
    assert 'hx-trigger="every 4s"' in page
    live_url = page.split('id="queue-live" hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    with django_assert_max_num_queries(6):  # session, user, the change stamp: no incident list
        assert client.get(live_url, HTTP_HX_REQUEST="true").status_code == 204
    new = make_incident(actor=kabagops, category="violence")
    answer = client.get(live_url, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    body = answer.content.decode()
    assert new.receipt in body and "<html" not in body and 'id="queue-live"' in body
    fresh = body.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert fresh != live_url
    assert client.get(fresh, HTTP_HX_REQUEST="true").status_code == 204


def test_a_finished_job_reloads_the_page_that_asked_for_it(client_for: Any, kabagops: Any) -> None:
    job = Job.objects.create(kind="test.live", title="uji", created_by=kabagops)
    client = client_for(kabagops)
    running = client.get(f"/pekerjaan/{job.pk}/?refresh=1", HTTP_HX_REQUEST="true")
    assert running.status_code == 200 and "HX-Refresh" not in running
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, progress=100)
    done = client.get(f"/pekerjaan/{job.pk}/?refresh=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    # The job page itself just shows the result in place.
    assert "HX-Refresh" not in client.get(f"/pekerjaan/{job.pk}/", HTTP_HX_REQUEST="true")


def test_live_map_layers_refresh_within_five_seconds(kabagops: Any) -> None:
    layers = {layer["key"]: layer for layer in layers_for(kabagops)}
    for key in ("incidents", "response_units", "guard_posts"):
        assert 0 < layers[key]["refresh_s"] <= 5, key
