"""Bytes a browser downloads for the command map's first view and the PAM TPS plan page (budget: 1 MB each).

    SIAGA_DEMO_MODE=true SIAGA_DATA_DIR=DIR .venv/bin/siaga demo --port 8105 &   # a loaded demo, served
    .venv/bin/python bench/page_weight.py --url http://127.0.0.1:8105 --data-dir DIR [--user kabagops]

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="where the demo is served, e.g. http://127.0.0.1:8105")
    parser.add_argument("--data-dir", required=True, help="the demo's SIAGA_DATA_DIR (its SQLite database)")
    parser.add_argument("--user", default="kabagops")
    args = parser.parse_args(argv)
    os.environ["SIAGA_DATA_DIR"] = args.data_dir
    os.environ.setdefault("SIAGA_DEMO_MODE", "true")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Django ORM next to Playwright's event loop
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
