from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.patrols.models import PatrolCheckIn, PatrolDay, PatrolPlan, PatrolPoint, PatrolUnit, PatrolVisit


@admin.register(PatrolPoint)
class PatrolPointAdmin(AuditedAdmin):
    list_display = (
        "name",
        "code",
        "kind",
        "kecamatan",
        "value",
        "min_visits",
        "radius_m",
        "is_synthetic",
        "is_active",
    )
    list_filter = ("kind", "is_active", "is_synthetic")
    search_fields = ("name", "code")
    list_select_related = ("kecamatan",)
    exclude = ("qr_secret",)
    raw_id_fields = ("tps", "vital_object")


@admin.register(PatrolUnit)
class PatrolUnitAdmin(AuditedAdmin):
    list_display = ("name", "code", "depot", "vehicles", "shift_slots", "is_active")
    list_select_related = ("depot",)


@admin.register(PatrolPlan)
class PatrolPlanAdmin(AuditedAdmin):
    list_display = ("name", "polres", "starts_on", "ends_on", "status", "defender_utility")
    list_filter = ("status",)
    filter_horizontal = ("units",)


@admin.register(PatrolDay)
class PatrolDayAdmin(AuditedAdmin):
    list_display = ("plan", "day_on", "status", "key_stage", "siaga_level", "distance_m")
    list_filter = ("status",)
    exclude = ("seed",)


@admin.register(PatrolVisit)
class PatrolVisitAdmin(AuditedAdmin):
    list_display = (
        "day",
        "point",
        "slot",
        "unit",
        "vehicle",
        "planned_at",
        "source",
        "is_cancelled",
        "overridden_by",
    )
    list_filter = ("source", "is_cancelled")
    list_select_related = ("day", "point", "unit", "overridden_by")
    raw_id_fields = ("day", "point")


@admin.register(PatrolCheckIn)
class PatrolCheckInAdmin(AuditedAdmin):
    list_display = ("point", "unit", "officer_label", "arrived_at", "distance_m", "qr_status", "flags")
    list_select_related = ("point", "unit")
    raw_id_fields = ("point", "visit", "user")
