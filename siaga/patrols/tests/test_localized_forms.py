"""The patrol pages in Indonesian: the re-draw start date reads back, a point saved from its page is audited
(issue 14 items 1 and 5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from siaga.core.models import AuditEvent
from siaga.core.tests.formdata import form_data, form_index
from siaga.patrols.models import PatrolPlan, PatrolPoint


def test_redraw_form_shows_the_plan_start_date_in_indonesian(
    plan: PatrolPlan, client_for: Callable[..., Client], kabagops: Any
) -> None:
    page = (
        client_for(kabagops).get(f"/patroli/rencana/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    )
    data = form_data(page, form_index(page, 'name="days"'))
    assert data["starts_on"] == [plan.starts_on.isoformat()]


def test_saving_a_point_from_its_page_is_audited(
    points: list[PatrolPoint], client_for: Callable[..., Client], kabagops: Any
) -> None:
    point = points[0]
    client = client_for(kabagops)
    url = f"/patroli/titik/{point.pk}/ubah/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    data = form_data(page, form_index(page, 'name="lat"'))
    assert data["lat"] == [str(point.lat)]  # a dot, not a decimal comma
    data["name"] = ["Titik diganti"]
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="id").status_code == 302
    event = AuditEvent.objects.get(object_type="patrols.patrolpoint", object_id=str(point.pk), actor=kabagops)
    assert event.after == {"name": "Titik diganti"}
