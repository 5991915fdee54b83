"""Personnel forms: the DSP import upload and opening an apel session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from siaga.core.widgets import DateInput
from siaga.personnel.models import ApelSession

TABLE_EXTENSIONS = (".csv", ".xlsx")


class PersonnelImportForm(forms.Form):
    file = forms.FileField(
        label=_("Daftar personel"),
        help_text=_("Kolom: nrp, nama, pangkat, satuan, [jabatan, telepon, status, kode_desa_binaan]"),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in TABLE_EXTENSIONS:
            raise forms.ValidationError(_("Jenis berkas harus .csv atau .xlsx"))
        return upload


class ApelSessionForm(forms.Form):
    operation_slug = forms.ChoiceField(label=_("Operasi"))
    kind = forms.ChoiceField(label=_("Jenis apel"), choices=ApelSession.Kind.choices)
    held_on = forms.DateField(label=_("Tanggal"), widget=DateInput())
    place = forms.CharField(label=_("Tempat"), max_length=200)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def __init__(self, *args: Any, operations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operation_slug"].choices = operations  # type: ignore[attr-defined]


class ResourceImportForm(forms.Form):
    """Upload of an equipment, BKO or partner-force list."""

    file = forms.FileField(label=_("Berkas (CSV atau XLSX)"))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in TABLE_EXTENSIONS:
            raise forms.ValidationError(_("Jenis berkas harus .csv atau .xlsx"))
        return upload
