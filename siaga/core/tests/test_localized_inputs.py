"""Every form of every app renders dates and numbers so the browser can read them back in Indonesian
(issue 14 item 1: a decimal comma made dispatch a 500; a localized date blanked "dijaga mulai" on save)."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re

from django import forms
from django.utils import translation

import siaga

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for info in pkgutil.iter_modules(siaga.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"siaga.{info.name}.forms")
        except ModuleNotFoundError:
            continue
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
        ]
    return found


def test_every_date_and_number_input_renders_a_value_the_browser_reads_back() -> None:
    classes = _form_classes()
    assert len(classes) > 20  # the walk really found the apps' forms
    wrong = []
    with translation.override("id"):
        for cls in classes:
            for name, field in cls.base_fields.items():
                widget, where = field.widget, f"{cls.__module__}.{cls.__name__}.{name}"
                kind = getattr(widget, "input_type", "")
                if kind == "date":
                    shown = widget.format_value(dt.date(2026, 12, 3))
                    if not ISO_DATE.fullmatch(str(shown)):
                        wrong.append(f"{where}: {shown}")
                elif kind == "datetime-local":
                    shown = widget.format_value(dt.datetime(2026, 12, 3, 21, 5))
                    if not ISO_DATETIME.fullmatch(str(shown)):
                        wrong.append(f"{where}: {shown}")
                elif kind in ("number", "hidden") and isinstance(
                    field, forms.FloatField | forms.DecimalField
                ):
                    shown = widget.format_value(4.8)
                    if shown != "4.8":
                        wrong.append(f"{where}: {shown}")
    assert wrong == []
