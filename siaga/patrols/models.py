"""Patrols: points worth patrolling, the units that patrol, plans with their coverage, each day's sampled
visits and routes (with staff overrides), and check-ins from the officers' phones as proof of visit.

A plan day runs from 06:00 local time for 24 hours in three slots of eight hours (pagi, sore, malam), the
blocks the sampler assigns visits to and the shift windows of the patrol units.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siaga.core.geo import validate_lat, validate_lng

SLOTS_PER_DAY = 3
SLOT_MINUTES = 8 * 60
DAY_START = dt.time(6, 0)
SLOT_LABELS = (_("pagi 06-14"), _("sore 14-22"), _("malam 22-06"))


def new_plan_seed() -> int:
    # The plan seed decides every day's draw: it must be unguessable and never leave the server.
    return secrets.randbits(62)


def new_qr_secret() -> str:
    return secrets.token_urlsafe(12)


def check_slots(value: object) -> None:
    if not isinstance(value, list) or any(
        not isinstance(s, int) or not 0 <= s < SLOTS_PER_DAY for s in value
    ):
        raise ValidationError(_("Slot harus daftar 0, 1, 2"))
    if len(set(value)) != len(value):
        raise ValidationError(_("Slot tidak boleh berulang"))


def day_start_at(day_on: dt.date) -> dt.datetime:
    """06:00 local time on the plan day: minute 0 of the routing instance."""
    return timezone.make_aware(dt.datetime.combine(day_on, DAY_START))


def plan_day_of(moment: dt.datetime) -> dt.date:
    """The plan day a moment belongs to (a check-in at 02:00 belongs to the previous day's night slot)."""
    local = timezone.localtime(moment)
    return (local - dt.timedelta(hours=DAY_START.hour, minutes=DAY_START.minute)).date()


def slot_of(moment: dt.datetime) -> int:
    local = timezone.localtime(moment)
    minutes = (
        local - dt.datetime.combine(plan_day_of(moment), DAY_START, tzinfo=local.tzinfo)
    ).total_seconds() / 60
    return min(SLOTS_PER_DAY - 1, max(0, int(minutes // SLOT_MINUTES)))


class PatrolPoint(models.Model):
    """A place patrols visit: a vital object, a rawan TPS, a crime-prone or quiet place (3C), housing."""

    class Kind(models.TextChoices):
        VITAL_OBJECT = "vital_object", _("objek vital")
        RAWAN_TPS = "rawan_tps", _("TPS rawan")
        CRIME_PRONE = "crime_prone", _("rawan kejahatan (3C)")
        QUIET_PLACE = "quiet_place", _("tempat sepi")
        HOUSING = "housing", _("perumahan")
        OTHER = "other", _("lainnya")

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, db_index=True)
    kecamatan = models.ForeignKey(
        "territory.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    vital_object = models.ForeignKey(
        "sites.VitalObject",
        verbose_name=_("objek vital"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tps = models.ForeignKey(
        "sites.Tps", verbose_name=_("TPS"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lat = models.FloatField(_("lintang"), validators=[validate_lat])
    lng = models.FloatField(_("bujur"), validators=[validate_lng])
    is_synthetic = models.BooleanField(_("lokasi sintetis (demo)"), default=False)
    value = models.FloatField(
        _("nilai"), default=5.0, validators=[MinValueValidator(0.1), MaxValueValidator(100)]
    )
    min_visits = models.PositiveSmallIntegerField(_("kunjungan minimum per hari"), default=0)
    # Minimums rise with the posture: during a key stage (campaign, quiet days, voting, recap) and at Siaga II/I.
    min_visits_key_stage = models.PositiveSmallIntegerField(_("minimum saat tahapan utama"), default=0)
    min_visits_siaga = models.PositiveSmallIntegerField(_("minimum saat Siaga II/I"), default=0)
    open_slots = models.JSONField(
        _("slot waktu buka"),
        default=list,
        blank=True,
        validators=[check_slots],
        help_text=_("kosong = sepanjang hari"),
    )
    radius_m = models.PositiveIntegerField(
        _("radius absen (m)"), default=150, validators=[MinValueValidator(10)]
    )
    qr_secret = models.CharField(_("rahasia kode QR"), max_length=40, default=new_qr_secret)
    notes = models.CharField(_("catatan"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    audit_exclude = ("qr_secret",)

    class Meta:
        verbose_name = _("titik patroli")
        verbose_name_plural = _("titik patroli")
        ordering = ["kecamatan__name", "name"]
        indexes = [models.Index(fields=["kecamatan", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="patrol_point_value_positive"),
            models.CheckConstraint(condition=Q(radius_m__gte=10), name="patrol_point_radius_min"),
        ]

    def __str__(self) -> str:
        return self.name

    # What a role without `view_confidential_categories` is shown (issue 21 item 2): a rawan TPS is just a TPS,
    # and its value (derived from the category's severity) is withheld. selectors.points_for annotates
    # `shown_kind`/`shown_value` for the caller; without the annotation the masked form is the default.
    MASKED_KIND = "tps"

    @property
    def visible_kind(self) -> str:
        shown = getattr(self, "shown_kind", None)
        if shown is not None:
            return str(shown)
        return self.MASKED_KIND if self.kind == self.Kind.RAWAN_TPS else self.kind

    @property
    def visible_kind_label(self) -> str:
        if self.visible_kind == self.MASKED_KIND:
            return "TPS"
        return str(self.Kind(self.visible_kind).label)

    @property
    def visible_value(self) -> float | None:
        if hasattr(self, "shown_kind"):
            return getattr(self, "shown_value", None)
        return None if self.kind == self.Kind.RAWAN_TPS else self.value

    @property
    def slots(self) -> tuple[int, ...]:
        return tuple(sorted(self.open_slots)) if self.open_slots else tuple(range(SLOTS_PER_DAY))

    @property
    def qr_value(self) -> str:
        """What the QR code sticker at the point encodes."""
        return f"SIAGA-PATROLI:{self.code}:{self.qr_secret}"

    def min_visits_for(self, *, key_stage: bool, siaga_raised: bool) -> int:
        minimum = self.min_visits
        if key_stage:
            minimum = max(minimum, self.min_visits_key_stage)
        if siaga_raised:
            minimum = max(minimum, self.min_visits_siaga)
        return min(minimum, len(self.slots))

    def clean(self) -> None:
        for name in ("min_visits", "min_visits_key_stage", "min_visits_siaga"):
            if getattr(self, name) > len(self.slots):
                raise ValidationError({name: _("Minimum melebihi jumlah slot buka")})


class PatrolUnit(models.Model):
    """A patrol unit (Sat Samapta or a Polsek) with its depot, vehicles and the shifts it drives."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    personnel_unit = models.ForeignKey(
        "personnel.Unit",
        verbose_name=_("satuan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The Polres or Polsek the unit starts from and returns to; Polsek accounts of this unit see its plans.
    depot = models.ForeignKey(
        "territory.PoliceUnit", verbose_name=_("markas"), on_delete=models.PROTECT, related_name="+"
    )
    vehicles = models.PositiveSmallIntegerField(
        _("kendaraan per shift"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    crew_per_vehicle = models.PositiveSmallIntegerField(_("personel per kendaraan"), default=2)
    shift_slots = models.JSONField(_("shift"), default=list, validators=[check_slots])
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("unit patroli")
        verbose_name_plural = _("unit patroli")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(vehicles__gte=1), name="patrol_unit_has_vehicle")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.shift_slots:
            raise ValidationError({"shift_slots": _("Pilih minimal satu shift")})


class PatrolPlan(models.Model):
    """A patrol plan of a Polres over a period: points, units, resources and the secret seed of its days."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        ACTIVE = "active", _("berjalan")
        CLOSED = "closed", _("selesai")

    name = models.CharField(_("nama"), max_length=200)
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
    operation = models.ForeignKey(
        "operations.Operation",
        verbose_name=_("operasi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    points: models.ManyToManyField[PatrolPoint, PlanPoint] = models.ManyToManyField(
        PatrolPoint, verbose_name=_("titik"), through="PlanPoint", related_name="plans"
    )
    units = models.ManyToManyField(PatrolUnit, verbose_name=_("unit"), related_name="plans")
    visits_per_vehicle_shift = models.PositiveSmallIntegerField(
        _("kunjungan per kendaraan per shift"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    service_minutes = models.PositiveSmallIntegerField(_("lama singgah (menit)"), default=10)
    speed_kmh = models.PositiveSmallIntegerField(
        _("kecepatan rata-rata (km/jam)"), default=30, validators=[MinValueValidator(5)]
    )
    capture_penalty = models.FloatField(
        _("penalti tertangkap"), default=0.5, validators=[MinValueValidator(0)]
    )
    seed = models.BigIntegerField(_("benih acak"), default=new_plan_seed, editable=False)
    defender_utility = models.FloatField(_("utilitas pengaman"), null=True, blank=True)
    resources = models.FloatField(_("sumber daya per slot"), null=True, blank=True)
    computed_at = models.DateTimeField(_("cakupan dihitung"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    # The seed is a secret: anyone holding it can predict every day of the plan.
    audit_exclude = ("seed",)

    class Meta:
        verbose_name = _("rencana patroli")
        verbose_name_plural = _("rencana patroli")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="patrol_plan_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai sebelum mulai")})
        if self.polres_id and self.polres.level != "polres":
            raise ValidationError({"polres": _("Harus Polres")})


class PlanPoint(models.Model):
    """A point in a plan with the baseline coverage the security game gave it (normal posture)."""

    plan = models.ForeignKey(
        PatrolPlan, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="plan_points"
    )
    point = models.ForeignKey(
        PatrolPoint, verbose_name=_("titik"), on_delete=models.PROTECT, related_name="plan_points"
    )
    coverage = models.FloatField(_("cakupan"), null=True, blank=True)
    expected_visits = models.FloatField(_("kunjungan per hari (rata-rata)"), null=True, blank=True)

    class Meta:
        verbose_name = _("titik dalam rencana")
        verbose_name_plural = _("titik dalam rencana")
        constraints = [models.UniqueConstraint(fields=["plan", "point"], name="patrol_plan_point_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.point_id}"


class PatrolDay(models.Model):
    """One day of a plan: the posture it was drawn under, its seed, coverage used and routing outcome."""

    class Status(models.TextChoices):
        FEASIBLE = "feasible", _("lengkap")
        PARTIAL = "partial", _("sebagian (ada kunjungan wajib tak terjangkau)")
        INFEASIBLE = "infeasible", _("tidak dapat disusun")

    plan = models.ForeignKey(
        PatrolPlan, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="days"
    )
    day_on = models.DateField(_("tanggal"))
    seed = models.BigIntegerField(_("benih hari"), editable=False)
    status = models.CharField(_("status rute"), max_length=12, choices=Status.choices)
    key_stage = models.CharField(_("tahapan utama"), max_length=150, blank=True)
    siaga_level = models.CharField(_("status siaga"), max_length=10, blank=True)
    # {point_id: coverage} as used for this day's draw (minimums may be higher than the plan baseline).
    coverage = models.JSONField(_("cakupan hari ini"), default=dict)
    defender_utility = models.FloatField(_("utilitas pengaman"), null=True, blank=True)
    missed_required = models.JSONField(_("kunjungan wajib tak terjangkau"), default=list, blank=True)
    distance_m = models.PositiveIntegerField(_("jarak total (m)"), default=0)
    warnings = models.JSONField(_("peringatan keterdugaan"), default=list, blank=True)
    generated_at = models.DateTimeField(_("disusun"), default=timezone.now)

    audit_exclude = ("seed", "coverage")

    class Meta:
        verbose_name = _("hari patroli")
        verbose_name_plural = _("hari patroli")
        ordering = ["plan", "day_on"]
        constraints = [models.UniqueConstraint(fields=["plan", "day_on"], name="patrol_day_unique")]

    def __str__(self) -> str:
        return f"{self.plan} {self.day_on:%Y-%m-%d}"

    @property
    def siaga_level_label(self) -> str:
        """Siaga I, II, III rather than the stored code (siaga1)."""
        from siaga.operations.models import SiagaLevel

        return (
            str(SiagaLevel(self.siaga_level).label)
            if self.siaga_level in SiagaLevel.values
            else self.siaga_level
        )

    @property
    def starts_at(self) -> dt.datetime:
        return day_start_at(self.day_on)


class PatrolVisit(models.Model):
    """A visit of a day: a point in a slot, the unit and vehicle routed to it and when; overrides say who."""

    class Source(models.TextChoices):
        PLAN = "plan", _("rencana acak")
        OVERRIDE = "override", _("diubah staf")

    day = models.ForeignKey(
        PatrolDay, verbose_name=_("hari"), on_delete=models.CASCADE, related_name="visits"
    )
    point = models.ForeignKey(
        PatrolPoint, verbose_name=_("titik"), on_delete=models.PROTECT, related_name="visits"
    )
    slot = models.PositiveSmallIntegerField(_("slot"), validators=[MaxValueValidator(SLOTS_PER_DAY - 1)])
    unit = models.ForeignKey(
        PatrolUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    vehicle = models.PositiveSmallIntegerField(_("kendaraan ke-"), null=True, blank=True)
    sequence = models.PositiveSmallIntegerField(_("urutan"), default=0)
    planned_at = models.DateTimeField(_("jadwal"), null=True, blank=True, db_index=True)
    leaves_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    source = models.CharField(_("asal"), max_length=10, choices=Source.choices, default=Source.PLAN)
    is_cancelled = models.BooleanField(_("dibatalkan"), default=False)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overridden_at = models.DateTimeField(_("diubah"), null=True, blank=True)
    override_reason = models.CharField(_("alasan perubahan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kunjungan patroli")
        verbose_name_plural = _("kunjungan patroli")
        ordering = ["day", "planned_at", "pk"]
        indexes = [models.Index(fields=["day", "point"]), models.Index(fields=["unit", "day"])]

    def __str__(self) -> str:
        return f"{self.point_id}@{self.slot}"

    @property
    def is_override(self) -> bool:
        return self.source == self.Source.OVERRIDE or self.overridden_by_id is not None


# Check-in flags as screens show them (the stored codes come from siaga.optimization.patrols.proof).
CHECKIN_FLAG_LABELS = {
    "IMPOSSIBLE_SPEED": _("kecepatan mustahil dari absen sebelumnya"),
    "SHORT_STAY": _("singgah terlalu singkat"),
    "POOR_ACCURACY": _("akurasi GPS buruk"),
    "OUTSIDE_RADIUS": _("di luar radius titik"),
    "UNKNOWN_POINT": _("titik tidak dikenal"),
    "QR_MISMATCH": _("kode QR tidak cocok"),
}


class PatrolCheckIn(models.Model):
    """Proof of visit from an officer's phone: where, how accurate, when, optional photo and QR; with flags."""

    # Client-generated UUID (the Idempotency-Key): a check-in queued offline and sent three times is one row.
    client_key = models.UUIDField(_("kunci idempotensi"), unique=True, default=uuid.uuid4, editable=False)
    point = models.ForeignKey(
        PatrolPoint, verbose_name=_("titik"), on_delete=models.PROTECT, related_name="checkins"
    )
    unit = models.ForeignKey(
        PatrolUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkins",
    )
    visit = models.ForeignKey(
        PatrolVisit,
        verbose_name=_("kunjungan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkins",
    )
    day_on = models.DateField(_("hari patroli"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    officer_label = models.CharField(_("nama petugas"), max_length=150, blank=True)
    lat = models.FloatField(_("lintang"), validators=[validate_lat])
    lng = models.FloatField(_("bujur"), validators=[validate_lng])
    accuracy_m = models.FloatField(_("akurasi GPS (m)"), default=0, validators=[MinValueValidator(0)])
    distance_m = models.FloatField(_("jarak ke titik (m)"), default=0)
    arrived_at = models.DateTimeField(_("tiba"), db_index=True)
    left_at = models.DateTimeField(_("berangkat"), null=True, blank=True)
    received_at = models.DateTimeField(_("diterima server"), auto_now_add=True)
    qr_status = models.CharField(
        _("kode QR"),
        max_length=8,
        blank=True,
        choices=[("", _("tidak dipindai")), ("ok", _("cocok")), ("wrong", _("tidak cocok"))],
    )
    photo = models.CharField(_("foto"), max_length=40, blank=True)
    flags = models.JSONField(_("tanda"), default=list, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("absen patroli")
        verbose_name_plural = _("absen patroli")
        ordering = ["-arrived_at"]
        indexes = [models.Index(fields=["point", "day_on"]), models.Index(fields=["unit", "arrived_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("arrived_at")),
                name="patrol_checkin_leaves_after_arrival",
            )
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.arrived_at:%Y-%m-%d %H:%M}"

    @property
    def flag_labels(self) -> list[str]:
        return [str(CHECKIN_FLAG_LABELS.get(code, code)) for code in self.flags]

    @property
    def is_flagged(self) -> bool:
        return bool(self.flags)
