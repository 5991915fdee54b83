"""The offline-first field app (issue 18, G7) in Debian Chromium: the service worker opens the pages cold with
the network off, and every action filed offline reaches the server exactly once: plain, with the first replay
answered 503, and with the tab closed mid-replay (one answer lost on the way back). The outbox is empty after
acknowledgement and after logout."""

from __future__ import annotations

import time
from typing import Any

import pytest

from siaga.field.tests.conftest import PASSWORD, World, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

OUTBOX_COUNT = "() => window.SiagaOutbox.waiting().then(items => items.length)"
PAGES_CACHED = "() => caches.open('siaga-field-pages').then(c => c.keys()).then(k => k.length)"


def stored(world: World) -> dict[str, int]:
    from siaga.field.models import TpsReport
    from siaga.guard.models import CheckIn, Handover
    from siaga.incidents.models import Incident
    from siaga.patrols.models import PatrolCheckIn
    from siaga.personnel.models import ApelEntry

    return {
        "tps": TpsReport.objects.filter(user=world.user).count(),
        "incidents": Incident.objects.filter(source="field").count(),
        "guard": CheckIn.objects.filter(personnel=world.person).count(),
        "handover": Handover.objects.filter(outgoing=world.person).count(),
        "patrol": PatrolCheckIn.objects.filter(user=world.user).count(),
        "apel": ApelEntry.objects.filter(session=world.apel, status="present").count(),
    }


def file_through_the_pages(page: Any, base: str) -> None:
    """50 mixed actions, each through its own form, with the network off (the pages come from the worker)."""
    page.goto(f"{base}/lapangan/")
    page.click("form[data-url*='self-check-in'] button")
    page.click(".guard-shift form[data-url$='/check-in'] button")
    page.click(".guard-shift details summary")
    page.fill(".guard-shift input[name=outgoing_nrp]", "88010001")
    page.click(".guard-shift form[data-url$='/handover'] button")
    for i, form in enumerate(page.locator("#patrol-route form").all()):
        form.locator("input[name=qr]").fill(f"QR-{i}")
        form.locator("button[type=submit]").click()
    wait_outbox(page, lambda n: n == 5, 20)
    page.goto(f"{base}/lapangan/tps/")
    cards = page.locator(".tps-card").all()
    for card in cards[1:]:  # the first TPS opens with its situation form shown, the others on a tap
        card.locator("details summary").click()
    for card in cards:
        card.locator("form[data-label] button[type=submit]").first.click()  # arrival
    conditions = ["aman", "rawan", "kejadian"]
    for i in range(18):
        card = cards[i % len(cards)]
        card.locator("textarea[name=note]").fill(f"situasi {i}")
        card.locator(f"button[value={conditions[i % 3]}]").click()
        wait_outbox(page, lambda n, i=i: n == 5 + len(cards) + i + 1, 20)
    page.goto(f"{base}/lapangan/lapor/")
    for i in range(25):
        page.fill("#f-description", f"Laporan lapangan nomor {i} tanpa sinyal")
        page.click("#incident-form button[type=submit]")
        wait_outbox(page, lambda n, i=i: n == 25 + i + 1, 20)


def file_by_script(page: Any, world: World, tag: str) -> None:
    """The same mix, added to the outbox directly (the forms are proven above): 50 items."""
    tps = [t.pk for t in world.tps]
    page.evaluate(
        """async ([tps, tag]) => {
            for (let i = 0; i < 25; i++) {
              await SiagaOutbox.add({url: "/api/v1/field/tps-reports", label: "tps " + i,
                body: {tps_id: tps[i % 2], kind: "situation", condition: ["aman", "rawan", "kejadian"][i % 3],
                       note: tag + " " + i, reported_at: new Date().toISOString()}});
              await SiagaOutbox.add({url: "/api/v1/incidents", label: "incident " + i,
                body: {source: "field", category: "other", description: tag + " laporan nomor " + i,
                       occurred_at: new Date().toISOString(), lat: -8.41, lng: 113.76}});
            }
        }""",
        [tps, tag],
    )


def refusals(page: Any) -> list[str]:
    return page.evaluate(
        "() => SiagaOutbox.log().then(l => l.filter(x => x.state === 'refused').map(x => x.label + ': ' + x.message))"
    )


def wait_outbox(page: Any, test: Any, timeout_s: float = 60) -> int:
    """Poll the outbox size until `test(size)` (evaluate awaits the IndexedDB promise; wait_for_function would
    take the pending promise itself as a truthy answer)."""
    deadline = time.monotonic() + timeout_s
    while True:
        size = int(page.evaluate(OUTBOX_COUNT))
        if test(size):
            return size
        if time.monotonic() > deadline:
            raise AssertionError(f"outbox still holds {size} items")
        page.wait_for_timeout(200)


def wait_empty(page: Any) -> None:
    wait_outbox(page, lambda n: n == 0)


def test_field_app_offline_first(live_url: str, browser: Any) -> None:
    world = make_world()
    before = stored(world)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        geolocation={"latitude": world.post.lat, "longitude": world.post.lng}, permissions=["geolocation"],
    )  # fmt: skip
    try:
        page = context.new_page()
        page.goto(f"{live_url}/masuk/?next=/lapangan/")
        page.fill("input[name=username]", world.user.username)
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_url(f"{live_url}/lapangan/")
        page.evaluate("() => navigator.serviceWorker.ready")
        deadline = time.monotonic() + 30
        while page.evaluate(PAGES_CACHED) < 4 and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert page.evaluate(PAGES_CACHED) == 4
        cached_render = page.evaluate(
            "() => caches.match('/lapangan/').then(r => r.text())"
            '.then(t => t.match(/data-rendered-at="([^"]+)"/)[1])'
        )

        # Cold start with the network off: a new tab opens today's duties from the worker's cache.
        context.set_offline(True)
        cold = context.new_page()
        cold.goto(f"{live_url}/lapangan/")
        assert cold.get_attribute("body", "data-rendered-at") == cached_render  # the stored copy
        assert "Pos PPK Tempurejo" in cold.inner_text("main")
        assert cold.locator("#duty-list .duty").count() >= 2
        cold.close()

        # 1. Fifty actions through the forms, offline; then online: exactly fifty stored, outbox empty.
        file_through_the_pages(page, live_url)
        assert page.evaluate(OUTBOX_COUNT) == 50
        assert stored(world) == before
        context.set_offline(False)
        page.goto(f"{live_url}/lapangan/kotak-keluar/")
        wait_empty(page)
        after = stored(world)
        assert {k: after[k] - before[k] for k in after} == {
            "tps": 20, "incidents": 25, "guard": 1, "handover": 1, "patrol": 2, "apel": 1,
        }  # fmt: skip
        assert page.locator("#outbox-log [data-state=sent]").count() == 50
        assert page.locator("#outbox-log [data-state=refused]").count() == 0

        # 2. The first replay is answered 503: retried (with backoff), still exactly fifty.
        context.set_offline(True)
        file_by_script(page, world, "kedua")
        assert page.evaluate(OUTBOX_COUNT) == 50
        answered = {"n": 0}

        def first_is_503(route: Any) -> None:
            answered["n"] += 1
            if answered["n"] == 1:
                route.fulfill(status=503, content_type="application/json",
                              body='{"message": "sibuk", "code": "unavailable", "fields": {}}')  # fmt: skip
            else:
                route.continue_()

        page.route("**/api/v1/**", first_is_503)
        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        wait_empty(page)
        page.unroute("**/api/v1/**")
        assert refusals(page) == []
        assert answered["n"] == 51
        second = stored(world)
        assert second["tps"] - after["tps"] == 25 and second["incidents"] - after["incidents"] == 25

        # 3. The tab is closed mid-replay, and one answer is lost on its way back (the server stored it):
        #    the next tab replays the rest with the same keys, still exactly fifty.
        context.set_offline(True)
        file_by_script(page, world, "ketiga")
        seen = {"n": 0}

        def lose_tenth_answer(route: Any) -> None:
            seen["n"] += 1
            if seen["n"] == 10:
                route.fetch()  # reaches the server, which stores it
                route.abort("connectionreset")  # ... but the phone never hears back
            else:
                route.continue_()

        page.route("**/api/v1/**", lose_tenth_answer)
        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        wait_outbox(page, lambda n: n < 30)
        page.close()
        page = context.new_page()
        page.goto(f"{live_url}/lapangan/kotak-keluar/")
        wait_empty(page)
        third = stored(world)
        assert third["tps"] - second["tps"] == 25 and third["incidents"] - second["incidents"] == 25

        # Logout empties the phone, even with actions still waiting (the officer is asked first).
        page.route("**/api/v1/**", lambda route: route.abort())
        page.evaluate(
            "() => SiagaOutbox.add({url: '/api/v1/incidents', label: 'x', body: {source: 'field', category: 'other',"
            " description: 'tidak terkirim sebelum keluar', occurred_at: new Date().toISOString(), lat: -8.41, lng: 113.76}})"
        )
        assert page.evaluate(OUTBOX_COUNT) == 1
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#field-logout button")
        page.wait_for_url(f"{live_url}/")
        assert (
            page.evaluate(
                """() => new Promise(resolve => { const r = indexedDB.open('siaga-field', 1);
                 r.onupgradeneeded = () => r.result.createObjectStore('outbox', {keyPath: 'seq', autoIncrement: true});
                 r.onsuccess = () => { const t = r.result.transaction(['outbox']).objectStore('outbox').count();
                                       t.onsuccess = () => resolve(t.result); }; })"""
            )
            == 0
        )
        assert (
            page.evaluate("() => caches.keys().then(k => k.filter(n => n.startsWith('siaga-field')).length)")
            == 0
        )
    finally:
        context.close()
    assert stored(world)["incidents"] - third["incidents"] == 0
