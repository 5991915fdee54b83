"""Notifications about alerts through one interface: the in-app channel (a row the Posko board and the bell
read) and SMS/WhatsApp through a gateway class chosen in settings.

A gateway is a `siaga.incidents.notify.MessageGateway` (`send_text(*, to, text)`, raising when the provider
refuses), the same shape the incident notifications use, so one provider class serves both.
`SIAGA_SMS_GATEWAY` / `SIAGA_WHATSAPP_GATEWAY` name the class (empty: the channel is off and its messages are
recorded as failed, while the in-app message still goes). `HttpSmsGateway`/`HttpWhatsAppGateway` post JSON
with a bearer token to the provider URL in settings, which most Indonesian SMS/WhatsApp providers accept
(or put a small adapter class of your own in the setting).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

from siaga.incidents.notify import MessageGateway

INAPP = "inapp"
SMS = "sms"
WHATSAPP = "whatsapp"
CHANNELS = (INAPP, SMS, WHATSAPP)
_SETTING = {SMS: "SIAGA_SMS_GATEWAY", WHATSAPP: "SIAGA_WHATSAPP_GATEWAY"}


class GatewayError(Exception):
    """The provider did not take the message (unreachable, refused, not configured)."""


class HttpGateway:
    """POST {"to", "text", "channel"} as JSON with a bearer token; any 2xx answer means the provider took it."""

    channel = SMS
    timeout_s = 5.0

    def __init__(self) -> None:
        prefix = _SETTING[self.channel]
        self.url = str(getattr(settings, f"{prefix}_URL", ""))
        self.token = str(getattr(settings, f"{prefix}_TOKEN", ""))

    def send_text(self, *, to: str, text: str) -> None:
        if not self.url.startswith(("https://", "http://")):
            raise GatewayError(f"{_SETTING[self.channel]}_URL is not an http(s) URL")
        body = json.dumps({"to": to, "text": text, "channel": self.channel}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST")  # noqa: S310 - scheme checked above
        request.add_header("Content-Type", "application/json")
        request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310  # nosec B310  # http(s) URL from settings, scheme checked above
                response.read(1024)
        except urllib.error.HTTPError as exc:
            raise GatewayError(f"provider answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise GatewayError(f"provider unreachable: {exc}") from exc


class HttpSmsGateway(HttpGateway):
    channel = SMS


class HttpWhatsAppGateway(HttpGateway):
    channel = WHATSAPP


def gateway_for(channel: str) -> MessageGateway:
    """The configured gateway of an outside channel; raises GatewayError when none is configured."""
    path = str(getattr(settings, _SETTING.get(channel, ""), "") or "")
    if not path:
        raise GatewayError(f"no gateway configured for {channel} ({_SETTING.get(channel, '?')})")
    gateway: MessageGateway = import_string(path)()
    return gateway
