"""Guard posts: the 24-hour guard of KPU and Bawaslu offices and logistics warehouses, the CCTV watch, the
roster that staffs them, check-ins at the post, the handover (serah terima) and the alerts to the Posko.

Roster times are local wall-clock dates and shift codes (as the roster engine sees them) plus the aware
`starts_at`/`ends_at` that the live board and the alerts query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from siaga.core.geo import validate_lat, validate_lng


class Qualification(models.TextChoices):
    """What a post may require of its guards (kept short on purpose: the engine matches codes)."""

    NONE = "", _("tidak ada")
    SENPI = "senpi", _("pemegang senjata api (senpi)")
    CCTV = "cctv", _("operator CCTV")


class Post(models.Model):
    """A guard post (pos jaga, posko, CCTV seat, warehouse gate) at a vital object, staffed around the clock."""

    class Kind(models.TextChoices):
        POS_JAGA = "pos_jaga", _("pos jaga")
        POSKO = "posko", _("posko")
        CCTV = "cctv", _("kursi CCTV")
        WAREHOUSE_GATE = "warehouse_gate", _("gerbang gudang")

    vital_object = models.ForeignKey(
        "sites.VitalObject",
        verbose_name=_("objek vital"),
        on_delete=models.PROTECT,
        related_name="guard_posts",
    )
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama pos"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.POS_JAGA)
    # Where the guard stands; blank means the vital object's own position.
    lat = models.FloatField(_("lintang"), validators=[validate_lat], null=True, blank=True)
    lng = models.FloatField(_("bujur"), validators=[validate_lng], null=True, blank=True)
    radius_m = models.PositiveIntegerField(
        _("radius absen (m)"), default=150, validators=[MinValueValidator(10), MaxValueValidator(5000)]
    )
    required = models.PositiveSmallIntegerField(
        _("personel per shift (dasar)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    qualification = models.CharField(
        _("kualifikasi wajib"), max_length=10, choices=Qualification.choices, blank=True, default=""
    )
    orders = models.TextField(_("perintah pos (tugas jaga)"), blank=True)
    # The warehouse is guarded from the day the ballots arrive, not before.
    active_from = models.DateField(_("dijaga mulai"), null=True, blank=True)
    active_until = models.DateField(_("dijaga sampai"), null=True, blank=True)
    empty_alert_minutes = models.PositiveSmallIntegerField(
        _("peringatan bila kosong (menit)"), default=10, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("pos jaga")
        verbose_name_plural = _("pos jaga")
        ordering = ["vital_object__name", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="cctv") | Q(required=1), name="guard_post_cctv_seat_has_one_watcher"
            ),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=F("active_from")),
                name="guard_post_active_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cctv(self) -> bool:
        return self.kind == self.Kind.CCTV

    @property
    def position(self) -> tuple[float, float]:
        if self.lat is not None and self.lng is not None:
            return self.lat, self.lng
        return self.vital_object.lat, self.vital_object.lng

    def clean(self) -> None:
        if (self.lat is None) != (self.lng is None):
            raise ValidationError(_("Lintang dan bujur harus diisi keduanya"))
        if self.kind == self.Kind.CCTV and self.required != 1:
            raise ValidationError({"required": _("Kursi CCTV selalu tepat 1 orang")})
        if self.active_from and self.active_until and self.active_until < self.active_from:
            raise ValidationError({"active_until": _("Tanggal selesai sebelum mulai")})


class PostRequirement(models.Model):
    """A change of a post's staffing: from a date, an H-day, a stage or a siaga level on, N officers per shift.

    Every given condition must hold on a date; among the matching rules the highest `priority` wins (ties: the
    later id), so "4 from H-5" overrides the post's base of 2.
    """

    post = models.ForeignKey(
        Post, verbose_name=_("pos"), on_delete=models.CASCADE, related_name="requirements"
    )
    required = models.PositiveSmallIntegerField(
        _("personel per shift"), validators=[MinValueValidator(0), MaxValueValidator(50)]
    )
    starts_on = models.DateField(_("mulai tanggal"), null=True, blank=True)
    ends_on = models.DateField(_("sampai tanggal"), null=True, blank=True)
    # Days before voting day: -5 means "from H-5 on" (the election is the roster's).
    from_h_day = models.SmallIntegerField(_("mulai H-"), null=True, blank=True)
    stage = models.ForeignKey(
        "operations.ElectionStage",
        verbose_name=_("tahapan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    min_siaga_level = models.CharField(_("status siaga minimal"), max_length=10, blank=True, default="")
    shift_codes = models.CharField(_("hanya shift (kode, koma)"), max_length=40, blank=True, default="")
    priority = models.PositiveSmallIntegerField(_("prioritas"), default=10)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kebutuhan personel pos")
        verbose_name_plural = _("kebutuhan personel pos")
        ordering = ["post", "priority", "id"]

    def __str__(self) -> str:
        return f"{self.post}: {self.required}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai sebelum mulai")})
        if self.post_id and self.post.kind == Post.Kind.CCTV and self.required != 1:
            raise ValidationError({"required": _("Kursi CCTV selalu tepat 1 orang")})


class OfficerQualification(models.Model):
    """A qualification an officer holds for guard duty (armed guard, CCTV operator)."""

    personnel = models.ForeignKey(
        "personnel.Personnel",
        verbose_name=_("personel"),
        on_delete=models.CASCADE,
        related_name="guard_qualifications",
    )
    qualification = models.CharField(_("kualifikasi"), max_length=10, choices=Qualification.choices[1:])

    class Meta:
        verbose_name = _("kualifikasi jaga")
        verbose_name_plural = _("kualifikasi jaga")
        constraints = [
            models.UniqueConstraint(fields=["personnel", "qualification"], name="guard_qualification_unique")
        ]

    def __str__(self) -> str:
        return f"{self.personnel_id}: {self.qualification}"


class Unavailability(models.Model):
    """Leave, sickness or other duty that keeps an officer off the guard roster for some days (or one shift)."""

    class Reason(models.TextChoices):
        LEAVE = "leave", _("cuti/izin")
        SICK = "sick", _("sakit")
        TRAINING = "training", _("pendidikan")
        OTHER_DUTY = "other_duty", _("dinas lain")

    personnel = models.ForeignKey(
        "personnel.Personnel",
        verbose_name=_("personel"),
        on_delete=models.CASCADE,
        related_name="guard_unavailability",
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    shift_code = models.CharField(_("hanya shift"), max_length=4, blank=True, default="")
    reason = models.CharField(_("alasan"), max_length=12, choices=Reason.choices, default=Reason.LEAVE)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ketidaktersediaan")
        verbose_name_plural = _("ketidaktersediaan")
        ordering = ["starts_on", "personnel"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="guard_unavailability_range"
            )
        ]
        indexes = [models.Index(fields=["personnel", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.personnel_id} {self.starts_on}..{self.ends_on} {self.reason}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai sebelum mulai")})


class Roster(models.Model):
    """A guard roster: a horizon of days, a shift pattern, the posts it staffs and the pool of officers."""

    class Pattern(models.TextChoices):
        THREE_EIGHT = "3x8", _("3 shift x 8 jam")
        TWO_TWELVE = "2x12", _("2 shift x 12 jam")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        SOLVING = "solving", _("sedang disusun")
        READY = "ready", _("tersusun")
        INFEASIBLE = "infeasible", _("tidak dapat dipenuhi")
        PUBLISHED = "published", _("diterbitkan")

    name = models.CharField(_("nama"), max_length=150)
    polres = models.ForeignKey(
        "territory.PoliceUnit", verbose_name=_("Polres"), on_delete=models.PROTECT, related_name="+"
    )
    election = models.ForeignKey(
        "operations.Election",
        verbose_name=_("pemilihan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    operation = models.ForeignKey(
        "operations.Operation",
        verbose_name=_("operasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    pattern = models.CharField(
        _("pola shift"), max_length=5, choices=Pattern.choices, default=Pattern.THREE_EIGHT
    )
    first_start_hour = models.PositiveSmallIntegerField(
        _("jam mulai shift pertama"), default=6, validators=[MaxValueValidator(23)]
    )
    min_rest_hours = models.PositiveSmallIntegerField(_("istirahat minimal (jam)"), default=8)
    max_hours_per_week = models.PositiveSmallIntegerField(_("jam maksimal per minggu"), default=48)
    time_limit_s = models.PositiveSmallIntegerField(
        _("batas waktu penyusunan (detik)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    posts = models.ManyToManyField(Post, verbose_name=_("pos"), related_name="rosters")
    officers = models.ManyToManyField(
        "personnel.Personnel", verbose_name=_("personel"), related_name="guard_rosters"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    solve_status = models.CharField(_("hasil solver"), max_length=12, blank=True)
    objective = models.FloatField(_("nilai tujuan"), null=True, blank=True)
    solve_seconds = models.FloatField(_("waktu penyusunan (detik)"), null=True, blank=True)
    # [{"post_id", "post", "on", "shift_code", "required", "missing", "rules", "reason"}] when infeasible.
    diagnosis = models.JSONField(_("diagnosis"), default=list, blank=True)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("pekerjaan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    audit_exclude = ("diagnosis",)

    # The solver's outcome codes (siaga.optimization.roster.Status, plus the greedy fallback) as words.
    SOLVE_STATUS_LABELS = {
        "OPTIMAL": _("terbaik"),
        "FEASIBLE": _("layak"),
        "GREEDY": _("layak, cara cepat"),
        "INFEASIBLE": _("tidak mungkin"),
        "UNKNOWN": _("belum ditemukan"),
    }

    class Meta:
        verbose_name = _("roster jaga")
        verbose_name_plural = _("roster jaga")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="guard_roster_range")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def solve_status_label(self) -> str:
        return str(self.SOLVE_STATUS_LABELS.get(self.solve_status, self.solve_status))

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def clean(self) -> None:
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": _("Tanggal selesai sebelum mulai")})
            if self.days > 92:
                raise ValidationError({"ends_on": _("Roster paling lama 92 hari")})


class Assignment(models.Model):
    """One officer on one post for one shift of one date (the date the shift starts on)."""

    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="assignments"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("pos"), on_delete=models.PROTECT, related_name="assignments"
    )
    personnel = models.ForeignKey(
        "personnel.Personnel",
        verbose_name=_("personel"),
        on_delete=models.PROTECT,
        related_name="guard_assignments",
    )
    on = models.DateField(_("tanggal"))
    shift_code = models.CharField(_("shift"), max_length=4)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    # Locked rows stay when the roster is solved again (already in the Sprin).
    is_locked = models.BooleanField(_("dikunci"), default=False)

    class Meta:
        verbose_name = _("penugasan jaga")
        verbose_name_plural = _("penugasan jaga")
        ordering = ["starts_at", "post", "personnel"]
        constraints = [
            # An officer is never in two places in the same shift, whatever a hand edit tries.
            models.UniqueConstraint(
                fields=["roster", "personnel", "on", "shift_code"], name="guard_assignment_one_post_per_shift"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="guard_assignment_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at", "ends_at"]),
            models.Index(fields=["personnel", "starts_at"]),
            models.Index(fields=["post", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.shift_code} {self.post_id} {self.personnel_id}"


class SwapRequest(models.Model):
    """A request to exchange two officers' shifts, or to hand one shift to another officer."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("diajukan")
        APPROVED = "approved", _("disetujui")
        REFUSED = "refused", _("ditolak")

    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="swaps"
    )
    first = models.ForeignKey(
        Assignment, verbose_name=_("shift pertama"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        Assignment,
        verbose_name=_("shift kedua"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # For a hand-over of one shift (no second shift): who takes it.
    to_personnel = models.ForeignKey(
        "personnel.Personnel",
        verbose_name=_("diserahkan kepada"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    reason = models.CharField(_("alasan"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("diajukan"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    class Meta:
        verbose_name = _("tukar shift")
        verbose_name_plural = _("tukar shift")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(second__isnull=False) | Q(to_personnel__isnull=False),
                name="guard_swap_has_a_counterpart",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_id} <-> {self.second_id or self.to_personnel_id}"


# An officer who never checks out stops counting as present this long after the end of the shift he was
# rostered on (or, checked in without a rostered shift, this long after the longest shift).
DUTY_GRACE_MINUTES: int = getattr(settings, "SIAGA_GUARD_DUTY_GRACE_MINUTES", 60)
UNROSTERED_DUTY_HOURS = 12


def on_duty_q(now: dt.datetime) -> Q:
    """Check-ins that count as present at `now`: begun, not checked out, and not past their duty end."""
    grace = dt.timedelta(minutes=DUTY_GRACE_MINUTES)
    not_expired = Q(assignment__ends_at__gt=now - grace) | Q(
        assignment__isnull=True, checked_in_at__gt=now - grace - dt.timedelta(hours=UNROSTERED_DUTY_HOURS)
    )
    return (
        Q(checked_in_at__lte=now) & (Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=now)) & not_expired
    )


class CheckIn(models.Model):
    """An officer's presence at a post: check-in and check-out with time and GPS, taken on the phone."""

    post = models.ForeignKey(Post, verbose_name=_("pos"), on_delete=models.PROTECT, related_name="check_ins")
    personnel = models.ForeignKey(
        "personnel.Personnel",
        verbose_name=_("personel"),
        on_delete=models.PROTECT,
        related_name="guard_check_ins",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("penugasan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_ins",
    )
    checked_in_at = models.DateTimeField(_("absen masuk"), db_index=True)
    lat = models.FloatField(_("lintang"), validators=[validate_lat])
    lng = models.FloatField(_("bujur"), validators=[validate_lng])
    accuracy_m = models.FloatField(_("akurasi GPS (m)"), null=True, blank=True)
    distance_m = models.FloatField(_("jarak ke pos (m)"))
    checked_out_at = models.DateTimeField(_("absen keluar"), null=True, blank=True)
    out_lat = models.FloatField(_("lintang keluar"), validators=[validate_lat], null=True, blank=True)
    out_lng = models.FloatField(_("bujur keluar"), validators=[validate_lng], null=True, blank=True)
    # Set when the check-out position was known; farther than the post's radius is a flagged check-out.
    out_distance_m = models.FloatField(_("jarak keluar ke pos (m)"), null=True, blank=True)
    # Never checked out: the system closed it at the end of the duty (shift end plus grace).
    closed_by_system = models.BooleanField(_("ditutup sistem"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("absen pos")
        verbose_name_plural = _("absen pos")
        ordering = ["-checked_in_at", "-id"]
        constraints = [
            # One open presence per officer: the database settles a double tap on two phones.
            models.UniqueConstraint(
                fields=["personnel"],
                condition=Q(checked_out_at__isnull=True),
                name="guard_checkin_one_open_per_officer",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=F("checked_in_at")),
                name="guard_checkin_out_after_in",
            ),
        ]
        indexes = [models.Index(fields=["post", "checked_out_at"])]

    def __str__(self) -> str:
        return f"{self.personnel_id} @ {self.post_id} {self.checked_in_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.checked_out_at is None

    @property
    def duty_ends_at(self) -> dt.datetime:
        """When this presence stops counting if the officer never checks out (see `on_duty_q`)."""
        grace = dt.timedelta(minutes=DUTY_GRACE_MINUTES)
        if self.assignment_id is not None and self.assignment is not None:
            return max(self.checked_in_at, self.assignment.ends_at + grace)
        return self.checked_in_at + dt.timedelta(hours=UNROSTERED_DUTY_HOURS) + grace

    @property
    def far_checkout(self) -> bool:
        return self.out_distance_m is not None and self.out_distance_m > self.post.radius_m


class Handover(models.Model):
    """The serah terima between the outgoing and the incoming guard of a post, with its checklist.

    Each officer signs by confirming their own NRP; the record is complete when both have signed.
    """

    post = models.ForeignKey(Post, verbose_name=_("pos"), on_delete=models.PROTECT, related_name="handovers")
    # The boundary between the two shifts (the incoming shift's start), so "missed" can be checked per boundary.
    shift_boundary_at = models.DateTimeField(_("pergantian shift"), db_index=True)
    outgoing = models.ForeignKey(
        "personnel.Personnel", verbose_name=_("yang menyerahkan"), on_delete=models.PROTECT, related_name="+"
    )
    incoming = models.ForeignKey(
        "personnel.Personnel", verbose_name=_("yang menerima"), on_delete=models.PROTECT, related_name="+"
    )
    inventory_complete = models.BooleanField(_("inventaris lengkap"), default=False)
    inventory_notes = models.CharField(_("catatan inventaris"), max_length=500, blank=True)
    logbook_entries = models.PositiveSmallIntegerField(_("jumlah catatan buku mutasi"), default=0)
    events = models.TextField(_("kejadian selama shift"), blank=True)
    cctv_working = models.BooleanField(_("CCTV berfungsi"), null=True, blank=True)
    outgoing_signed_at = models.DateTimeField(_("ditandatangani yang menyerahkan"), null=True, blank=True)
    incoming_signed_at = models.DateTimeField(_("ditandatangani yang menerima"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("serah terima jaga")
        verbose_name_plural = _("serah terima jaga")
        ordering = ["-shift_boundary_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "shift_boundary_at"], name="guard_handover_one_per_boundary"
            ),
            models.CheckConstraint(condition=~Q(outgoing=F("incoming")), name="guard_handover_two_officers"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.shift_boundary_at:%Y-%m-%d %H:%M}"

    @property
    def is_signed(self) -> bool:
        return self.outgoing_signed_at is not None and self.incoming_signed_at is not None


class Alert(models.Model):
    """An alert to the Posko: a post unstaffed, the CCTV seat empty too long, or a handover missed."""

    class Kind(models.TextChoices):
        UNSTAFFED = "unstaffed", _("pos tidak terisi")
        CCTV_EMPTY = "cctv_empty", _("kursi CCTV kosong")
        HANDOVER_MISSED = "handover_missed", _("serah terima terlewat")

    post = models.ForeignKey(Post, verbose_name=_("pos"), on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    # What the alert is about (the shift start, the boundary, the moment the seat became empty): one row each.
    since = models.DateTimeField(_("sejak"))
    raised_at = models.DateTimeField(_("dimunculkan"))
    resolved_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    message = models.CharField(_("pesan"), max_length=300)

    class Meta:
        verbose_name = _("peringatan jaga")
        verbose_name_plural = _("peringatan jaga")
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["post", "kind", "since"], name="guard_alert_unique")]
        indexes = [models.Index(fields=["resolved_at", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.post_id}"


class CalendarFeed(models.Model):
    """The secret address of an officer's iCalendar feed; only its SHA-256 is kept, the link is shown once."""

    personnel = models.OneToOneField(
        "personnel.Personnel", verbose_name=_("personel"), on_delete=models.CASCADE, related_name="guard_feed"
    )
    digest = models.CharField(_("sidik"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now=True)

    audit_exclude = ("digest",)

    class Meta:
        verbose_name = _("kalender personel")
        verbose_name_plural = _("kalender personel")

    def __str__(self) -> str:
        return f"feed {self.personnel_id}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(24)
