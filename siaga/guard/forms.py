"""Forms for guard pages: few fields, big tap targets on the phone screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.core.widgets import DateInput
from siaga.guard.models import Post, Roster, Unavailability
from siaga.personnel.models import Personnel


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "vital_object", "code", "name", "kind", "required", "qualification", "radius_m", "lat", "lng",
            "active_from", "active_until", "empty_alert_minutes", "orders", "is_active",
        ]  # fmt: skip
        widgets = {
            "active_from": DateInput(),
            "active_until": DateInput(),
        }


class RequirementForm(forms.Form):
    required = forms.IntegerField(label=_("Personel per shift"), min_value=0, max_value=50)
    from_h_day = forms.IntegerField(
        label=_("Mulai H- (mis. -5)"), required=False, min_value=-365, max_value=60
    )
    starts_on = forms.DateField(label=_("Mulai tanggal"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput())
    min_siaga_level = forms.ChoiceField(
        label=_("Status siaga minimal"), required=False,
        choices=[("", "-"), ("siaga3", "Siaga III"), ("siaga2", "Siaga II"), ("siaga1", "Siaga I")],
    )  # fmt: skip
    note = forms.CharField(label=_("Catatan"), required=False, max_length=200)


class RosterForm(forms.Form):
    name = forms.CharField(label=_("Nama roster"), max_length=150)
    starts_on = forms.DateField(label=_("Mulai"), widget=DateInput())
    ends_on = forms.DateField(label=_("Selesai"), widget=DateInput())
    pattern = forms.ChoiceField(label=_("Pola shift"), choices=Roster.Pattern.choices)
    posts = forms.ModelMultipleChoiceField(
        label=_("Pos"), queryset=Post.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    officers = forms.ModelMultipleChoiceField(label=_("Personel"), queryset=Personnel.objects.none())
    time_limit_s = forms.IntegerField(
        label=_("Batas waktu penyusunan (detik)"), min_value=1, max_value=600, initial=20
    )

    def __init__(self, *args: Any, posts: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = posts  # type: ignore[attr-defined]
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        self.fields["officers"].widget.attrs["size"] = 12


class UnavailableForm(forms.Form):
    personnel = forms.ModelMultipleChoiceField(label=_("Personel"), queryset=Personnel.objects.none())
    starts_on = forms.DateField(label=_("Mulai"), widget=DateInput())
    ends_on = forms.DateField(label=_("Selesai"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Alasan"), choices=Unavailability.Reason.choices)

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["personnel"].queryset = officers  # type: ignore[attr-defined]


class SwapForm(forms.Form):
    first = forms.IntegerField(label=_("ID penugasan pertama"), min_value=1)
    second = forms.IntegerField(label=_("ID penugasan kedua (tukar)"), min_value=1, required=False)
    to_personnel = forms.ModelChoiceField(
        label=_("atau serahkan kepada"), queryset=Personnel.objects.none(), required=False
    )

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_personnel"].queryset = officers  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    personnel = forms.IntegerField(widget=forms.HiddenInput)
    lat = forms.FloatField(widget=forms.HiddenInput, min_value=-90, max_value=90)
    lng = forms.FloatField(widget=forms.HiddenInput, min_value=-180, max_value=180)
    accuracy = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=0)


class HandoverForm(forms.Form):
    outgoing = forms.ModelChoiceField(label=_("Yang menyerahkan"), queryset=Personnel.objects.none())
    outgoing_nrp = forms.CharField(label=_("NRP yang menyerahkan (tanda tangan)"), max_length=18)
    incoming = forms.ModelChoiceField(label=_("Yang menerima"), queryset=Personnel.objects.none())
    incoming_nrp = forms.CharField(label=_("NRP yang menerima (tanda tangan)"), max_length=18, required=False)
    inventory_complete = forms.BooleanField(
        label=_("Inventaris lengkap (HT, senter, APAR, kunci)"), required=False
    )
    inventory_notes = forms.CharField(label=_("Catatan inventaris"), required=False, max_length=500)
    logbook_entries = forms.IntegerField(
        label=_("Jumlah catatan di buku mutasi"), min_value=0, max_value=999, initial=0
    )
    events = forms.CharField(
        label=_("Kejadian selama shift"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    cctv_working = forms.TypedChoiceField(
        label=_("CCTV berfungsi"), required=False, coerce=lambda v: {"1": True, "0": False}.get(v),
        choices=[("", "-"), ("1", _("ya")), ("0", _("tidak"))], empty_value=None,
    )  # fmt: skip

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("outgoing", "incoming"):
            self.fields[name].queryset = officers  # type: ignore[attr-defined]
