"""Forms for deployment pages: start a planning run, publish the Sprin, and the hand edits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.core.forms import BootstrapForm
from siaga.core.widgets import DateInput
from siaga.operations.models import Election
from siaga.territory.models import PoliceUnit


class PlanningForm(BootstrapForm):
    election = forms.ModelChoiceField(label=_("Pemilihan"), queryset=Election.objects.all())
    polres = forms.ModelChoiceField(label=_("Polres"), queryset=PoliceUnit.objects.none())
    time_limit = forms.FloatField(label=_("Batas waktu (detik)"), initial=60, min_value=1, max_value=3600)
    seed = forms.IntegerField(label=_("Seed"), initial=0)
    workers = forms.IntegerField(label=_("Proses paralel"), initial=2, min_value=1, max_value=8)
    teams_per_padal = forms.IntegerField(label=_("Tim per Padal"), initial=10, min_value=1, max_value=50)
    allow_officer_lending = forms.BooleanField(
        label=_("Izinkan peminjaman personel antar-Polsek dan dari Polres"), required=False, initial=True
    )


class ReplanForm(BootstrapForm):
    time_limit = forms.FloatField(label=_("Batas waktu (detik)"), initial=10, min_value=1, max_value=3600)
    seed = forms.IntegerField(label=_("Seed"), initial=0)


class PublishForm(BootstrapForm):
    sprin_number = forms.CharField(label=_("Nomor Sprin"), max_length=100, required=False)
    sprin_on = forms.DateField(label=_("Tanggal Sprin"), required=False, widget=DateInput())


class MoveTpsForm(BootstrapForm):
    tps = forms.IntegerField(widget=forms.HiddenInput, required=False)
    tps_code = forms.CharField(
        label=_("TPS (seperti di tabel, mis. TPS 005 Sidodadi)"), max_length=120, required=False
    )
    team = forms.CharField(
        label=_("Ke tim (kosong: lepas ke daftar kekurangan)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"list": "team-codes"}),
    )


class OfficerEditForm(BootstrapForm):
    ACTIONS = [("swap", _("tukar")), ("replace", _("ganti dengan personel lain")), ("remove", _("lepas"))]
    action = forms.ChoiceField(label=_("Tindakan"), choices=ACTIONS)
    nrp = forms.CharField(label=_("Personel (NRP atau nama)"), max_length=150)
    other_nrp = forms.CharField(label=_("Personel lain (tukar/ganti)"), max_length=150, required=False)


class PoldaPlanningForm(BootstrapForm):
    """Plan every Polres the user sees (a Polda's) in one go; each Polres gets one solver process."""

    election = forms.ModelChoiceField(label=_("Pemilihan"), queryset=Election.objects.all())
    time_limit = forms.FloatField(
        label=_("Batas waktu per Polres (detik)"), initial=60, min_value=1, max_value=3600
    )
    seed = forms.IntegerField(label=_("Seed"), initial=0)
