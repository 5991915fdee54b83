"""Patrol forms: points, units, plans, drawing days and the override of a day's plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.core.widgets import DateInput, DateTimeInput
from siaga.patrols.models import SLOT_LABELS, PatrolPoint, PatrolUnit

SLOT_CHOICES = [(i, label) for i, label in enumerate(SLOT_LABELS)]


class SlotsField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SLOT_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple, **kwargs)


class PointForm(forms.ModelForm):
    open_slots = SlotsField(label=_("Slot waktu buka (kosong = sepanjang hari)"), required=False)

    class Meta:
        model = PatrolPoint
        fields = [
            "code", "name", "kind", "kecamatan", "lat", "lng", "value", "min_visits", "min_visits_key_stage",
            "min_visits_siaga", "open_slots", "radius_m", "is_synthetic", "notes", "is_active",
        ]  # fmt: skip


class UnitForm(forms.ModelForm):
    shift_slots = SlotsField(label=_("Shift"))

    class Meta:
        model = PatrolUnit
        fields = [
            "code",
            "name",
            "personnel_unit",
            "depot",
            "vehicles",
            "crew_per_vehicle",
            "shift_slots",
            "is_active",
        ]


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    starts_on = forms.DateField(label=_("Mulai"), widget=DateInput())
    ends_on = forms.DateField(label=_("Selesai"), widget=DateInput())
    points = forms.ModelMultipleChoiceField(
        label=_("Titik"), queryset=PatrolPoint.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Unit"), queryset=PatrolUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    visits_per_vehicle_shift = forms.IntegerField(
        label=_("Kunjungan per kendaraan per shift"), min_value=1, max_value=40, initial=5
    )


class DaysForm(forms.Form):
    starts_on = forms.DateField(label=_("Mulai tanggal"), widget=DateInput())
    days = forms.IntegerField(label=_("Jumlah hari"), min_value=1, max_value=62, initial=7)


class OverrideForm(forms.Form):
    ACTIONS = [("add", _("Tambah kunjungan")), ("move", _("Pindah jam")), ("cancel", _("Batalkan"))]

    action = forms.ChoiceField(label=_("Tindakan"), choices=ACTIONS)
    visit = forms.IntegerField(label=_("Kunjungan"), required=False, widget=forms.HiddenInput)
    point = forms.ModelChoiceField(label=_("Titik"), queryset=PatrolPoint.objects.none(), required=False)
    at = forms.DateTimeField(label=_("Jam"), required=False, widget=DateTimeInput())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=PatrolUnit.objects.none(), required=False)
    reason = forms.CharField(label=_("Alasan"), max_length=300)
