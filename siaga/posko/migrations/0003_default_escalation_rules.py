"""The default escalation rules, as data (editable in the admin): who is told about an alert, how and when."""

from django.db import migrations

# (kind, severity, level, after minutes, roles, channels). Level 0 goes out when the alert is raised; higher
# levels only while nobody has acknowledged it. The most specific rule of a level wins (kind > severity > any).
DEFAULT_RULES = [
    ("", "", 0, 0, ["ops_staff", "polsek_officer"], ["inapp"]),
    ("", "", 1, 30, ["commander", "ops_staff"], ["inapp"]),
    ("", "high", 1, 10, ["commander", "ops_staff"], ["inapp", "sms"]),
    ("", "high", 2, 30, ["commander"], ["inapp", "whatsapp"]),
    # Neutrality cases are Propam's: Propam is told, and the commander when a deadline has passed.
    ("neutrality.deadline_warning", "", 0, 0, ["propam"], ["inapp"]),
    ("neutrality.overdue", "", 0, 0, ["propam", "commander"], ["inapp"]),
]


def add_rules(apps, schema_editor):
    EscalationRule = apps.get_model("posko", "EscalationRule")
    for kind, severity, level, after, roles, channels in DEFAULT_RULES:
        EscalationRule.objects.get_or_create(
            kind=kind,
            severity=severity,
            level=level,
            defaults={"after_minutes": after, "roles": roles, "channels": channels},
        )


class Migration(migrations.Migration):
    dependencies = [("posko", "0002_notification_pending")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
