from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.logistics.models import Escort, Handover, Leg, StatusUpdate


@admin.register(Leg)
class LegAdmin(AuditedAdmin):
    list_display = ("key", "hop", "origin", "destination", "planned_depart", "planned_arrive", "status")
    list_filter = ("hop", "status")
    search_fields = ("origin", "destination", "key")
    raw_id_fields = ("tps", "desa")


@admin.register(Escort)
class EscortAdmin(AuditedAdmin):
    list_display = ("leg", "personnel", "is_leader")
    raw_id_fields = ("leg", "personnel")


@admin.register(StatusUpdate)
class StatusUpdateAdmin(AuditedAdmin):
    list_display = ("leg", "status", "at", "key")
    raw_id_fields = ("leg",)


@admin.register(Handover)
class HandoverAdmin(AuditedAdmin):
    list_display = ("leg", "handed_by", "received_by", "boxes", "seals", "at")
    raw_id_fields = ("leg",)
