"""Security patterns (pola pengamanan TPS): explicit counts per category, never a "2-4-8" string."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Kabaharkam: "Minimal pelibatan perkuatan pengamanan dilaksanakan oleh dua personel sebagai konsep body
# system" (domain.md 1.1). Fewer police per group needs a recorded override reason.
BODY_SYSTEM_MIN_POLICE = 2


class SecurityPattern(models.Model):
    """One (sub-)pattern of a Polres for an election and category: N police cover M TPS with L Linmas and T TNI."""

    polres = models.ForeignKey(
        "territory.PoliceUnit",
        verbose_name=_("Polres"),
        on_delete=models.PROTECT,
        related_name="security_patterns",
        limit_choices_to={"level": "polres"},
    )
    election = models.ForeignKey(
        "operations.Election",
        verbose_name=_("pemilihan"),
        on_delete=models.CASCADE,
        related_name="security_patterns",
    )
    category = models.ForeignKey(
        "operations.VulnerabilityCategory",
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="patterns",
    )
    name = models.CharField(_("nama sub-pola"), max_length=60, default="utama")
    police = models.PositiveSmallIntegerField(_("personel Polri per kelompok"))
    tps = models.PositiveSmallIntegerField(_("TPS per kelompok"))
    linmas = models.PositiveSmallIntegerField(_("Linmas per kelompok"), default=0)
    tni = models.PositiveSmallIntegerField(_("TNI per kelompok"), default=0)
    # The sub-pattern used for TPS of this category that are not pinned to another sub-pattern.
    is_default = models.BooleanField(_("sub-pola baku kategori ini"), default=True)
    body_system_override_reason = models.CharField(
        _("alasan pengecualian body system"), max_length=300, blank=True
    )
    source = models.CharField(_("dasar/sumber"), max_length=300, blank=True)
    notes = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pola pengamanan TPS")
        verbose_name_plural = _("pola pengamanan TPS")
        ordering = ["polres", "election", "category__severity", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["polres", "election", "category", "name"], name="pattern_unique_name"
            ),
            models.UniqueConstraint(
                fields=["polres", "election", "category"],
                condition=models.Q(is_default=True),
                name="pattern_one_default_per_category",
            ),
            models.CheckConstraint(condition=models.Q(tps__gte=1), name="pattern_at_least_one_tps"),
            models.CheckConstraint(
                condition=models.Q(police__gte=BODY_SYSTEM_MIN_POLICE)
                | ~models.Q(body_system_override_reason=""),
                name="pattern_body_system_or_override",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.category}: {self.police} Polri / {self.tps} TPS / {self.linmas} Linmas / {self.tni} TNI"
        )

    @property
    def notation(self) -> str:
        """The usual Polri-TPS-Linmas notation, for display only (domain.md 1.1)."""
        return f"{self.police}-{self.tps}-{self.linmas}"

    @property
    def is_body_system_override(self) -> bool:
        return self.police < BODY_SYSTEM_MIN_POLICE

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.tps is not None and self.tps < 1:
            errors.setdefault("tps", []).append(str(_("Minimal 1 TPS per kelompok")))
        if (
            self.police is not None
            and self.police < BODY_SYSTEM_MIN_POLICE
            and not self.body_system_override_reason.strip()
        ):
            errors.setdefault("police", []).append(
                str(
                    _(
                        "Body system: minimal %(n)s personel Polri per kelompok, kecuali alasan pengecualian diisi"
                    )
                    % {"n": BODY_SYSTEM_MIN_POLICE}
                )
            )
        if errors:
            raise ValidationError(errors)
