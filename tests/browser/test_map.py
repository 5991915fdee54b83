"""The command map in a real browser: log in, see the TPS clusters and markers, talk to no other host, break
no CSP rule."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PASSWORD

# Plain django_db, not transactional: everything the browser writes is rolled back, nothing is flushed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SCREENSHOTS = "/tmp"


@dataclass
class Recorder:
    """Every request the page makes, and every CSP violation, console error and script error it reports."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign(self, live_url: str) -> list[str]:
        ours = urlsplit(live_url).netloc
        return [u for u in self.requests if not u.startswith("data:") and urlsplit(u).netloc != ours]

    def csp_violations(self) -> list[str]:
        return [m for m in self.console_errors if "Content Security Policy" in m or m.startswith("CSP:")]


@pytest.fixture
def page_and_log(
    chromium: Any, browser_user: Any, request: pytest.FixtureRequest
) -> Iterator[tuple[Any, Recorder]]:
    viewport = getattr(request, "param", {"width": 1366, "height": 800})
    context = chromium.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    log = Recorder()
    page.on("request", lambda r: log.requests.append(r.url))
    page.on(
        "console", lambda m: log.console_errors.append(m.text) if m.type in {"error", "warning"} else None
    )
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    # Init scripts run outside the page's CSP, so this listener sees every violation the page would cause.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    yield page, log
    context.close()


def log_in(page: Any, live_url: str) -> None:
    page.goto(f"{live_url}/masuk/")
    page.fill("input[name=username]", "b.kabagops")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/peta/$"))
    page.wait_for_selector("#command-map[data-state=ready]", timeout=30_000)


def drawn(page: Any, layer: str) -> tuple[int, int]:
    markers, bubbles = (page.get_attribute("#command-map", f"data-drawn-{layer}") or "0/0").split("/")
    return int(markers), int(bubbles)


def test_map_shows_7706_tps_as_clusters_then_markers_with_no_foreign_request(
    live_url: str, page_and_log: tuple[Any, Recorder]
) -> None:
    page, log = page_and_log
    log_in(page, live_url)

    count = page.locator("#count-tps")
    assert count.get_attribute("data-count") == "7706"
    assert re.sub(r"\D", "", count.inner_text()) == "7706" and count.inner_text() in {"7,706", "7.706"}
    assert page.locator("#synthetic-notice").is_visible()
    assert page.get_attribute("#command-map", "data-loaded-tps") == "7706"
    assert page.get_attribute("#command-map", "data-loaded-kecamatan") == "31"
    assert page.get_attribute("#command-map", "data-loaded-desa") == "248"

    # Low zoom: count bubbles, far fewer than the points, and they add up to every TPS in view.
    bubbles = page.locator(".map-cluster--tps")
    assert bubbles.count() > 10
    assert drawn(page, "tps")[1] == bubbles.count() < 1000
    page.screenshot(path=f"{SCREENSHOTS}/siaga-map-desktop.png")

    # Clicking a bubble zooms towards its TPS until, from zoom 15, they are drawn one by one as canvas markers.
    for layer in page.locator("#map-layers input[data-layer]").all():
        if layer.get_attribute("data-layer") not in {"kabupaten", "kecamatan", "desa", "tps"}:
            layer.uncheck()  # other apps' layers, so the screenshot shows ours
    start_zoom = float(page.get_attribute("#command-map", "data-zoom") or 0)
    for _ in range(10):
        if float(page.get_attribute("#command-map", "data-zoom") or 0) >= 15:
            break
        page.locator(".map-cluster--tps").first.click()
        page.wait_for_timeout(700)
    assert float(page.get_attribute("#command-map", "data-zoom") or 0) >= 15 > start_zoom
    markers, bubbles = drawn(page, "tps")
    assert markers > 0 and bubbles == 0
    assert page.locator(".map-cluster--tps").count() == 0
    page.screenshot(path=f"{SCREENSHOTS}/siaga-map-zoomed.png")

    # The layer control lists every layer; switching TPS off removes its bubbles.
    for key in ("kabupaten", "kecamatan", "desa", "tps", "vital_objects", "police_units"):
        assert page.locator(f'#map-layers input[data-layer="{key}"]').count() == 1
    page.locator('#map-layers input[data-layer="tps"]').uncheck()
    assert page.locator(".map-cluster--tps").count() == 0

    assert log.requests, "the recorder saw the page's requests"
    assert any("/situs/peta/tps.json" in u for u in log.requests)
    assert log.foreign(live_url) == []
    assert log.csp_violations() == []
    assert log.page_errors == []


@pytest.mark.parametrize("page_and_log", [{"width": 390, "height": 844}], indirect=True)
def test_map_works_on_a_phone(live_url: str, page_and_log: tuple[Any, Recorder]) -> None:
    page, log = page_and_log
    log_in(page, live_url)
    assert page.locator("#count-tps").is_visible()
    assert page.locator(".map-cluster--tps").count() > 5
    # The layer panel starts folded so the map stays visible, and opens with one tap.
    panel = page.locator("#map-layers")
    assert panel.get_attribute("open") is None
    page.locator("#map-layers summary").click()
    assert page.locator('#map-layers input[data-layer="tps"]').is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"
    page.screenshot(path=f"{SCREENSHOTS}/siaga-map-phone.png")
    assert log.foreign(live_url) == [] and log.csp_violations() == [] and log.page_errors == []


def test_tps_popup_text_is_escaped(live_url: str, page_and_log: tuple[Any, Recorder]) -> None:
    """A label with markup is shown as text, never parsed as HTML."""
    page, log = page_and_log
    log_in(page, live_url)
    page.goto(f"{live_url}/situs/tps/")
    first = page.locator("table a[href^='/situs/tps/']").first
    first.click()
    page.wait_for_selector(".mini-map[data-state=ready]")
    assert page.locator(".mini-map canvas").count() >= 1
    assert log.foreign(live_url) == [] and log.csp_violations() == [] and log.page_errors == []
