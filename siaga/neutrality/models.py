"""Police neutrality: complaints handled as Propam cases to their deadlines, relatives who stand in the
election, and neutrality pledges (UU 2/2002 Pasal 28, Perpol 7/2022 Pasal 4 huruf h, ST Kapolri 2407/X/2023)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

NIK_VALIDATOR = RegexValidator(r"^\d{16}$", _("NIK terdiri dari 16 angka"))


class Step(models.TextChoices):
    """The steps of a case, in the order Propam handles them (domain.md section 7)."""

    RECEIVED = "received", _("Diterima")
    CLARIFICATION = "clarification", _("Klarifikasi")
    GELAR_PERKARA = "gelar_perkara", _("Gelar perkara")
    CLASSIFIED = "classified", _("Diklasifikasikan")
    HEARING = "hearing", _("Sidang")
    DECIDED = "decided", _("Diputus")
    CLOSED = "closed", _("Ditutup")


class Classification(models.TextChoices):
    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


class DeadlineRule(models.Model):
    """How long a step may take (days), and how early a warning shows; national defaults from a migration.

    The keys are the steps received, clarification and gelar_perkara (counted from entering the step) and
    the classifications ringan, sedang and berat (the target for the whole case, counted from receipt: 7 days
    for discipline, 14 days for the code of ethics).
    """

    key = models.CharField(_("kunci"), max_length=20, unique=True)
    days = models.PositiveSmallIntegerField(_("batas (hari)"), validators=[MinValueValidator(1)])
    warn_hours = models.PositiveSmallIntegerField(_("peringatan sebelum batas (jam)"), default=24)
    description = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("batas waktu netralitas")
        verbose_name_plural = _("batas waktu netralitas")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.days}"


class Case(models.Model):
    """A complaint that an officer took sides, handled by Propam/Siwas from receipt to decision."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("Masyarakat")
        INTERNAL = "internal", _("Internal (Siwas/pimpinan)")
        PARTNER = "partner", _("Mitra (temuan Bawaslu)")

    class CloseReason(models.TextChoices):
        NOT_PROVEN = "not_proven", _("Tidak terbukti")
        INSUFFICIENT = "insufficient", _("Bukti tidak cukup")
        NOT_POLICE = "not_police", _("Terlapor bukan anggota Polri")
        DUPLICATE = "duplicate", _("Sama dengan pengaduan lain")
        WITHDRAWN = "withdrawn", _("Dicabut pelapor")

    receipt = models.CharField(_("kode tanda terima"), max_length=12, unique=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    step = models.CharField(
        _("tahap"), max_length=16, choices=Step.choices, default=Step.RECEIVED, db_index=True
    )
    classification = models.CharField(
        _("klasifikasi"), max_length=8, choices=Classification.choices, blank=True, default=""
    )
    summary = models.TextField(_("uraian"), max_length=4000)
    officer_description = models.CharField(_("terlapor (sebagaimana dilaporkan)"), max_length=300)
    officer = models.ForeignKey(
        "personnel.Personnel",
        verbose_name=_("anggota terlapor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="neutrality_cases",
    )
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    kecamatan = models.ForeignKey(
        "territory.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        "territory.Desa",
        verbose_name=_("desa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tps = models.ForeignKey(
        "sites.Tps", verbose_name=_("TPS"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.CharField(_("keterangan tempat"), max_length=200, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("laporan kejadian asal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("diterima"), db_index=True)
    step_started_at = models.DateTimeField(_("tahap dimulai"))
    step_due_at = models.DateTimeField(_("batas tahap"), null=True, blank=True, db_index=True)
    step_warn_at = models.DateTimeField(_("peringatan tahap"), null=True, blank=True)
    decision = models.TextField(_("putusan"), blank=True, max_length=4000)
    sanction = models.CharField(_("sanksi"), max_length=300, blank=True)
    close_reason = models.CharField(
        _("alasan ditutup"), max_length=12, choices=CloseReason.choices, blank=True, default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Demo rows: invented complaints, labelled on every screen.
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)

    class Meta:
        verbose_name = _("perkara netralitas")
        verbose_name_plural = _("perkara netralitas")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["kecamatan", "step"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(step="decided") | ~Q(classification=""), name="neutrality_decided_is_classified"
            ),
            models.CheckConstraint(
                condition=~Q(step="closed") | ~Q(close_reason=""), name="neutrality_closed_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt

    @property
    def is_open(self) -> bool:
        return self.step not in (Step.DECIDED, Step.CLOSED)


class Complainant(models.Model):
    """Who filed a public complaint: seen only by Propam/Siwas, every view audited, never in the audit trail."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="complainant")
    name = models.CharField(_("nama"), max_length=150, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[NIK_VALIDATOR])
    phone = models.CharField(_("telepon"), max_length=40, blank=True)

    # Identity never enters the audit trail, which commanders read.
    audit_exclude = ("name", "nik", "phone")

    class Meta:
        verbose_name = _("pengadu")
        verbose_name_plural = _("pengadu")

    def __str__(self) -> str:
        return f"pengadu {self.case_id}"

    @property
    def is_anonymous(self) -> bool:
        return not (self.name or self.nik or self.phone)


class CaseEvent(models.Model):
    """One step of a case: who moved it, when, why, with the document attached (append-only)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    from_step = models.CharField(_("dari"), max_length=16, choices=Step.choices, blank=True)
    to_step = models.CharField(_("ke"), max_length=16, choices=Step.choices)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("catatan"), blank=True, max_length=4000)
    document = models.FileField(_("dokumen"), upload_to="netralitas/%Y/%m/", blank=True, max_length=200)

    class Meta:
        verbose_name = _("langkah perkara")
        verbose_name_plural = _("langkah perkara")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_step} -> {self.to_step}"


class Relative(models.Model):
    """An officer's declared relative who stands as a candidate or holds a party post."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Suami/istri")
        PARENT = "parent", _("Orang tua")
        CHILD = "child", _("Anak")
        SIBLING = "sibling", _("Saudara kandung")
        IN_LAW = "in_law", _("Mertua/ipar")
        OTHER = "other", _("Lainnya")

    class Standing(models.TextChoices):
        CANDIDATE = "candidate", _("Calon")
        PARTY_OFFICIAL = "party_official", _("Pengurus partai")
        CAMPAIGN_TEAM = "campaign_team", _("Tim kampanye")

    personnel = models.ForeignKey(
        "personnel.Personnel", verbose_name=_("anggota"), on_delete=models.CASCADE, related_name="relatives"
    )
    name = models.CharField(_("nama kerabat"), max_length=150)
    relation = models.CharField(_("hubungan"), max_length=10, choices=Relation.choices)
    standing = models.CharField(_("kedudukan"), max_length=16, choices=Standing.choices)
    party = models.CharField(_("partai/pasangan"), max_length=120, blank=True)
    contest = models.CharField(
        _("pemilihan"), max_length=120, blank=True, help_text=_("mis. DPRD Kab. Jember")
    )
    # The area where the relative stands (a dapil is a set of kecamatan): an officer deployed there is warned.
    kecamatan = models.ManyToManyField(
        "territory.Kecamatan", verbose_name=_("daerah pemilihan (kecamatan)"), blank=True, related_name="+"
    )
    declared_on = models.DateField(_("dilaporkan"))

    class Meta:
        verbose_name = _("kerabat peserta pemilu")
        verbose_name_plural = _("kerabat peserta pemilu")
        ordering = ["personnel__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_standing_display()})"


class Pledge(models.Model):
    """An officer's signed neutrality pledge (pakta integritas) for one operation."""

    personnel = models.ForeignKey(
        "personnel.Personnel", verbose_name=_("anggota"), on_delete=models.CASCADE, related_name="pledges"
    )
    operation = models.ForeignKey(
        "operations.Operation", verbose_name=_("operasi"), on_delete=models.CASCADE, related_name="+"
    )
    signed_on = models.DateField(_("ditandatangani"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pakta integritas")
        verbose_name_plural = _("pakta integritas")
        constraints = [
            models.UniqueConstraint(
                fields=["personnel", "operation"], name="neutrality_one_pledge_per_operation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.personnel_id} / {self.operation_id}"

    def clean(self) -> None:
        if self.signed_on is None:
            raise ValidationError({"signed_on": _("Tanggal wajib diisi")})
