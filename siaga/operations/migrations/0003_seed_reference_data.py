"""Seed the national reference data: the Polri TPS vulnerability categories and the Bawaslu and Polri indicator
sets, so a fresh database has them after `migrate` without the demo. Idempotent: missing rows only."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from siaga.operations.reference import seed as seed_reference

    seed_reference(
        apps.get_model("operations", "VulnerabilityCategory"),
        apps.get_model("operations", "IndicatorSet"),
        apps.get_model("operations", "Indicator"),
    )


class Migration(migrations.Migration):
    dependencies = [("operations", "0002_vulnerabilitycategory_indicatorset_operation_and_more")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
