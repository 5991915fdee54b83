from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.events.models import Assignment, Event, Sector


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    list_display = ("title", "kind", "starts_at", "kecamatan", "candidate", "party", "crowd", "status")
    list_filter = ("kind", "status", "risk")
    search_fields = ("title", "candidate", "party", "sttp_number")
    list_select_related = ("kecamatan",)


@admin.register(Sector)
class SectorAdmin(AuditedAdmin):
    list_display = ("name", "event", "ring", "required")


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdmin):
    list_display = ("event", "personnel", "role", "sector", "checked_in_at")
    raw_id_fields = ("event", "personnel", "sector")
