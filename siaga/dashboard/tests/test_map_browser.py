"""In Debian Chromium: the command map's first view fetches only the layers that are switched on; a layer
switched off is fetched when it is first switched on (the first view used to download 5.4 MB)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from siaga.core.maplayers import layers_for

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_layers_switched_off_are_fetched_only_when_switched_on(
    jember_data: None, live_server: Any, browser: Any
) -> None:
    from siaga.accounts.models import User
    from siaga.territory.models import PoliceUnit

    user = User.objects.create_user(
        username="posko-peta",
        password="posko-password-123",
        role="ops_staff",
        police_unit=PoliceUnit.objects.get(code="polres-jember"),
    )
    layers = layers_for(user)
    off = [layer for layer in layers if not layer["default_on"]]
    on = [layer for layer in layers if layer["default_on"]]
    assert off and on
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.removeprefix(live_server.url).split("?")[0]))
    try:
        page.goto(f"{live_server.url}/peta/")
        page.wait_for_selector('#command-map[data-state="ready"]', state="attached", timeout=30000)
        assert {layer["url"] for layer in on} <= set(fetched)
        assert not {layer["url"] for layer in off} & set(fetched)
        layer = off[0]
        page.locator(f'#map-layers input[data-layer="{layer["key"]}"]').check(force=True)
        page.wait_for_selector(f"#command-map[data-loaded-{layer['key']}]", state="attached", timeout=30000)
        assert fetched.count(layer["url"]) == 1
    finally:
        context.close()
