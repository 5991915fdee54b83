from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.sites.models import LokasiKhususType, Tps, VitalObject


@admin.register(Tps)
class TpsAdmin(AuditedAdmin):
    list_display = ("code", "number", "desa", "kecamatan", "election", "location_quality", "voters")
    list_filter = ("election", "location_quality", "lokasi_khusus", "kecamatan")
    search_fields = ("code", "desa__name")
    list_select_related = ("desa", "kecamatan", "election")
    raw_id_fields = ("desa",)


@admin.register(VitalObject)
class VitalObjectAdmin(AuditedAdmin):
    list_display = ("name", "kind", "kecamatan", "location_quality")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(LokasiKhususType)
class LokasiKhususTypeAdmin(AuditedAdmin):
    list_display = ("code", "name", "order", "is_active")
