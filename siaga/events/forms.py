from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.events.models import Assignment, Event, Sector
from siaga.events.services import EDITABLE
from siaga.operations.models import ElectionStage


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventForm(forms.ModelForm):
    confirm_clashes = forms.BooleanField(
        label=_("Saya sudah membaca peringatan bentrok dan tetap menyimpan"), required=False
    )

    class Meta:
        model = Event
        fields = list(EDITABLE)
        widgets = {
            "starts_at": DateTimeLocal(),
            "ends_at": DateTimeLocal(),
            "sttp_applied_on": DateInput(),
            "sttp_issued_on": DateInput(),
            "risk_notes": forms.Textarea(attrs={"rows": 2}),
            "lat": forms.NumberInput(attrs={"step": "any"}),
            "lng": forms.NumberInput(attrs={"step": "any"}),
        }

    def __init__(self, *args: Any, election_id: int | None = None, kecamatan_qs: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        stage = self.fields["stage"]
        assert isinstance(stage, forms.ModelChoiceField)
        stage.queryset = ElectionStage.objects.filter(election_id=election_id or 0).order_by("starts_on")
        kecamatan = self.fields["kecamatan"]
        if kecamatan_qs is not None and isinstance(kecamatan, forms.ModelChoiceField):
            kecamatan.queryset = kecamatan_qs
        for name in ("starts_at", "ends_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))


class SectorForm(forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["ring", "name", "task", "required"]


class AssignForm(forms.Form):
    personnel = forms.CharField(label=_("NRP personel (pisahkan dengan koma)"))
    sector = forms.ModelChoiceField(queryset=Sector.objects.none(), required=False, label=_("Sektor"))
    role = forms.ChoiceField(
        choices=Assignment.Role.choices, initial=Assignment.Role.MEMBER, label=_("Peran")
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any):
        super().__init__(*args, **kwargs)
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ModelChoiceField)
        sector.queryset = event.sectors.all()


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Event.Status.choices, label=_("Status"))
    note = forms.CharField(max_length=300, required=False, label=_("Situasi terkini"))


class AfterActionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Laporan hasil pelaksanaan"))
