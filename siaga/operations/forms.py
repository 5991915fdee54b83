"""Forms for the operations pages. Labels are Indonesian first through gettext."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.core.widgets import DateInput, DateTimeInput
from siaga.operations.models import (
    Election,
    ElectionStage,
    IndicatorSet,
    Operation,
    Satgas,
    SecurityPattern,
    SiagaLevel,
    VulnerabilityCategory,
)
from siaga.operations.reference import PATTERN_TEMPLATES
from siaga.territory.models import PoliceUnit


class StageForm(forms.ModelForm):
    class Meta:
        model = ElectionStage
        fields = ["name", "starts_on", "ends_on", "is_key", "notes"]
        widgets = {"starts_on": DateInput(format="%Y-%m-%d"), "ends_on": DateInput(format="%Y-%m-%d")}


class OperationForm(forms.ModelForm):
    class Meta:
        model = Operation
        fields = ["name", "starts_on", "ends_on", "total_strength", "police_available", "notes"]
        widgets = {"starts_on": DateInput(format="%Y-%m-%d"), "ends_on": DateInput(format="%Y-%m-%d")}


class SiagaForm(forms.Form):
    level = forms.ChoiceField(label=_("Status siaga"), choices=SiagaLevel.choices)
    effective_at = forms.DateTimeField(label=_("Berlaku sejak"), required=False, widget=DateTimeInput())
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))
    reference = forms.CharField(label=_("Dasar (mis. Surat Telegram)"), required=False, max_length=150)
    numerator = forms.IntegerField(label=_("Porsi kekuatan: pembilang"), required=False, min_value=0)
    denominator = forms.IntegerField(label=_("penyebut"), required=False, min_value=1)


class PatternForm(forms.ModelForm):
    class Meta:
        model = SecurityPattern
        fields = [
            "category",
            "name",
            "police",
            "tps",
            "linmas",
            "tni",
            "is_default",
            "body_system_override_reason",
            "source",
            "notes",
        ]


class TemplateCopyForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Templat pola terbitan"), choices=[(t.key, t.title) for t in PATTERN_TEMPLATES]
    )


class DecideForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=VulnerabilityCategory.objects.all())
    pattern = forms.ModelChoiceField(
        label=_("Sub-pola khusus (opsional)"), queryset=SecurityPattern.objects.none(), required=False
    )
    justification = forms.CharField(label=_("Dasar penetapan"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, patterns: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if patterns is not None:
            cast(forms.ModelChoiceField, self.fields["pattern"]).queryset = patterns


class BulkCategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Kategori baru"), queryset=VulnerabilityCategory.objects.all())
    justification = forms.CharField(label=_("Dasar penetapan"), widget=forms.Textarea(attrs={"rows": 2}))
    tps = forms.CharField(required=False, widget=forms.MultipleHiddenInput)


class AssessmentImportForm(forms.Form):
    election = forms.ModelChoiceField(label=_("Pemilihan"), queryset=Election.objects.all())
    file = forms.FileField(label=_("Berkas CSV/XLSX"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Hanya CSV atau XLSX"))
        return upload


class AssessmentForm(forms.Form):
    """One checkbox per indicator of the chosen set, plus evidence and date."""

    assessed_on = forms.DateField(label=_("Tanggal penilaian"), widget=DateInput(format="%Y-%m-%d"))
    evidence = forms.CharField(
        label=_("Bukti/keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, indicator_set: IndicatorSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator_set = indicator_set
        self.indicators = list(indicator_set.indicators.all())
        for ind in self.indicators:
            self.fields[f"ind_{ind.code}"] = forms.BooleanField(
                label=f"{ind.code} {ind.text}", required=False
            )

    def values(self) -> dict[str, int]:
        return {ind.code: int(bool(self.cleaned_data.get(f"ind_{ind.code}"))) for ind in self.indicators}


class ElectionCreateForm(forms.Form):
    """A new election from a PKPU calendar template (set-up of a Polres)."""

    name = forms.CharField(label=_("Nama pemilihan"), max_length=150)
    slug = forms.SlugField(
        label=_("Kode"), max_length=40, help_text=_("huruf kecil, angka dan tanda -, mis. pilkada-2029")
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=Election.Kind.choices)
    voting_on = forms.DateField(label=_("Hari pemungutan suara"), widget=DateInput(format="%Y-%m-%d"))
    calendar = forms.ChoiceField(label=_("Templat tahapan (PKPU)"))
    max_voters_per_tps = forms.IntegerField(
        label=_("Pemilih maksimum per TPS"),
        required=False,
        min_value=1,
        max_value=2000,
        help_text=_("kosong: 300 untuk pemilu, 600 untuk pilkada"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from siaga.operations.reference import CALENDAR_TEMPLATES

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["calendar"]).choices = [
            ("auto", _("sesuai jenis pemilihan")),
            *[(t.key, t.title) for t in CALENDAR_TEMPLATES],
            ("none", _("tanpa tahapan")),
        ]
        self.fields["calendar"].initial = "auto"


class OperationCreateForm(forms.Form):
    """A new operation of the Polres for an election: its window and, by default, the usual satgas."""

    name = forms.CharField(label=_("Nama operasi"), max_length=150)
    slug = forms.SlugField(label=_("Kode"), max_length=60, help_text=_("mis. mantap-praja-2029"))
    election = forms.ModelChoiceField(label=_("Pemilihan"), queryset=Election.objects.all())
    polres = forms.ModelChoiceField(label=_("Polres"), queryset=PoliceUnit.objects.none())
    starts_on = forms.DateField(label=_("Mulai"), widget=DateInput(format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("Selesai"), widget=DateInput(format="%Y-%m-%d"))
    police_available = forms.IntegerField(
        label=_("Personel tersedia untuk PAM TPS"), required=False, min_value=0
    )
    with_satgas = forms.BooleanField(label=_("Tambahkan susunan satgas baku"), required=False, initial=True)

    def __init__(self, *args: Any, polres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["polres"]).queryset = polres

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Tanggal selesai sebelum tanggal mulai"))
        return data


class SatgasForm(forms.ModelForm):
    """A satgas's commander, planned strength and tasks (the structure comes from the template)."""

    class Meta:
        model = Satgas
        fields = ["name", "commander_name", "commander_rank", "planned_strength", "tasks"]
        widgets = {"tasks": forms.Textarea(attrs={"rows": 3})}
