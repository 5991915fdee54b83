"""Operations: elections (and later their stages, operations, satgas, siaga level and security patterns)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Election(models.Model):
    """An election (Pemilu or Pilkada) with its voting day; TPS lists and plans belong to one election."""

    class Kind(models.TextChoices):
        PEMILU = "pemilu", _("Pemilu")
        PILKADA = "pilkada", _("Pilkada")

    slug = models.SlugField(_("kode"), max_length=40, unique=True, validators=[RegexValidator(r"^[a-z0-9-]+$")])
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
