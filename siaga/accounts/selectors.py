"""Reads about users: above all, the jurisdiction Scope every other selector filters by."""

from __future__ import annotations

from typing import Any

from siaga.accounts.models import Role
from siaga.core.jurisdiction import EVERYTHING, NOTHING, Scope
from siaga.territory.models import Kecamatan


def scope_for(user: Any) -> Scope:
    """The kecamatan a user may see: a Polsek its own, a Polres its kabupaten, an administrator all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_siaga_scope", None)
    if cached is not None:
        return cached
    is_partner = user.role == Role.PARTNER_VIEWER
    if user.is_superuser or (user.role == Role.ADMIN and user.police_unit_id is None):
        scope = EVERYTHING
    elif user.police_unit_id is None:
        # A non-admin account with no unit sees nothing rather than everything: fail closed.
        scope = NOTHING
    else:
        unit = user.police_unit
        if unit.level == unit.Level.POLRES:
            ids = frozenset(
                Kecamatan.objects.filter(kabupaten_id=unit.kabupaten_id).values_list("id", flat=True)
            )
        else:
            ids = frozenset(unit.jurisdiction.values_list("id", flat=True))
        scope = Scope(kecamatan_ids=ids, is_partner=is_partner)
    user._siaga_scope = scope
    return scope
