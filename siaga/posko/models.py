"""The Posko: one alert stream fed by every app, its notifications and escalation rules, the posko journal
(buku mutasi), the visitor log of guard posts, the CCTV register and the scheduler's tick rows.

Alerts are facts about the operation that a source (an app) reports on each scheduler tick; the stream keeps one
row per fact (its `key`), so a tick that runs twice, or on two workers, raises nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from siaga.core.geo import validate_lat, validate_lng


class Severity(models.TextChoices):
    HIGH = "high", _("tinggi")
    MEDIUM = "medium", _("sedang")
    LOW = "low", _("rendah")


# Notification channels as screens show them (the codes are siaga.posko.notify's).
CHANNEL_LABELS = {"inapp": _("di aplikasi"), "sms": "SMS", "whatsapp": "WhatsApp"}


class Alert(models.Model):
    """One alert in the Posko stream: raised by a source, acknowledged and closed by a named user."""

    class Status(models.TextChoices):
        OPEN = "open", _("terbuka")
        ACKNOWLEDGED = "acknowledged", _("diterima")
        CLOSED = "closed", _("ditutup")

    # The source's stable name for the fact (e.g. "guard.unstaffed:12:2024-02-14T06:00"): one row per fact.
    key = models.CharField(_("kunci"), max_length=200, unique=True)
    source = models.CharField(_("sumber"), max_length=30)
    kind = models.CharField(_("jenis"), max_length=40)
    severity = models.CharField(_("tingkat"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    title = models.CharField(_("pesan"), max_length=300)
    kecamatan = models.ForeignKey(
        "territory.Kecamatan",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lat = models.FloatField(_("lintang"), validators=[validate_lat], null=True, blank=True)
    lng = models.FloatField(_("bujur"), validators=[validate_lng], null=True, blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    since = models.DateTimeField(_("sejak"))
    raised_at = models.DateTimeField(_("dimunculkan"), db_index=True)
    last_seen_at = models.DateTimeField(_("terakhir terlihat"))
    # The condition is over (the source stopped reporting it); the alert then closes itself.
    resolved_at = models.DateTimeField(_("kondisi selesai"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterima oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    # Null with closed_at set: closed by the system because the condition ended.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditutup oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_note = models.CharField(_("catatan penutupan"), max_length=300, blank=True)
    # The highest escalation rule level already notified (-1: nobody told yet; 0: the raise notice).
    notified_level = models.SmallIntegerField(_("tingkat notifikasi"), default=-1)
    escalated_at = models.DateTimeField(_("dieskalasi pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("peringatan posko")
        verbose_name_plural = _("peringatan posko")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["status", "severity"]),
            models.Index(fields=["kind", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="posko_alert_closed_has_time"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(acknowledged_at__isnull=False) | Q(closed_at__isnull=False),
                name="posko_alert_ack_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class EscalationRule(models.Model):
    """Who is told about an alert, how and when, by kind and severity: level 0 at raise, higher levels when
    nobody has acknowledged the alert after `after_minutes`."""

    kind = models.CharField(
        _("jenis peringatan"), max_length=40, blank=True, help_text=_("kosong: semua jenis")
    )
    severity = models.CharField(
        _("tingkat"), max_length=8, choices=Severity.choices, blank=True, help_text=_("kosong: semua tingkat")
    )
    level = models.PositiveSmallIntegerField(_("tahap"), default=0)
    after_minutes = models.PositiveIntegerField(_("setelah (menit) tanpa diterima"), default=0)
    # Roles told (siaga.accounts.models.Role values), within the alert's jurisdiction.
    roles = models.JSONField(_("peran yang diberi tahu"), default=list)
    # Channels: "inapp" always works; "sms"/"whatsapp" go through the configured gateway.
    channels = models.JSONField(_("saluran"), default=list)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("aturan eskalasi")
        verbose_name_plural = _("aturan eskalasi")
        ordering = ["kind", "severity", "level"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "severity", "level"], name="posko_escalation_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind or '*'}/{self.severity or '*'} #{self.level} +{self.after_minutes}m"

    def clean(self) -> None:
        from siaga.posko.notify import CHANNELS

        unknown = [c for c in self.channels or [] if c not in CHANNELS]
        if unknown or not isinstance(self.channels, list):
            raise ValidationError({"channels": _("Saluran tidak dikenal: %(c)s") % {"c": ", ".join(unknown)}})
        if self.level == 0 and self.after_minutes:
            raise ValidationError({"after_minutes": _("Tahap 0 dikirim saat peringatan muncul (0 menit).")})


class Notification(models.Model):
    """One message about an alert to one user on one channel; the in-app channel is read on the board."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu kirim")
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")
        READ = "read", _("dibaca")

    alert = models.ForeignKey(
        Alert, verbose_name=_("peringatan"), on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("tahap"), default=0)
    channel = models.CharField(_("saluran"), max_length=12)
    address = models.CharField(_("alamat"), max_length=40, blank=True)
    text = models.CharField(_("isi"), max_length=400)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.SENT)
    error = models.CharField(_("galat"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), db_index=True)
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two workers escalating the same alert tell each person once.
            models.UniqueConstraint(
                fields=["alert", "recipient", "level", "channel"], name="posko_notification_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "channel", "read_at"])]

    def __str__(self) -> str:
        return f"{self.channel} -> {self.recipient_id}: {self.text[:40]}"

    @property
    def channel_label(self) -> str:
        return str(CHANNEL_LABELS.get(self.channel, self.channel))


class SchedulerTick(models.Model):
    """One run of a periodic task in one time slot: the unique row lets exactly one worker run it."""

    name = models.CharField(_("tugas"), max_length=60)
    slot = models.DateTimeField(_("slot"))
    started_at = models.DateTimeField(_("mulai"))
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=80, blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True)

    class Meta:
        verbose_name = _("giliran penjadwal")
        verbose_name_plural = _("giliran penjadwal")
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="posko_tick_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M:%S}"


class JournalEntry(models.Model):
    """A line of the posko journal (buku mutasi): append-only; a correction is a new entry naming the old."""

    class Kind(models.TextChoices):
        NOTE = "note", _("catatan")
        RADIO = "radio", _("pesan radio")
        CORRECTION = "correction", _("koreksi")
        ALERT = "alert", _("peringatan")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.NOTE)
    occurred_at = models.DateTimeField(_("waktu kejadian"), db_index=True)
    written_at = models.DateTimeField(_("dicatat pada"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penulis"), on_delete=models.PROTECT, related_name="+"
    )
    # Null: the Polres posko itself; else the Polsek area the entry is about (jurisdiction).
    kecamatan = models.ForeignKey(
        "territory.Kecamatan",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("isi"), max_length=2000)
    radio_from = models.CharField(_("dari (panggilan)"), max_length=40, blank=True)
    radio_to = models.CharField(_("kepada (panggilan)"), max_length=40, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("mengoreksi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    alert = models.ForeignKey(
        Alert, verbose_name=_("peringatan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("catatan jurnal")
        verbose_name_plural = _("jurnal posko")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | Q(corrects__isnull=False),
                name="posko_journal_correction_names_old",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.text[:40]}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Append-only: the buku mutasi is evidence; an existing line is never rewritten.
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise ValidationError(_("Jurnal posko tidak dapat diubah; tulis koreksi."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("Jurnal posko tidak dapat dihapus; tulis koreksi."))

    def clean(self) -> None:
        if self.kind == self.Kind.RADIO and not (self.radio_from or self.radio_to):
            raise ValidationError({"radio_from": _("Isi panggilan pengirim atau penerima pesan radio.")})
        if self.kind == self.Kind.CORRECTION and self.corrects_id is None:
            raise ValidationError({"corrects": _("Koreksi harus menyebut catatan yang dikoreksi.")})


class Visitor(models.Model):
    """A visitor at a guard post (buku tamu): who, from where, why, in and out times."""

    post = models.ForeignKey(
        "guard.Post", verbose_name=_("pos"), on_delete=models.PROTECT, related_name="visitors"
    )
    name = models.CharField(_("nama"), max_length=120)
    institution = models.CharField(_("instansi"), max_length=120, blank=True)
    purpose = models.CharField(_("keperluan"), max_length=200)
    identity_number = models.CharField(_("nomor identitas"), max_length=40, blank=True)
    arrived_at = models.DateTimeField(_("masuk"), db_index=True)
    left_at = models.DateTimeField(_("keluar"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("tamu pos")
        verbose_name_plural = _("buku tamu pos")
        ordering = ["-arrived_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("arrived_at")),
                name="posko_visitor_out_after_in",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.post_id}"


stream_address_validator = RegexValidator(
    r"^(rtsp|rtsps|http|https)://\S+$", _("Alamat stream harus diawali rtsp://, http:// atau https://")
)


class Camera(models.Model):
    """A CCTV camera in the register: owner, place, stream address and the CCTV seat that watches it."""

    class Owner(models.TextChoices):
        KPU = "kpu", _("KPU")
        BAWASLU = "bawaslu", _("Bawaslu")
        POLRES = "polres", _("Polres")
        DISHUB = "dishub", _("Dishub")
        PEMDA = "pemda", _("Pemda")
        PRIVATE = "private", _("Swasta")
        OTHER = "other", _("Lainnya")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama kamera"), max_length=150)
    owner = models.CharField(_("pemilik"), max_length=10, choices=Owner.choices)
    place = models.CharField(_("lokasi"), max_length=200)
    kecamatan = models.ForeignKey(
        "territory.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    lat = models.FloatField(_("lintang"), validators=[validate_lat], null=True, blank=True)
    lng = models.FloatField(_("bujur"), validators=[validate_lng], null=True, blank=True)
    stream_url = models.CharField(
        _("alamat stream"), max_length=300, blank=True, validators=[stream_address_validator]
    )
    watched_by = models.ForeignKey(
        "guard.Post",
        verbose_name=_("dipantau dari kursi CCTV"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cameras",
        limit_choices_to={"kind": "cctv"},
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    notes = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kamera CCTV")
        verbose_name_plural = _("register CCTV")
        ordering = ["kecamatan__name", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.lat is None) != (self.lng is None):
            raise ValidationError(_("Lintang dan bujur harus diisi keduanya."))
        if self.watched_by_id is not None and self.watched_by is not None and not self.watched_by.is_cctv:
            raise ValidationError({"watched_by": _("Kamera dipantau dari kursi CCTV, bukan pos jaga biasa.")})
