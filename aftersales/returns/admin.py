from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.returns.models import CreditNote, ReturnRequest, ReturnRule


@admin.register(ReturnRule)
class ReturnRuleAdmin(BusinessAdmin):
    """Return rules per product line are data: the administrator edits them here."""

    list_display = ["name", "category", "period_days", "receipt_required", "resaleable_required"]


class ReadOnlyDocumentAdmin(BusinessAdmin):
    """Returns and credit notes change only through their services (web, API)."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ReadOnlyDocumentAdmin):
    list_display = ["number", "kind", "state", "customer", "dealer", "outcome", "applied_at"]
    list_filter = ["state", "kind", "outcome", "freight_payer"]
    search_fields = ["number", "customer__name", "reason"]
    date_hierarchy = "applied_at"


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyDocumentAdmin):
    list_display = ["number", "return_request", "amount", "state", "booked_at", "voucher_no"]
    list_filter = ["state"]
