from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.parts.models import (
    ClosingRun,
    LoadingList,
    MonthlyAnalysis,
    PackBorrowing,
    PartsReceipt,
    PartsRequest,
)


class ReadOnlyDocumentAdmin(BusinessAdmin):
    """Parts documents change only through their services (web, API): read-only here."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PartsRequest)
class PartsRequestAdmin(ReadOnlyDocumentAdmin):
    list_display = ["number", "state", "customer", "dealer", "charge_type", "committed_date"]
    list_filter = ["state", "charge_type", "source", "responsible_group"]
    search_fields = ["number", "customer__name", "reason"]
    date_hierarchy = "requested_at"


@admin.register(LoadingList)
class LoadingListAdmin(ReadOnlyDocumentAdmin):
    list_display = ["number", "kind", "day", "state", "sales_order_no", "tracking_no"]
    list_filter = ["kind", "state"]


@admin.register(PackBorrowing)
class PackBorrowingAdmin(ReadOnlyDocumentAdmin):
    list_display = ["number", "request", "pack_code", "state", "borrowed_at", "returned_at"]
    list_filter = ["state"]


@admin.register(PartsReceipt)
class PartsReceiptAdmin(ReadOnlyDocumentAdmin):
    list_display = ["request", "supplier", "quantity", "accepted", "checked_at"]
    list_filter = ["accepted", "supplier"]


@admin.register(ClosingRun)
class ClosingRunAdmin(ReadOnlyDocumentAdmin):
    list_display = ["number", "run_at", "grace_until", "state", "enforced_at"]


@admin.register(MonthlyAnalysis)
class MonthlyAnalysisAdmin(ReadOnlyDocumentAdmin):
    list_display = ["number", "month", "state", "prepared_at"]
