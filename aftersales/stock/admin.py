from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.stock.models import Bin, Lot, Movement, StockLevel, Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(BusinessAdmin):
    list_display = ["code", "name", "kind", "region", "technician"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "name"]


@admin.register(Bin)
class BinAdmin(BusinessAdmin):
    list_display = ["warehouse", "zone", "shelf", "level", "code"]
    list_filter = ["warehouse"]


class ReadOnlyAdmin(BusinessAdmin):
    """Stock, lots and movements change only through the movement services."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ["number", "part", "received_at", "unit_cost", "source"]
    search_fields = ["number", "part__code"]


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ["warehouse", "bin", "part", "lot", "quantity"]
    list_filter = ["warehouse"]


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "from_warehouse", "to_warehouse", "reference", "posted_at"]
    list_filter = ["kind"]
    search_fields = ["number", "reference"]
