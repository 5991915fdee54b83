"""Events: KPU activities and campaign events (STTP) with their security plan (sectors, officers) and the day."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from siaga.core.geo import validate_lat, validate_lng


class Event(models.Model):
    """A KPU activity or a campaign event the Polres secures, at one place between two times."""

    class Kind(models.TextChoices):
        KPU = "kpu", _("kegiatan KPU")
        CAMPAIGN = "campaign", _("kampanye")
        DEBATE = "debate", _("debat")
        PLENO = "pleno", _("pleno rekapitulasi")
        OTHER = "other", _("lainnya")

    class Risk(models.TextChoices):
        LOW = "low", _("rendah")
        MEDIUM = "medium", _("sedang")
        HIGH = "high", _("tinggi")

    class Status(models.TextChoices):
        PLANNED = "planned", _("direncanakan")
        ONGOING = "ongoing", _("berlangsung")
        DONE = "done", _("selesai")
        CANCELLED = "cancelled", _("dibatalkan")

    election = models.ForeignKey(
        "operations.Election", verbose_name=_("pemilihan"), on_delete=models.PROTECT, related_name="events"
    )
    stage = models.ForeignKey(
        "operations.ElectionStage",
        verbose_name=_("tahapan KPU"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, db_index=True)
    title = models.CharField(_("nama kegiatan"), max_length=200)
    organiser = models.CharField(_("penanggung jawab (ketua tim)"), max_length=150, blank=True)
    candidate = models.CharField(_("calon atau pasangan calon"), max_length=150, blank=True)
    party = models.CharField(_("partai"), max_length=100, blank=True)
    campaign_form = models.CharField(_("bentuk kampanye"), max_length=100, blank=True)
    speakers = models.CharField(_("juru kampanye"), max_length=300, blank=True)
    kecamatan = models.ForeignKey(
        "territory.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("tempat"), max_length=200)
    lat = models.FloatField(_("lintang"), validators=[validate_lat])
    lng = models.FloatField(_("bujur"), validators=[validate_lng])
    starts_at = models.DateTimeField(_("mulai"), db_index=True)
    ends_at = models.DateTimeField(_("selesai"))
    crowd = models.PositiveIntegerField(_("perkiraan massa"), default=0)
    vehicles = models.PositiveIntegerField(_("perkiraan kendaraan"), default=0)
    vehicle_types = models.CharField(_("jenis kendaraan"), max_length=150, blank=True)
    props = models.CharField(_("alat peraga"), max_length=200, blank=True)
    risk = models.CharField(_("kerawanan"), max_length=8, choices=Risk.choices, default=Risk.LOW)
    risk_notes = models.TextField(_("catatan kerawanan"), blank=True)
    sttp_number = models.CharField(_("nomor STTP"), max_length=80, blank=True)
    sttp_applied_on = models.DateField(_("tanggal pemberitahuan"), null=True, blank=True)
    sttp_issued_on = models.DateField(_("tanggal STTP terbit"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    live_note = models.CharField(_("situasi terkini"), max_length=300, blank=True)
    after_action = models.TextField(_("laporan hasil pelaksanaan"), blank=True)
    after_action_at = models.DateTimeField(_("laporan dibuat"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["election", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d-%m-%Y %H:%M})"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Selesai harus sesudah mulai")})
        if self.kind == self.Kind.CAMPAIGN and not (self.candidate or self.party):
            raise ValidationError({"candidate": _("Kampanye wajib menyebut calon atau partai")})

    @property
    def is_campaign(self) -> bool:
        return self.kind == self.Kind.CAMPAIGN

    @property
    def side(self) -> str:
        """Who the event is for: rival sides are compared by this (candidate, else party), case-folded."""
        return (self.candidate or self.party).strip().casefold()


class Sector(models.Model):
    """A sector of an event's security plan in a ring (inner, middle, outer), with its task and strength."""

    class Ring(models.TextChoices):
        INNER = "inner", _("ring 1 (dalam)")
        MIDDLE = "middle", _("ring 2 (tengah)")
        OUTER = "outer", _("ring 3 (luar)")

    event = models.ForeignKey(
        Event, verbose_name=_("kegiatan"), on_delete=models.CASCADE, related_name="sectors"
    )
    ring = models.CharField(_("ring"), max_length=8, choices=Ring.choices)
    name = models.CharField(_("nama sektor atau pos"), max_length=120)
    task = models.CharField(_("tugas"), max_length=300, blank=True)
    required = models.PositiveSmallIntegerField(_("kebutuhan personel"), default=0)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("sektor")
        verbose_name_plural = _("sektor")
        ordering = ["event", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_ring_display()})"


class Assignment(models.Model):
    """An officer on an event's plan: commander, team leader or member of a sector; checked in on the day."""

    class Role(models.TextChoices):
        COMMANDER = "commander", _("komandan (Pamen pengendali)")
        LEADER = "leader", _("ketua tim")
        MEMBER = "member", _("anggota")

    event = models.ForeignKey(
        Event, verbose_name=_("kegiatan"), on_delete=models.CASCADE, related_name="assignments"
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sektor"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    personnel = models.ForeignKey(
        "personnel.Personnel", verbose_name=_("personel"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    checked_in_at = models.DateTimeField(_("hadir"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("penugasan kegiatan")
        verbose_name_plural = _("penugasan kegiatan")
        ordering = ["event", "sector__order", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "personnel"], name="event_assignment_once"),
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(role="commander"), name="event_one_commander"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.personnel_id} ({self.role})"
