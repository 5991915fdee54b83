"""Seed the Polri ranks and the personal kit checklist (reference data kept as rows, not code)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from siaga.personnel.reference import seed as seed_reference

    seed_reference(apps.get_model("personnel", "Rank"), apps.get_model("personnel", "KitItem"))


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
