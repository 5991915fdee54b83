from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from siaga.accounts.models import ApiToken, User
from siaga.core.admin import AuditedAdmin


@admin.register(User)
class SiagaUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "police_unit", "is_active", "is_demo")
    list_filter = ("role", "is_active", "is_demo")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Siaga", {"fields": ("role", "police_unit", "partner", "phone")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
