"""Notifications about incidents through pluggable channels: email and webhook now, an SMS/WhatsApp gateway later.

Channels are configured by settings (read with defaults, none required):
- SIAGA_INCIDENT_NOTIFY_EMAILS: list of addresses for P1/P2 incidents and dispatches;
- SIAGA_INCIDENT_WEBHOOK_URLS: list of URLs that receive a JSON POST (signed with HMAC-SHA256 of the body in
  `X-Siaga-Signature` when SIAGA_INCIDENT_WEBHOOK_SECRET is set);
- SIAGA_INCIDENT_SMS_GATEWAY: dotted path of a `MessageGateway` class (SMS or WhatsApp provider) and
  SIAGA_INCIDENT_SMS_NUMBERS the numbers it sends to.
Messages carry no reporter identity: only receipt, category, priority, status and kecamatan.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notification:
    event: str  # "reported" | "dispatched" | "status"
    receipt: str
    category: str
    priority: int
    status: str
    kecamatan: str
    text: str


class Channel(Protocol):
    name: str

    def send(self, notification: Notification) -> None: ...


class MessageGateway(Protocol):
    """An SMS or WhatsApp provider. Implementations talk to the outside world; tests use a fake."""

    def send_text(self, *, to: str, text: str) -> None: ...


class EmailChannel:
    name = "email"

    def __init__(self, recipients: Sequence[str]):
        self.recipients = list(recipients)

    def send(self, notification: Notification) -> None:
        subject = f"[Siaga] {notification.receipt} P{notification.priority} {notification.category}"
        send_mail(subject, notification.text, None, self.recipients, fail_silently=False)


class WebhookChannel:
    name = "webhook"

    def __init__(self, url: str, *, secret: str = "", timeout_s: float = 5.0):
        if not url.startswith(("https://", "http://")):
            raise ValueError("webhook URL must be http(s)")
        self.url, self.secret, self.timeout_s = url, secret, timeout_s

    def send(self, notification: Notification) -> None:
        body = json.dumps(asdict(notification), ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST")  # noqa: S310 - scheme checked above
        request.add_header("Content-Type", "application/json")
        if self.secret:
            request.add_header(
                "X-Siaga-Signature", hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            )
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310  # nosec B310  # scheme checked to be http(s) in __init__
            response.read(1024)


class GatewayChannel:
    name = "sms"

    def __init__(self, gateway: MessageGateway, numbers: Sequence[str]):
        self.gateway, self.numbers = gateway, list(numbers)

    def send(self, notification: Notification) -> None:
        for number in self.numbers:
            self.gateway.send_text(to=number, text=notification.text[:300])


_extra_channels: list[Channel] = []


def register_channel(channel: Channel) -> None:
    _extra_channels.append(channel)


def unregister_channel(channel: Channel) -> None:
    if channel in _extra_channels:
        _extra_channels.remove(channel)


def configured_channels() -> list[Channel]:
    channels: list[Channel] = []
    emails = getattr(settings, "SIAGA_INCIDENT_NOTIFY_EMAILS", [])
    if emails:
        channels.append(EmailChannel(emails))
    secret = getattr(settings, "SIAGA_INCIDENT_WEBHOOK_SECRET", "")
    for url in getattr(settings, "SIAGA_INCIDENT_WEBHOOK_URLS", []):
        channels.append(WebhookChannel(url, secret=secret))
    gateway_path = getattr(settings, "SIAGA_INCIDENT_SMS_GATEWAY", "")
    if gateway_path:
        channels.append(
            GatewayChannel(import_string(gateway_path)(), getattr(settings, "SIAGA_INCIDENT_SMS_NUMBERS", []))
        )
    return channels + list(_extra_channels)


def deliver(notification: Notification) -> dict[str, str]:
    """Send through every channel; one failing channel does not stop the others. Returns {channel: outcome}."""
    outcome: dict[str, str] = {}
    for channel in configured_channels():
        try:
            channel.send(notification)
            outcome[channel.name] = "ok"
        except Exception as exc:  # a broken gateway must never break the others
            log.warning("notification channel %s failed: %s", channel.name, exc)
            outcome[channel.name] = f"failed: {type(exc).__name__}"
    return outcome
