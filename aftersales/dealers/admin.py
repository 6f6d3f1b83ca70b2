from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.dealers.models import Dealer, WarrantyCard


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
