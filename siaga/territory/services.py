"""Writes to the police unit tree above the Polres (issue 20): Mabes, a Polda, and which Polda a Polres
belongs to. Kabupaten, kecamatan, desa, Polres and Polsek come from the territory import (importers.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from siaga.core.audit import record_change, record_update, snapshot
from siaga.core.errors import ValidationFailed
from siaga.core.models import AuditEvent
from siaga.territory.models import ABOVE_POLRES, PoliceUnit


def _full_clean(unit: PoliceUnit) -> None:
    try:
        unit.full_clean()
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields) from exc


@transaction.atomic
def save_unit_above_polres(
    *,
    actor: Any,
    code: str,
    name: str,
    level: str,
    lat: float,
    lng: float,
    parent: PoliceUnit | None = None,
    address: str = "",
) -> PoliceUnit:
    """Create or update (by code) Mabes or a Polda; a Polda's parent is Mabes, or none."""
    if level not in ABOVE_POLRES:
        raise ValidationFailed(
            _("Hanya Mabes atau Polda / Only Mabes or a Polda"), fields={"level": [_("tingkat / level")]}
        )
    unit = PoliceUnit.objects.filter(code=code).first()
    before = snapshot(unit) if unit is not None else None
    if unit is None:
        unit = PoliceUnit(code=code)
    unit.name, unit.level, unit.lat, unit.lng, unit.parent, unit.address = (
        name,
        level,
        lat,
        lng,
        parent,
        address,
    )
    unit.kabupaten = None
    _full_clean(unit)
    unit.save()
    if before is None:
        record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=unit, after=snapshot(unit))
    else:
        record_update(actor=actor, obj=unit, before=before)
    return unit


@transaction.atomic
def attach_polres(*, actor: Any, polres: PoliceUnit, polda: PoliceUnit | None) -> PoliceUnit:
    """Put a Polres under a Polda (or detach it with None); its Polsek follow through the kabupaten."""
    polres = PoliceUnit.objects.select_for_update().get(pk=polres.pk)
    if polres.level != PoliceUnit.Level.POLRES:
        raise ValidationFailed(
            _("Hanya Polres yang berada di bawah Polda / Only a Polres sits under a Polda"),
            fields={"polres": [_("bukan Polres / not a Polres")]},
        )
    before = snapshot(polres)
    polres.parent = polda
    _full_clean(polres)
    polres.save(update_fields=["parent"])
    record_update(actor=actor, obj=polres, before=before)
    return polres
