"""Seed the default partner field rules (siaga.lapsit.partners.DEFAULT_RULES); the Polres admin edits them later."""

from typing import Any

from django.db import migrations

# Frozen here so that a later change of the defaults does not rewrite what this migration did.
DEFAULTS = {
    "kpu": {
        "incident": ["category", "status", "kecamatan", "occurred_on", "reported_at", "priority"],
        "event": ["title", "kind", "kecamatan", "starts_at", "status", "place", "ends_at"],
        "partner_force": ["kind", "kecamatan", "count"],
        "lapsit": ["situation", "activities", "incidents", "plans"],
    },
    "bawaslu": {
        "incident": [
            "category", "status", "kecamatan", "occurred_on", "receipt", "desa", "occurred_at", "reported_at",
            "referral",
        ],
        "event": ["title", "kind", "kecamatan", "starts_at", "status", "place", "ends_at", "organiser", "candidate"],
        "partner_force": ["kind", "kecamatan", "count"],
        "lapsit": ["situation", "activities", "incidents", "plans"],
    },
    "tni": {
        "incident": ["category", "status", "kecamatan", "occurred_on", "priority", "desa", "occurred_at", "lat", "lng"],
        "event": ["title", "kind", "kecamatan", "starts_at", "status", "place", "ends_at", "risk"],
        "partner_force": ["kind", "unit_name", "kecamatan", "count", "person_name", "rank_or_title", "phone"],
        "lapsit": ["situation", "strength", "activities", "incidents", "obstacles", "plans"],
    },
    "press": {
        "incident": ["category", "status", "kecamatan", "occurred_on"],
        "event": ["title", "kind", "kecamatan", "starts_at", "status"],
        "partner_force": ["kind", "count"],
        "lapsit": ["situation", "incidents"],
    },
}  # fmt: skip


def seed(apps: Any, schema_editor: Any) -> None:
    Rule = apps.get_model("lapsit", "PartnerFieldRule")
    Rule.objects.bulk_create(
        [
            Rule(partner_kind=kind, object_type=object_type, field=field)
            for kind, types in DEFAULTS.items()
            for object_type, fields in types.items()
            for field in fields
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("lapsit", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
