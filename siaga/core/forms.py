"""Form helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from siaga.core.errors import DomainError


class BootstrapForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes, so templates can loop over fields plainly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


def show_error(form: Any, exc: DomainError | ValidationError, *, message_on_top: bool = False) -> None:
    """Show a refusal on the form: each named field's messages under that field, and the message on top when no
    field is named (or always, with `message_on_top`)."""
    if isinstance(exc, ValidationError):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    added = False
    for field, errors in exc.fields.items():
        if field in form.fields:
            form.add_error(field, errors)
            added = True
    if message_on_top or not added:
        form.add_error(None, exc.message)
