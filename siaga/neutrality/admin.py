"""Admin for the neutrality reference data (deadlines) and registers; edits are audited. Cases and
complainants are handled in Siaga's own pages, never here, so identity cannot be read without an audit."""

from __future__ import annotations

from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.neutrality.models import DeadlineRule, Pledge, Relative


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedAdmin):
    list_display = ("key", "days", "warn_hours", "description")


@admin.register(Relative)
class RelativeAdmin(AuditedAdmin):
    list_display = ("personnel", "name", "relation", "standing", "party", "declared_on")
    raw_id_fields = ("personnel",)


@admin.register(Pledge)
class PledgeAdmin(AuditedAdmin):
    list_display = ("personnel", "operation", "signed_on")
    raw_id_fields = ("personnel",)
