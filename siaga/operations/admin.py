"""Admin for operations data, audited through AuditedAdmin. Day-to-day edits go through the pages and services."""

from django.contrib import admin

from siaga.core.admin import AuditedAdmin
from siaga.operations.models import (
    CategoryGrant,
    Election,
    ElectionStage,
    Indicator,
    IndicatorSet,
    Operation,
    OperationPhase,
    Satgas,
    SecurityPattern,
    SiagaLevelChange,
    TpsAssessment,
    TpsCategory,
    TpsCategoryChange,
    VulnerabilityCategory,
)


@admin.register(Election)
class ElectionAdmin(AuditedAdmin):
    list_display = ("slug", "name", "kind", "voting_on")


@admin.register(ElectionStage)
class ElectionStageAdmin(AuditedAdmin):
    list_display = ("election", "name", "starts_on", "ends_on", "is_key")
    list_filter = ("election", "is_key")


@admin.register(Operation)
class OperationAdmin(AuditedAdmin):
    list_display = ("slug", "name", "election", "polres", "starts_on", "ends_on", "police_available")


@admin.register(OperationPhase)
class OperationPhaseAdmin(AuditedAdmin):
    list_display = ("operation", "kind", "starts_on", "ends_on")


@admin.register(Satgas)
class SatgasAdmin(AuditedAdmin):
    list_display = ("name", "operation", "kind", "parent", "commander_name")
    list_filter = ("operation", "kind")


@admin.register(SiagaLevelChange)
class SiagaLevelChangeAdmin(AuditedAdmin):
    list_display = ("operation", "level", "effective_at", "decided_by_label")


@admin.register(SecurityPattern)
class SecurityPatternAdmin(AuditedAdmin):
    list_display = ("polres", "election", "category", "name", "police", "tps", "linmas", "tni", "is_default")
    list_filter = ("election", "category")


@admin.register(VulnerabilityCategory)
class VulnerabilityCategoryAdmin(AuditedAdmin):
    list_display = ("code", "name", "local_label", "color", "severity")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(IndicatorSet)
class IndicatorSetAdmin(AuditedAdmin):
    list_display = ("slug", "version", "name", "source")
    inlines = [IndicatorInline]


@admin.register(TpsAssessment)
class TpsAssessmentAdmin(AuditedAdmin):
    list_display = ("tps", "indicator_set", "assessed_on", "proposed_category", "score")
    raw_id_fields = ("tps",)


@admin.register(TpsCategory)
class TpsCategoryAdmin(AuditedAdmin):
    list_display = ("tps", "category", "decided_at")
    list_filter = ("election", "category")
    raw_id_fields = ("tps", "assessment", "pattern")


@admin.register(TpsCategoryChange)
class TpsCategoryChangeAdmin(admin.ModelAdmin):
    """History is append-only: readable, never edited."""

    list_display = ("tps", "from_category", "to_category", "decided_at", "decided_by_label", "source")
    raw_id_fields = ("tps",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(CategoryGrant)
class CategoryGrantAdmin(AuditedAdmin):
    list_display = ("user", "election", "reason", "expires_on")
