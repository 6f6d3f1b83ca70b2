from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.service.models import (
    Callback,
    CallbackPlan,
    LoanerTask,
    Quote,
    ServiceReport,
    SlaClock,
    Ticket,
    WarrantyRecord,
    WorkOrder,
)


class ReadOnlyDomainAdmin(BusinessAdmin):
    """Domain documents change only through their services (web, API): read-only here."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyDomainAdmin):
    list_display = ["number", "type", "severity", "state", "customer", "owner", "received_at"]
    list_filter = ["state", "severity", "type", "channel"]
    search_fields = ["number", "customer__name", "contact_phone"]
    date_hierarchy = "received_at"


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyDomainAdmin):
    list_display = [
        "number",
        "ticket",
        "technician",
        "state",
        "window_start",
        "check_in_at",
        "late_minutes",
    ]
    list_filter = ["state"]
    search_fields = ["number", "ticket__number"]


@admin.register(ServiceReport)
class ServiceReportAdmin(ReadOnlyDomainAdmin):
    list_display = ["ticket", "work_order", "responsibility", "filed_at", "filed_late", "repeat_of"]
    list_filter = ["filed_late", "responsibility"]


@admin.register(SlaClock)
class SlaClockAdmin(admin.ModelAdmin):
    list_display = [
        "ticket",
        "metric",
        "target_minutes",
        "due_at",
        "met_at",
        "status",
        "breach_minutes",
    ]
    list_filter = ["metric", "status"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


for model in (WarrantyRecord, Quote, Callback, LoanerTask):
    admin.site.register(model, ReadOnlyDomainAdmin)


@admin.register(CallbackPlan)
class CallbackPlanAdmin(BusinessAdmin):
    list_display = ["customer", "site", "interval_months", "next_due", "ends_on", "reason"]
