"""The public report form: few fields, big tap targets, every label in Indonesian and English."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.incidents import intake
from siaga.neutrality.models import NIK_VALIDATOR

DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
)
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to five photos in one input; each is checked properly by the intake service (Pillow re-encode)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class PublicReportForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    category = forms.ChoiceField(label=_("Jenis kejadian"), choices=[])
    description = forms.CharField(
        label=_("Apa yang terjadi?"),
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    occurred_at = forms.DateTimeField(
        label=_("Kapan?"),
        widget=forms.DateTimeInput(
            attrs={
                "type": "datetime-local",
                "class": "form-control",
                "required": True,
                "data-missing": _("waktu"),
            },
            format="%Y-%m-%dT%H:%M",
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    desa = forms.TypedChoiceField(
        label=_("Desa/kelurahan"), required=False, coerce=int, empty_value=None, choices=[]
    )
    tps_number = forms.IntegerField(
        label=_("Nomor TPS (bila di TPS)"),
        required=False,
        min_value=1,
        max_value=999,
    )
    place = forms.CharField(label=_("Keterangan tempat"), required=False, max_length=200)
    photos = MultipleFileField(
        label=_("Foto (maks. 5)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}),
    )
    name = forms.CharField(label=_("Nama (boleh kosong)"), required=False, max_length=150)
    phone = forms.CharField(label=_("Telepon/WhatsApp (boleh kosong)"), required=False, max_length=40)
    consent = forms.BooleanField(
        label=_(
            "Saya menyatakan laporan ini benar. Kontak saya hanya dipakai Polri untuk menindaklanjuti laporan ini dan tidak dibagikan ke pihak lain."
        ),
        required=True,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *intake.CATEGORY_CHOICES]  # type: ignore[attr-defined]
        self.fields["desa"].choices = [("", "—"), *intake.desa_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_point = data.get("lat") is not None and data.get("lng") is not None
        if not has_point and not data.get("desa"):
            raise forms.ValidationError(_("Tandai lokasi di peta, pakai lokasi ponsel, atau pilih desa"))
        return data


class PublicComplaintForm(forms.Form):
    """/lapor/netralitas/: what the officer did, when and where; identity is optional and protected."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    officer_description = forms.CharField(
        label=_("Siapa anggota Polri yang dilaporkan?"),
        help_text=_("Nama, pangkat, satuan atau ciri-cirinya, sejauh Anda tahu"),
        max_length=300,
    )
    summary = forms.CharField(
        label=_("Apa yang dilakukannya?"),
        help_text=_("Mis. ikut kampanye, berfoto dengan pose dukungan, membagikan atribut calon"),
        min_length=20,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    occurred_at = forms.DateTimeField(
        label=_("Kapan?"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    desa = forms.TypedChoiceField(label=_("Desa/kelurahan"), coerce=int, choices=[])
    tps_number = forms.IntegerField(
        label=_("Nomor TPS (bila di TPS)"), required=False, min_value=1, max_value=999
    )
    place = forms.CharField(label=_("Keterangan tempat"), required=False, max_length=200)
    name = forms.CharField(label=_("Nama Anda (boleh kosong)"), required=False, max_length=150)
    nik = forms.CharField(
        label=_("NIK (boleh kosong)"),
        help_text=_("Hanya dilihat Propam yang menangani pengaduan Anda"),
        required=False,
        max_length=16,
        validators=[NIK_VALIDATOR],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(label=_("Telepon/WhatsApp (boleh kosong)"), required=False, max_length=40)
    consent = forms.BooleanField(
        label=_(
            "Saya menyatakan pengaduan ini benar. Identitas saya hanya dipakai Propam untuk menindaklanjuti "
            "pengaduan ini dan tidak dibagikan."
        ),
        required=True,
    )

    def __init__(self, *args: Any, desa_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["desa"].choices = [("", "—"), *desa_choices]  # type: ignore[attr-defined]
