"""Sites: the TPS (polling stations) of each election and the vital objects (KPU, Bawaslu, warehouses, PPK)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from siaga.core.geo import validate_lat, validate_lng


class LocationQuality(models.TextChoices):
    """How much a coordinate can be trusted; synthetic positions are never shown as real."""

    SURVEYED = "surveyed", _("disurvei")
    OFFICER = "officer", _("direkam petugas")
    APPROXIMATE = "approximate", _("perkiraan")
    SYNTHETIC = "synthetic", _("sintetis (demo)")


class LokasiKhususType(models.Model):
    """A kind of TPS lokasi khusus (lapas, pondok pesantren...): reference data the Polres admin keeps.

    Kept as data, not as a fixed list in code, because each kabupaten has its own mix (in one kabupaten 11 of
    its 13 lokasi khusus were pondok pesantren). A type in use is never deleted, only deactivated.
    """

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis lokasi khusus")
        verbose_name_plural = _("jenis lokasi khusus")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code -> name of every type (inactive ones too: old TPS keep their label)."""
        return dict(cls.objects.values_list("code", "name"))


class Tps(models.Model):
    """A TPS (polling station) of one election, numbered within its desa."""

    election = models.ForeignKey(
        "operations.Election", verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="tps"
    )
    desa = models.ForeignKey(
        "territory.Desa", verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="tps"
    )
    # Denormalised from desa so that every jurisdiction filter is one indexed column.
    kecamatan = models.ForeignKey(
        "territory.Kecamatan", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="tps"
    )
    number = models.PositiveSmallIntegerField(_("nomor TPS"))
    code = models.CharField(_("kode TPS"), max_length=16, db_index=True)
    lat = models.FloatField(_("lintang"), validators=[validate_lat], null=True, blank=True)
    lng = models.FloatField(_("bujur"), validators=[validate_lng], null=True, blank=True)
    location_quality = models.CharField(
        _("kualitas lokasi"),
        max_length=12,
        choices=LocationQuality.choices,
        default=LocationQuality.SYNTHETIC,
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    voters = models.PositiveIntegerField(_("jumlah pemilih (DPT)"), null=True, blank=True)
    voters_synthetic = models.BooleanField(_("jumlah pemilih sintetis"), default=False)
    # The code of a LokasiKhususType, or "" for a regular TPS (validated in clean() and by the import).
    lokasi_khusus = models.CharField(_("lokasi khusus"), max_length=40, default="", blank=True)
    access_notes = models.CharField(_("catatan akses"), max_length=300, blank=True)
    # Set when an officer edits the field in Siaga: a later KPU re-import keeps it unless the user chooses to
    # overwrite (officer-captured coordinates are marked by location_quality == OFFICER).
    address_captured = models.BooleanField(_("alamat direkam petugas"), default=False)
    access_notes_captured = models.BooleanField(_("catatan akses direkam petugas"), default=False)

    class Meta:
        verbose_name = _("TPS")
        verbose_name_plural = _("TPS")
        ordering = ["election", "desa__code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "desa", "number"], name="tps_unique_number_in_desa"),
            models.UniqueConstraint(fields=["election", "code"], name="tps_unique_code_per_election"),
        ]
        indexes = [models.Index(fields=["election", "kecamatan"]), models.Index(fields=["election", "desa"])]

    def __str__(self) -> str:
        return f"TPS {self.number:03d} {self.desa.name}" if self.desa_id else f"TPS {self.number:03d}"

    @staticmethod
    def make_code(desa_kpu_code: str, number: int) -> str:
        """KPU-style TPS code: the desa's KPU code followed by the 3-digit TPS number."""
        return f"{desa_kpu_code}{number:03d}"

    @property
    def is_lokasi_khusus(self) -> bool:
        return bool(self.lokasi_khusus)

    def clean(self) -> None:
        if (self.lat is None) != (self.lng is None):
            raise ValidationError(_("Lintang dan bujur harus diisi keduanya"))
        if self.desa_id and self.kecamatan_id and self.desa.kecamatan_id != self.kecamatan_id:
            raise ValidationError(_("Kecamatan tidak cocok dengan desa"))
        if self.lokasi_khusus and not LokasiKhususType.objects.filter(code=self.lokasi_khusus).exists():
            raise ValidationError({"lokasi_khusus": _("Jenis lokasi khusus tidak dikenal")})


class VitalObject(models.Model):
    """A vital object guarded during the election: KPU and Bawaslu offices, logistics warehouses, PPK/PPS."""

    class Kind(models.TextChoices):
        KPU_OFFICE = "kpu_office", _("kantor KPU")
        BAWASLU_OFFICE = "bawaslu_office", _("kantor Bawaslu")
        LOGISTICS_WAREHOUSE = "logistics_warehouse", _("gudang logistik")
        PPK_OFFICE = "ppk_office", _("sekretariat PPK")
        PPS_OFFICE = "pps_office", _("sekretariat PPS")
        OTHER = "other", _("lainnya")

    kind = models.CharField(_("jenis"), max_length=24, choices=Kind.choices, db_index=True)
    name = models.CharField(_("nama"), max_length=200)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    kecamatan = models.ForeignKey(
        "territory.Kecamatan",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="vital_objects",
    )
    desa = models.ForeignKey(
        "territory.Desa", verbose_name=_("desa/kelurahan"), null=True, blank=True, on_delete=models.PROTECT
    )
    lat = models.FloatField(_("lintang"), validators=[validate_lat])
    lng = models.FloatField(_("bujur"), validators=[validate_lng])
    location_quality = models.CharField(
        _("kualitas lokasi"),
        max_length=12,
        choices=LocationQuality.choices,
        default=LocationQuality.APPROXIMATE,
    )
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    source = models.CharField(_("sumber data"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("objek vital")
        verbose_name_plural = _("objek vital")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="vital_object_unique_kind_name")]

    def __str__(self) -> str:
        return self.name
