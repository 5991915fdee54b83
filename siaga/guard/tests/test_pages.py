"""Guard pages and API: persona access (200 / 404 / 403), query counts, the calendar feed, the map layer."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from siaga.guard import services
from siaga.guard.engine import to_aware
from siaga.guard.models import Post, Roster


def test_personas_on_the_board_and_roster(
    client_for: Callable[..., Client],
    small_roster: Roster,
    kabagops: Any,
    field_officer: Any,
    outsider: Any,
    partner_kpu: Any,
) -> None:
    board = reverse("guard:board")
    roster_url = reverse("guard:roster_detail", args=[small_roster.pk])
    assert client_for(kabagops).get(board).status_code == 200
    assert client_for(kabagops).get(roster_url).status_code == 200
    assert client_for(field_officer).get(board).status_code == 200
    assert client_for(partner_kpu).get(board).status_code == 403
    # Polsek Kaliwates does not see the KPU office (Sumbersari): 404, not 403.
    assert client_for(outsider).get(roster_url).status_code == 404
    post = small_roster.posts.first()
    assert client_for(outsider).get(reverse("guard:post_detail", args=[post.pk])).status_code == 404
    assert (
        client_for(field_officer).post(reverse("guard:roster_solve", args=[small_roster.pk])).status_code
        == 403
    )
    assert Client().get(board).status_code == 302


def test_lists_without_n_plus_one(
    client_for: Callable[..., Client], small_roster: Roster, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    c = client_for(kabagops)
    for url in (
        reverse("guard:board"),
        reverse("guard:post_list"),
        reverse("guard:roster_list"),
        reverse("guard:alert_list"),
        reverse("guard:roster_detail", args=[small_roster.pk]),
        reverse("guard:roster_calendar", args=[small_roster.pk]),
        reverse("guard:map_posts"),
        reverse("api:guard_posts"),
    ):
        with django_assert_max_num_queries(20):
            assert c.get(url).status_code == 200, url
    officer = small_roster.officers.first()
    with django_assert_max_num_queries(15):
        assert c.get(reverse("guard:officer", args=[officer.pk])).status_code == 200


def test_board_replay_shows_who_is_on_the_post(
    client_for: Callable[..., Client], small_roster: Roster, kabagops: Any
) -> None:
    post = small_roster.posts.get(code="t-kpu-pos")
    a = (
        small_roster.assignments.filter(post=post, on=dt.date(2024, 2, 13), shift_code="P")
        .select_related("personnel")
        .first()
    )
    lat, lng = post.position
    services.check_in(
        actor=None,
        post=post,
        personnel=a.personnel,
        lat=lat,
        lng=lng,
        now=to_aware(dt.datetime(2024, 2, 13, 6, 3)),
    )
    page = client_for(kabagops).get(reverse("guard:board") + "?pada=2024-02-13T08:00").content.decode()
    card = page.split('data-post="t-kpu-pos"')[1].split('class="col-12')[0]
    assert a.personnel.name in card.split("present-names")[1].split("</span>")[0]
    assert "1/1" in card  # staffed; the missed 06:00 handover still shows as an alert
    assert "serah terima pukul 06:00" in card


def test_calendar_feed_parses_and_holds_the_officers_shifts(
    client_for: Callable[..., Client], small_roster: Roster, kabagops: Any
) -> None:
    officer = small_roster.officers.filter(guard_assignments__isnull=False).first()
    page = client_for(kabagops).post(reverse("guard:officer", args=[officer.pk])).content.decode()
    assert "/api/v1/guard/ical/" in page
    url = page.split('class="feed-url">')[1].split("<")[0].replace("http://testserver", "")
    response = Client().get(url)  # no session: phone calendars subscribe with the secret link only
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [e for e in cal.walk("VEVENT")]
    expected = list(small_roster.assignments.filter(personnel=officer).order_by("starts_at"))
    assert len(events) == len(expected) > 0
    assert sorted(e.decoded("dtstart") for e in events) == [a.starts_at for a in expected]
    assert all("Jaga" in str(e["summary"]) for e in events)
    assert Client().get("/api/v1/guard/ical/not-a-token.ics").status_code == 404


def test_api_check_in_and_map_layer(
    client_for: Callable[..., Client], small_roster: Roster, kabagops: Any
) -> None:
    post = Post.objects.get(code="t-kpu-pos")
    officer = small_roster.officers.first()
    c = client_for(kabagops)
    response = c.post(
        reverse("api:guard_check_in", args=[post.pk]),
        data=json.dumps({"personnel_id": officer.pk, "lat": -8.0, "lng": 113.0}),
        content_type="application/json",
    )
    # The roster is in Feb 2024, so nobody is on duty now: the API refuses rather than record a stray check-in.
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    layer = c.get(reverse("guard:map_posts")).json()
    assert {f["properties"]["state"] for f in layer["features"]} <= {"off", "ok", "short", "empty", "alert"}
    assert len(layer["features"]) == 2
