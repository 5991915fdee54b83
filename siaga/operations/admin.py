from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.operations.models import Election


@admin.register(Election)
class ElectionAdmin(AuditedAdmin):
    list_display = ("slug", "name", "kind", "voting_on")
