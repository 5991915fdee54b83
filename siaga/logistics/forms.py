from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.logistics.models import Leg


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in Leg.Status if s != Leg.Status.PLANNED], label=_("Status")
    )
    # A fresh key per form shown: pressing the button twice (or resending on a bad line) stores one report.
    key = forms.CharField(widget=forms.HiddenInput, max_length=255)
    note = forms.CharField(max_length=300, required=False, label=_("Catatan"))


class HandoverForm(forms.Form):
    handed_by = forms.CharField(max_length=150, label=_("Yang menyerahkan"))
    received_by = forms.CharField(max_length=150, label=_("Yang menerima"))
    boxes = forms.IntegerField(min_value=0, label=_("Jumlah kotak"))
    seals = forms.IntegerField(min_value=0, label=_("Jumlah segel"))
    seal_numbers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Nomor segel")
    )
    photo = forms.ImageField(required=False, label=_("Foto"))


class EscortForm(forms.Form):
    personnel = forms.CharField(label=_("NRP pengawal (pisahkan dengan koma)"))
