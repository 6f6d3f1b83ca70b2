from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from aftersales.core.admin import BusinessAdmin
from aftersales.dispatch.models import DispatchPlan, PlanItem, PlannerSettings


@admin.register(PlannerSettings)
class PlannerSettingsAdmin(BusinessAdmin):
    list_display = [
        "created_at",
        "speed_kmh",
        "road_factor",
        "default_service_minutes",
        "screen_budget_seconds",
        "inline_max_jobs",
        "archived_at",
    ]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    can_delete = False
    fields = (
        "ticket",
        "work_order",
        "technician",
        "sequence",
        "planned_arrival",
        "planned_start",
        "planned_end",
        "late_minutes",
        "fixed",
        "edited_by_dispatcher",
        "remote",
        "unassigned_reason",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DispatchPlan)
class DispatchPlanAdmin(admin.ModelAdmin):
    """Plans are written by the planner service only: read-only here."""

    list_display = ["id", "day", "region", "state", "created_by", "solved_at", "published_at"]
    list_filter = ["state", "region"]
    date_hierarchy = "day"
    inlines = [PlanItemInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
