"""Reads of the Lapsit app, each filtered by the reader's role and jurisdiction (outside objects: NotFound)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.lapsit import partners
from siaga.lapsit.models import Lapsit, ReferralPacket, Reserve
from siaga.operations.selectors import polres_for
from siaga.territory.models import PoliceUnit


def polres_choices(user: Any) -> list[PoliceUnit]:
    return list(polres_for(user).order_by("name"))


def polres_of(user: Any, code: str = "") -> PoliceUnit | None:
    """The Polres a page is about: the one named (if the user may see it), else the user's own (or first)."""
    choices = polres_choices(user)
    if code:
        for polres in choices:
            if polres.code == code:
                return polres
        raise NotFound(_("Polres tidak ditemukan"))
    unit = getattr(user, "police_unit", None)
    for polres in choices:
        if unit is not None and polres.pk in (unit.pk, unit.parent_id):
            return polres
    return choices[0] if choices else None


# --- Lapsit ------------------------------------------------------------------------------------------------


def lapsits_for(user: Any, *, polres: PoliceUnit | None = None) -> QuerySet[Lapsit]:
    qs = Lapsit.objects.select_related("polres", "generated_by").defer("figures")
    if not can(user, "view_lapsit"):
        return qs.none()
    qs = qs.filter(polres__in=polres_for(user))
    # A Polsek account sees a Polres through polres_for, but the Lapsit is the whole Polres's: Polres level and
    # above (a Polda reads the Lapsits of its Polres, Mabes every one), never a Polsek.
    if not scope_for(user).is_unrestricted and getattr(user.police_unit, "level", "") not in (
        PoliceUnit.Level.POLRES,
        PoliceUnit.Level.POLDA,
        PoliceUnit.Level.MABES,
    ):
        return qs.none()
    if polres is not None:
        qs = qs.filter(polres=polres)
    return qs


def access_lapsit(user: Any, pk: int) -> Lapsit:
    lapsit = lapsits_for(user).defer(None).filter(pk=pk).first()
    if lapsit is None:
        raise NotFound(_("Lapsit tidak ditemukan"))
    return lapsit


def latest_lapsit(polres: PoliceUnit) -> Lapsit | None:
    return Lapsit.objects.filter(polres=polres).order_by("-day", "-revision").first()


def partner_lapsits(user: Any, polres: PoliceUnit) -> QuerySet[Lapsit]:
    """The Lapsits whose extract a partner (or the Posko previewing a partner view) may read."""
    if not can(user, "view_partner_view") or polres not in polres_choices(user):
        return Lapsit.objects.none()
    return Lapsit.objects.filter(polres=polres).order_by("-day", "-revision")


def access_partner_lapsit(user: Any, pk: int) -> Lapsit:
    lapsit = Lapsit.objects.select_related("polres").filter(pk=pk).first()
    if lapsit is None or not partner_lapsits(user, lapsit.polres).filter(pk=pk).exists():
        raise NotFound(_("Lapsit tidak ditemukan"))
    return lapsit


def reserves_for(user: Any, polres: PoliceUnit) -> QuerySet[Reserve]:
    if not can(user, "view_strength") or polres not in polres_choices(user):
        return Reserve.objects.none()
    return Reserve.objects.filter(polres=polres)


def access_reserve(user: Any, pk: int) -> Reserve:
    reserve = Reserve.objects.select_related("polres").filter(pk=pk).first()
    if reserve is None or not reserves_for(user, reserve.polres).filter(pk=pk).exists():
        raise NotFound(_("Cadangan tidak ditemukan"))
    return reserve


# --- partner views -------------------------------------------------------------------------------------------


def partner_kind_for(user: Any, requested: str = "") -> str:
    """A partner sees its own kind's view, whatever it asks for; the Posko previews any kind (KPU by default)."""
    if getattr(user, "role", "") == Role.PARTNER_VIEWER and not user.is_superuser:
        return user.partner if user.partner in partners.KINDS else partners.PRESS
    return requested if requested in partners.KINDS else partners.KINDS[0]


def partner_dashboard(
    user: Any, *, kind: str, polres: PoliceUnit, now: dt.datetime | None = None
) -> dict[str, Any]:
    """What a partner kind sees: the latest Lapsit's extract, recent incidents, coming events and partner forces,
    each serialised through the kind's rules (nothing else leaves this function)."""
    from siaga.events.models import Event
    from siaga.incidents.models import Incident
    from siaga.lapsit.glance import polres_kecamatan
    from siaga.personnel.models import PartnerForce

    now = now or timezone.now()
    rules = partners.rules_for(kind)
    kecamatan = polres_kecamatan(polres)
    scope = scope_for(user)
    if not scope.is_unrestricted:
        kecamatan = kecamatan & (scope.kecamatan_ids or frozenset())
    latest = latest_lapsit(polres)
    incidents = (
        Incident.objects.filter(kecamatan_id__in=kecamatan, reported_at__gte=now - dt.timedelta(days=7))
        .select_related("kecamatan", "desa", "handler")
        .order_by("-reported_at")[:50]
    )
    events = (
        Event.objects.filter(kecamatan_id__in=kecamatan, starts_at__gte=now - dt.timedelta(hours=12))
        .select_related("kecamatan")
        .order_by("starts_at")[:50]
    )
    forces = (
        PartnerForce.objects.filter(kecamatan_id__in=kecamatan)
        .select_related("kecamatan")
        .order_by("kind", "kecamatan__name", "unit_name")
    )
    return {
        "kind": kind,
        "fields": {t: partners.visible_fields(kind, t, rules) for t in partners.FIELDS},
        "lapsit": partners.lapsit_extract(kind, latest.figures, rules) if latest else None,
        "lapsit_id": latest.pk if latest else None,
        "incidents": partners.serialise_many(
            kind, "incident", map(partners.incident_record, incidents), rules
        ),
        "events": partners.serialise_many(kind, "event", map(partners.event_record, events), rules),
        "partner_forces": partners.serialise_counts(
            kind, "partner_force", map(partners.partner_force_record, forces), rules
        )[:300],
    }


# --- referrals -----------------------------------------------------------------------------------------------


def referrals_for(user: Any) -> QuerySet[ReferralPacket]:
    """Referral packets in the user's jurisdiction; among partners only Bawaslu, their addressee, reads them."""
    qs = ReferralPacket.objects.select_related("incident", "incident__kecamatan").order_by("-sent_at", "-id")
    if not can(user, "view_referrals"):
        return qs.none()
    if user.role == Role.PARTNER_VIEWER and not user.is_superuser and user.partner != "bawaslu":
        return qs.none()
    return scope_for(user).filter(qs, "incident__kecamatan_id")


def access_referral(user: Any, pk: int) -> ReferralPacket:
    packet = referrals_for(user).filter(pk=pk).first()
    if packet is None:
        raise NotFound(_("Rujukan tidak ditemukan"))
    return packet


def latest_lapsit_cells(polres_ids: list[int], election: Any = None) -> dict[int, Any]:
    """The Polda board's Lapsit column (siaga.polda.selectors.register_lapsit_provider): each Polres' latest
    Lapsit, in one query."""
    from django.db.models import OuterRef, Subquery
    from django.urls import reverse

    from siaga.polda.selectors import LapsitCell

    latest = (
        Lapsit.objects.filter(polres_id=OuterRef("polres_id")).order_by("-day", "-revision").values("pk")[:1]
    )
    rows = Lapsit.objects.filter(polres_id__in=polres_ids, pk=Subquery(latest)).only(
        "pk", "polres_id", "number", "day", "revision", "generated_at"
    )
    return {
        r.polres_id: LapsitCell(
            label=f"{r.number} ({r.day:%d-%m-%Y})",
            at=r.generated_at,
            url=reverse("lapsit:detail", args=[r.pk]),
        )
        for r in rows
    }
