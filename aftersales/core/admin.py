"""Admin base: Chinese, audited saves, archive instead of delete."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest

from aftersales.core import audit, services
from aftersales.core.models import AuditEvent, CompanySettings, Region, WorkerHeartbeat
from aftersales.core.said import Said


class AuditedAdmin(admin.ModelAdmin):
    """Every save writes an audit row (before/after); nothing is deleted from the back office.
    For configuration rows without an archive column (a calendar year, a target line)."""

    list_per_page = 50

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        after = audit.snapshot(obj)
        if before is None:
            audit.record(obj, actor=request.user, action="create", after=after, verb="admin_create")
        else:
            old, new = audit.diff(before, after)
            if old or new:
                audit.record(
                    obj,
                    actor=request.user,
                    action="update",
                    before=old,
                    after=new,
                    verb="admin_update",
                )


class BusinessAdmin(AuditedAdmin):
    """Audited saves; records are archived, never deleted."""

    actions = ["archive_selected", "restore_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*super().get_readonly_fields(request, obj), "archived_at")

    @admin.action(description="归档所选记录")
    def archive_selected(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            services.archive_record(obj, actor=request.user, reason="后台归档")
        messages.success(request, Said("已归档 %(count)s 条记录", count=queryset.count()))

    @admin.action(description="恢复所选记录")
    def restore_selected(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            services.restore_record(obj, actor=request.user, reason="后台恢复")
        messages.success(request, Said("已恢复 %(count)s 条记录", count=queryset.count()))


@admin.register(Region)
class RegionAdmin(BusinessAdmin):
    list_display = ["code", "name", "province", "archived_at"]
    search_fields = ["code", "name"]
    filter_horizontal = ["neighbours"]


@admin.register(CompanySettings)
class CompanySettingsAdmin(BusinessAdmin):
    list_display = ["company_name", "hotline", "retention_years", "created_at", "archived_at"]
    readonly_fields = ["past_retention"]

    @admin.display(description="保存期满记录")
    def past_retention(self, obj: Any = None) -> str:
        from django.urls import reverse
        from django.utils.html import format_html

        from aftersales.core import retention

        found = retention.past_retention()
        total = sum(p.count for p in found)
        return format_html(
            '{} 条（{}）<a href="{}">导出 Excel</a>',
            total,
            "、".join(f"{p.name} {p.count}" for p in found) or "无",
            reverse("retention_export"),
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_repr",
        "action",
        "verb",
        "content_type",
        "object_repr",
        "from_state",
        "to_state",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["processed_at", "requested_at", "worker", "token"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
