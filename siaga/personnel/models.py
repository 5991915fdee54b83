"""Personnel and readiness: ranks, units, officers, BKO, partner forces, equipment, kit, and the apel kesiapan.

An apel session snapshots its expected roster as one `ApelEntry` per officer; the roll-call marks entries and
the commander locks the session, after which it is immutable and feeds the available strength for planners.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Rank(models.Model):
    """A Polri rank (pangkat); `order` is seniority (higher is more senior), kept as data, not code."""

    class Group(models.TextChoices):
        TAMTAMA = "tamtama", _("Tamtama")
        BINTARA = "bintara", _("Bintara")
        BINTARA_TINGGI = "bintara_tinggi", _("Bintara Tinggi")
        PERWIRA_PERTAMA = "perwira_pertama", _("Perwira Pertama")
        PERWIRA_MENENGAH = "perwira_menengah", _("Perwira Menengah")
        PERWIRA_TINGGI = "perwira_tinggi", _("Perwira Tinggi")

    PERWIRA_GROUPS = (Group.PERWIRA_PERTAMA, Group.PERWIRA_MENENGAH, Group.PERWIRA_TINGGI)

    code = models.SlugField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=60)
    abbreviation = models.CharField(_("singkatan"), max_length=20, unique=True)
    group = models.CharField(_("golongan"), max_length=20, choices=Group.choices)
    order = models.PositiveSmallIntegerField(_("urutan senioritas"), unique=True)

    class Meta:
        verbose_name = _("pangkat")
        verbose_name_plural = _("pangkat")
        ordering = ["-order"]

    def __str__(self) -> str:
        return self.abbreviation

    @property
    def is_perwira(self) -> bool:
        return self.group in self.PERWIRA_GROUPS


class Unit(models.Model):
    """A satuan within a Polres: a Polres function (Bag Ops, Sat Samapta, ...) or a whole Polsek/Polsubsektor."""

    class Function(models.TextChoices):
        POLSEK = "", _("Polsek/Polsubsektor")
        PIMPINAN = "pimpinan", _("Pimpinan")
        BAG_OPS = "bag_ops", _("Bag Ops")
        BAG_REN = "bag_ren", _("Bag Ren")
        BAG_SDM = "bag_sdm", _("Bag SDM")
        BAG_LOG = "bag_log", _("Bag Log")
        SAT_SAMAPTA = "sat_samapta", _("Sat Samapta")
        SAT_INTELKAM = "sat_intelkam", _("Sat Intelkam")
        SAT_RESKRIM = "sat_reskrim", _("Sat Reskrim")
        SAT_RESNARKOBA = "sat_resnarkoba", _("Sat Resnarkoba")
        SAT_LANTAS = "sat_lantas", _("Sat Lantas")
        SAT_BINMAS = "sat_binmas", _("Sat Binmas")
        SAT_TAHTI = "sat_tahti", _("Sat Tahti")
        SI_PROPAM = "si_propam", _("Si Propam")
        SI_HUMAS = "si_humas", _("Si Humas")
        SI_TIK = "si_tik", _("Si TIK")
        SI_KEU = "si_keu", _("Si Keu")
        SI_UM = "si_um", _("Si Umum")
        SI_DOKKES = "si_dokkes", _("Si Dokkes")
        SIWAS = "siwas", _("Siwas")
        SPKT = "spkt", _("SPKT")

    code = models.SlugField(_("kode"), max_length=80, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    polres = models.ForeignKey(
        "territory.PoliceUnit",
        verbose_name=_("Polres"),
        on_delete=models.PROTECT,
        related_name="personnel_units",
    )
    # The Polres itself for a function; the Polsek/Polsubsektor for a territorial unit. Jurisdiction comes from it.
    police_unit = models.ForeignKey(
        "territory.PoliceUnit",
        verbose_name=_("satuan kewilayahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    function = models.CharField(_("fungsi"), max_length=20, choices=Function.choices, blank=True, default="")
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        verbose_name = _("satuan kerja")
        verbose_name_plural = _("satuan kerja")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["polres", "name"], name="personnel_unit_unique_name_in_polres"),
            models.UniqueConstraint(
                fields=["police_unit", "function"], name="personnel_unit_unique_function"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_polsek(self) -> bool:
        return self.function == ""


class Personnel(models.Model):
    """A member of the Polres strength (DSP): a police officer with NRP, rank, unit and position."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktif")
        TRAINING = "training", _("pendidikan")
        TRANSFERRED = "transferred", _("mutasi keluar")
        RETIRED = "retired", _("pensiun")

    ROSTER_STATUSES = (Status.ACTIVE, Status.TRAINING)

    nrp = models.CharField(
        _("NRP"),
        max_length=18,
        unique=True,
        validators=[RegexValidator(r"^\d{8}$|^\d{18}$", _("NRP 8 digit (NIP 18 digit)"))],
    )
    name = models.CharField(_("nama"), max_length=150, db_index=True)
    rank = models.ForeignKey(
        Rank, verbose_name=_("pangkat"), on_delete=models.PROTECT, related_name="personnel"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("satuan"), on_delete=models.PROTECT, related_name="personnel"
    )
    position = models.CharField(_("jabatan"), max_length=120, blank=True)
    desa = models.ForeignKey(
        "territory.Desa",
        verbose_name=_("desa binaan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bhabinkamtibmas",
        help_text=_("Untuk Bhabinkamtibmas"),
    )
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    # Demo rows: generated names and NRPs, never to be mistaken for real officers.
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)

    class Meta:
        verbose_name = _("personel")
        verbose_name_plural = _("personel")
        ordering = ["unit__order", "-rank__order", "name"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.nrp})"


class BkoAttachment(models.Model):
    """A BKO (bawah kendali operasi): our officer attached away, or a force attached to us (named or a count)."""

    class Direction(models.TextChoices):
        IN = "in", _("BKO masuk")
        OUT = "out", _("BKO keluar")

    class Origin(models.TextChoices):
        BRIMOB = "brimob", _("Sat Brimob")
        POLDA = "polda", _("Polda")
        POLRES = "polres", _("Polres tetangga")
        OTHER = "other", _("lainnya")

    direction = models.CharField(_("arah"), max_length=3, choices=Direction.choices)
    origin = models.CharField(_("asal/tujuan"), max_length=10, choices=Origin.choices)
    origin_name = models.CharField(_("nama satuan asal/tujuan"), max_length=150)
    polres = models.ForeignKey(
        "territory.PoliceUnit", verbose_name=_("Polres"), on_delete=models.PROTECT, related_name="+"
    )
    # Where an incoming force is placed, or the unit an outgoing officer belongs to.
    unit = models.ForeignKey(Unit, verbose_name=_("satuan"), on_delete=models.PROTECT, related_name="bko")
    personnel = models.ForeignKey(
        Personnel,
        verbose_name=_("personel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bko",
    )
    person_name = models.CharField(_("nama (BKO masuk)"), max_length=150, blank=True)
    count = models.PositiveIntegerField(_("jumlah"), default=1, validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"), null=True, blank=True)
    operation_slug = models.SlugField(_("operasi"), max_length=60, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("BKO")
        verbose_name_plural = _("BKO")
        ordering = ["-starts_on", "origin_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="bko_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="bko_count_positive"),
            models.CheckConstraint(
                condition=Q(direction="in") | (Q(personnel__isnull=False) & Q(count=1)),
                name="bko_out_is_one_officer",
            ),
        ]

    def __str__(self) -> str:
        who = (
            self.personnel.name
            if self.personnel is not None
            else (self.person_name or f"{self.count} personel")
        )
        return f"{self.get_direction_display()}: {who} ({self.origin_name})"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai sebelum tanggal mulai")})
        if self.direction == self.Direction.OUT and not self.personnel_id:
            raise ValidationError({"personnel": _("BKO keluar harus menyebut personel")})
        if (self.personnel_id or self.person_name) and self.count != 1:
            raise ValidationError({"count": _("BKO bernama berjumlah 1")})

    def is_active_on(self, day: object) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)  # type: ignore[operator]


class PartnerForce(models.Model):
    """Partner forces (TNI per Koramil, Linmas per desa, Satpol PP): a named person or a count per unit."""

    class Kind(models.TextChoices):
        TNI = "tni", _("TNI")
        LINMAS = "linmas", _("Linmas")
        SATPOL_PP = "satpol_pp", _("Satpol PP")
        OTHER = "other", _("lainnya")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, db_index=True)
    unit_name = models.CharField(_("satuan"), max_length=150, help_text=_("mis. Koramil 0824/12 Tempurejo"))
    kecamatan = models.ForeignKey(
        "territory.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        "territory.Desa",
        verbose_name=_("desa/kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField(_("nama"), max_length=150, blank=True)
    rank_or_title = models.CharField(_("pangkat/jabatan"), max_length=60, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    count = models.PositiveIntegerField(_("jumlah"), default=1, validators=[MinValueValidator(1)])
    operation_slug = models.SlugField(_("operasi"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("pasukan mitra")
        verbose_name_plural = _("pasukan mitra")
        ordering = ["kind", "unit_name", "person_name"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="partner_count_positive"),
            models.CheckConstraint(condition=Q(person_name="") | Q(count=1), name="partner_named_counts_one"),
        ]
        indexes = [models.Index(fields=["kind", "kecamatan"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit_name}: {self.person_name or self.count}"

    def clean(self) -> None:
        if self.desa is not None and self.kecamatan_id and self.desa.kecamatan_id != self.kecamatan_id:
            raise ValidationError({"desa": _("Desa tidak di kecamatan ini")})
        if self.person_name and self.count != 1:
            raise ValidationError({"count": _("Orang bernama berjumlah 1")})


class Equipment(models.Model):
    """A vehicle, HT radio or Almatsus item (or a batch of identical items) of a unit, optionally held by an officer."""

    class Kind(models.TextChoices):
        MOTORCYCLE = "motorcycle", _("kendaraan roda 2")
        CAR = "car", _("kendaraan roda 4")
        TRUCK = "truck", _("kendaraan roda 6 (Dalmas)")
        HT = "ht", _("HT (radio genggam)")
        SHIELD = "shield", _("tameng")
        BATON = "baton", _("tongkat")
        HELMET = "helmet", _("helm")
        VEST = "vest", _("rompi")
        HANDCUFFS = "handcuffs", _("borgol")
        LONG_GUN = "long_gun", _("senjata laras panjang")
        OTHER = "other", _("lainnya")

    class Category(models.TextChoices):
        VEHICLE = "vehicle", _("kendaraan")
        COMMS = "comms", _("alat komunikasi")
        ALMATSUS = "almatsus", _("Almatsus")

    CATEGORY_OF = {
        Kind.MOTORCYCLE: Category.VEHICLE,
        Kind.CAR: Category.VEHICLE,
        Kind.TRUCK: Category.VEHICLE,
        Kind.HT: Category.COMMS,
    }

    class Condition(models.TextChoices):
        GOOD = "good", _("baik (siap pakai)")
        LIGHT_DAMAGE = "light_damage", _("rusak ringan")
        HEAVY_DAMAGE = "heavy_damage", _("rusak berat")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, db_index=True)
    # Plate for vehicles, serial number for radios and weapons; blank for a batch of identical items.
    identifier = models.CharField(_("nopol/nomor seri"), max_length=40, blank=True)
    description = models.CharField(_("keterangan"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("satuan"), on_delete=models.PROTECT, related_name="equipment"
    )
    holder = models.ForeignKey(
        Personnel,
        verbose_name=_("pemegang"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="equipment",
    )
    quantity = models.PositiveIntegerField(_("jumlah"), default=1, validators=[MinValueValidator(1)])
    condition = models.CharField(
        _("kondisi"), max_length=12, choices=Condition.choices, default=Condition.GOOD
    )
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)

    class Meta:
        verbose_name = _("peralatan")
        verbose_name_plural = _("peralatan")
        ordering = ["kind", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "identifier"], condition=~Q(identifier=""), name="equipment_unique_identifier"
            ),
            models.CheckConstraint(
                condition=Q(quantity=1) | Q(identifier=""), name="equipment_batch_has_no_identifier"
            ),
            models.CheckConstraint(
                condition=Q(quantity=1) | Q(holder__isnull=True), name="equipment_batch_has_no_holder"
            ),
        ]
        indexes = [models.Index(fields=["unit", "kind"])]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.identifier:
            return f"{label} {self.identifier}"
        return f"{label} x{self.quantity}" if self.quantity > 1 else str(label)

    @property
    def category(self) -> str:
        return self.CATEGORY_OF.get(self.kind, self.Category.ALMATSUS)  # type: ignore[call-overload]

    @classmethod
    def kinds_in(cls, category: str) -> list[str]:
        return [k for k in cls.Kind.values if cls.CATEGORY_OF.get(k, cls.Category.ALMATSUS) == category]  # type: ignore[call-overload]

    def clean(self) -> None:
        if self.kind in (self.Kind.MOTORCYCLE, self.Kind.CAR, self.Kind.TRUCK) and not self.identifier:
            raise ValidationError({"identifier": _("Kendaraan harus bernomor polisi")})
        if self.quantity > 1 and (self.identifier or self.holder_id):
            raise ValidationError({"quantity": _("Barang bernomor atau berpemegang berjumlah 1")})


class KitItem(models.Model):
    """An item of the personal kit checklist (spare PDL, raincoat, flashlight, ...); configurable as data."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=80)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("dipakai"), default=True)

    class Meta:
        verbose_name = _("perlengkapan perorangan")
        verbose_name_plural = _("perlengkapan perorangan")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ApelSession(models.Model):
    """An apel kesiapan (readiness parade): its roster is snapshotted as entries; locked results are final."""

    class Kind(models.TextChoices):
        GELAR_PASUKAN = "gelar_pasukan", _("apel gelar pasukan")
        PERGESERAN = "pergeseran", _("apel pergeseran pasukan")
        HARIAN = "harian", _("apel harian")

    polres = models.ForeignKey(
        "territory.PoliceUnit",
        verbose_name=_("Polres"),
        on_delete=models.PROTECT,
        related_name="apel_sessions",
    )
    # The operation (issue 3) by slug; resolved in one selector so it can become a foreign key in one place.
    operation_slug = models.SlugField(_("operasi"), max_length=60, db_index=True)
    kind = models.CharField(_("jenis apel"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=200)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    # The commander may let officers mark themselves present from their phone (the field app) instead of
    # waiting for the roll-call; off by default, as the roll-call is the apel's own check.
    self_check_in = models.BooleanField(_("absen mandiri dari ponsel"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    locked_at = models.DateTimeField(_("dikunci"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikunci oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("apel kesiapan")
        verbose_name_plural = _("apel kesiapan")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["polres", "operation_slug", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(locked_at__isnull=True) | Q(locked_by__isnull=False),
                name="apel_locked_by_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d-%m-%Y}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class ApelEntry(models.Model):
    """One officer on an apel roster: attendance, health and kit check. `version` settles concurrent marks."""

    class Status(models.TextChoices):
        UNMARKED = "unmarked", _("belum diabsen")
        PRESENT = "present", _("hadir")
        SICK = "sick", _("sakit")
        LEAVE = "leave", _("izin/cuti")
        DUTY = "duty", _("dinas luar")
        BKO_OUT = "bko_out", _("BKO keluar")
        ABSENT = "absent", _("tanpa keterangan")

    class Health(models.TextChoices):
        UNCHECKED = "", _("belum dicek")
        FIT = "fit", _("sehat")
        UNFIT = "unfit", _("tidak sehat")

    session = models.ForeignKey(
        ApelSession, verbose_name=_("apel"), on_delete=models.CASCADE, related_name="entries"
    )
    personnel = models.ForeignKey(
        Personnel, verbose_name=_("personel"), on_delete=models.PROTECT, related_name="apel_entries"
    )
    # The unit at the time of the apel: a later transfer must not rewrite an old apel's roll-up.
    unit = models.ForeignKey(Unit, verbose_name=_("satuan"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("kehadiran"), max_length=10, choices=Status.choices, default=Status.UNMARKED, db_index=True
    )
    reason = models.CharField(_("alasan"), max_length=200, blank=True)
    health = models.CharField(_("kesehatan"), max_length=6, choices=Health.choices, blank=True, default="")
    kit_checked = models.BooleanField(_("perlengkapan dicek"), default=False)
    kit_missing = models.ManyToManyField(
        KitItem, verbose_name=_("perlengkapan kurang"), blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("versi"), default=0)
    marked_at = models.DateTimeField(_("diabsen pada"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diabsen oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("peserta apel")
        verbose_name_plural = _("peserta apel")
        ordering = ["unit__order", "-personnel__rank__order", "personnel__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "personnel"], name="apel_entry_unique_personnel"),
            models.CheckConstraint(
                condition=~Q(status="absent") | ~Q(reason=""), name="apel_absent_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["session", "unit", "status"])]

    def __str__(self) -> str:
        return f"{self.personnel_id}: {self.get_status_display()}"


class ApelEquipmentCheck(models.Model):
    """The check of one vehicle, HT or Almatsus item (or batch) at an apel."""

    class Result(models.TextChoices):
        UNCHECKED = "", _("belum dicek")
        READY = "ready", _("siap")
        UNSERVICEABLE = "unserviceable", _("rusak")
        MISSING = "missing", _("tidak ada")

    session = models.ForeignKey(
        ApelSession, verbose_name=_("apel"), on_delete=models.CASCADE, related_name="equipment_checks"
    )
    equipment = models.ForeignKey(
        Equipment, verbose_name=_("peralatan"), on_delete=models.PROTECT, related_name="apel_checks"
    )
    result = models.CharField(_("hasil"), max_length=14, choices=Result.choices, blank=True, default="")
    # For a batch: how many of `equipment.quantity` are ready.
    ready_quantity = models.PositiveIntegerField(_("jumlah siap"), default=0)
    version = models.PositiveIntegerField(_("versi"), default=0)
    checked_at = models.DateTimeField(_("dicek pada"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicek oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cek peralatan apel")
        verbose_name_plural = _("cek peralatan apel")
        ordering = ["equipment__kind", "equipment__identifier"]
        constraints = [models.UniqueConstraint(fields=["session", "equipment"], name="apel_equipment_unique")]

    def __str__(self) -> str:
        return f"{self.equipment_id}: {self.get_result_display()}"


class SatgasAssignment(models.Model):
    """An officer's place in one satgas of an operation, with the role held and the dates it runs."""

    personnel = models.ForeignKey(
        Personnel, verbose_name=_("personel"), on_delete=models.CASCADE, related_name="satgas_assignments"
    )
    satgas = models.ForeignKey(
        "operations.Satgas", verbose_name=_("satgas"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("peran"), max_length=100, blank=True)
    from_on = models.DateField(_("mulai"))
    to_on = models.DateField(_("sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("penugasan satgas")
        verbose_name_plural = _("penugasan satgas")
        ordering = ["satgas", "personnel__name"]
        constraints = [
            models.UniqueConstraint(fields=["personnel", "satgas"], name="satgas_assignment_unique"),
            models.CheckConstraint(
                condition=Q(to_on__isnull=True) | Q(to_on__gte=F("from_on")),
                name="satgas_assignment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.personnel_id} @ {self.satgas_id}"

    def clean(self) -> None:
        if self.to_on is not None and self.from_on is not None and self.to_on < self.from_on:
            raise ValidationError({"to_on": _("Tanggal selesai sebelum mulai")})
