from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.personnel.models import (
    ApelEntry,
    ApelEquipmentCheck,
    ApelSession,
    BkoAttachment,
    Equipment,
    KitItem,
    PartnerForce,
    Personnel,
    Rank,
    SatgasAssignment,
    Unit,
)


@admin.register(Rank)
class RankAdmin(AuditedAdmin):
    list_display = ("abbreviation", "name", "group", "order")
    list_filter = ("group",)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("name", "code", "function", "police_unit", "polres", "order")
    list_filter = ("function", "polres")
    list_select_related = ("police_unit", "polres")


@admin.register(Personnel)
class PersonnelAdmin(AuditedAdmin):
    list_display = ("name", "nrp", "rank", "unit", "position", "status", "is_synthetic")
    list_filter = ("status", "is_synthetic", "rank", "unit")
    search_fields = ("name", "nrp", "position")
    list_select_related = ("rank", "unit")
    raw_id_fields = ("desa",)


@admin.register(BkoAttachment)
class BkoAttachmentAdmin(AuditedAdmin):
    list_display = (
        "direction",
        "origin_name",
        "personnel",
        "person_name",
        "count",
        "unit",
        "starts_on",
        "ends_on",
    )
    list_filter = ("direction", "origin")
    raw_id_fields = ("personnel",)
    list_select_related = ("personnel", "unit")


@admin.register(PartnerForce)
class PartnerForceAdmin(AuditedAdmin):
    list_display = ("kind", "unit_name", "kecamatan", "desa", "person_name", "count")
    list_filter = ("kind", "kecamatan")
    raw_id_fields = ("desa",)
    list_select_related = ("kecamatan", "desa")


@admin.register(Equipment)
class EquipmentAdmin(AuditedAdmin):
    list_display = ("kind", "identifier", "unit", "quantity", "condition", "holder")
    list_filter = ("kind", "condition", "unit")
    search_fields = ("identifier", "description", "holder__name")
    raw_id_fields = ("holder",)
    list_select_related = ("unit", "holder")


@admin.register(KitItem)
class KitItemAdmin(AuditedAdmin):
    list_display = ("name", "code", "order", "is_active")


class ReadOnlyWhenLocked(AuditedAdmin):
    """A locked apel is immutable: the admin may read it but not change it."""

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        session = getattr(obj, "session", obj)
        if isinstance(session, ApelSession) and session.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return self.has_change_permission(request, obj)


@admin.register(ApelSession)
class ApelSessionAdmin(ReadOnlyWhenLocked):
    list_display = ("held_on", "kind", "operation_slug", "polres", "place", "locked_at")
    list_filter = ("kind", "operation_slug")


@admin.register(ApelEntry)
class ApelEntryAdmin(ReadOnlyWhenLocked):
    list_display = ("session", "personnel", "unit", "status", "health", "version")
    list_filter = ("status", "session")
    raw_id_fields = ("personnel",)
    list_select_related = ("session", "personnel", "unit")


@admin.register(ApelEquipmentCheck)
class ApelEquipmentCheckAdmin(ReadOnlyWhenLocked):
    list_display = ("session", "equipment", "result", "ready_quantity")
    list_filter = ("result", "session")
    list_select_related = ("session", "equipment")


@admin.register(SatgasAssignment)
class SatgasAssignmentAdmin(AuditedAdmin):
    list_display = ("satgas", "personnel", "role", "from_on", "to_on")
    list_filter = ("satgas__operation", "satgas__kind")
    raw_id_fields = ("personnel",)
    list_select_related = ("satgas", "personnel")
