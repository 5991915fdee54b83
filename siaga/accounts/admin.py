from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

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


# django-otp registers its device admins (secrets on screen, edits unaudited, a server error for an unknown
# device). Two-step login is managed by its owner (enrolment) and `siaga reset-mfa USERNAME` (audited).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
