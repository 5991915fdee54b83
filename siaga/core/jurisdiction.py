"""What part of the territory a user may see.

A Polsek account sees only its kecamatan, a Polres account its kabupaten's kecamatan; administrators see all.
Every selector filters through a Scope, so lists, map layers, exports and API responses agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """The kecamatan a user may see (None: everything) and whether sensitive locations are hidden."""

    kecamatan_ids: frozenset[int] | None
    # Partner viewers (KPU, Bawaslu, TNI) see aggregates, not confidential locations or identities.
    is_partner: bool = False

    @property
    def is_unrestricted(self) -> bool:
        return self.kecamatan_ids is None

    def filter(self, qs: QuerySet[M], kecamatan_path: str) -> QuerySet[M]:
        """Restrict a queryset by the lookup path from its model to a kecamatan id."""
        if self.kecamatan_ids is None:
            return qs
        return qs.filter(**{f"{kecamatan_path}__in": self.kecamatan_ids})

    def q(self, kecamatan_path: str) -> Q:
        if self.kecamatan_ids is None:
            return Q()
        return Q(**{f"{kecamatan_path}__in": self.kecamatan_ids})

    def allows(self, kecamatan_id: int | None) -> bool:
        if self.kecamatan_ids is None:
            return True
        return kecamatan_id is not None and kecamatan_id in self.kecamatan_ids


EVERYTHING = Scope(kecamatan_ids=None)
NOTHING = Scope(kecamatan_ids=frozenset())
