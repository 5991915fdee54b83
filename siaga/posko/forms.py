"""Forms for the Posko pages: few fields; the visitor log is also used on a phone at the post gate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siaga.core.widgets import DateTimeInput
from siaga.posko.models import Camera, JournalEntry


class CloseAlertForm(forms.Form):
    note = forms.CharField(label=_("Tindakan yang diambil"), max_length=300)


class JournalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=[(JournalEntry.Kind.NOTE, _("catatan")), (JournalEntry.Kind.RADIO, _("pesan radio"))],
        initial=JournalEntry.Kind.NOTE,
    )
    occurred_at = forms.DateTimeField(
        label=_("Waktu kejadian"), required=False, widget=DateTimeInput(), help_text=_("kosong: sekarang")
    )
    radio_from = forms.CharField(label=_("Dari (panggilan)"), max_length=40, required=False)
    radio_to = forms.CharField(label=_("Kepada (panggilan)"), max_length=40, required=False)
    text = forms.CharField(label=_("Isi"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    kecamatan: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=None, required=False
    )  # type: ignore[arg-type]

    def __init__(self, *args: Any, kecamatan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = kecamatan  # type: ignore[attr-defined]


class VisitorForm(forms.Form):
    post: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Pos"), queryset=None)  # type: ignore[arg-type]
    name = forms.CharField(label=_("Nama tamu"), max_length=120)
    institution = forms.CharField(label=_("Instansi"), max_length=120, required=False)
    purpose = forms.CharField(label=_("Keperluan"), max_length=200)
    identity_number = forms.CharField(label=_("Nomor identitas (opsional)"), max_length=40, required=False)

    def __init__(self, *args: Any, posts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]


class CameraForm(forms.ModelForm):
    class Meta:
        model = Camera
        fields = [
            "code",
            "name",
            "owner",
            "place",
            "kecamatan",
            "lat",
            "lng",
            "stream_url",
            "watched_by",
            "is_active",
            "notes",
        ]

    def __init__(self, *args: Any, kecamatan: Any, cctv_posts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = kecamatan  # type: ignore[attr-defined]
        self.fields["watched_by"].queryset = cctv_posts  # type: ignore[attr-defined]
