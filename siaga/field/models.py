"""What a PAM TPS officer reports from the TPS: arrival, then the situation (aman / rawan / kejadian) at intervals."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TpsReport(models.Model):
    """One report from an officer at a TPS: arrival, or the situation at that moment, with optional photo and GPS."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", _("tiba di TPS")
        SITUATION = "situation", _("laporan situasi")

    class Condition(models.TextChoices):
        AMAN = "aman", _("aman")
        RAWAN = "rawan", _("rawan")
        KEJADIAN = "kejadian", _("ada kejadian")

    tps = models.ForeignKey("sites.Tps", verbose_name=_("TPS"), on_delete=models.PROTECT, related_name="+")
    # Denormalised from the TPS so that jurisdiction filters (scope_for) need no join.
    kecamatan = models.ForeignKey(
        "territory.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    condition = models.CharField(_("situasi"), max_length=10, choices=Condition.choices, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    photo = models.CharField(_("foto"), max_length=80, blank=True)
    lat = models.FloatField(
        _("lintang"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lng = models.FloatField(
        _("bujur"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    # When the officer pressed the button (the phone's clock), which may be hours before it reached the server.
    reported_at = models.DateTimeField(_("dilaporkan"))
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelapor"), on_delete=models.PROTECT, related_name="+"
    )
    personnel = models.ForeignKey(
        "personnel.Personnel",
        verbose_name=_("personel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("laporan TPS")
        verbose_name_plural = _("laporan TPS")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["kecamatan", "reported_at"]),
            models.Index(fields=["tps", "reported_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="arrival", condition="") | (Q(kind="situation") & ~Q(condition="")),
                name="field_tpsreport_condition_iff_situation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} TPS {self.tps_id}"

    def clean(self) -> None:
        if self.kind == self.Kind.SITUATION and not self.condition:
            raise ValidationError({"condition": _("Pilih situasi: aman, rawan atau ada kejadian")})
        if self.kind == self.Kind.ARRIVAL and self.condition:
            raise ValidationError({"condition": _("Laporan tiba tidak memuat situasi")})
        if (self.lat is None) != (self.lng is None):
            raise ValidationError({"lat": _("Lintang dan bujur diisi berdua")})
