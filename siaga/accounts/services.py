"""Writes about users: API tokens, login throttling, demo accounts, and account management by the Polres admin."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.models import ApiToken, LoginFailure, Role, User
from siaga.accounts.roles import can
from siaga.accounts.selectors import (
    access_account,
    accounts_for,
    is_unrestricted_admin,
    linkable_personnel,
    manageable_units,
)
from siaga.core.audit import changed_only, record_change, record_update, snapshot
from siaga.core.errors import PermissionDenied, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.personnel.models import Personnel
from siaga.territory.models import PoliceUnit

logger = logging.getLogger("siaga.security")


@transaction.atomic
def create_api_token(*, user: User, name: str = "cli") -> str:
    """Create a token for `user` and return it; only its hash is stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], digest=ApiToken.hash(raw))
    record_change(actor=user, action=AuditEvent.Action.CREATE, obj=token, after=snapshot(token))
    return raw


def user_for_token(raw: str) -> User | None:
    tokens = ApiToken.objects.select_related("user", "user__police_unit").filter(
        digest=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True
    )
    if not settings.SIAGA_DEMO_MODE:
        tokens = tokens.exclude(user__is_demo=True)
    token = tokens.first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.SIAGA_LOGIN_WINDOW_SECONDS)


def is_login_throttled(*, username: str, ip_address: str | None, device: str = "") -> bool:
    """Too many recent failures for this attempt's own bucket (ASVS 6.1.1, G17).

    Never a lock-out an attacker controls:
    - an attempt from a browser the account logged in from before (`device`, a signed cookie) counts only that
      device's failures, so nobody else's guesses can lock its owner out;
    - any other attempt counts the failures of this account from this address (5), then of this address for
      every account (20). Guesses from elsewhere do not lock the account; an address shared by everyone (a
      proxy without SIAGA_TRUST_X_FORWARDED_FOR) throttles only browsers without a device cookie.
    Every bucket expires with the window.
    """
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    limit = settings.SIAGA_LOGIN_MAX_FAILURES
    if device:
        return recent.filter(device=device).count() >= limit
    anonymous = recent.filter(device="")
    if anonymous.filter(username=username.lower(), ip_address=ip_address).count() >= limit:
        return True
    return bool(ip_address) and anonymous.filter(ip_address=ip_address).count() >= limit * 4


def record_login_failure(*, username: str, ip_address: str | None, device: str = "") -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip_address, device=device)
    record_change(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username[:150],
        message="login failed",
    )
    _alert_on_anomaly(username=username.lower()[:150])


ANOMALY_OBJECT_TYPE = "accounts.login_anomaly"


def _alert_on_anomaly(*, username: str) -> None:
    """The global anomaly alert: one audit record and one log warning per window when an account collects
    failures from many attempts, or the whole site does (credential stuffing, password spraying)."""
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    checks = [
        (f"account {username}", recent.filter(username=username).count(), settings.SIAGA_LOGIN_ALERT_ACCOUNT),
        ("all accounts", recent.count(), settings.SIAGA_LOGIN_ALERT_GLOBAL),
    ]
    for subject, count, threshold in checks:
        if count != threshold:  # exactly at the threshold: one alert per window, not one per later failure
            continue
        if AuditEvent.objects.filter(
            object_type=ANOMALY_OBJECT_TYPE, object_repr=subject, at__gte=since
        ).exists():
            continue
        record_change(
            actor=None,
            action=AuditEvent.Action.LOGIN_FAILED,
            object_type=ANOMALY_OBJECT_TYPE,
            object_repr=subject,
            message=f"login anomaly: {count} failures in {settings.SIAGA_LOGIN_WINDOW_SECONDS} s",
        )
        logger.warning("login anomaly: %s failed logins for %s in the window", count, subject)


def clear_login_failures(*, username: str, ip_address: str | None, device: str = "") -> None:
    """A successful login clears its own bucket only; others' failures stay for the anomaly alert."""
    failures = LoginFailure.objects.filter(username=username.lower())
    if device:
        failures.filter(device=device).delete()
    else:
        failures.filter(device="", ip_address=ip_address).delete()


DEMO_ACCOUNTS: list[dict[str, str]] = [
    {"username": "admin", "role": Role.ADMIN, "unit": "", "first_name": "Admin", "last_name": "Demo"},
    {
        "username": "kabagops",
        "role": Role.OPS_STAFF,
        "unit": "polres-jember",
        "first_name": "Kabag Ops",
        "last_name": "(demo)",
    },
    {
        "username": "polsek.tempurejo",
        "role": Role.POLSEK_OFFICER,
        "unit": "polsek-tempurejo",
        "first_name": "Operator Polsek",
        "last_name": "Tempurejo (demo)",
    },
    {
        "username": "mitra.kpu",
        "role": Role.PARTNER_VIEWER,
        "unit": "polres-jember",
        "first_name": "KPU Jember",
        "last_name": "(demo)",
        "partner": "kpu",
    },
    {
        "username": "propam",
        "role": Role.PROPAM,
        "unit": "polres-jember",
        "first_name": "Si Propam",
        "last_name": "(demo)",
    },
    {
        "username": "polda",
        "role": Role.POLDA_STAFF,
        "unit": "polda-jatim",
        "first_name": "Staf Ro Ops Polda Jatim",
        "last_name": "(demo)",
    },
    {
        "username": "mabes",
        "role": Role.MABES_STAFF,
        "unit": "mabes-polri",
        "first_name": "Staf Asops Mabes",
        "last_name": "(demo)",
    },
]

DEFAULT_DEMO_PASSWORD = "siaga-demo-2024"  # noqa: S105 - printed on screen; demo mode only


def demo_password() -> str:
    return settings.SIAGA_DEMO_PASSWORD or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def ensure_demo_accounts() -> list[User]:
    """Create (or reset) the demo accounts. Refuses outside demo mode: they must never exist elsewhere."""
    if not settings.SIAGA_DEMO_MODE:
        raise RuntimeError("Demo accounts can only be created with SIAGA_DEMO_MODE=true")
    users = []
    for spec in DEMO_ACCOUNTS:
        unit = PoliceUnit.objects.get(code=spec["unit"]) if spec["unit"] else None
        user, created = User.objects.get_or_create(username=spec["username"])
        user.role = spec["role"]
        user.police_unit = unit
        user.first_name = spec["first_name"]
        user.last_name = spec["last_name"]
        user.partner = spec.get("partner", "")
        user.is_demo = True
        user.is_staff = spec["role"] == Role.ADMIN
        user.is_superuser = spec["role"] == Role.ADMIN
        user.set_password(demo_password())
        user.save()
        if created:
            record_change(
                actor=None, action=AuditEvent.Action.CREATE, obj=user, after=snapshot(user), message="demo"
            )
        users.append(user)
    return users


# --- account management by the Polres admin (issue 13) ----------------------------------------------------

#: Columns of the account import; `username` or `nrp` (or both) must be present.
ACCOUNT_COLUMNS = ("peran", "satuan")
ACCOUNT_COLUMNS_HELP = "username | nrp, nama, peran, satuan, [email, telepon, instansi_mitra, aktif]"
#: Characters of a temporary password: no look-alikes (0/O, 1/l/I), easy to read out over a radio.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_YES = {"ya", "y", "yes", "1", "true", "aktif", "active"}
_NO = {"tidak", "t", "no", "n", "0", "false", "nonaktif", "inactive"}


#: Roles that belong to one level of the unit tree: their account's unit must be of that level.
LEVEL_ROLES: dict[str, str] = {
    Role.POLDA_STAFF: PoliceUnit.Level.POLDA,
    Role.MABES_STAFF: PoliceUnit.Level.MABES,
}


def _require_manager(actor: Any) -> None:
    if not can(actor, "manage_accounts"):
        raise PermissionDenied(
            _("Hanya admin Polres yang mengelola akun / Only the Polres admin manages accounts")
        )


def _check_role_and_unit(*, actor: Any, role: str, police_unit: PoliceUnit | None, partner: str) -> None:
    """The unit must lie in the actor's Polres; only an unrestricted admin makes an admin without a unit."""
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Peran tidak dikenal / Unknown role: %(r)s") % {"r": role}]
    if police_unit is None:
        if not (role == Role.ADMIN and is_unrestricted_admin(actor)):
            errors["police_unit"] = [_("Satuan wajib diisi / A unit is required")]
    elif not manageable_units(actor).filter(pk=police_unit.pk).exists():
        errors["police_unit"] = [_("Satuan di luar wilayah Anda / Unit outside your jurisdiction")]
    if police_unit is not None and role in LEVEL_ROLES and police_unit.level != LEVEL_ROLES[role]:
        errors["police_unit"] = [_("Satuan tidak sesuai dengan peran / The unit does not match the role")]
    if (
        police_unit is not None
        and police_unit.level in (PoliceUnit.Level.POLDA, PoliceUnit.Level.MABES)
        and role not in (*LEVEL_ROLES, Role.ADMIN)
    ):
        # A Polres role at a Polda would write in every Polres of the Polda: above the Polres, read only.
        errors["role"] = [
            _(
                "Akun Polda/Mabes memakai peran Staf Polda/Mabes / Polda and Mabes accounts use their staff role"
            )
        ]
    if role == Role.PARTNER_VIEWER and partner not in {p for p in User.Partner.values if p}:
        errors["partner"] = [
            _("Akun mitra perlu instansinya (KPU, Bawaslu, TNI) / A partner account needs its agency")
        ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def _validation_failed(exc: ValidationError) -> ValidationFailed:
    fields = (
        {k: [str(m) for m in v] for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
    )
    first = next(iter(fields.values()))[0] if fields else " ".join(str(m) for m in exc.messages)
    return ValidationFailed(first, fields=fields)


def _check_personnel(*, actor: Any, personnel: Personnel, account: User | None = None) -> None:
    """The officer belongs to the actor's Polres and has no other account."""
    from siaga.deployment.models import OfficerAccount

    if not Personnel.objects.filter(pk=personnel.pk).filter(
        pk__in=linkable_personnel(actor).values("pk")
    ).exists() and not (
        account is not None and OfficerAccount.objects.filter(user=account, personnel=personnel).exists()
    ):
        raise ValidationFailed(
            _(
                "Personel sudah punya akun atau di luar wilayah Anda / Officer already has an account or is outside your jurisdiction"
            ),
            fields={"personnel": [_("tidak bisa ditautkan / cannot be linked")]},
        )


@transaction.atomic
def create_account(
    *,
    actor: Any,
    username: str,
    role: str,
    police_unit: PoliceUnit | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    partner: str = "",
    personnel: Personnel | None = None,
    password: str = "",
) -> User:
    """Create an account in the actor's Polres. With `personnel` the account is linked to that officer and the
    username defaults to the officer's NRP, so a field officer logs in with his NRP. Without a password the
    account cannot log in until the admin sets a temporary one (`set_temporary_password`)."""
    _require_manager(actor)
    username = (username or (personnel.nrp if personnel else "")).strip()
    if not first_name and personnel is not None:
        first_name = personnel.name[:150]
    partner = partner if role == Role.PARTNER_VIEWER else ""
    _check_role_and_unit(actor=actor, role=role, police_unit=police_unit, partner=partner)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            _("Nama pengguna sudah dipakai / Username already taken: %(u)s") % {"u": username},
            fields={"username": [_("sudah dipakai / already taken")]},
        )
    if personnel is not None:
        _check_personnel(actor=actor, personnel=personnel)
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        role=role,
        police_unit=police_unit,
        partner=partner,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), fields={"password": list(exc.messages)}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as exc:
        raise _validation_failed(exc) from exc
    user.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=user, after=snapshot(user))
    if personnel is not None:
        _link(actor=actor, account=user, personnel=personnel)
    return user


@transaction.atomic
def update_account(
    *,
    actor: Any,
    account: User,
    role: str,
    police_unit: PoliceUnit | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    partner: str = "",
) -> User:
    """Change an account's role, unit and contact details (audited with only the changed fields)."""
    _require_manager(actor)
    account = access_account(actor, account.pk)
    partner = partner if role == Role.PARTNER_VIEWER else ""
    if account.pk == actor.pk and (role != account.role or police_unit != account.police_unit):
        raise ValidationFailed(
            _(
                "Anda tidak dapat mengubah peran atau satuan akun sendiri / You cannot change your own role or unit"
            ),
            fields={"role": [_("akun sendiri / your own account")]},
        )
    _check_role_and_unit(actor=actor, role=role, police_unit=police_unit, partner=partner)
    before = snapshot(account)
    account.role = role
    account.police_unit = police_unit
    account.first_name = first_name.strip()
    account.last_name = last_name.strip()
    account.email = email.strip()
    account.phone = phone.strip()
    account.partner = partner
    try:
        account.full_clean()
    except ValidationError as exc:
        raise _validation_failed(exc) from exc
    account.save()
    record_update(actor=actor, obj=account, before=before)
    return account


@transaction.atomic
def set_account_active(*, actor: Any, account: User, active: bool) -> User:
    """Deactivate (or reactivate) an account: it can no longer log in, its sessions and API tokens stop working
    (both check `is_active`). Nothing is deleted, so the audit trail keeps naming it."""
    _require_manager(actor)
    account = access_account(actor, account.pk)
    if account.pk == actor.pk:
        raise ValidationFailed(
            _("Anda tidak dapat menonaktifkan akun sendiri / You cannot deactivate your own account")
        )
    if account.is_active == active:
        return account
    before = snapshot(account)
    account.is_active = active
    account.save(update_fields=["is_active"])
    record_update(actor=actor, obj=account, before=before, message="activated" if active else "deactivated")
    return account


@transaction.atomic
def set_temporary_password(*, actor: Any, account: User) -> str:
    """Give an account a random temporary password and return it; it is shown once to the admin, who hands it
    over in person. Only its hash is stored; the audit record says that it was set, never the value."""
    _require_manager(actor)
    account = access_account(actor, account.pk)
    raw = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(14))
    account.set_password(raw)
    account.save(update_fields=["password"])
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, obj=account, message="temporary password set")
    return raw


def _link(*, actor: Any, account: User, personnel: Personnel) -> None:
    from siaga.deployment.models import OfficerAccount

    link = OfficerAccount.objects.create(user=account, personnel=personnel)
    record_change(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=link,
        object_repr=f"{account.get_username()} -> {personnel}",
        after=snapshot(link),
    )


@transaction.atomic
def link_personnel(*, actor: Any, account: User, personnel: Personnel | None) -> None:
    """Link an account to the officer it belongs to ("TPS saya", his duties), or unlink it with None."""
    from siaga.deployment.models import OfficerAccount

    _require_manager(actor)
    account = access_account(actor, account.pk)
    current = OfficerAccount.objects.select_related("personnel").filter(user=account).first()
    if current is not None and personnel is not None and current.personnel_id == personnel.pk:
        return
    if personnel is not None:
        _check_personnel(actor=actor, personnel=personnel)
    if current is not None:
        record_change(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            obj=current,
            object_repr=f"{account.get_username()} -> {current.personnel}",
            before=snapshot(current),
        )
        current.delete()
    if personnel is not None:
        _link(actor=actor, account=account, personnel=personnel)


def _nrp(value: str) -> str:
    """An NRP as typed in a sheet ("8501 0001", "85.010.001") reduced to its digits' string."""
    return value.replace(" ", "").replace(".", "")


def _lookup_role(value: str) -> str | None:
    key = value.strip().lower()
    for code, label in Role.choices:
        if key in {code, str(label).lower()}:
            return str(code)
    return None


def import_accounts(
    *, actor: Any, source: Any, filename: str | None = None, report: Any = None
) -> dict[str, int]:
    """Import accounts from CSV or XLSX (`ACCOUNT_COLUMNS_HELP`). Every row is checked first; any bad row
    refuses the whole file with row-level errors. A username that exists in the actor's Polres is updated;
    re-importing the same file changes nothing. New accounts have no password until the admin sets one."""
    from siaga.core.audit import audit_event
    from siaga.core.errors import ImportRejected, RowError
    from siaga.core.tabular import read_table, require_columns
    from siaga.deployment.models import OfficerAccount

    _require_manager(actor)
    progress = report or (lambda p, m="": None)
    progress(2, _("Membaca berkas / Reading the file"))
    header, rows = read_table(source, filename=filename)
    missing = require_columns(header, ACCOUNT_COLUMNS, any_of=[("username", "nrp")])
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada / Required columns missing: %(c)s. Kolom: %(h)s")
            % {"c": ", ".join(missing), "h": ACCOUNT_COLUMNS_HELP},
            [RowError(1, _("kolom tidak ada / missing column"), column=c) for c in missing],
        )
    units = list(manageable_units(actor))
    unit_of: dict[str, PoliceUnit] = {}
    for unit in units:
        unit_of[unit.code.lower()] = unit
        unit_of[unit.name.lower()] = unit
    unit_help = ", ".join(u.code for u in units[:40]) + (" ..." if len(units) > 40 else "")
    role_help = ", ".join(Role.values)
    managed = {u.username.lower(): u for u in accounts_for(actor)}
    # Usernames are compared without case, as create_account does: "Budi" and "budi" are one account.
    wanted = {(r.get("username").strip() or _nrp(r.get("nrp"))).lower() for r in rows}
    taken = set(
        User.objects.annotate(lowered=Lower("username"))
        .filter(lowered__in=wanted)
        .values_list("lowered", flat=True)
    )
    officers = {p.nrp: p for p in Personnel.objects.filter(pk__in=linkable_personnel(actor).values("pk"))}
    links = {
        link.personnel.nrp: link.user_id
        for link in OfficerAccount.objects.select_related("personnel").filter(
            user_id__in=[u.pk for u in managed.values()]
        )
    }
    linked_users = {user_id: nrp for nrp, user_id in links.items()}
    username_validator = User._meta.get_field("username").validators
    errors: list[RowError] = []
    parsed: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        if i % 200 == 0:
            progress(5 + 40 * i / max(1, len(rows)), _("Memeriksa baris / Checking rows"))
        row_errors: list[RowError] = []
        nrp = _nrp(row.get("nrp"))
        username = row.get("username").strip() or nrp
        if not username:
            row_errors.append(
                RowError(
                    row.number, _("username atau nrp wajib / username or nrp required"), column="username"
                )
            )
        for validator in username_validator:
            try:
                validator(username)
            except ValidationError as exc:
                row_errors.append(RowError(row.number, " ".join(exc.messages), column="username"))
        key = username.lower()
        if key in seen:
            row_errors.append(
                RowError(
                    row.number,
                    _("username ganda (sama dengan baris %(r)s) / duplicate username: %(v)s")
                    % {"r": seen[key], "v": username},
                    column="username",
                )
            )
        elif key:
            seen[key] = row.number
        existing = managed.get(key)
        if existing is None and key in taken:
            row_errors.append(
                RowError(
                    row.number,
                    _(
                        "username sudah dipakai akun di luar wilayah Anda / username taken outside your jurisdiction: %(v)s"
                    )
                    % {"v": username},
                    column="username",
                )
            )
        officer = None
        if nrp:
            officer = officers.get(nrp)
            linked_to = links.get(nrp)
            if officer is None and linked_to is None:
                row_errors.append(
                    RowError(
                        row.number,
                        _(
                            "NRP tidak ada di daftar personel Polres atau sudah punya akun / NRP not in the Polres personnel list or already has an account: %(v)s"
                        )
                        % {"v": nrp},
                        column="nrp",
                    )
                )
            elif linked_to is not None and (existing is None or linked_to != existing.pk):
                row_errors.append(
                    RowError(
                        row.number,
                        _("NRP sudah ditautkan ke akun lain / NRP already linked to another account: %(v)s")
                        % {"v": nrp},
                        column="nrp",
                    )
                )
            elif linked_to is None and existing is not None and existing.pk in linked_users:
                row_errors.append(
                    RowError(
                        row.number,
                        _(
                            "akun ini sudah ditautkan ke personel lain (NRP %(o)s) / "
                            "this account is already linked to another officer (NRP %(o)s)"
                        )
                        % {"o": linked_users[existing.pk]},
                        column="nrp",
                    )
                )
        role = _lookup_role(row.get("peran"))
        if role is None:
            row_errors.append(
                RowError(
                    row.number,
                    _("peran tidak dikenal: %(v)s. Peran yang diterima / accepted roles: %(a)s")
                    % {"v": row.get("peran"), "a": role_help},
                    column="peran",
                )
            )
        row_unit = unit_of.get(row.get("satuan").strip().lower())
        if row_unit is None:
            row_errors.append(
                RowError(
                    row.number,
                    _("satuan tidak dikenal atau di luar wilayah Anda: %(v)s. Satuan / units: %(a)s")
                    % {"v": row.get("satuan"), "a": unit_help},
                    column="satuan",
                )
            )
        partner = row.get("instansi_mitra").strip().lower()
        if role == Role.PARTNER_VIEWER and partner not in {"kpu", "bawaslu", "tni"}:
            row_errors.append(
                RowError(
                    row.number,
                    _(
                        "akun mitra perlu instansi_mitra: kpu, bawaslu atau tni / a partner account needs instansi_mitra"
                    ),
                    column="instansi_mitra",
                )
            )
        if role != Role.PARTNER_VIEWER:
            partner = ""
        active_raw = row.get("aktif").strip().lower()
        active: bool | None = None
        if active_raw in _YES:
            active = True
        elif active_raw in _NO:
            active = False
        elif active_raw:
            row_errors.append(
                RowError(
                    row.number,
                    _("aktif harus ya atau tidak / aktif must be ya or tidak: %(v)s") % {"v": active_raw},
                    column="aktif",
                )
            )
        name = row.get("nama").strip() or (officer.name if officer else "")
        if existing is None and not name:
            row_errors.append(RowError(row.number, _("nama kosong / name empty"), column="nama"))
        own = existing if existing is not None and existing.pk == getattr(actor, "pk", None) else None
        if own is not None and (role != own.role or row_unit != own.police_unit or active is False):
            row_errors.append(
                RowError(
                    row.number,
                    _(
                        "akun sendiri tidak dapat diubah lewat impor / "
                        "your own account cannot be changed by an import"
                    ),
                    column="username",
                )
            )
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(
                {
                    "username": username,
                    "existing": existing,
                    "officer": officer,
                    "role": role,
                    "unit": row_unit,
                    "partner": partner,
                    "active": active,
                    "name": name[:150],
                    "email": row.get("email").strip(),
                    "phone": row.get("telepon").strip(),
                }
            )
    if errors:
        raise ImportRejected(
            _("%(n)s baris salah; tidak ada yang disimpan / %(n)s bad rows; nothing was saved")
            % {"n": len({e.row for e in errors})},
            errors,
        )
    created = updated = unchanged = 0
    events = []
    with transaction.atomic():
        for i, item in enumerate(parsed):
            if i % 200 == 0:
                progress(50 + 45 * i / max(1, len(parsed)), _("Menyimpan akun / Saving accounts"))
            account = item["existing"]
            if account is None:
                account = User(
                    username=item["username"],
                    first_name=item["name"],
                    email=item["email"],
                    phone=item["phone"],
                    role=item["role"],
                    police_unit=item["unit"],
                    partner=item["partner"],
                    is_active=item["active"] is not False,
                )
                account.set_unusable_password()
                account.save()
                events.append(
                    audit_event(
                        actor=actor,
                        action=AuditEvent.Action.CREATE,
                        obj=account,
                        after=snapshot(account),
                        source=AuditEvent.Source.IMPORT,
                    )
                )
                created += 1
            else:
                before = snapshot(account)
                account.role = item["role"]
                account.police_unit = item["unit"]
                account.partner = item["partner"]
                if item["name"]:
                    account.first_name = item["name"]
                    account.last_name = ""
                if item["email"]:
                    account.email = item["email"]
                if item["phone"]:
                    account.phone = item["phone"]
                if item["active"] is not None:
                    account.is_active = item["active"]
                b, a = changed_only(before, snapshot(account))
                if a:
                    account.save()
                    events.append(
                        audit_event(
                            actor=actor,
                            action=AuditEvent.Action.UPDATE,
                            obj=account,
                            before=b,
                            after=a,
                            source=AuditEvent.Source.IMPORT,
                        )
                    )
                    updated += 1
                else:
                    unchanged += 1
            officer = item["officer"]
            if officer is not None and links.get(officer.nrp) != account.pk:
                link = OfficerAccount.objects.create(user=account, personnel=officer)
                events.append(
                    audit_event(
                        actor=actor,
                        action=AuditEvent.Action.CREATE,
                        obj=link,
                        object_repr=f"{account.get_username()} -> {officer}",
                        after=snapshot(link),
                        source=AuditEvent.Source.IMPORT,
                    )
                )
        result = {"created": created, "updated": updated, "unchanged": unchanged}
        events.append(
            audit_event(
                actor=actor,
                action=AuditEvent.Action.IMPORT,
                object_type="accounts.user",
                object_repr=filename or "akun",
                after=result,
                source=AuditEvent.Source.IMPORT,
            )
        )
        AuditEvent.objects.bulk_create(events)
    progress(100, _("Selesai / Done"))
    return result
