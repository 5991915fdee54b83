"""Audit receivers for authentication events (ASVS 16.3.1); no business logic lives here."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from siaga.core.audit import record_change
from siaga.core.models import AuditEvent


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_change(actor=user, action=AuditEvent.Action.LOGIN, obj=user, message="login")


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_change(actor=user, action=AuditEvent.Action.LOGOUT, obj=user, message="logout")


@receiver(user_logged_in)
def start_session_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """The absolute session lifetime counts from this login (siaga.core.middleware.IdleTimeoutMiddleware)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session["auth_at"] = now
        request.session["last_seen"] = now
