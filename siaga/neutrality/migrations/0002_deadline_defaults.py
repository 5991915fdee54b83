"""National default deadlines of the neutrality workflow (editable as data afterwards)."""

from django.db import migrations

DEFAULTS = {
    "received": (1, 6, "Tanggapi pengaduan dalam 1 x 24 jam"),
    "clarification": (3, 24, "Klarifikasi para pihak"),
    "gelar_perkara": (2, 24, "Gelar perkara dan klasifikasi"),
    "ringan": (7, 24, "Pelanggaran disiplin: selesai 7 hari sejak laporan"),
    "sedang": (14, 48, "Pelanggaran kode etik: selesai 14 hari sejak laporan"),
    "berat": (14, 48, "Pelanggaran kode etik berat: selesai 14 hari sejak laporan"),
}


def load(apps, schema_editor):
    rule = apps.get_model("neutrality", "DeadlineRule")
    for key, (days, warn_hours, description) in DEFAULTS.items():
        rule.objects.get_or_create(key=key, defaults={"days": days, "warn_hours": warn_hours, "description": description})


class Migration(migrations.Migration):
    dependencies = [("neutrality", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
