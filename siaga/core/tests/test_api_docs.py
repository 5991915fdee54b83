"""The API's documentation page works offline: Swagger UI comes from the installed django-ninja package."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_api_docs_load_their_assets_from_this_server() -> None:
    html = Client().get("/api/v1/docs").content.decode()
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    # Before: Ninja's CDN template (cdn.jsdelivr.net), a blank page without internet.
    assert not [a for a in assets if re.match(r"(https?:)?//", a)]
    scripts = [a for a in assets if a.endswith(".js")]
    assert "/static/ninja/swagger-ui-bundle.js" in scripts
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_the_operations_in_chromium_under_the_csp(live_server: Any, browser: Any) -> None:
    context = browser.new_context(offline=False)
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    try:
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".opblock", timeout=15000)
        # Anonymous visitors get the public part of the schema only (issue 21 item 10): the public reports.
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert len(paths) >= 2 and all("/public/" in p or p.endswith(".ics") for p in paths), paths
        assert any("/api/v1/public/reports" in p for p in paths)
    finally:
        context.close()
    assert [u for u in external if not u.startswith("data:")] == []
