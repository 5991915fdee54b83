"""Logistics escort: the chain KPU warehouse -> PPK -> PPS -> TPS and back as legs, their escorts, field status
updates (idempotent) and custody handovers (berita acara)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from siaga.core.geo import validate_lat, validate_lng


class Hop(models.TextChoices):
    """The six kinds of leg, in chain order (outbound then return)."""

    WH_PPK = "wh_ppk", _("Gudang KPU -> PPK")
    PPK_PPS = "ppk_pps", _("PPK -> PPS")
    PPS_TPS = "pps_tps", _("PPS -> TPS")
    TPS_PPS = "tps_pps", _("TPS -> PPS")
    PPS_PPK = "pps_ppk", _("PPS -> PPK")
    PPK_WH = "ppk_wh", _("PPK -> Gudang KPU")


OUTBOUND = (Hop.WH_PPK, Hop.PPK_PPS, Hop.PPS_TPS)
RETURN = (Hop.TPS_PPS, Hop.PPS_PPK, Hop.PPK_WH)


class Leg(models.Model):
    """One movement of ballot logistics between two points of the chain, with its plan and what happened."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("direncanakan")
        DEPARTED = "departed", _("berangkat")
        ARRIVED = "arrived", _("tiba")
        HANDED_OVER = "handed_over", _("diserahterimakan")

    election = models.ForeignKey(
        "operations.Election", verbose_name=_("pemilihan"), on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(_("kunci"), max_length=60)
    hop = models.CharField(_("ruas"), max_length=8, choices=Hop.choices, db_index=True)
    trip = models.CharField(_("perjalanan"), max_length=60, db_index=True)
    trip_order = models.PositiveSmallIntegerField(_("urutan dalam perjalanan"), default=0)
    kecamatan = models.ForeignKey(
        "territory.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        "territory.Desa",
        verbose_name=_("desa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    tps = models.ForeignKey(
        "sites.Tps", verbose_name=_("TPS"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    origin = models.CharField(_("asal"), max_length=150)
    origin_lat = models.FloatField(validators=[validate_lat])
    origin_lng = models.FloatField(validators=[validate_lng])
    destination = models.CharField(_("tujuan"), max_length=150)
    dest_lat = models.FloatField(validators=[validate_lat])
    dest_lng = models.FloatField(validators=[validate_lng])
    distance_km = models.FloatField(_("jarak jalan (km)"), default=0)
    travel_minutes = models.PositiveIntegerField(_("waktu tempuh (menit)"), default=0)
    planned_depart = models.DateTimeField(_("rencana berangkat"), null=True, blank=True)
    planned_arrive = models.DateTimeField(_("rencana tiba"), null=True, blank=True, db_index=True)
    actual_depart = models.DateTimeField(_("berangkat"), null=True, blank=True)
    actual_arrive = models.DateTimeField(_("tiba"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("serah terima"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    boxes = models.PositiveIntegerField(_("jumlah kotak"), default=0)
    seals = models.PositiveIntegerField(_("jumlah segel"), default=0)
    vehicle = models.CharField(_("kendaraan"), max_length=80, blank=True)
    late_alerted_at = models.DateTimeField(_("peringatan terlambat"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)

    class Meta:
        verbose_name = _("ruas logistik")
        verbose_name_plural = _("ruas logistik")
        ordering = ["planned_depart", "trip", "trip_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["election", "key"], name="logistics_leg_key")]
        indexes = [
            models.Index(fields=["election", "hop", "status"]),
            models.Index(fields=["election", "kecamatan"]),
        ]

    def __str__(self) -> str:
        return f"{self.origin} -> {self.destination}"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.ARRIVED, self.Status.HANDED_OVER)


class Escort(models.Model):
    """An officer escorting a leg; `trip` is denormalised from the leg so one query finds a trip's team."""

    leg = models.ForeignKey(Leg, verbose_name=_("ruas"), on_delete=models.CASCADE, related_name="escorts")
    personnel = models.ForeignKey(
        "personnel.Personnel", verbose_name=_("personel"), on_delete=models.PROTECT, related_name="+"
    )
    is_leader = models.BooleanField(_("ketua tim"), default=False)

    class Meta:
        verbose_name = _("pengawal")
        verbose_name_plural = _("pengawal")
        constraints = [models.UniqueConstraint(fields=["leg", "personnel"], name="logistics_escort_once")]

    def __str__(self) -> str:
        return f"{self.leg_id}: {self.personnel_id}"


class StatusUpdate(models.Model):
    """A status report from the field. `key` (the Idempotency-Key) makes a repeated send a no-op."""

    leg = models.ForeignKey(Leg, verbose_name=_("ruas"), on_delete=models.CASCADE, related_name="updates")
    key = models.CharField(_("kunci idempotensi"), max_length=255, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Leg.Status.choices)
    at = models.DateTimeField(_("waktu"))
    lat = models.FloatField(validators=[validate_lat], null=True, blank=True)
    lng = models.FloatField(validators=[validate_lng], null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)

    class Meta:
        verbose_name = _("laporan status ruas")
        verbose_name_plural = _("laporan status ruas")
        ordering = ["leg", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.leg_id} {self.status} {self.at:%Y-%m-%d %H:%M}"


class Handover(models.Model):
    """The custody handover (berita acara serah terima) at the end of a leg."""

    leg = models.OneToOneField(Leg, verbose_name=_("ruas"), on_delete=models.CASCADE, related_name="handover")
    handed_by = models.CharField(_("yang menyerahkan"), max_length=150)
    received_by = models.CharField(_("yang menerima"), max_length=150)
    boxes = models.PositiveIntegerField(_("jumlah kotak"))
    seals = models.PositiveIntegerField(_("jumlah segel"))
    seal_numbers = models.TextField(_("nomor segel"), blank=True)
    photo = models.FileField(_("foto"), upload_to="logistics/handover/", blank=True)
    at = models.DateTimeField(_("waktu serah terima"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("berita acara serah terima")
        verbose_name_plural = _("berita acara serah terima")

    def __str__(self) -> str:
        return f"BA {self.leg_id}"
