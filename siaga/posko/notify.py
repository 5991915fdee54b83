"""Notifications about alerts through one interface: the in-app channel (a row the board and the bell read) and
SMS/WhatsApp through a gateway class chosen in settings (`SIAGA_NOTIFY_GATEWAY`).

A gateway is any class with `send(*, channel, to, text)` that raises `GatewayError` when the provider refuses.
`HttpGateway` posts JSON to a provider URL (most Indonesian SMS/WhatsApp providers take a POST with a token);
`NullGateway` (the default) sends nothing and says so, so a Polres without a provider still sees every alert
in the app.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

INAPP = "inapp"
SMS = "sms"
WHATSAPP = "whatsapp"
CHANNELS = (INAPP, SMS, WHATSAPP)


class GatewayError(Exception):
    """The provider did not accept the message (unreachable, refused, not configured)."""


class Gateway(Protocol):
    def send(self, *, channel: str, to: str, text: str) -> None: ...


class NullGateway:
    """No SMS/WhatsApp provider configured: every outside message fails visibly (the in-app one still goes)."""

    def send(self, *, channel: str, to: str, text: str) -> None:
        raise GatewayError("no SMS/WhatsApp gateway configured (SIAGA_NOTIFY_GATEWAY)")


class HttpGateway:
    """POST {"channel", "to", "text"} as JSON with a bearer token to the provider's URL; 2xx means accepted."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 5.0) -> None:
        self.url = url if url is not None else getattr(settings, "SIAGA_NOTIFY_GATEWAY_URL", "")
        self.token = token if token is not None else getattr(settings, "SIAGA_NOTIFY_GATEWAY_TOKEN", "")
        self.timeout = timeout

    def send(self, *, channel: str, to: str, text: str) -> None:
        if not self.url:
            raise GatewayError("SIAGA_NOTIFY_GATEWAY_URL is empty")
        if not self.url.startswith(("https://", "http://")):
            raise GatewayError("SIAGA_NOTIFY_GATEWAY_URL must be http(s)")
        body = json.dumps({"channel": channel, "to": to, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise GatewayError(f"provider answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GatewayError(f"provider unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise GatewayError(f"provider answered HTTP {status}")


@cache
def _gateway_class(path: str) -> Any:
    return import_string(path)


def gateway() -> Gateway:
    """The configured gateway (a new instance each time, so settings overridden in tests apply)."""
    path = getattr(settings, "SIAGA_NOTIFY_GATEWAY", "siaga.posko.notify.NullGateway")
    gw: Gateway = _gateway_class(path)()
    return gw
