"""Dispatch in Indonesian (decimal comma) and dispatch always naming the unit (issue 14 items 1 and 2)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from siaga.core.errors import ValidationFailed
from siaga.incidents import services
from siaga.incidents.models import Dispatch, Incident, Status
from siaga.incidents.tests.factories import make_incident, make_unit

pytestmark = pytest.mark.django_db


def _kirim_form(html: str) -> dict[str, str]:
    """The hidden fields of the first "Kirim" form on the incident page, as the browser would post them."""
    form = re.search(r'<ul class="list-unstyled" id="recommendations">.*?<form[^>]*>(.*?)</form>', html, re.S)
    assert form, "no Kirim form on the page"
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(1)))


def test_kirim_in_indonesian_posts_a_number_the_server_reads(client_for: Any, kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    unit = make_unit(call_sign="TMP-KOMA", offset=(0.013, 0.0))  # about 2 km: a fractional ETA
    client = client_for(kabagops)
    page = client.get(f"/kejadian/{incident.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    fields = _kirim_form(page)
    assert fields["unit"] == str(unit.pk)
    assert re.fullmatch(r"\d+(\.\d+)?", fields["eta"]), fields["eta"]  # never "4,8"
    response = client.post(f"/kejadian/{incident.pk}/aksi/", fields, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 302
    dispatch = Dispatch.objects.get(incident=incident)
    assert dispatch.unit_id == unit.pk and dispatch.eta_minutes == pytest.approx(float(fields["eta"]))


def test_a_decimal_comma_or_junk_eta_is_read_or_refused_never_a_500(client_for: Any, kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    unit = make_unit(call_sign="TMP-KOMA2")
    client = client_for(kabagops)
    response = client.post(
        f"/kejadian/{incident.pk}/aksi/", {"action": "dispatch", "unit": unit.pk, "eta": "4,8"}
    )
    assert response.status_code == 302
    assert Dispatch.objects.get(incident=incident).eta_minutes == pytest.approx(4.8)
    other = make_incident(actor=kabagops, offset=(0.001, 0.0))
    second = make_unit(call_sign="TMP-KOMA3")
    response = client.post(
        f"/kejadian/{other.pk}/aksi/", {"action": "dispatch", "unit": second.pk, "eta": "lima"}, follow=True
    )
    assert response.status_code == 200
    assert "ETA" in response.content.decode()
    assert not Dispatch.objects.filter(incident=other).exists()


def test_dispatched_status_cannot_be_set_without_a_unit(client_for: Any, kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    with pytest.raises(ValidationFailed):
        services.transition_incident(actor=kabagops, incident=incident, to=Status.DISPATCHED)
    client = client_for(kabagops)
    page = client.get(f"/kejadian/{incident.pk}/").content.decode()
    assert 'name="to" value="dispatched"' not in page
    client.post(f"/kejadian/{incident.pk}/aksi/", {"action": "transition", "to": "dispatched"})
    assert Incident.objects.get(pk=incident.pk).status == Status.NEW
    # Through a named unit it works, and the unit is on the incident.
    unit = make_unit(call_sign="TMP-NAMED")
    client.post(f"/kejadian/{incident.pk}/aksi/", {"action": "dispatch", "unit": unit.pk})
    incident.refresh_from_db()
    assert incident.status == Status.DISPATCHED
    assert list(incident.dispatches.values_list("unit__call_sign", flat=True)) == ["TMP-NAMED"]


def test_api_transition_to_dispatched_is_refused(client_for: Any, kabagops: Any) -> None:
    incident = make_incident(actor=kabagops)
    response = client_for(kabagops).post(
        f"/api/v1/incidents/{incident.pk}/transitions",
        {"to": "dispatched"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-dispatch-1",
    )
    assert response.status_code in (400, 409, 422), response.content
    assert Incident.objects.get(pk=incident.pk).status == Status.NEW
