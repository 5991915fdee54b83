"""The Jember demo: each app contributes its part through `siaga/<app>/demo.py: load_demo(report)`.

Loaders run in INSTALLED_APPS order (territory before sites before operations...), once, on an empty database.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable

from django.apps import apps

Progress = Callable[[float, str], None]


def demo_loaders() -> list[tuple[str, Callable[..., None]]]:
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("siaga."):
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        loader = getattr(importlib.import_module(module_name), "load_demo", None)
        if loader is not None:
            loaders.append((config.label, loader))
    return loaders


def load_all_demos(report: Progress) -> None:
    loaders = demo_loaders()
    for i, (label, loader) in enumerate(loaders):
        start, span = 100 * i / len(loaders), 100 / len(loaders)

        def sub(
            percent: float, message: str = "", start: float = start, span: float = span, label: str = label
        ) -> None:
            report(start + span * percent / 100, f"{label}: {message}")

        sub(0, "mulai / start")
        loader(report=sub)
        sub(100, "selesai / done")
