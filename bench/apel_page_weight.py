"""Bytes a phone downloads for the roll-call page of the largest apel in the demo (budget: 200 KB).

    SIAGA_DATA_DIR=DIR .venv/bin/siaga demo --port 8103 &          # a loaded demo, served
    .venv/bin/python bench/apel_page_weight.py --url http://127.0.0.1:8103 --data-dir DIR [--user kabagops]

Debian Chromium (Playwright) opens the page at 390 x 844 with an empty cache, waits until the network is idle
and sums what went over the wire (Chrome's encodedDataLength: bodies as sent plus headers). It then opens one
unit (its rows load on demand) and reports that too. Prints one JSON object per step: bytes, requests, the
page height in CSS pixels and the largest responses.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BUDGET_BYTES = 200_000
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def demo_apel(username: str) -> tuple[str, str, int, int]:
    """A logged-in session in the demo database and the apel with the largest roster: (cookie, value, pk, n)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")
    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from siaga.accounts.models import User
    from siaga.personnel.models import ApelSession

    client = Client()
    client.force_login(User.objects.get(username=username))
    session = ApelSession.objects.annotate(n=Count("entries")).order_by("-n", "-pk").first()
    if session is None:
        raise SystemExit("the demo has no apel")
    return (
        settings.SESSION_COOKIE_NAME,
        client.cookies[settings.SESSION_COOKIE_NAME].value,
        session.pk,
        session.n,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="where the demo is served, e.g. http://127.0.0.1:8103")
    parser.add_argument("--data-dir", required=True, help="the demo's SIAGA_DATA_DIR (its SQLite database)")
    parser.add_argument("--user", default="kabagops")
    args = parser.parse_args(argv)
    os.environ["SIAGA_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Django ORM next to Playwright's event loop
    cookie_name, cookie_value, pk, roster = demo_apel(args.user)
    base = args.url.rstrip("/")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
        context.add_cookies([{"name": cookie_name, "value": cookie_value, "url": base}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        urls: dict[str, str] = {}
        sizes: dict[str, float] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))

        def figures(step: str) -> dict[str, Any]:
            page.wait_for_load_state("networkidle")
            largest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
            total = int(sum(sizes.values()))
            return {
                "step": step,
                "roster": roster,
                "bytes": total,
                "within_budget": total < BUDGET_BYTES,
                "requests": len(sizes),
                "height_px": page.evaluate("document.documentElement.scrollHeight"),
                "scroll_width_px": page.evaluate("document.documentElement.scrollWidth"),
                "largest": [{"url": urls.get(k, k).removeprefix(base), "bytes": int(v)} for k, v in largest],
            }

        try:
            response = page.goto(f"{base}/personel/apel/{pk}/", wait_until="networkidle")
            if response is None or response.status != 200 or "/masuk/" in page.url:
                raise SystemExit(f"not the roll-call page ({page.url})")
            print(json.dumps(figures("first view")), flush=True)
            page.locator(".rc-unit-toggle").first.click()
            page.locator(".rc-unit .rc-row").first.wait_for()
            print(json.dumps(figures("first view + one unit opened")), flush=True)
        finally:
            context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
