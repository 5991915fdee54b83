"""The police unit tree, Mabes > Polda > Polres > Polsek > Polsubsektor, as plain queries.

These do not look at who asks (no jurisdiction): `siaga.accounts.selectors.scope_for` builds on them, and
selectors that do check jurisdiction call them with a unit the user may see. A Polres is the unit that owns
a kabupaten; everything above it is the set of its Polres, everything below it shares its kabupaten.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from siaga.territory.models import Kecamatan, PoliceUnit

Level = PoliceUnit.Level


def polda_units() -> QuerySet[PoliceUnit]:
    """Every Polda, by name."""
    return PoliceUnit.objects.filter(level=Level.POLDA).order_by("name")


def polres_of(unit: PoliceUnit) -> QuerySet[PoliceUnit]:
    """The Polres under a Polda (its children), every Polres for Mabes, the Polres itself for a Polres, the
    Polsek's Polres for a Polsek or Polsubsektor (the Polres of the same kabupaten)."""
    polres = PoliceUnit.objects.filter(level=Level.POLRES).select_related("kabupaten").order_by("name")
    if unit.level == Level.MABES:
        return polres
    if unit.level == Level.POLDA:
        return polres.filter(parent_id=unit.pk)
    if unit.level == Level.POLRES:
        return polres.filter(pk=unit.pk)
    return polres.filter(kabupaten_id=unit.kabupaten_pk)


def polda_of(unit: PoliceUnit) -> PoliceUnit | None:
    """The Polda a unit belongs to (itself for a Polda), or None (Mabes, or a Polres attached to no Polda)."""
    if unit.level == Level.POLDA:
        return unit
    if unit.level == Level.MABES:
        return None
    if unit.level != Level.POLRES:
        found = polres_of(unit).first()
        if found is None:
            return None
        unit = found
    parent = unit.parent
    return parent if parent is not None and parent.level == Level.POLDA else None


def kabupaten_ids_of(unit: PoliceUnit) -> QuerySet[PoliceUnit, Any]:
    """The kabupaten ids a Polda or Mabes covers (those of its Polres), as a subquery."""
    return polres_of(unit).values("kabupaten_id")


def kecamatan_ids_of(unit: PoliceUnit) -> frozenset[int]:
    """The kecamatan a unit covers: a Polda or Mabes those of its Polres' kabupaten, a Polres its kabupaten's,
    a Polsek or Polsubsektor its own jurisdiction."""
    if unit.level in (Level.MABES, Level.POLDA):
        qs = Kecamatan.objects.filter(kabupaten_id__in=kabupaten_ids_of(unit))
    elif unit.level == Level.POLRES:
        qs = Kecamatan.objects.filter(kabupaten_id=unit.kabupaten_pk)
    else:
        return frozenset(unit.jurisdiction.values_list("id", flat=True))
    return frozenset(qs.values_list("id", flat=True))


def units_within(unit: PoliceUnit) -> QuerySet[PoliceUnit]:
    """The unit and every unit below it: for a Polres every unit of its kabupaten, for a Polda also its
    Polres' units, for Mabes every unit; for a Polsek itself and its Polsubsektor."""
    units = PoliceUnit.objects.order_by("level", "name")
    if unit.level == Level.MABES:
        return units
    if unit.level == Level.POLDA:
        return units.filter(Q(pk=unit.pk) | Q(kabupaten_id__in=kabupaten_ids_of(unit)))
    if unit.level == Level.POLRES:
        return units.filter(kabupaten_id=unit.kabupaten_pk)
    return units.filter(Q(pk=unit.pk) | Q(parent_id=unit.pk))
