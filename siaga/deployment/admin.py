from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.deployment.models import DeploymentPlan, OfficerAccount, PlanningRun


@admin.register(DeploymentPlan)
class DeploymentPlanAdmin(AuditedAdmin):
    list_display = ("title", "version", "status", "sprin_number", "tps_covered", "tps_total", "is_valid")
    list_filter = ("status", "election")
    # Status, teams and rows change only through the services (validated and audited), never here.
    readonly_fields = ("status", "tps_total", "tps_covered", "officers_used", "is_valid", "violations")
    exclude = ("parameters",)


@admin.register(PlanningRun)
class PlanningRunAdmin(AuditedAdmin):
    list_display = (
        "pk",
        "kind",
        "status",
        "election",
        "polres",
        "final_s",
        "is_valid",
        "changed_assignments",
    )
    list_filter = ("kind", "status")


@admin.register(OfficerAccount)
class OfficerAccountAdmin(AuditedAdmin):
    list_display = ("user", "personnel")
    raw_id_fields = ("user", "personnel")
