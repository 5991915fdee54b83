"""The command picture for the Polres and its partners: daily Lapsit snapshots, the contingency reserve,
partner redaction rules kept as data, and referral packets to Bawaslu (Sentra Gakkumdu)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Lapsit(models.Model):
    """One daily situation report (laporan situasi) of a Polres: an immutable snapshot of its figures and files."""

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", _("terjadwal")
        ON_DEMAND = "on_demand", _("atas permintaan")

    polres = models.ForeignKey(
        "territory.PoliceUnit", verbose_name=_("Polres"), on_delete=models.PROTECT, related_name="+"
    )
    election = models.ForeignKey(
        "operations.Election",
        verbose_name=_("pemilihan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    day = models.DateField(_("tanggal laporan"), db_index=True)
    # A day may be reported more than once (on demand after the scheduled one): each run is a new revision.
    revision = models.PositiveSmallIntegerField(_("revisi"), default=1)
    number = models.CharField(_("nomor"), max_length=80)
    trigger = models.CharField(_("pemicu"), max_length=10, choices=Trigger.choices)
    schema_version = models.PositiveSmallIntegerField(_("versi skema"))
    # The figures as generated, never recomputed: the history shows what the Posko knew that day.
    figures = models.JSONField(_("angka"))
    digest = models.CharField(_("sidik angka (SHA-256)"), max_length=64)
    pdf_file = models.CharField(_("berkas PDF"), max_length=120)
    xlsx_file = models.CharField(_("berkas XLSX"), max_length=120)
    json_file = models.CharField(_("berkas JSON"), max_length=120)
    generated_at = models.DateTimeField(_("dibuat"), db_index=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("proses"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    audit_exclude = ("figures",)

    class Meta:
        verbose_name = _("Lapsit")
        verbose_name_plural = _("Lapsit")
        ordering = ["-day", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["polres", "day", "revision"], name="lapsit_unique_revision"),
        ]

    def __str__(self) -> str:
        return self.number


class Reserve(models.Model):
    """A contingency reserve (cadangan, e.g. 1 SSK Brimob on BKO) of a Polres, kept apart from deployed posts."""

    class Origin(models.TextChoices):
        POLRES = "polres", _("Polres sendiri (Dalmas/Samapta)")
        BRIMOB = "brimob", _("Brimob (BKO)")
        POLDA = "polda", _("Polda (BKO)")
        TNI = "tni", _("TNI")
        OTHER = "other", _("lainnya")

    polres = models.ForeignKey(
        "territory.PoliceUnit", verbose_name=_("Polres"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nama satuan cadangan"), max_length=150, help_text=_("mis. 1 SSK Brimob"))
    origin = models.CharField(_("asal"), max_length=10, choices=Origin.choices, default=Origin.POLRES)
    count = models.PositiveIntegerField(_("jumlah personel"), validators=[MinValueValidator(1)])
    stationed_at = models.CharField(_("tempat siaga"), max_length=150, blank=True)
    starts_on = models.DateField(_("siaga mulai"))
    ends_on = models.DateField(_("siaga sampai"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cadangan")
        verbose_name_plural = _("cadangan")
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="reserve_count_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="reserve_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.count})"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai sebelum tanggal mulai")})


class PartnerFieldRule(models.Model):
    """One field a partner kind may see on one object type: the redaction rules, kept as data (allow-list)."""

    partner_kind = models.CharField(_("jenis mitra"), max_length=10, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=20)
    field = models.CharField(_("kolom"), max_length=40)

    class Meta:
        verbose_name = _("aturan kolom mitra")
        verbose_name_plural = _("aturan kolom mitra")
        ordering = ["partner_kind", "object_type", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner_kind", "object_type", "field"], name="partner_field_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_kind}: {self.object_type}.{self.field}"

    def clean(self) -> None:
        from siaga.core.errors import ValidationFailed
        from siaga.lapsit.partners import check_rule

        try:
            check_rule(self.partner_kind, self.object_type, self.field)
        except ValidationFailed as exc:
            raise ValidationError({"field": exc.message}) from exc


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("dikirim")
    RECEIVED = "received", _("diterima")
    PROCESSED = "processed", _("diproses")
    CLOSED = "closed", _("ditutup")


# The one state machine of a referral; `services.transition_referral` refuses every other move.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.RECEIVED, ReferralStatus.CLOSED}),
    ReferralStatus.RECEIVED: frozenset({ReferralStatus.PROCESSED, ReferralStatus.CLOSED}),
    ReferralStatus.PROCESSED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.CLOSED: frozenset(),
}


class ReferralPacket(models.Model):
    """An incident referred to Bawaslu (Sentra Gakkumdu): the packet as sent (a snapshot) and its status."""

    incident = models.OneToOneField(
        "incidents.Incident",
        verbose_name=_("kejadian"),
        on_delete=models.PROTECT,
        related_name="referral_packet",
    )
    number = models.CharField(_("nomor surat pengantar"), max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT, db_index=True
    )
    # What was handed over, frozen when the packet was made: later edits of the incident do not change it.
    data = models.JSONField(_("isi paket"))
    sent_at = models.DateTimeField(_("dikirim pada"))
    received_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    processed_at = models.DateTimeField(_("diproses pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    note = models.CharField(_("catatan terakhir"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    audit_exclude = ("data",)

    class Meta:
        verbose_name = _("paket rujukan Gakkumdu")
        verbose_name_plural = _("paket rujukan Gakkumdu")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.number
