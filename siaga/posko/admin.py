from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from siaga.core.admin import AuditedAdmin
from siaga.posko.models import Alert, Camera, EscalationRule, JournalEntry, Notification, Visitor


@admin.register(EscalationRule)
class EscalationRuleAdmin(AuditedAdmin):
    list_display = ("kind", "severity", "level", "after_minutes", "roles", "channels", "is_active")
    list_filter = ("level", "is_active")


@admin.register(Camera)
class CameraAdmin(AuditedAdmin):
    list_display = ("name", "code", "owner", "kecamatan", "watched_by", "is_active")
    list_filter = ("owner", "is_active")
    search_fields = ("name", "code", "place")
    list_select_related = ("kecamatan", "watched_by")


class ReadOnlyAdmin(AuditedAdmin):
    """The stream, the notifications and the journal are written by services only; the admin reads them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("kind", "title", "severity", "status", "kecamatan", "raised_at")
    list_filter = ("status", "severity", "source")
    search_fields = ("title", "key")
    list_select_related = ("kecamatan",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("alert", "recipient", "channel", "level", "status", "created_at")
    list_filter = ("channel", "status")
    list_select_related = ("alert", "recipient")


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "kind", "author", "kecamatan", "text")
    list_filter = ("kind",)
    list_select_related = ("author", "kecamatan")


@admin.register(Visitor)
class VisitorAdmin(ReadOnlyAdmin):
    list_display = ("name", "institution", "post", "arrived_at", "left_at")
    list_select_related = ("post",)
