"""Core models: the audit trail and background jobs with progress."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditDigestField(models.CharField):
    """SHA-256 of the audit record's content, computed when the row is first written (save and bulk_create
    alike: Django calls pre_save for every field, after `at` got its value). `siaga verify-audit` recomputes it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if add:
            setattr(model_instance, self.attname, audit_digest(model_instance))
        return super().pre_save(model_instance, add)


def audit_digest(event: Any) -> str:
    """The content an audit record vouches for. The actor's id is left out: deleting a user sets it to NULL
    (the name stays in actor_label), which is the one change the append-only triggers allow."""
    at = event.at.astimezone(dt.UTC).isoformat() if event.at else ""
    content = [
        at, event.actor_label, event.action, event.source, event.object_type, event.object_id,
        event.object_repr, event.before, event.after, event.message, event.ip_address or "",
    ]  # fmt: skip
    raw = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


class AuditEvent(models.Model):
    """One recorded action: who did what to which object, when, from where, with before/after values."""

    class Action(models.TextChoices):
        CREATE = "create", _("buat")
        UPDATE = "update", _("ubah")
        DELETE = "delete", _("hapus")
        VIEW = "view", _("lihat data sensitif")
        LOGIN = "login", _("masuk")
        LOGIN_FAILED = "login_failed", _("gagal masuk")
        LOGOUT = "logout", _("keluar")
        IMPORT = "import", _("impor")
        EXPORT = "export", _("ekspor")

    class Source(models.TextChoices):
        UI = "ui", _("antarmuka")
        API = "api", _("API")
        IMPORT = "import", _("impor")
        ADMIN = "admin", _("admin")
        SYSTEM = "system", _("sistem")

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(_("nama pelaku"), max_length=150, blank=True)
    action = models.CharField(_("aksi"), max_length=20, choices=Action.choices, db_index=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.SYSTEM)
    object_type = models.CharField(_("jenis objek"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("objek"), max_length=300, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    message = models.CharField(_("keterangan"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    digest = AuditDigestField(_("sidik"))

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        at = f"{self.at:%Y-%m-%d %H:%M}" if self.at else "(belum disimpan / unsaved)"
        return f"{at} {self.actor_label} {self.action} {self.object_repr}"


class AuditSeal(models.Model):
    """A link of the audit hash chain: the digests of every record with id in (previous seal, upto_id], chained
    to the previous seal. Deleting, adding or changing a sealed record breaks the chain (`siaga verify-audit`)."""

    upto_id = models.BigIntegerField(_("sampai ID"), unique=True)
    rows = models.PositiveIntegerField(_("jumlah baris"))
    chain = models.CharField(_("rantai"), max_length=64)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("segel audit")
        verbose_name_plural = _("segel audit")
        ordering = ["upto_id"]

    def __str__(self) -> str:
        return f"{self.upto_id} {self.chain[:12]}"


class Job(models.Model):
    """A long-running background job (import, plan, report) with live progress the UI polls."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("antre")
        RUNNING = "running", _("berjalan")
        SUCCEEDED = "succeeded", _("selesai")
        FAILED = "failed", _("gagal")

    kind = models.CharField(_("jenis"), max_length=60, db_index=True)
    title = models.CharField(_("judul"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    message = models.CharField(_("pesan"), max_length=500, blank=True)
    log = models.TextField(_("log"), blank=True)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    result = models.JSONField(_("hasil"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # A worker can die with its job (kill -9, a machine lost): a running job's worker touches `heartbeat_at`
    # every few seconds, and `siaga.core.jobs.reap_stale_jobs` re-queues (or fails) a job whose heartbeat stopped.
    # `task_path` names the task to queue again; `attempts` counts runs, so a worker thought dead that wakes up
    # cannot overwrite the row of the run that replaced it.
    task_path = models.CharField(_("tugas"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    heartbeat_at = models.DateTimeField(_("detak terakhir"), null=True, blank=True)
    # A fan-out (the plans of every Polres of a Polda): one parent row, one child per piece of work.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("pekerjaan induk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )

    class Meta:
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100"),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def duration_s(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
