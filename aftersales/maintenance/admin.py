from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.maintenance.models import (
    ChecklistItem,
    ChecklistTemplate,
    MaintenancePlan,
    MaintenanceVisit,
    SeasonalWindow,
)


@admin.register(SeasonalWindow)
class SeasonalWindowAdmin(BusinessAdmin):
    list_display = ["code", "name", "start_month", "start_day", "end_month", "end_day"]


class ItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(BusinessAdmin):
    list_display = ["code", "version", "name", "category"]
    inlines = [ItemInline]


@admin.register(MaintenancePlan)
class MaintenancePlanAdmin(BusinessAdmin):
    list_display = ["number", "name", "kind", "customer", "recurrence", "interval", "start_date"]
    list_filter = ["kind", "recurrence"]
    readonly_fields = ["number", "revision"]


@admin.register(MaintenanceVisit)
class MaintenanceVisitAdmin(BusinessAdmin):
    list_display = ["plan", "nominal_date", "due_date", "state", "ticket"]
    list_filter = ["state"]
    readonly_fields = ["plan", "occurrence_key", "ticket", "state"]
