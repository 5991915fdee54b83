"""Every page that depends on an election, an operation or a period has a selector, honours the choice and
remembers it (issue 14 item 9): the apel list's operation, the plan's, strength's, TPS vulnerability's, events'
and logistics' election (one memory for all of them), and the response times' period."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from siaga.operations.models import Election
from siaga.personnel.models import ApelSession
from siaga.territory.models import PoliceUnit

pytestmark = pytest.mark.django_db


def selected(html: str, value: str) -> bool:
    """The option with this value is the selected one."""
    return re.search(rf'<option value="{re.escape(value)}"[^>]*\sselected', html) is not None


@pytest.mark.parametrize(
    "url_name",
    [
        "operations:required_strength",
        "operations:category_list",
        "deployment:index",
        "events:list",
        "logistics:board",
    ],
)
def test_election_pages_honour_and_remember_the_choice(client_for: Any, kabagops: Any, url_name: str) -> None:
    client = client_for(kabagops)
    url = reverse(url_name)
    for slug in ("pilkada-2024", "pemilu-2024"):
        election = Election.objects.get(slug=slug)
        # Chosen on the page itself (the picker's slug, or an event/logistics link's id) ...
        asked = (
            {"pemilihan": election.pk} if url_name.startswith(("events", "logistics")) else {"election": slug}
        )
        page = client.get(url, asked)
        assert page.status_code == 200
        assert election.name in page.content.decode()
        # ... and kept when the page is opened again without it.
        again = client.get(url).content.decode()
        value = str(election.pk) if url_name == "events:list" else slug
        assert selected(again, value), (url_name, slug)


def test_one_election_choice_carries_to_every_election_page(client_for: Any, kabagops: Any) -> None:
    client = client_for(kabagops)
    pilkada = Election.objects.get(slug="pilkada-2024")
    client.get(reverse("operations:category_list"), {"election": "pilkada-2024"})
    assert selected(client.get(reverse("events:list")).content.decode(), str(pilkada.pk))
    assert selected(client.get(reverse("logistics:board")).content.decode(), "pilkada-2024")
    assert selected(client.get(reverse("deployment:index")).content.decode(), "pilkada-2024")
    # A choice on the events page (by id) carries back to the others.
    pemilu = Election.objects.get(slug="pemilu-2024")
    client.get(reverse("events:list"), {"pemilihan": pemilu.pk})
    assert selected(client.get(reverse("operations:required_strength")).content.decode(), "pemilu-2024")


def test_apel_list_filters_by_the_chosen_operation_and_remembers_it(client_for: Any, kabagops: Any) -> None:
    polres = PoliceUnit.objects.get(code="polres-jember")
    for slug, place in (("mantap-brata-2023", "Lapangan Brata"), ("mantap-praja-2024", "Lapangan Praja")):
        ApelSession.objects.create(
            polres=polres, operation_slug=slug, kind="harian", held_on=dt.date(2024, 2, 1), place=place
        )
    client = client_for(kabagops)
    url = reverse("personnel:apel_list")
    page = client.get(url).content.decode()
    assert "Lapangan Brata" in page and "Lapangan Praja" in page  # nothing chosen yet: every operation

    page = client.get(url, {"operasi": "mantap-praja-2024"}).content.decode()
    assert "Lapangan Praja" in page and "Lapangan Brata" not in page
    again = client.get(url).content.decode()
    assert "Lapangan Praja" in again and "Lapangan Brata" not in again
    assert selected(again, "mantap-praja-2024")
    # The chosen operation is also the new apel's operation.
    assert re.search(r'<option value="mantap-praja-2024" selected>', again.split('class="apel-form"')[1])

    page = client.get(url, {"operasi": "all"}).content.decode()
    assert "Lapangan Brata" in page and "Lapangan Praja" in page
    assert "Lapangan Brata" in client.get(url).content.decode()


def test_response_times_period_is_honoured_and_remembered(client_for: Any, kabagops: Any) -> None:
    client = client_for(kabagops)
    url = reverse("incidents:response_times")
    assert selected(client.get(url, {"hari": "7"}).content.decode(), "7")
    assert selected(client.get(url).content.decode(), "7")
    assert selected(client.get(url, {"hari": "30"}).content.decode(), "30")
    assert selected(client.get(url).content.decode(), "30")
