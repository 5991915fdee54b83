"""Territory: kabupaten > kecamatan > desa, and the police units that cover them.

Police units form a tree through `parent`: Mabes > Polda > Polres > Polsek > Polsubsektor. A Polres covers one
kabupaten; a Polda covers the kabupaten of its Polres (a province) and Mabes every Polda, so neither has a
kabupaten of its own.

Codes are Kemendagri dotted codes (35.09.01.2001); the KPU code is the same without dots (3509012001).
Boundaries are GeoJSON geometries in EPSG:4326 ([lng, lat]); no spatial database is needed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from siaga.core.geo import validate_lat, validate_lng

GEOMETRY_FIELDS = ("boundary",)


class Kabupaten(models.Model):
    """A kabupaten or kota (regency or city), the territory of one Polres."""

    code = models.CharField(
        _("kode Kemendagri"), max_length=5, unique=True, validators=[RegexValidator(r"^\d{2}\.\d{2}$")]
    )
    name = models.CharField(_("nama"), max_length=100)
    boundary = models.JSONField(_("batas wilayah"), null=True, blank=True)
    lat = models.FloatField(_("lintang pusat"), validators=[validate_lat], null=True, blank=True)
    lng = models.FloatField(_("bujur pusat"), validators=[validate_lng], null=True, blank=True)

    audit_exclude = GEOMETRY_FIELDS

    class Meta:
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Kecamatan(models.Model):
    """A kecamatan (district) of a kabupaten."""

    kabupaten = models.ForeignKey(
        Kabupaten, verbose_name=_("kabupaten"), on_delete=models.PROTECT, related_name="kecamatan"
    )
    code = models.CharField(
        _("kode Kemendagri"), max_length=8, unique=True, validators=[RegexValidator(r"^\d{2}\.\d{2}\.\d{2}$")]
    )
    kpu_code = models.CharField(_("kode KPU"), max_length=6, unique=True)
    name = models.CharField(_("nama"), max_length=100, db_index=True)
    boundary = models.JSONField(_("batas wilayah"), null=True, blank=True)
    lat = models.FloatField(_("lintang pusat"), validators=[validate_lat])
    lng = models.FloatField(_("bujur pusat"), validators=[validate_lng])

    audit_exclude = GEOMETRY_FIELDS

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Desa(models.Model):
    """A desa (village) or kelurahan (urban village)."""

    class Kind(models.TextChoices):
        DESA = "desa", _("desa")
        KELURAHAN = "kelurahan", _("kelurahan")

    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="desa"
    )
    code = models.CharField(
        _("kode Kemendagri"),
        max_length=13,
        unique=True,
        validators=[RegexValidator(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")],
    )
    kpu_code = models.CharField(_("kode KPU"), max_length=10, unique=True)
    name = models.CharField(_("nama"), max_length=100, db_index=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.DESA)
    kpu_name = models.CharField(_("nama di KPU"), max_length=100, blank=True)
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    bps_code = models.CharField(_("kode BPS"), max_length=10, blank=True)
    boundary = models.JSONField(_("batas wilayah"), null=True, blank=True)
    lat = models.FloatField(_("lintang pusat"), validators=[validate_lat])
    lng = models.FloatField(_("bujur pusat"), validators=[validate_lng])
    # A point guaranteed to lie inside the polygon (a centroid may fall outside a crescent-shaped desa).
    inside_lat = models.FloatField(_("lintang titik dalam"), validators=[validate_lat], null=True, blank=True)
    inside_lng = models.FloatField(_("bujur titik dalam"), validators=[validate_lng], null=True, blank=True)

    audit_exclude = GEOMETRY_FIELDS

    class Meta:
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PoliceUnit(models.Model):
    """A police unit: Mabes, a Polda, a Polres, a Polsek or a Polsubsektor, with its jurisdiction."""

    class Level(models.TextChoices):
        MABES = "mabes", _("Mabes Polri")
        POLDA = "polda", _("Polda")
        POLRES = "polres", _("Polres")
        POLSEK = "polsek", _("Polsek")
        POLSUBSEKTOR = "polsubsektor", _("Polsubsektor")

    class LocationQuality(models.TextChoices):
        SURVEYED = "surveyed", _("disurvei")
        APPROXIMATE = "approximate", _("perkiraan")

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=100, unique=True)
    level = models.CharField(_("tingkat"), max_length=12, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Empty only for Mabes and a Polda, which cover their children's kabupaten (see clean()); code about one
    # Polres reads `kabupaten_pk`, which refuses a Polda rather than match every unit without a kabupaten.
    kabupaten = models.ForeignKey(
        Kabupaten,
        verbose_name=_("kabupaten"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="police_units",
    )
    jurisdiction = models.ManyToManyField(
        Kecamatan, verbose_name=_("wilayah hukum"), related_name="police_units"
    )
    lat = models.FloatField(_("lintang"), validators=[validate_lat])
    lng = models.FloatField(_("bujur"), validators=[validate_lng])
    location_quality = models.CharField(
        _("kualitas lokasi"),
        max_length=12,
        choices=LocationQuality.choices,
        default=LocationQuality.APPROXIMATE,
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("satuan kewilayahan")
        verbose_name_plural = _("satuan kewilayahan")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def kabupaten_pk(self) -> int:
        """The kabupaten of a Polres, Polsek or Polsubsektor. A Polda or Mabes has none: filtering by its empty
        kabupaten would match every unit above the Polres, so asking is a programming error."""
        if self.kabupaten_id is None:
            raise ValueError(f"{self.code} ({self.level}) has no kabupaten of its own")
        return self.kabupaten_id

    def clean(self) -> None:
        super().clean()
        above = self.level in ABOVE_POLRES
        if above and self.kabupaten_id is not None:
            raise ValidationError({"kabupaten": _("Mabes dan Polda tidak memiliki kabupaten sendiri.")})
        if not above and self.kabupaten_id is None:
            raise ValidationError({"kabupaten": _("Kabupaten wajib diisi untuk Polres dan Polsek.")})
        allowed = PARENT_LEVELS.get(self.level, ())
        if self.parent is not None and self.parent.level not in allowed:
            raise ValidationError({"parent": _("Satuan induk tidak sesuai dengan tingkat satuan.")})


ABOVE_POLRES = (PoliceUnit.Level.MABES, PoliceUnit.Level.POLDA)
# Which level a unit's parent may have. A Polres without a parent stays valid: a single-Polres installation
# (the Jember deployment) need not record its Polda.
PARENT_LEVELS: dict[str, tuple[str, ...]] = {
    PoliceUnit.Level.MABES: (),
    PoliceUnit.Level.POLDA: (PoliceUnit.Level.MABES,),
    PoliceUnit.Level.POLRES: (PoliceUnit.Level.POLDA,),
    PoliceUnit.Level.POLSEK: (PoliceUnit.Level.POLRES,),
    PoliceUnit.Level.POLSUBSEKTOR: (PoliceUnit.Level.POLSEK, PoliceUnit.Level.POLRES),
}
