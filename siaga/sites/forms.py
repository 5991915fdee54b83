"""Sites forms: TPS and vital-object edits (saved through the services), and the TPS import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.operations.models import Election
from siaga.sites.models import VitalObject
from siaga.territory.forms import TABLE_EXTENSIONS, check_extension


class CoordinatesMixin(forms.Form):
    lat = forms.FloatField(label=_("Lintang"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Bujur"), required=False, min_value=-180, max_value=180)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Lintang dan bujur harus diisi keduanya"))
        return data

    def changes(self) -> dict[str, Any]:
        """Only the fields the user changed; coordinates always travel as a pair."""
        changed = set(self.changed_data)
        if changed & {"lat", "lng"}:
            changed |= {"lat", "lng"}
        return {name: self.cleaned_data[name] for name in changed}


class TpsForm(CoordinatesMixin):
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    voters = forms.IntegerField(label=_("Jumlah pemilih (DPT)"), required=False, min_value=0, max_value=5000)
    access_notes = forms.CharField(label=_("Catatan akses"), max_length=300, required=False)

    field_order = ["address", "lat", "lng", "voters", "access_notes"]


class VitalObjectForm(CoordinatesMixin):
    name = forms.CharField(label=_("Nama"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=VitalObject.Kind.choices)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lat = forms.FloatField(label=_("Lintang"), min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Bujur"), min_value=-180, max_value=180)

    field_order = ["name", "kind", "address", "phone", "lat", "lng", "notes"]


class TpsImportForm(forms.Form):
    election = forms.ModelChoiceField(
        label=_("Pemilihan"), queryset=Election.objects.all(), to_field_name="slug", empty_label=None
    )
    file = forms.FileField(
        label=_("Daftar TPS (CSV/XLSX)"),
        help_text=_(
            "Kolom: kode_desa (atau kode_kpu), nomor_tps, [lat, lng, alamat, catatan_akses, pemilih, "
            "lokasi_khusus]. Ekspor TPS Siaga (CSV/XLSX) dapat diimpor kembali apa adanya."
        ),
    )
    overwrite_captured = forms.BooleanField(
        label=_("Timpa koordinat, alamat dan catatan akses yang direkam petugas bila berkas berbeda"),
        required=False,
        help_text=_("Tanpa centang, data petugas tetap dan setiap perbedaan dicantumkan di hasil impor."),
    )

    def clean_file(self) -> Any:
        return check_extension(self.cleaned_data.get("file"), TABLE_EXTENSIONS)


class LokasiKhususTypeForm(forms.Form):
    code = forms.SlugField(
        label=_("Kode"), max_length=40, help_text=_("huruf kecil dan garis bawah, mis. pondok_pesantren")
    )
    name = forms.CharField(label=_("Nama"), max_length=100)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=30000, initial=100)


class LokasiKhususTypeEditForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=100)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=30000)
    is_active = forms.BooleanField(label=_("Aktif"), required=False)
