"""Forms of the Lapsit app: making a Lapsit, adding a reserve, moving a referral."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.core.forms import BootstrapForm
from siaga.lapsit.models import ReferralStatus, Reserve


class LapsitForm(BootstrapForm):
    day = forms.DateField(
        label=_("Tanggal laporan"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ReserveForm(BootstrapForm):
    name = forms.CharField(label=_("Nama satuan cadangan"), max_length=150)
    origin = forms.ChoiceField(label=_("Asal"), choices=Reserve.Origin.choices)
    count = forms.IntegerField(label=_("Jumlah personel"), min_value=1, max_value=100_000)
    stationed_at = forms.CharField(label=_("Tempat siaga"), max_length=150, required=False)
    starts_on = forms.DateField(
        label=_("Siaga mulai"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Siaga sampai"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )


class ReferralStatusForm(BootstrapForm):
    to = forms.ChoiceField(label=_("Status berikutnya"), choices=ReferralStatus.choices[1:])
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)
