"""Reads about users: above all, the jurisdiction Scope every other selector filters by."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from siaga.accounts.models import Role, User
from siaga.core.errors import NotFound
from siaga.core.jurisdiction import EVERYTHING, NOTHING, Scope
from siaga.core.models import AuditEvent
from siaga.territory.hierarchy import kecamatan_ids_of, units_within
from siaga.territory.models import PoliceUnit

if TYPE_CHECKING:
    from siaga.personnel.models import Personnel


def scope_for(user: Any) -> Scope:
    """The kecamatan a user may see: a Polsek its own, a Polres its kabupaten, a Polda its Polres' kabupaten,
    Mabes and an administrator without a unit all."""
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
    elif user.police_unit.level == PoliceUnit.Level.MABES:
        # Mabes sees every Polda; what it may do there (read only) is the role's business (roles.py).
        scope = Scope(kecamatan_ids=None, is_partner=is_partner)
    else:
        # A Polda: the kecamatan of its Polres' kabupaten; a Polres its kabupaten's; a Polsek its own.
        scope = Scope(kecamatan_ids=kecamatan_ids_of(user.police_unit), is_partner=is_partner)
    user._siaga_scope = scope
    return scope


# --- account management (issue 13): which accounts and units a Polres admin manages -----------------------


def is_unrestricted_admin(user: Any) -> bool:
    """A superuser or an administrator with no unit (a Polda or national administrator) manages everything."""
    return bool(user.is_superuser or (user.role == Role.ADMIN and user.police_unit_id is None))


def manageable_units(user: Any) -> QuerySet[PoliceUnit]:
    """The police units whose accounts `user` may manage: a Polres admin its Polres and every Polsek in it."""
    from siaga.accounts.roles import can

    units = PoliceUnit.objects.order_by("level", "name")
    if not can(user, "manage_accounts"):
        return units.none()
    if is_unrestricted_admin(user):
        return units
    return units.filter(pk__in=units_within(user.police_unit).values("pk"))


def accounts_for(
    user: Any,
    *,
    search: str = "",
    role: str = "",
    unit_id: int | None = None,
    active: bool | None = None,
) -> QuerySet[User]:
    """The accounts `user` manages, with their unit and linked officer, filtered for the account list.

    Superuser accounts are listed only to superusers: a Polres admin cannot deactivate the one who set it up.
    """
    from siaga.deployment.models import OfficerAccount

    qs = User.objects.select_related("police_unit").order_by("username")
    if not is_unrestricted_admin(user):
        qs = qs.filter(police_unit__in=manageable_units(user))
    if not user.is_superuser:
        qs = qs.filter(is_superuser=False)
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    if role:
        qs = qs.filter(role=role)
    if unit_id is not None:
        qs = qs.filter(police_unit_id=unit_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    # The linked officer (NRP, name) in the same query: a subquery per column instead of a query per row.
    links = OfficerAccount.objects.filter(user_id=OuterRef("pk"))
    return qs.annotate(
        personnel_nrp=Subquery(links.values("personnel__nrp")[:1]),
        personnel_name=Subquery(links.values("personnel__name")[:1]),
    )


def access_account(user: Any, pk: int) -> User:
    """One account `user` manages; NotFound for any other (404, so an account elsewhere does not leak)."""
    account = accounts_for(user).filter(pk=pk).first()
    if account is None:
        raise NotFound(_("Akun tidak ditemukan / Account not found"))
    return account


def linked_personnel(account: User) -> Personnel | None:
    """The officer an account belongs to (its OfficerAccount link), if any."""
    from siaga.deployment.models import OfficerAccount

    link = OfficerAccount.objects.select_related("personnel__rank", "personnel__unit").filter(user=account)
    first = link.first()
    return first.personnel if first else None


def linkable_personnel(user: Any, *, search: str = "") -> QuerySet[Personnel]:
    """Officers of the Polres (or Polsek) `user` manages that no account is linked to yet."""
    from siaga.accounts.roles import can
    from siaga.deployment.models import OfficerAccount
    from siaga.personnel.models import Personnel

    qs = Personnel.objects.select_related("rank", "unit").order_by("name")
    if not can(user, "manage_accounts"):
        return qs.none()
    if not is_unrestricted_admin(user):
        unit = user.police_unit
        if unit.level == PoliceUnit.Level.POLRES:
            qs = qs.filter(unit__polres_id=unit.pk)
        else:
            qs = qs.filter(unit__police_unit_id=unit.pk)
    qs = qs.exclude(pk__in=OfficerAccount.objects.values("personnel_id"))
    if search:
        qs = qs.filter(Q(nrp__startswith=search) | Q(name__icontains=search))
    return qs


def audit_units(user: Any) -> QuerySet[PoliceUnit] | None:
    """The units whose accounts' actions (audit events, background jobs) `user` may read: None for everything
    (an unrestricted account), else the user's Polres with its Polsek (or the Polsek with its Polsubsektor)."""
    if scope_for(user).is_unrestricted:
        return None
    unit = user.police_unit
    if unit is None:
        return PoliceUnit.objects.none()
    return units_within(unit)


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """The audit trail `user` may read: everything for an unrestricted account, else the events of accounts
    in the user's jurisdiction (the Polres and its Polsek). Events without an account (public reports, failed
    logins, system jobs) name no Polres, so only unrestricted accounts see them."""
    from siaga.accounts.roles import can

    qs = AuditEvent.objects.select_related("actor")
    if not can(user, "view_audit"):
        return qs.none()
    units = audit_units(user)
    return qs if units is None else qs.filter(actor__police_unit__in=units)
