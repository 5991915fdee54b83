"""Territory forms: the territory import upload."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

TABLE_EXTENSIONS = (".csv", ".xlsx")
GEOJSON_EXTENSIONS = (".geojson", ".json")


def check_extension(upload: UploadedFile | None, allowed: tuple[str, ...]) -> UploadedFile | None:
    if upload is not None and Path(upload.name or "").suffix.lower() not in allowed:
        raise forms.ValidationError(_("Jenis berkas harus %(e)s") % {"e": ", ".join(allowed)})
    return upload


class TerritoryImportForm(forms.Form):
    desa = forms.FileField(
        label=_("Daftar desa (CSV/XLSX)"), help_text=_("kode_desa, kode_kecamatan, nama, ...")
    )
    boundaries = forms.FileField(label=_("Batas desa (GeoJSON, properti kode_desa)"))
    kecamatan_boundaries = forms.FileField(
        label=_("Batas kecamatan (GeoJSON, properti kode_kecamatan)"), required=False
    )
    kabupaten_boundary = forms.FileField(
        label=_("Batas kabupaten (GeoJSON, properti kode, nama)"), required=False
    )
    police_units = forms.FileField(label=_("Polres/Polsek (CSV)"), required=False)
    offices = forms.FileField(label=_("Kantor KPU/Bawaslu (CSV)"), required=False)

    def clean_desa(self) -> UploadedFile | None:
        return check_extension(self.cleaned_data.get("desa"), TABLE_EXTENSIONS)

    def clean_boundaries(self) -> UploadedFile | None:
        return check_extension(self.cleaned_data.get("boundaries"), GEOJSON_EXTENSIONS)

    def clean_kecamatan_boundaries(self) -> UploadedFile | None:
        return check_extension(self.cleaned_data.get("kecamatan_boundaries"), GEOJSON_EXTENSIONS)

    def clean_kabupaten_boundary(self) -> UploadedFile | None:
        return check_extension(self.cleaned_data.get("kabupaten_boundary"), GEOJSON_EXTENSIONS)

    def clean_police_units(self) -> UploadedFile | None:
        return check_extension(self.cleaned_data.get("police_units"), TABLE_EXTENSIONS)

    def clean_offices(self) -> UploadedFile | None:
        return check_extension(self.cleaned_data.get("offices"), TABLE_EXTENSIONS)
