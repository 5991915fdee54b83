from django.contrib import admin
from django.http import HttpRequest

from siaga.core.admin import AuditedAdmin
from siaga.lapsit.models import Lapsit, PartnerFieldRule, ReferralPacket, Reserve


@admin.register(Lapsit)
class LapsitAdmin(AuditedAdmin):
    """Read-only: a Lapsit is an immutable snapshot."""

    list_display = ("number", "polres", "day", "revision", "trigger", "generated_at")
    list_filter = ("polres", "trigger")
    exclude = ("figures",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Reserve)
class ReserveAdmin(AuditedAdmin):
    list_display = ("name", "polres", "origin", "count", "starts_on", "ends_on")
    list_filter = ("polres", "origin")


@admin.register(PartnerFieldRule)
class PartnerFieldRuleAdmin(AuditedAdmin):
    list_display = ("partner_kind", "object_type", "field")
    list_filter = ("partner_kind", "object_type")


@admin.register(ReferralPacket)
class ReferralPacketAdmin(AuditedAdmin):
    """Read-only: the status moves through siaga.lapsit.services.transition_referral (the page)."""

    list_display = ("number", "status", "sent_at")
    list_filter = ("status",)
    exclude = ("data",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
