"""Admin for incidents and response units; edits are audited. Reporter identity is not shown here."""

from __future__ import annotations

from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.incidents.models import Dispatch, Incident, ResponseUnit, TimelineEntry


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor_label", "kind", "from_status", "to_status", "note")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Incident)
class IncidentAdmin(AuditedAdmin):
    list_display = (
        "receipt",
        "category",
        "status",
        "priority",
        "kecamatan",
        "reported_at",
        "source",
        "is_synthetic",
    )
    list_filter = ("status", "category", "priority", "source", "is_synthetic")
    search_fields = ("receipt", "description")
    # The state machine lives in services.transition_incident: the admin may not bypass it.
    readonly_fields = (
        "receipt",
        "client_key",
        "status",
        "verified_at",
        "dispatched_at",
        "on_scene_at",
        "resolved_at",
        "closed_at",
        "handler",
        "handler_since",
        "referral",
        "referred_at",
        "created_by",
    )
    exclude = ("request_fingerprint",)
    raw_id_fields = ("desa", "tps", "duplicate_of", "assigned_user", "kecamatan")
    inlines = [TimelineInline]


@admin.register(ResponseUnit)
class ResponseUnitAdmin(AuditedAdmin):
    list_display = ("call_sign", "name", "kind", "police_unit", "status", "position_at", "is_synthetic")
    list_filter = ("status", "kind", "police_unit")
    search_fields = ("call_sign", "name")
    readonly_fields = ("status", "status_at", "current_incident")
    filter_horizontal = ("members",)


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ("incident", "unit", "dispatched_at", "arrived_at", "released_at")
    readonly_fields = (
        "incident",
        "unit",
        "dispatched_at",
        "arrived_at",
        "released_at",
        "eta_minutes",
        "dispatched_by",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
