"""Forms for neutrality: the citizen's complaint (few fields, phone-sized), internal filing, the step form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.neutrality.models import Case, Classification, Relative, Step

DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
)
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class CaseForm(forms.Form):
    """An internal case or a Bawaslu finding, filed from inside Siaga."""

    officer_description = forms.CharField(label=_("Anggota yang dilaporkan"), max_length=300)
    summary = forms.CharField(
        label=_("Uraian"), min_length=20, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    occurred_at = forms.DateTimeField(
        label=_("Waktu kejadian"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    kecamatan = forms.TypedChoiceField(label=_("Kecamatan"), coerce=int, choices=[])
    place = forms.CharField(label=_("Keterangan tempat"), required=False, max_length=200)

    def __init__(self, *args: Any, kecamatan_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", "—"), *kecamatan_choices]  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Langkah berikutnya"), choices=Step.choices)
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    classification = forms.ChoiceField(
        label=_("Klasifikasi"), required=False, choices=[("", "—"), *Classification.choices]
    )
    decision = forms.CharField(
        label=_("Putusan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    sanction = forms.CharField(label=_("Sanksi"), required=False, max_length=300)
    close_reason = forms.ChoiceField(
        label=_("Alasan ditutup"), required=False, choices=[("", "—"), *Case.CloseReason.choices]
    )
    document = forms.FileField(
        label=_("Dokumen (BAP, notulen gelar, putusan)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_document(self) -> Any:
        doc = self.cleaned_data.get("document")
        if doc and doc.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Dokumen paling besar 10 MB"))
        if doc and not doc.name.lower().endswith((".pdf", ".jpg", ".jpeg", ".png")):
            raise forms.ValidationError(_("Dokumen harus PDF, JPEG atau PNG"))
        return doc


class RelativeForm(forms.Form):
    nrp = forms.CharField(label=_("NRP anggota"), max_length=20)
    name = forms.CharField(label=_("Nama kerabat"), max_length=150)
    relation = forms.ChoiceField(label=_("Hubungan"), choices=Relative.Relation.choices)
    standing = forms.ChoiceField(label=_("Kedudukan"), choices=Relative.Standing.choices)
    party = forms.CharField(label=_("Partai/pasangan"), required=False, max_length=120)
    contest = forms.CharField(label=_("Pemilihan"), required=False, max_length=120)
    kecamatan = forms.TypedMultipleChoiceField(
        label=_("Daerah pemilihan (kecamatan)"), coerce=int, required=False, choices=[]
    )

    def __init__(self, *args: Any, kecamatan_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = kecamatan_choices  # type: ignore[attr-defined]
