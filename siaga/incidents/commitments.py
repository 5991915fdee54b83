"""Commitment providers: who may not be taken off their post to answer an incident.

The dispatch rule "never take an officer off a guard post or a TPS team below its pattern minimum" belongs to
the apps that own posts (guard) and TPS teams (deployment). They plug in here, without this app importing them:

    # siaga/guard/apps.py
    class GuardConfig(AppConfig):
        incident_commitment_providers = ["siaga.guard.commitments.GuardPostProvider"]

or at run time with `register_provider(provider)`. A provider receives the candidate units with their officers
(personnel ids) and answers which units may not be moved, with a reason a dispatcher can read. It is asked about
the whole unit at once, because taking two officers off one post can break a minimum that one alone would not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Protocol, runtime_checkable

from django.apps import apps
from django.utils.module_loading import import_string


@runtime_checkable
class CommitmentProvider(Protocol):
    def blocked_units(self, *, members: Mapping[int, Collection[int]], at: dt.datetime) -> Mapping[int, str]:
        """Of the units given as {unit id: personnel ids}, those whose removal breaks a minimum: {unit id: reason}."""
        ...


_registered: list[CommitmentProvider] = []


def register_provider(provider: CommitmentProvider) -> None:
    if provider not in _registered:
        _registered.append(provider)


def unregister_provider(provider: CommitmentProvider) -> None:
    if provider in _registered:
        _registered.remove(provider)


def providers() -> list[CommitmentProvider]:
    """Providers registered at run time plus those the apps declare in `incident_commitment_providers`."""
    found: list[CommitmentProvider] = list(_registered)
    for config in apps.get_app_configs():
        for path in getattr(config, "incident_commitment_providers", ()):
            target = import_string(path) if isinstance(path, str) else path
            found.append(target() if isinstance(target, type) else target)
    return found


def blocked_units(members: Mapping[int, Collection[int]], *, at: dt.datetime) -> dict[int, str]:
    """Every unit some provider refuses to release, with the first reason given."""
    blocked: dict[int, str] = {}
    if not members:
        return blocked
    for provider in providers():
        for unit_id, reason in provider.blocked_units(members=members, at=at).items():
            blocked.setdefault(unit_id, reason)
    return blocked
