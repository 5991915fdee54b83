"""Bytes a browser downloads for the command map's first view and the PAM TPS plan page (budget: 1 MB each),
and for every field app page at 390 px, first visit and after it (budget: 200 KB each after the first visit).

    SIAGA_DEMO_MODE=true SIAGA_DATA_DIR=DIR .venv/bin/siaga demo --port 8105 &   # a loaded demo, served
    .venv/bin/python bench/page_weight.py --url http://127.0.0.1:8105 --data-dir DIR [--user kabagops]
    .venv/bin/python bench/page_weight.py --url http://127.0.0.1:8105 --data-dir DIR --field

`--field` links a bench account (`bench.lapangan`, field officer) in the demo database to a synthetic officer
with a guard shift today, then weighs /lapangan/, /lapangan/tps/, /lapangan/lapor/ and /lapangan/kotak-keluar/:
"first" with an empty cache and no service worker, "after" once the service worker has installed (its assets come
from the phone; only the page itself crosses the network). "after" sums the page target's network bytes that were
not served by the worker, plus the page's own HTML as the worker fetches it (gzip, measured with the same session).

Debian Chromium (Playwright) opens each page with an empty cache, waits until it has loaded (and the map says it
is ready) plus 3 s, and sums what went over the wire (Chrome's encodedDataLength: compressed bodies plus headers).
The session is made in the demo database directly (no login form), so the figures do not depend on how
accounts log in. Prints one JSON object per page: bytes, requests and the five largest responses.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BUDGET_BYTES = 1_000_000
FIELD_BUDGET_BYTES = 200_000
FIELD_PAGES = ("/lapangan/", "/lapangan/tps/", "/lapangan/lapor/", "/lapangan/kotak-keluar/")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def session_cookie(username: str) -> tuple[str, str]:
    """A logged-in session for `username` in the demo database: (cookie name, value)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client

    from siaga.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def plan_url() -> str:
    from django.urls import reverse

    from siaga.deployment.models import DeploymentPlan

    plan = DeploymentPlan.objects.order_by("-pk").first()
    if plan is None:
        raise SystemExit("the demo has no PAM TPS plan")
    return reverse("deployment:plan_detail", args=[plan.pk])


def weigh(
    browser: Any, base: str, path: str, cookie: tuple[str, str], *, ready: str | None
) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": base}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    sizes: dict[str, float] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    response = page.goto(base + path, wait_until="load", timeout=120_000)
    if response is None or response.status != 200 or "/masuk/" in page.url:
        raise SystemExit(f"{path}: not a page ({page.url})")
    if ready:
        page.wait_for_selector(ready, state="attached", timeout=120_000)
    # Not "networkidle": live views poll every few seconds. What the first view needs has arrived by now.
    page.wait_for_timeout(3_000)
    context.close()
    largest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    total = int(sum(sizes.values()))
    return {
        "page": path,
        "bytes": total,
        "within_budget": total < BUDGET_BYTES,
        "requests": len(sizes),
        "largest": [{"url": urls.get(k, k).removeprefix(base), "bytes": int(v)} for k, v in largest],
    }


def field_account() -> str:
    """A field officer account in the demo database, linked to a synthetic officer with a guard shift today."""
    from django.utils import timezone

    from siaga.accounts.models import User
    from siaga.deployment.models import OfficerAccount
    from siaga.guard.models import Assignment, Roster

    username = "bench.lapangan"
    user = User.objects.filter(username=username).first()
    if user is None:
        now = timezone.now()
        shift = (
            Assignment.objects.filter(
                roster__status=Roster.Status.PUBLISHED, starts_at__lte=now, ends_at__gt=now
            )
            .exclude(personnel__in=OfficerAccount.objects.values("personnel"))
            .select_related("personnel__unit__police_unit", "post__vital_object")
            .first()
        )
        if shift is None:
            raise SystemExit("the demo has no guard shift now")
        unit = shift.personnel.unit.police_unit if shift.personnel.unit else None
        # A demo account (is_demo): demo mode exempts it from two-step login, as the printed demo accounts.
        user = User.objects.create_user(
            username=username, role="field_officer", police_unit=unit, is_demo=True
        )
        OfficerAccount.objects.create(user=user, personnel=shift.personnel)
    return username


def html_wire_bytes(base: str, path: str, cookie: tuple[str, str]) -> int:
    """The page's HTML as it crosses the network (gzip), with the same session: what the worker fetches."""
    import urllib.request

    request = urllib.request.Request(
        base + path, headers={"Cookie": f"{cookie[0]}={cookie[1]}", "Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        if response.geturl() != base + path:
            raise SystemExit(f"{path}: redirected to {response.geturl()}")
        body = response.read()
        headers = sum(len(k) + len(v) + 4 for k, v in response.headers.items())
    return len(body) + headers


def weigh_field(browser: Any, base: str, cookie: tuple[str, str]) -> list[dict[str, Any]]:
    out = []
    for path in FIELD_PAGES:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, service_workers="block"
        )
        context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": base}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes: dict[str, float] = {}
        cdp.on(
            "Network.loadingFinished",
            lambda e, sizes=sizes: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
        )
        response = page.goto(base + path, wait_until="load", timeout=120_000)
        if response is None or response.status != 200 or page.url != base + path:
            raise SystemExit(f"{path}: not a page ({page.url})")
        page.wait_for_timeout(1_000)
        first = int(sum(sizes.values()))
        context.close()
        out.append({"page": path, "visit": "first", "bytes": first, "requests": len(sizes)})

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": base}])
    page = context.new_page()
    page.goto(base + FIELD_PAGES[0], wait_until="load", timeout=120_000)
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_timeout(3_000)  # the worker stores the pages and assets
    for path in FIELD_PAGES:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        wire: dict[str, float] = {}
        by_worker: set[str] = set()
        cdp.on(
            "Network.responseReceived",
            lambda e, w=by_worker: w.add(e["requestId"]) if e["response"].get("fromServiceWorker") else None,
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e, wire=wire: wire.__setitem__(e["requestId"], e["encodedDataLength"]),
        )
        page.goto(base + path, wait_until="load", timeout=120_000)
        page.wait_for_timeout(1_000)
        cdp.detach()
        network = int(sum(v for k, v in wire.items() if k not in by_worker))
        html = html_wire_bytes(base, path, cookie)
        total = network + html
        out.append({
            "page": path, "visit": "after", "bytes": total, "html_bytes": html, "other_network_bytes": network,
            "from_worker": len(by_worker), "within_budget": total < FIELD_BUDGET_BYTES,
        })  # fmt: skip
    context.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="where the demo is served, e.g. http://127.0.0.1:8105")
    parser.add_argument("--data-dir", required=True, help="the demo's SIAGA_DATA_DIR (its SQLite database)")
    parser.add_argument("--user", default="kabagops")
    parser.add_argument("--field", action="store_true", help="weigh the field app's pages (390 px)")
    parser.add_argument(
        "--field-user", default="", help="an existing field account (default: bench.lapangan)"
    )
    args = parser.parse_args(argv)
    os.environ["SIAGA_DATA_DIR"] = args.data_dir
    os.environ.setdefault("SIAGA_DEMO_MODE", "true")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Django ORM next to Playwright's event loop
    if args.field:
        session_cookie(args.user)  # sets Django up
        cookie = session_cookie(args.field_user or field_account())
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                for row in weigh_field(browser, args.url.rstrip("/"), cookie):
                    print(json.dumps(row), flush=True)
            finally:
                browser.close()
        return 0
    cookie = session_cookie(args.user)
    base = args.url.rstrip("/")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for path, ready in (("/peta/", '#command-map[data-state="ready"]'), (plan_url(), None)):
                print(json.dumps(weigh(browser, base, path, cookie, ready=ready)), flush=True)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
