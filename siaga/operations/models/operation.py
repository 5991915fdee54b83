"""The police operation for an election: phases, the satgas structure and the siaga level over time."""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Operation(models.Model):
    """A police operation (e.g. Operasi Mantap Brata) run by one Polres for one election."""

    class Kind(models.TextChoices):
        CENTRAL = "terpusat", _("operasi terpusat (Mabes)")
        REGIONAL = "kewilayahan", _("operasi kewilayahan (Polda)")

    slug = models.SlugField(
        _("kode"), max_length=60, unique=True, validators=[RegexValidator(r"^[a-z0-9-]+$")]
    )
    name = models.CharField(_("nama operasi"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.CENTRAL)
    election = models.ForeignKey(
        "operations.Election",
        verbose_name=_("pemilihan"),
        on_delete=models.PROTECT,
        related_name="operations",
    )
    polres = models.ForeignKey(
        "territory.PoliceUnit",
        verbose_name=_("Polres"),
        on_delete=models.PROTECT,
        related_name="operations",
        limit_choices_to={"level": "polres"},
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    # Configured figures until the readiness app supplies apel results (see selectors.available_police).
    total_strength = models.PositiveIntegerField(_("kekuatan personel Polres"), null=True, blank=True)
    police_available = models.PositiveIntegerField(
        _("personel tersedia untuk PAM TPS"), null=True, blank=True
    )
    source = models.CharField(_("dasar/sumber"), max_length=300, blank=True)
    notes = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("operasi")
        verbose_name_plural = _("operasi")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="operation_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai sebelum tanggal mulai")})
        if self.polres_id and self.polres.level != "polres":
            raise ValidationError({"polres": _("Operasi dipegang oleh Polres")})


class OperationPhase(models.Model):
    """A phase of an operation: pre-operation, operation or post-operation, with its dates."""

    class Kind(models.TextChoices):
        PRE = "pra", _("pra-operasi")
        MAIN = "operasi", _("operasi")
        POST = "pasca", _("pasca-operasi")

    operation = models.ForeignKey(
        Operation, verbose_name=_("operasi"), on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("fase"), max_length=10, choices=Kind.choices)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    notes = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fase operasi")
        verbose_name_plural = _("fase operasi")
        ordering = ["operation", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "kind"], name="phase_unique_kind_per_operation"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation}: {self.get_kind_display()}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai sebelum tanggal mulai")})


class Satgas(models.Model):
    """A task force (satgas) of the operation, or a sub-satgas under one, with its commander."""

    class Kind(models.TextChoices):
        PREEMTIF = "preemtif", _("Satgas Preemtif")
        PREVENTIF = "preventif", _("Satgas Preventif")
        KAMSELTIBCARLANTAS = "kamseltibcarlantas", _("Satgas Kamseltibcarlantas")
        GAKKUM = "gakkum", _("Satgas Gakkum")
        HUMAS = "humas", _("Satgas Humas")
        BANOPS = "banops", _("Satgas Banops")
        OTHER = "lainnya", _("lainnya")

    operation = models.ForeignKey(
        Operation, verbose_name=_("operasi"), on_delete=models.CASCADE, related_name="satgas"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("satgas induk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=150)
    # Free text until the personnel app owns officers: "AKP Budi Santoso (Kasat Intelkam)".
    commander_name = models.CharField(_("komandan (nama)"), max_length=150, blank=True)
    commander_rank = models.CharField(_("pangkat/jabatan komandan"), max_length=100, blank=True)
    planned_strength = models.PositiveIntegerField(_("kekuatan rencana"), null=True, blank=True)
    tasks = models.TextField(_("tugas"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("satgas")
        verbose_name_plural = _("satgas")
        ordering = ["operation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "name"], name="satgas_unique_name_per_operation")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        parent = self.parent if self.parent_id else None
        if parent is not None:
            if parent.operation_id != self.operation_id:
                raise ValidationError({"parent": _("Satgas induk dari operasi lain")})
            if parent.parent_id:
                raise ValidationError({"parent": _("Sub-satgas hanya satu tingkat")})
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("Satgas tidak bisa menjadi induknya sendiri")})


class SiagaLevel(models.TextChoices):
    """Status siaga. Only Siaga I (2/3 of strength) is sourced; II and III are the common reading (unverified)."""

    NORMAL = "normal", _("Normal")
    III = "siaga3", _("Siaga III")
    II = "siaga2", _("Siaga II")
    I = "siaga1", _("Siaga I")  # noqa: E741 - the users' own name for the level


# (numerator, denominator) of the Polres strength each level demands. Siaga I = 2/3 is sourced (domain.md 3.3,
# ST/281/V/OPS.1.1.1/2019); II = 1/2 and III = 1/3 are the common reading, unverified. Override with the
# SIAGA_LEVEL_FRACTIONS setting, e.g. {"siaga2": [1, 2]}.
DEFAULT_LEVEL_FRACTIONS: dict[str, tuple[int, int]] = {
    SiagaLevel.NORMAL: (0, 1),
    SiagaLevel.III: (1, 3),
    SiagaLevel.II: (1, 2),
    SiagaLevel.I: (2, 3),
}


def default_fraction(level: str) -> Fraction:
    configured = getattr(settings, "SIAGA_LEVEL_FRACTIONS", {}) or {}
    num, den = configured.get(level, DEFAULT_LEVEL_FRACTIONS.get(level, (0, 1)))
    return Fraction(int(num), int(den))


class SiagaLevelChange(models.Model):
    """A change of an operation's siaga level: who set it, from when, why, and the strength share it demands."""

    operation = models.ForeignKey(
        Operation, verbose_name=_("operasi"), on_delete=models.CASCADE, related_name="siaga_changes"
    )
    level = models.CharField(_("status siaga"), max_length=10, choices=SiagaLevel.choices)
    effective_at = models.DateTimeField(_("berlaku sejak"), db_index=True)
    strength_numerator = models.PositiveSmallIntegerField(_("porsi kekuatan (pembilang)"))
    strength_denominator = models.PositiveSmallIntegerField(_("porsi kekuatan (penyebut)"))
    reason = models.TextField(_("alasan"))
    reference = models.CharField(_("dasar (mis. Surat Telegram)"), max_length=150, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditetapkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    decided_by_label = models.CharField(_("nama penetap"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan status siaga")
        verbose_name_plural = _("perubahan status siaga")
        ordering = ["operation", "-effective_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strength_denominator__gt=0)
                & models.Q(strength_numerator__lte=models.F("strength_denominator")),
                name="siaga_fraction_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.effective_at:%Y-%m-%d %H:%M})"

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.strength_numerator, self.strength_denominator)

    @property
    def fraction_label(self) -> str:
        f = self.fraction
        return f"{f.numerator}/{f.denominator}" if f.denominator != 1 else str(f.numerator)

    def clean(self) -> None:
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Alasan wajib diisi")})
        if self.strength_denominator == 0 or self.strength_numerator > self.strength_denominator:
            raise ValidationError({"strength_numerator": _("Porsi kekuatan harus antara 0 dan 1")})
