"""PAM TPS deployment plans (plotting): versions with a lifecycle, teams with their officers and TPS in visiting
order, Padal, the shortfall report, planning runs, and the link from a user account to his Personnel record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeploymentPlan(models.Model):
    """One version of the PAM TPS plan of a Polres for an election; published with a Sprin number and date."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        REVIEWED = "reviewed", _("diperiksa")
        PUBLISHED = "published", _("diterbitkan")
        AMENDED = "amended", _("diubah (diganti versi baru)")

    election = models.ForeignKey(
        "operations.Election", verbose_name=_("pemilihan"), on_delete=models.PROTECT, related_name="+"
    )
    polres = models.ForeignKey(
        "territory.PoliceUnit", verbose_name=_("Polres"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("versi"))
    previous = models.ForeignKey(
        "self",
        verbose_name=_("versi sebelumnya"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("judul"), max_length=200)
    sprin_number = models.CharField(_("nomor Sprin"), max_length=100, blank=True)
    sprin_on = models.DateField(_("tanggal Sprin"), null=True, blank=True)
    # Solver settings the plan was made with (teams per Padal, lending, circuity) so edits validate the same way.
    parameters = models.JSONField(_("parameter"), default=dict, blank=True)
    tps_total = models.PositiveIntegerField(_("jumlah TPS"), default=0)
    tps_covered = models.PositiveIntegerField(_("TPS tercakup"), default=0)
    officers_used = models.PositiveIntegerField(_("personel dipakai"), default=0)
    total_route_km = models.FloatField(_("total rute (km)"), default=0)
    max_route_km = models.FloatField(_("rute terpanjang (km)"), default=0)
    is_valid = models.BooleanField(_("lolos validasi"), default=False)
    violations = models.JSONField(_("pelanggaran"), default=list, blank=True)
    changed_assignments = models.PositiveIntegerField(_("penugasan berubah (re-plan)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status berubah"), null=True, blank=True)

    audit_exclude = ("violations",)

    class Meta:
        verbose_name = _("rencana plotting PAM TPS")
        verbose_name_plural = _("rencana plotting PAM TPS")
        ordering = ["-election__voting_on", "polres__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["election", "polres", "version"], name="deployment_plan_version"),
            # A published plan is an order: it always carries its Sprin number and date.
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | (~models.Q(sprin_number="") & models.Q(sprin_on__isnull=False)),
                name="deployment_published_has_sprin",
            ),
        ]
        indexes = [models.Index(fields=["election", "polres", "status"])]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def tps_uncovered(self) -> int:
        return self.tps_total - self.tps_covered

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Padal(models.Model):
    """A perwira pengendali controlling a cluster of teams of one Polsek."""

    plan = models.ForeignKey(
        DeploymentPlan, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="padal"
    )
    personnel = models.ForeignKey(
        "personnel.Personnel", verbose_name=_("personel"), on_delete=models.PROTECT, related_name="+"
    )
    polsek = models.ForeignKey(
        "territory.PoliceUnit", verbose_name=_("Polsek"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Padal")
        verbose_name_plural = _("Padal")
        ordering = ["polsek__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "personnel"], name="deployment_padal_once")]

    def __str__(self) -> str:
        return f"Padal {self.personnel_id}"


class Team(models.Model):
    """A team of officers securing up to its pattern's TPS count, visited in order from its Polsek station."""

    plan = models.ForeignKey(
        DeploymentPlan, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="teams"
    )
    code = models.CharField(_("kode tim"), max_length=40)
    polsek = models.ForeignKey(
        "territory.PoliceUnit", verbose_name=_("Polsek"), on_delete=models.PROTECT, related_name="+"
    )
    pattern = models.ForeignKey(
        "operations.SecurityPattern", verbose_name=_("pola"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "operations.VulnerabilityCategory",
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    padal = models.ForeignKey(
        Padal, verbose_name=_("Padal"), null=True, blank=True, on_delete=models.SET_NULL, related_name="teams"
    )
    route_km = models.FloatField(_("panjang rute (km)"), default=0)

    class Meta:
        verbose_name = _("tim PAM TPS")
        verbose_name_plural = _("tim PAM TPS")
        ordering = ["polsek__name", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="deployment_team_code")]

    def __str__(self) -> str:
        return self.code


class TeamMember(models.Model):
    """An officer in a team; `plan` is denormalised so the database refuses an officer twice in one plan."""

    plan = models.ForeignKey(DeploymentPlan, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, verbose_name=_("tim"), on_delete=models.CASCADE, related_name="members")
    personnel = models.ForeignKey(
        "personnel.Personnel", verbose_name=_("personel"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("anggota tim")
        verbose_name_plural = _("anggota tim")
        ordering = ["team", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "personnel"], name="deployment_member_once")]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.personnel_id}"


class TeamTps(models.Model):
    """A TPS secured by a team, `position` being the visiting order from the station (1 = first)."""

    plan = models.ForeignKey(DeploymentPlan, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, verbose_name=_("tim"), on_delete=models.CASCADE, related_name="stops")
    tps = models.ForeignKey("sites.Tps", verbose_name=_("TPS"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("urutan kunjungan"))

    class Meta:
        verbose_name = _("TPS tim")
        verbose_name_plural = _("TPS tim")
        ordering = ["team", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "tps"], name="deployment_tps_once")]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.tps_id}#{self.position}"


class ShortfallRow(models.Model):
    """Something the plan cannot do and why: a TPS left uncovered, or a team without Padal."""

    class Kind(models.TextChoices):
        UNCOVERED_TPS = "uncovered_tps", _("TPS tidak tercakup")
        NO_PADAL = "no_padal", _("tim tanpa Padal")

    plan = models.ForeignKey(
        DeploymentPlan, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="shortfall"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    polsek = models.ForeignKey(
        "territory.PoliceUnit",
        verbose_name=_("Polsek"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tps = models.ForeignKey(
        "sites.Tps", verbose_name=_("TPS"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category_code = models.CharField(_("kategori"), max_length=30, blank=True)
    team_code = models.CharField(_("tim"), max_length=40, blank=True)
    reason = models.CharField(_("alasan"), max_length=500)

    class Meta:
        verbose_name = _("kekurangan")
        verbose_name_plural = _("kekurangan")
        ordering = ["polsek__name", "pk"]
        indexes = [models.Index(fields=["plan", "kind"])]

    def __str__(self) -> str:
        return self.reason


class PlanningRun(models.Model):
    """One run of the planner (plan or re-plan) with its parameters, seed, timings, objective and validation."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("rencana baru")
        REPLAN = "replan", _("rencana ulang")

    class Status(models.TextChoices):
        QUEUED = "queued", _("antre")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    election = models.ForeignKey(
        "operations.Election", verbose_name=_("pemilihan"), on_delete=models.PROTECT, related_name="+"
    )
    polres = models.ForeignKey(
        "territory.PoliceUnit", verbose_name=_("Polres"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.PLAN)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    base_plan = models.ForeignKey(
        DeploymentPlan,
        verbose_name=_("rencana dasar (re-plan)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    plan = models.ForeignKey(
        DeploymentPlan,
        verbose_name=_("rencana hasil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("pekerjaan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parameters = models.JSONField(_("parameter"), default=dict, blank=True)
    seed = models.IntegerField(_("seed"), default=0)
    time_limit_s = models.FloatField(_("batas waktu (detik)"), default=60)
    workers = models.PositiveSmallIntegerField(_("proses paralel"), default=1)
    first_valid_s = models.FloatField(_("rencana sah pertama (detik)"), null=True, blank=True)
    final_s = models.FloatField(_("rencana akhir (detik)"), null=True, blank=True)
    objective = models.FloatField(_("objektif (total km)"), null=True, blank=True)
    is_valid = models.BooleanField(_("lolos validasi"), default=False)
    violations = models.JSONField(_("pelanggaran"), default=list, blank=True)
    changed_assignments = models.PositiveIntegerField(_("penugasan berubah"), null=True, blank=True)
    message = models.CharField(_("pesan"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("proses perencanaan")
        verbose_name_plural = _("proses perencanaan")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class OfficerAccount(models.Model):
    """Links a user account to the officer it belongs to, for his "TPS saya" page (else NRP = username)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="+"
    )
    personnel = models.OneToOneField(
        "personnel.Personnel", verbose_name=_("personel"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("akun personel")
        verbose_name_plural = _("akun personel")

    def __str__(self) -> str:
        return f"{self.user_id} -> {self.personnel_id}"
