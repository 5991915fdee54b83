"""Elections and their stage calendars (PKPU)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Election(models.Model):
    """An election (Pemilu or Pilkada) with its voting day; TPS lists and plans belong to one election."""

    class Kind(models.TextChoices):
        PEMILU = "pemilu", _("Pemilu")
        PILKADA = "pilkada", _("Pilkada")

    slug = models.SlugField(
        _("kode"), max_length=40, unique=True, validators=[RegexValidator(r"^[a-z0-9-]+$")]
    )
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    voting_on = models.DateField(_("hari pemungutan suara"))
    max_voters_per_tps = models.PositiveIntegerField(_("pemilih maksimum per TPS"), default=300)

    class Meta:
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")
        ordering = ["-voting_on"]

    def __str__(self) -> str:
        return self.name


class ElectionStage(models.Model):
    """A stage of an election's calendar (PKPU), with its date range; editable because plenos slip."""

    election = models.ForeignKey(
        Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="stages"
    )
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama tahapan"), max_length=150)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    # Key stages (campaign, quiet period, voting, recapitulation) drive the security posture and the map header.
    is_key = models.BooleanField(_("tahapan utama"), default=False)
    source = models.CharField(_("dasar/sumber"), max_length=200, blank=True)
    notes = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tahapan pemilihan")
        verbose_name_plural = _("tahapan pemilihan")
        ordering = ["election", "starts_on", "ends_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="stage_unique_code_per_election"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="stage_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["election", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai sebelum tanggal mulai")})
