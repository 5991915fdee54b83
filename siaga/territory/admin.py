from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.territory.models import Desa, Kabupaten, Kecamatan, PoliceUnit


@admin.register(Kabupaten)
class KabupatenAdmin(AuditedAdmin):
    list_display = ("code", "name")
    exclude = ("boundary",)


@admin.register(Kecamatan)
class KecamatanAdmin(AuditedAdmin):
    list_display = ("code", "name", "kabupaten")
    search_fields = ("name", "code")
    exclude = ("boundary",)


@admin.register(Desa)
class DesaAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "kecamatan")
    list_filter = ("kind", "kecamatan")
    search_fields = ("name", "code")
    list_select_related = ("kecamatan",)
    exclude = ("boundary",)


@admin.register(PoliceUnit)
class PoliceUnitAdmin(AuditedAdmin):
    list_display = ("name", "level", "parent", "location_quality")
    list_filter = ("level",)
    filter_horizontal = ("jurisdiction",)
