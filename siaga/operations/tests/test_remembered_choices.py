"""Pages that depend on an election or a period have a selector and remember the choice (issue 14 item 9:
TPS vulnerability opened on Pilkada with no selector; response times were fixed to 14 days)."""

from __future__ import annotations

from typing import Any

import pytest

from siaga.operations.models import Election

pytestmark = pytest.mark.django_db


def test_tps_vulnerability_has_an_election_selector_that_is_remembered(
    client_for: Any, kabagops: Any
) -> None:
    elections = list(Election.objects.order_by("pk"))
    assert len(elections) >= 2
    client = client_for(kabagops)
    first = client.get("/operasi/kerawanan/")
    assert first.status_code == 200
    page = first.content.decode()
    assert 'id="pick-election"' in page
    for e in elections:
        assert f'value="{e.slug}"' in page
    other = next(e for e in elections if e != first.context["election"])
    assert client.get(f"/operasi/kerawanan/?election={other.slug}").context["election"] == other
    # Back without a parameter (a link, the navbar): still the chosen election, here and on the TPS list.
    assert client.get("/operasi/kerawanan/").context["election"] == other
    assert client.get("/situs/tps/").context["election"] == other
    assert client.get("/peta/").context["election"] == other


def test_response_times_period_is_chosen_and_remembered(client_for: Any, kabagops: Any) -> None:
    client = client_for(kabagops)
    page = client.get("/kejadian/waktu-respons/")
    assert page.context["days"] == 14 and 'id="pick-days"' in page.content.decode()
    assert client.get("/kejadian/waktu-respons/?hari=3").context["days"] == 3
    assert client.get("/kejadian/waktu-respons/").context["days"] == 3
    assert client.get("/kejadian/waktu-respons/?hari=abc").context["days"] == 14
