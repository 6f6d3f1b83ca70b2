from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.stock.models import (
    Bin,
    LoanerUnit,
    Lot,
    MinStock,
    Movement,
    StockLevel,
    StockPolicy,
    Warehouse,
)


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


@admin.register(StockPolicy)
class StockPolicyAdmin(BusinessAdmin):
    list_display = ["code", "slow_yellow_months", "slow_red_months"]


@admin.register(MinStock)
class MinStockAdmin(BusinessAdmin):
    list_display = ["warehouse", "part", "min_qty", "reorder_to"]
    list_filter = ["warehouse"]
    search_fields = ["part__code", "part__name"]


@admin.register(LoanerUnit)
class LoanerUnitAdmin(BusinessAdmin):
    """Units are added and edited here; their state changes only through the loan services."""

    list_display = ["code", "serial_no", "category", "warehouse", "state"]
    list_filter = ["state", "category"]
    search_fields = ["code", "serial_no"]
    readonly_fields = ["state"]
