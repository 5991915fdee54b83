"""Forms for the Posko's quick intake and the triage actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siaga.incidents.models import Category, Priority, Source
from siaga.territory.models import Desa


class PoskoIntakeForm(forms.Form):
    """A call, radio message or WhatsApp in a few keystrokes: source, category, what, where; the rest optional."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    source = forms.ChoiceField(
        label=_("Sumber"),
        choices=[(s.value, s.label) for s in Source if s != Source.PUBLIC],
        initial=Source.CALL,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    description = forms.CharField(
        label=_("Uraian"), min_length=10, widget=forms.Textarea(attrs={"rows": 3, "autofocus": True})
    )
    desa = forms.ModelChoiceField(label=_("Desa/kelurahan"), queryset=Desa.objects.none())
    place = forms.CharField(label=_("Keterangan tempat"), required=False, max_length=200)
    occurred_at = forms.DateTimeField(
        label=_("Waktu kejadian"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    priority = forms.TypedChoiceField(
        label=_("Prioritas (kosong: aturan)"),
        choices=[("", "—"), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reporter_name = forms.CharField(label=_("Nama pelapor"), required=False, max_length=150)
    reporter_phone = forms.CharField(label=_("Telepon pelapor"), required=False, max_length=40)

    def __init__(self, *args: Any, desa_queryset: Any = None, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault(
            "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)
        desa_field: Any = self.fields["desa"]
        desa_field.queryset = desa_queryset if desa_queryset is not None else Desa.objects.all()
        for name, field in self.fields.items():
            if name not in ("source", "idempotency_key"):
                field.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                )
