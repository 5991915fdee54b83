from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.field.models import TpsReport


@admin.register(TpsReport)
class TpsReportAdmin(AuditedAdmin):
    list_display = ["tps", "kind", "condition", "reported_at", "user"]
    list_filter = ["kind", "condition"]
    raw_id_fields = ["tps", "user", "personnel"]
