from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.guard.models import (
    Alert,
    Assignment,
    CheckIn,
    Handover,
    OfficerQualification,
    Post,
    PostRequirement,
    Roster,
    SwapRequest,
    Unavailability,
)


class PostRequirementInline(admin.TabularInline):
    model = PostRequirement
    extra = 0


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ("name", "code", "kind", "vital_object", "required", "qualification", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    list_select_related = ("vital_object",)
    inlines = [PostRequirementInline]


@admin.register(Roster)
class RosterAdmin(AuditedAdmin):
    list_display = ("name", "starts_on", "ends_on", "pattern", "status", "solve_status", "objective")
    list_filter = ("status", "pattern")
    filter_horizontal = ("posts", "officers")


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdmin):
    list_display = ("on", "shift_code", "post", "personnel", "is_locked")
    list_filter = ("roster", "shift_code", "is_locked")
    list_select_related = ("post", "personnel")
    raw_id_fields = ("personnel",)


@admin.register(Unavailability)
class UnavailabilityAdmin(AuditedAdmin):
    list_display = ("personnel", "starts_on", "ends_on", "shift_code", "reason")
    raw_id_fields = ("personnel",)


@admin.register(OfficerQualification)
class OfficerQualificationAdmin(AuditedAdmin):
    list_display = ("personnel", "qualification")
    raw_id_fields = ("personnel",)


@admin.register(SwapRequest)
class SwapRequestAdmin(AuditedAdmin):
    list_display = ("roster", "first", "second", "to_personnel", "status", "requested_at")
    list_filter = ("status",)
    raw_id_fields = ("first", "second", "to_personnel")


@admin.register(CheckIn)
class CheckInAdmin(AuditedAdmin):
    list_display = ("post", "personnel", "checked_in_at", "checked_out_at", "distance_m")
    raw_id_fields = ("personnel", "assignment")


@admin.register(Handover)
class HandoverAdmin(AuditedAdmin):
    list_display = ("post", "shift_boundary_at", "outgoing", "incoming", "inventory_complete", "cctv_working")
    raw_id_fields = ("outgoing", "incoming")


@admin.register(Alert)
class AlertAdmin(AuditedAdmin):
    list_display = ("post", "kind", "since", "raised_at", "resolved_at")
    list_filter = ("kind",)
