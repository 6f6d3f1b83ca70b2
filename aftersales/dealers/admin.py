from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.dealers.models import Dealer, Season, StockingPlan, WarrantyCard


@admin.register(Dealer)
class DealerAdmin(BusinessAdmin):
    list_display = ["code", "name", "level", "region", "contact_name", "phone", "receivables"]
    list_filter = ["level", "region"]
    search_fields = ["code", "name"]


class ReadOnlyDocumentAdmin(BusinessAdmin):
    """Dealer documents change only through their services (web, API)."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WarrantyCard)
class WarrantyCardAdmin(ReadOnlyDocumentAdmin):
    list_display = ["card_no", "dealer", "customer", "equipment", "sale_date", "received_date"]
    list_filter = ["dealer"]
    search_fields = ["card_no", "equipment__serial_no"]


@admin.register(Season)
class SeasonAdmin(ReadOnlyDocumentAdmin):
    """Seasons are opened on the stocking-plan screen (each dealer's plan is set then); the
    lead time before a season is the deadline rule ``dealers.stocking_plan`` (时限规则)."""

    list_display = ["code", "name", "starts_on", "ends_on"]
    search_fields = ["code", "name"]


@admin.register(StockingPlan)
class StockingPlanAdmin(ReadOnlyDocumentAdmin):
    list_display = ["number", "dealer", "season", "state", "due_at", "submitted_at", "late"]
    list_filter = ["season", "state", "late"]
    search_fields = ["number", "dealer__name"]
