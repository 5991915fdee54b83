"""Date and time inputs that the browser can read whatever the page's language.

An `<input type="date">` only accepts ISO `2026-12-03`, but Django formats a date with the active locale's
first input format (`03-12-2026` in Indonesian): the browser then shows an empty field and saving the form
blanks the date. These widgets always write ISO; the fields still parse every format (ISO is always accepted).
"""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%dT%H:%M")
