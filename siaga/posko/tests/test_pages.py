"""Posko pages: who sees what, the live board's 204 when nothing changed, query counts on lists, the CCTV
register's watch gaps, the map layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from siaga.guard.models import CheckIn
from siaga.posko import scheduler, selectors, services
from siaga.posko.models import Alert, Camera
from siaga.posko.tests.conftest import NOW, World


def test_board_shows_the_stream_within_the_readers_area_and_answers_204_when_unchanged(
    world: World,
    kabagops: Any,
    polsek_tempurejo: Any,
    outsider: Any,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    scheduler.run_due(now=NOW, tasks=[services.ALERT_TICK])
    polres = client_for(kabagops)
    with django_assert_max_num_queries(40):
        full = polres.get("/posko/")
    assert full.status_code == 200 and 'id="command-map"' in full.content.decode()
    with django_assert_max_num_queries(30):
        live = polres.get("/posko/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-kind="logistics.late_leg"' in live and 'data-kind="events.understaffed"' in live
    assert "neutrality" not in live  # Bag Ops staff do not see Propam's cases
    stamp = live.split('data-stamp="', 1)[1].split('"', 1)[0]
    with django_assert_max_num_queries(12):
        unchanged = polres.get(f"/posko/?stamp={stamp}", HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204
    services.acknowledge_alert(actor=kabagops, alert=Alert.objects.get(kind="logistics.late_leg"))
    assert polres.get(f"/posko/?stamp={stamp}", HTTP_HX_REQUEST="true").status_code == 200
    # A Polsek sees its own area's alerts only; another Polsek none of Tempurejo's.
    own = client_for(polsek_tempurejo).get("/posko/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-kind="events.understaffed"' in own and 'data-kind="logistics.late_leg"' not in own
    other = client_for(outsider).get("/posko/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-kind="events.understaffed"' not in other
    event_alert = Alert.objects.get(kind="events.understaffed")
    assert client_for(outsider).get(f"/posko/peringatan/{event_alert.pk}/").status_code == 404
    assert client_for(outsider).post(f"/posko/peringatan/{event_alert.pk}/terima/").status_code == 404


def test_partners_and_field_officers_have_no_board(
    partner_kpu: Any, field_officer: Any, client_for: Any
) -> None:
    assert client_for(partner_kpu).get("/posko/").status_code == 403
    assert client_for(field_officer).get("/posko/").status_code == 403


def test_alert_pages_acknowledge_and_close(
    world: World, kabagops: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    services.run_alert_tick(now=NOW)
    client = client_for(kabagops)
    with django_assert_max_num_queries(14):
        listing = client.get("/posko/peringatan/?status=semua").content.decode()
    assert listing.count("data-kind=") == Alert.objects.exclude(source="neutrality").count()
    alert = Alert.objects.get(kind="incidents.unanswered")
    assert client.post(f"/posko/peringatan/{alert.pk}/terima/").status_code == 302
    client.post(f"/posko/peringatan/{alert.pk}/tutup/", {"note": ""})
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    client.post(f"/posko/peringatan/{alert.pk}/tutup/", {"note": "Unit Tempurejo-2 dikirim"})
    alert.refresh_from_db()
    assert (alert.status, alert.closed_by) == (Alert.Status.CLOSED, kabagops)
    detail = client.get(f"/posko/peringatan/{alert.pk}/").content.decode()
    assert "Unit Tempurejo-2 dikirim" in detail
    geo = client.get("/posko/peta/peringatan.geojson").json()
    assert alert.pk not in [f["properties"]["id"] for f in geo["features"]] and geo["features"]


def test_camera_register_shows_watch_gaps(
    world: World, kabagops: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    from siaga.posko.tests.conftest import make_officer

    camera = services.save_camera(
        actor=kabagops,
        camera=Camera(
            code="c-1", name="Gerbang KPU", owner=Camera.Owner.KPU, place="Gerbang", kecamatan=world.cctv.vital_object.kecamatan,
            stream_url="rtsp://10.0.0.5/gerbang", watched_by=world.cctv,
        ),
    )  # fmt: skip
    for i in range(3):
        services.save_camera(
            actor=kabagops,
            camera=Camera(code=f"c-x{i}", name=f"Dishub {i}", owner=Camera.Owner.DISHUB, place="Simpang", kecamatan=world.tempurejo),
        )  # fmt: skip
    # The seat was watched 06:00-08:00 and 08:30-09:00: gaps 00:00-06:00, 08:00-08:30 and from 09:00 on.
    day = timezone.localtime(NOW).date()
    six = timezone.localtime(NOW).replace(hour=6, minute=0)
    officer = make_officer()
    for start, end in (
        (six, six + dt.timedelta(hours=2)),
        (six + dt.timedelta(hours=2, minutes=30), six + dt.timedelta(hours=3)),
    ):
        CheckIn.objects.create(
            post=world.cctv,
            personnel=officer,
            checked_in_at=start,
            checked_out_at=end,
            lat=0,
            lng=0,
            distance_m=0,
        )
    gaps = selectors.watch_gaps([world.cctv.pk], start=six.replace(hour=0), end=NOW)[world.cctv.pk]
    assert [(f"{timezone.localtime(s):%H:%M}", f"{timezone.localtime(e):%H:%M}") for s, e in gaps] == [
        ("00:00", "06:00"),
        ("08:00", "08:30"),
        ("09:00", "10:00"),
    ]
    client = client_for(kabagops)
    client.get("/posko/cctv/")  # the first request of a session also writes the session
    with django_assert_max_num_queries(10) as counted:
        page = client.get(f"/posko/cctv/?hari={day.isoformat()}").content.decode()
    for i in range(4):
        Camera.objects.create(
            code=f"c-y{i}",
            name=f"Pemda {i}",
            owner="pemda",
            place="Alun-alun",
            kecamatan=world.tempurejo,
            watched_by=world.cctv,
        )
    with django_assert_max_num_queries(len(counted)):  # more cameras, no more queries
        client.get(f"/posko/cctv/?hari={day.isoformat()}")
    assert "Gerbang KPU" in page and "rtsp://10.0.0.5/gerbang" in page and "08:00–08:30" in page
    bad = client.post(
        f"/posko/cctv/{camera.pk}/ubah/",
        {
            "code": "c-1",
            "name": "x",
            "owner": "kpu",
            "place": "x",
            "kecamatan": world.tempurejo.pk,
            "stream_url": "file:///etc/passwd",
        },
    )
    assert bad.status_code == 200 and Camera.objects.get(pk=camera.pk).stream_url == "rtsp://10.0.0.5/gerbang"
