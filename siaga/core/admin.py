"""Admin registrations. `AuditedAdmin` makes every admin create, update and delete leave an audit record."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from siaga.core.audit import changed_only, record_change, snapshot
from siaga.core.models import AuditEvent, Job


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        if before is None:
            record_change(
                actor=request.user,
                action=AuditEvent.Action.CREATE,
                obj=obj,
                after=snapshot(obj),
                source=AuditEvent.Source.ADMIN,
            )
        else:
            b, a = changed_only(before, snapshot(obj))
            if a:
                record_change(
                    actor=request.user,
                    action=AuditEvent.Action.UPDATE,
                    obj=obj,
                    before=b,
                    after=a,
                    source=AuditEvent.Source.ADMIN,
                )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        before = snapshot(obj)
        record_change(
            actor=request.user,
            action=AuditEvent.Action.DELETE,
            obj=obj,
            before=before,
            source=AuditEvent.Source.ADMIN,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            record_change(
                actor=request.user,
                action=AuditEvent.Action.DELETE,
                obj=obj,
                before=snapshot(obj),
                source=AuditEvent.Source.ADMIN,
            )
        super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is append-only: readable in the admin, never editable or deletable."""

    list_display = ("at", "actor_label", "action", "source", "object_type", "object_id", "object_repr")
    list_filter = ("action", "source", "object_type")
    search_fields = ("actor_label", "object_repr", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "progress", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
