"""Accounts: users with a role and a police unit that sets their jurisdiction; API tokens; login failures."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COMMANDER = "commander", _("Pimpinan")
    OPS_STAFF = "ops_staff", _("Staf Bag Ops")
    POLSEK_OFFICER = "polsek_officer", _("Petugas Polsek")
    FIELD_OFFICER = "field_officer", _("Petugas lapangan")
    PARTNER_VIEWER = "partner_viewer", _("Mitra (KPU, Bawaslu, TNI)")
    # Propam/Siwas handle neutrality complaints; only they see a complainant's identity.
    PROPAM = "propam", _("Propam/Siwas")
    # Above the Polres (issue 20): a Polda's staff read every Polres of the Polda and launch their plans; Mabes
    # staff read everything. Neither writes a Polres' records: the Polres stays the owner of its operation.
    POLDA_STAFF = "polda_staff", _("Staf Polda")
    MABES_STAFF = "mabes_staff", _("Staf Mabes")


class User(AbstractUser):
    """A Siaga user: a role (what they may do) and a police unit (which territory they may see)."""

    class Partner(models.TextChoices):
        NONE = "", _("-")
        KPU = "kpu", _("KPU")
        BAWASLU = "bawaslu", _("Bawaslu")
        TNI = "tni", _("TNI")

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.FIELD_OFFICER)
    police_unit = models.ForeignKey(
        "territory.PoliceUnit",
        verbose_name=_("satuan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    partner = models.CharField(
        _("instansi mitra"), max_length=10, choices=Partner.choices, blank=True, default=""
    )
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("akun demo"), default=False)

    audit_exclude = ("password", "last_login")

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once when created."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama"), max_length=100, default="cli")
    prefix = models.CharField(_("awalan"), max_length=12)
    digest = models.CharField(_("sidik"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    audit_exclude = ("digest",)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "sg_" + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """A failed login, kept for throttling per account+address pair, per address, and per known device."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    # The device cookie's id when the attempt came from a browser this account logged in from before; such
    # attempts are counted per device, apart from the anonymous ones an attacker can make.
    device = models.CharField(max_length=32, blank=True, default="", db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("gagal masuk")
        verbose_name_plural = _("gagal masuk")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
