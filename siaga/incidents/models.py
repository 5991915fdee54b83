"""Incidents: reports from citizens, the Posko and field officers; triage states; response units and dispatch.

Reporter identity lives in its own table (`ReporterContact`) so that no serialisation of an incident can carry
it by accident; only the `view_reporter_identity` capability reads it, and every read is audited.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siaga.core.geo import validate_lat, validate_lng


class Category(models.TextChoices):
    MONEY_POLITICS = "money_politics", _("Politik uang")
    INTIMIDATION = "intimidation", _("Intimidasi atau ancaman")
    VIOLENCE = "violence", _("Kekerasan atau bentrok")
    LOGISTICS = "logistics", _("Masalah logistik pemilu")
    HOAX_SARA = "hoax_sara", _("Hoaks atau hasutan SARA")
    POLICE_NEUTRALITY = "police_neutrality", _("Netralitas Polri")
    CRIME = "crime", _("Tindak pidana")
    OTHER = "other", _("Lainnya")


class Status(models.TextChoices):
    NEW = "new", _("baru")
    VERIFIED = "verified", _("terverifikasi")
    REJECTED = "rejected", _("ditolak")
    DUPLICATE = "duplicate", _("duplikat")
    DISPATCHED = "dispatched", _("unit dikirim")
    ON_SCENE = "on_scene", _("unit di lokasi")
    RESOLVED = "resolved", _("selesai ditangani")
    CLOSED = "closed", _("ditutup")


class Priority(models.IntegerChoices):
    P1 = 1, _("P1 darurat")
    P2 = 2, _("P2 segera")
    P3 = 3, _("P3 biasa")
    P4 = 4, _("P4 rendah")


class Source(models.TextChoices):
    PUBLIC = "public", _("portal publik")
    CALL = "call", _("telepon")
    RADIO = "radio", _("radio (HT)")
    WHATSAPP = "whatsapp", _("WhatsApp")
    FIELD = "field", _("petugas lapangan")
    PARTNER = "partner", _("mitra (Bawaslu, KPU, TNI)")


class Referral(models.TextChoices):
    NONE = "", _("-")
    BAWASLU = "bawaslu", _("Bawaslu (Sentra Gakkumdu)")
    PROPAM = "propam", _("Propam")


# The one state machine of an incident. `transition_incident` in services.py refuses every other move.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.VERIFIED, Status.REJECTED, Status.DUPLICATE, Status.DISPATCHED}),
    Status.VERIFIED: frozenset({Status.DISPATCHED, Status.RESOLVED, Status.DUPLICATE, Status.REJECTED}),
    Status.DISPATCHED: frozenset({Status.ON_SCENE, Status.RESOLVED, Status.VERIFIED}),
    Status.ON_SCENE: frozenset({Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.VERIFIED}),
    Status.REJECTED: frozenset({Status.CLOSED, Status.NEW}),
    Status.DUPLICATE: frozenset({Status.CLOSED, Status.NEW}),
    Status.CLOSED: frozenset(),
}
OPEN_STATUSES = (Status.NEW, Status.VERIFIED, Status.DISPATCHED, Status.ON_SCENE)


class Incident(models.Model):
    """One reported incident, from intake to closure, with its triage state and response timestamps."""

    receipt = models.CharField(_("kode tanda terima"), max_length=12, unique=True)
    # The client's idempotency key (a UUID made when the report was drafted): unique for ever, as in ODK.
    client_key = models.CharField(_("kunci klien"), max_length=100, unique=True, null=True, blank=True)
    request_fingerprint = models.CharField(_("sidik permintaan"), max_length=64, blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, db_index=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices, db_index=True)
    description = models.TextField(_("uraian kejadian"), max_length=4000)
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    reported_at = models.DateTimeField(_("waktu laporan"), default=timezone.now, db_index=True)
    lat = models.FloatField(_("lintang"), validators=[validate_lat], null=True, blank=True)
    lng = models.FloatField(_("bujur"), validators=[validate_lng], null=True, blank=True)
    place = models.CharField(_("keterangan tempat"), max_length=200, blank=True)
    kecamatan = models.ForeignKey(
        "territory.Kecamatan",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    desa = models.ForeignKey(
        "territory.Desa",
        verbose_name=_("desa/kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tps = models.ForeignKey(
        "sites.Tps", verbose_name=_("TPS"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    priority = models.PositiveSmallIntegerField(_("prioritas"), choices=Priority.choices, default=Priority.P3)
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditugaskan ke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_police_unit = models.ForeignKey(
        "territory.PoliceUnit",
        verbose_name=_("satuan penanggung jawab"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The "being handled by" lock: one operator works an incident at a time; it lapses after a while.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sedang ditangani oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler_since = models.DateTimeField(_("ditangani sejak"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplikat dari"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    referral = models.CharField(_("rujukan"), max_length=10, choices=Referral.choices, blank=True, default="")
    referred_at = models.DateTimeField(_("dirujuk pada"), null=True, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("unit dikirim pada"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("unit tiba pada"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)

    audit_exclude = ("request_fingerprint",)

    class Meta:
        verbose_name = _("kejadian")
        verbose_name_plural = _("kejadian")
        ordering = ["priority", "-reported_at"]
        indexes = [
            models.Index(fields=["status", "priority", "reported_at"]),
            models.Index(fields=["kecamatan", "status"]),
            models.Index(fields=["category", "reported_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True, lng__isnull=True)
                | models.Q(lat__isnull=False, lng__isnull=False),
                name="incident_lat_lng_together",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=4), name="incident_priority_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        # Category(...).label, not get_category_display(): the latter hashes every lazy choice label per call,
        # which shows on the public intake's hot path (this is the audit record's object_repr).
        label = Category(self.category).label if self.category in Category.values else self.category
        return f"{self.receipt} {label}"

    def clean(self) -> None:
        if (self.lat is None) != (self.lng is None):
            raise ValidationError(_("Lintang dan bujur harus diisi keduanya"))
        if self.occurred_at and self.reported_at and self.occurred_at > self.reported_at + _CLOCK_SKEW:
            raise ValidationError({"occurred_at": _("Waktu kejadian tidak boleh di masa depan")})
        if self.duplicate_of_id is not None and self.duplicate_of_id == self.pk:
            raise ValidationError(_("Kejadian tidak bisa duplikat dirinya"))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


_CLOCK_SKEW = dt.timedelta(minutes=10)


class ReporterContact(models.Model):
    """Who reported an incident and how to reach them; read only by the named role, every read audited."""

    incident = models.OneToOneField(
        Incident, verbose_name=_("kejadian"), on_delete=models.CASCADE, related_name="reporter"
    )
    name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    phone = models.CharField(_("telepon pelapor"), max_length=40, blank=True)
    email = models.EmailField(_("email pelapor"), blank=True)
    consented_at = models.DateTimeField(_("persetujuan diberikan"), null=True, blank=True)

    # Identity never goes into the audit trail's before/after values.
    audit_exclude = ("name", "phone", "email")

    class Meta:
        verbose_name = _("identitas pelapor")
        verbose_name_plural = _("identitas pelapor")

    def __str__(self) -> str:
        return f"pelapor {self.incident_id}"


class IncidentPhoto(models.Model):
    """A photo of an incident, re-encoded to JPEG without metadata, stored outside the web root."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("kejadian"), on_delete=models.CASCADE, related_name="photos"
    )
    file_name = models.CharField(_("nama berkas"), max_length=80, unique=True)
    width = models.PositiveIntegerField(_("lebar"))
    height = models.PositiveIntegerField(_("tinggi"))
    size_bytes = models.PositiveIntegerField(_("ukuran"))
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto kejadian")
        verbose_name_plural = _("foto kejadian")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name


class TimelineEntry(models.Model):
    """One time-stamped action on an incident with its operator: the incident's log, never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("dilaporkan")
        STATUS = "status", _("status")
        PRIORITY = "priority", _("prioritas")
        ASSIGNED = "assigned", _("penugasan")
        CLAIMED = "claimed", _("ditangani")
        RELEASED = "released", _("dilepas")
        DISPATCHED = "dispatched", _("unit dikirim")
        UNIT = "unit", _("status unit")
        REFERRED = "referred", _("dirujuk")
        NOTE = "note", _("catatan")
        IDENTITY_VIEWED = "identity_viewed", _("identitas pelapor dilihat")

    incident = models.ForeignKey(
        Incident, verbose_name=_("kejadian"), on_delete=models.CASCADE, related_name="timeline"
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("nama operator"), max_length=150, blank=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("dari"), max_length=12, blank=True)
    to_status = models.CharField(_("ke"), max_length=12, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("linimasa kejadian")
        verbose_name_plural = _("linimasa kejadian")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    @property
    def from_status_label(self) -> str:
        return str(Status(self.from_status).label) if self.from_status in Status.values else self.from_status

    @property
    def to_status_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status in Status.values else self.to_status


class ResponseUnit(models.Model):
    """A patrol or reaction unit (car, motorbike team, Dalmas platoon) with live status and last position."""

    class Kind(models.TextChoices):
        PATROL = "patrol", _("patroli")
        REACTION = "reaction", _("reaksi cepat")

    class UnitStatus(models.TextChoices):
        AVAILABLE = "available", _("siaga (tersedia)")
        EN_ROUTE = "en_route", _("menuju lokasi")
        ON_SCENE = "on_scene", _("di lokasi")
        OFF_DUTY = "off_duty", _("lepas dinas")

    call_sign = models.CharField(_("sandi panggil"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.PATROL)
    police_unit = models.ForeignKey(
        "territory.PoliceUnit",
        verbose_name=_("satuan kewilayahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Home area: jurisdiction filters use it, so a Polsek sees and dispatches its own units.
    kecamatan = models.ForeignKey(
        "territory.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        "personnel.Personnel", verbose_name=_("anggota"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=UnitStatus.choices, default=UnitStatus.AVAILABLE, db_index=True
    )
    status_at = models.DateTimeField(_("status sejak"), default=timezone.now)
    current_incident = models.ForeignKey(
        Incident,
        verbose_name=_("kejadian saat ini"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lat = models.FloatField(_("lintang terakhir"), validators=[validate_lat], null=True, blank=True)
    lng = models.FloatField(_("bujur terakhir"), validators=[validate_lng], null=True, blank=True)
    position_at = models.DateTimeField(_("posisi pada"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)

    class Meta:
        verbose_name = _("unit respons")
        verbose_name_plural = _("unit respons")
        ordering = ["call_sign"]
        indexes = [models.Index(fields=["kecamatan", "status"])]
        constraints = [
            # A unit on its way or on scene always belongs to an incident; an available one never does.
            models.CheckConstraint(
                condition=models.Q(status__in=["en_route", "on_scene"], current_incident__isnull=False)
                | models.Q(status__in=["available", "off_duty"], current_incident__isnull=True),
                name="response_unit_incident_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_sign} {self.name}"


class Dispatch(models.Model):
    """A unit sent to an incident: when it was sent, when it arrived, when it was released."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("kejadian"), on_delete=models.CASCADE, related_name="dispatches"
    )
    unit = models.ForeignKey(
        ResponseUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="dispatches"
    )
    dispatched_at = models.DateTimeField(_("dikirim"), default=timezone.now)
    arrived_at = models.DateTimeField(_("tiba"), null=True, blank=True)
    released_at = models.DateTimeField(_("dilepas"), null=True, blank=True)
    eta_minutes = models.FloatField(_("perkiraan waktu tempuh (menit)"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikirim oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pengiriman unit")
        verbose_name_plural = _("pengiriman unit")
        ordering = ["dispatched_at", "id"]

    def __str__(self) -> str:
        return f"{self.unit_id} -> {self.incident_id}"


class IdempotencyRecord(models.Model):
    """The first response to a write sent with an Idempotency-Key, replayed for retries with the same body."""

    scope = models.CharField(_("lingkup"), max_length=60)
    key = models.CharField(_("kunci"), max_length=255)
    fingerprint = models.CharField(_("sidik permintaan"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("kode status"))
    response = models.JSONField(_("respons"))
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("kunci idempotensi")
        verbose_name_plural = _("kunci idempotensi")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class RateCounter(models.Model):
    """Requests counted per key per fixed window; shared by every process through the database."""

    key = models.CharField(_("kunci"), max_length=120)
    window_start = models.BigIntegerField(_("awal jendela"))
    count = models.PositiveIntegerField(_("jumlah"), default=0)

    class Meta:
        verbose_name = _("penghitung batas laju")
        verbose_name_plural = _("penghitung batas laju")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_unique_key_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}={self.count}"
