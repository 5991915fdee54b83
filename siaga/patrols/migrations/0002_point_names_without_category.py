"""Patrol points generated for rawan TPS were named "TPS 003 Desa (Rawan)": the category leaked to every role
that reads point names (issue 21 item 2). Drop the trailing "(category)" from those names."""

import re

from django.db import migrations

SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


def strip_category(apps, schema_editor):
    PatrolPoint = apps.get_model("patrols", "PatrolPoint")
    for point in PatrolPoint.objects.filter(kind="rawan_tps", code__startswith="tps-").only("pk", "name"):
        name = SUFFIX.sub("", point.name)
        if name and name != point.name:
            PatrolPoint.objects.filter(pk=point.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [("patrols", "0001_initial")]

    operations = [migrations.RunPython(strip_category, migrations.RunPython.noop)]
