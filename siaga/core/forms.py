"""Form helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms


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
