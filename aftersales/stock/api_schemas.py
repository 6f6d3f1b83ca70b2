"""Input and output schemas of the stock API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, ModelSchema, Schema
from pydantic import constr

from aftersales.core.schemas import In, InFilter
from aftersales.stock.models import (
    Bin,
    Loan,
    LoanerUnit,
    MinStock,
    Movement,
    MovementLine,
    Shortage,
    StockCount,
    Warehouse,
)

# a quantity or a cost may be sent as text ("3", "12.50"): the service parses it and names
# the field in its Chinese error ("1,000" → 含逗号)
Qty = int | Annotated[str, Field(max_length=12)]
Cost = Decimal | Annotated[str, Field(max_length=16)]


class WarehouseOut(ModelSchema):
    class Meta:
        model = Warehouse
        fields = ["id", "code", "name", "kind", "region", "technician", "address", "archived_at"]


class WarehouseIn(In):
    columns_of = Warehouse
    code: constr(strip_whitespace=True, min_length=1, max_length=20)  # type: ignore[valid-type]
    name: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    kind: str = Field(..., description="main 售后总库 / regional 区域库 / van 工程师车载库")
    region_id: int | None = None
    technician_id: int | None = None
    address: str = ""


class WarehousePatch(In):
    columns_of = Warehouse
    name: str | None = None
    region_id: int | None = None
    address: str | None = None


class WarehouseFilter(InFilter):
    kind: str | None = None
    region_id: int | None = None


class StockBinOut(ModelSchema):
    class Meta:
        model = Bin
        fields = ["id", "warehouse", "zone", "shelf", "level", "code", "archived_at"]


class StockBinIn(In):
    columns_of = Bin
    warehouse_id: int
    zone: constr(strip_whitespace=True, min_length=1, max_length=10)  # type: ignore[valid-type]
    shelf: constr(strip_whitespace=True, min_length=1, max_length=10)  # type: ignore[valid-type]
    level: constr(strip_whitespace=True, min_length=1, max_length=10)  # type: ignore[valid-type]
    code: str = ""


class StockBinPatch(In):
    columns_of = Bin
    code: str | None = None


class StockBinFilter(InFilter):
    warehouse_id: int | None = None


class StockLevelOut(Schema):
    id: int
    warehouse_id: int
    warehouse: str = Field(..., alias="warehouse.name")
    bin_id: int | None
    bin: str | None = Field(None, alias="bin.code")
    part_id: int
    part_code: str = Field(..., alias="part.code")
    part_name: str = Field(..., alias="part.name")
    lot_id: int
    lot: str = Field(..., alias="lot.number")
    lot_date: dt.datetime = Field(..., alias="lot.received_at")
    unit_cost: Decimal = Field(..., alias="lot.unit_cost")
    quantity: int
    value: Decimal


class StockLineOut(ModelSchema):
    part_code: str = Field(..., alias="part.code")
    part_name: str = Field(..., alias="part.name")
    lot_number: str = Field(..., alias="lot.number")
    lot_date: dt.datetime = Field(..., alias="lot.received_at")

    class Meta:
        model = MovementLine
        fields = ["id", "part", "lot", "quantity", "from_bin", "to_bin", "unit_cost", "amount"]


class StockMovementOut(ModelSchema):
    class Meta:
        model = Movement
        fields = [
            "id",
            "number",
            "kind",
            "from_warehouse",
            "to_warehouse",
            "reason",
            "reference",
            "posted_at",
            "posted_by",
        ]


class StockMovementDetailOut(StockMovementOut):
    lines: list[StockLineOut]


class StockReceiptLineIn(In):
    part_id: int | None = None
    part_code: str = ""
    quantity: Qty
    unit_cost: Cost
    bin_id: int | None = None
    received_at: dt.datetime | None = Field(None, description="批次日期（缺省为过账时间）")
    supplier_lot: str = Field("", max_length=50)


class StockReceiptIn(In):
    columns_of = Movement
    warehouse_id: int
    lines: list[StockReceiptLineIn]
    source: str = Field("purchase", description="purchase / parts_receipt / reusable / opening")
    reason: str = ""
    reference: str = ""


class StockOutLineIn(In):
    part_id: int | None = None
    part_code: str = ""
    quantity: Qty
    lot_id: int | None = None
    from_bin_id: int | None = None
    to_bin_id: int | None = None


class _OutDocIn(In):
    """An outgoing document: its lines and why."""

    columns_of = Movement
    lines: list[StockOutLineIn]
    reason: str = ""
    reference: str = ""


class StockIssueIn(_OutDocIn):
    warehouse_id: int


class StockTransferIn(_OutDocIn):
    from_warehouse_id: int
    to_warehouse_id: int


class StockTechReturnIn(In):
    columns_of = Movement
    van_id: int
    to_warehouse_id: int
    lines: list[StockOutLineIn]
    reason: str = ""


class StockScrapIn(_OutDocIn):
    warehouse_id: int
    reason: str


class StockCountLineIn(In):
    lot_id: int
    bin_id: int | None = None
    counted: Qty


class StockAdjustIn(In):
    columns_of = Movement
    warehouse_id: int
    lines: list[StockCountLineIn]
    reason: str
    reference: str = ""


class StockTotalsOut(Schema):
    units: int
    value: Decimal


class StockShortageOut(ModelSchema):
    part_code: str = Field(..., alias="part.code")
    part_name: str = Field(..., alias="part.name")
    replenishment_number: str | None = Field(None, alias="replenishment.number")

    class Meta:
        model = Shortage
        fields = [
            "id",
            "technician",
            "van",
            "part",
            "needed",
            "issued",
            "short",
            "reference",
            "proposed_from",
            "state",
            "replenishment",
            "recorded_at",
        ]


class LoanerUnitOut(ModelSchema):
    category_name: str = Field(..., alias="category.name")
    warehouse_name: str = Field(..., alias="warehouse.name")

    class Meta:
        model = LoanerUnit
        fields = [
            "id",
            "code",
            "serial_no",
            "category",
            "model",
            "warehouse",
            "state",
            "note",
            "archived_at",
        ]


class LoanerUnitIn(In):
    columns_of = LoanerUnit
    code: constr(strip_whitespace=True, min_length=1, max_length=30)  # type: ignore[valid-type]
    serial_no: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    category_id: int
    model_id: int | None = None
    warehouse_id: int
    note: str = ""


class LoanerUnitPatch(In):
    columns_of = LoanerUnit
    warehouse_id: int | None = None
    model_id: int | None = None
    note: str | None = None


class LoanerUnitFilter(InFilter):
    columns_of = LoanerUnit
    state: str | None = None
    category_id: int | None = None
    warehouse_id: int | None = None


class LoanOut(ModelSchema):
    unit_code: str = Field(..., alias="unit.code")
    unit_serial_no: str = Field(..., alias="unit.serial_no")
    ticket_number: str = Field(..., alias="ticket.number")
    overdue: bool = Field(..., alias="is_overdue")

    class Meta:
        model = Loan
        fields = [
            "id",
            "number",
            "unit",
            "ticket",
            "lent_at",
            "lent_by",
            "signed_by",
            "due_back",
            "returned_at",
            "returned_by",
            "inspected_at",
            "inspection_ok",
            "inspection_note",
            "overdue_at",
            "escalated_at",
        ]


class LoanIn(In):
    columns_of = Loan
    unit_id: int
    ticket_id: int
    signed_by: str = Field(..., description="客户签收人")
    due_back: dt.date = Field(..., description="约定归还日期")


class LoanInspectIn(In):
    columns_of = Loan
    ok: bool
    note: str = Field("", max_length=200, description="检验说明（不合格时必填）")


class LoanerRetireIn(In):
    columns_of = LoanerUnit
    reason: str = Field(..., max_length=200)


class StockCountOut(ModelSchema):
    warehouse_name: str = Field(..., alias="warehouse.name")
    adjustment_number: str | None = Field(None, alias="adjustment.number")

    class Meta:
        model = StockCount
        fields = [
            "id",
            "number",
            "warehouse",
            "state",
            "opened_at",
            "opened_by",
            "submitted_at",
            "closed_at",
            "adjustment",
            "note",
        ]


class StockCountLineOut(Schema):
    id: int
    bin: str | None
    part_code: str
    part_name: str
    lot_number: str
    lot_date: dt.datetime
    counted: int | None
    book: int | None = Field(None, description="账面数量（盘点中不显示：盲盘）")
    variance: int | None
    variance_value: Decimal | None


class StockCountDetailOut(StockCountOut):
    lines: list[StockCountLineOut] = Field(..., alias="sheet")


class StockCountIn(In):
    columns_of = StockCount
    warehouse_id: int
    note: str = ""


class StockCountEntryIn(In):
    line_id: int
    counted: Qty


class StockCountEntriesIn(In):
    entries: list[StockCountEntryIn]


class StockCountFoundIn(In):
    """A part found that the count sheet has no line for (盘盈无账)."""

    part_id: int | None = None
    part_code: str = Field("", max_length=30)
    bin_id: int | None = None
    bin_code: str = Field("", max_length=40)
    counted: Qty


class StockCountCancelIn(In):
    columns_of = StockCount
    reason: str = Field(..., max_length=200)


class MinStockOut(ModelSchema):
    part_code: str = Field(..., alias="part.code")
    warehouse_name: str = Field(..., alias="warehouse.name")

    class Meta:
        model = MinStock
        fields = ["id", "warehouse", "part", "min_qty", "reorder_to", "archived_at"]


class MinStockIn(In):
    columns_of = MinStock
    warehouse_id: int
    part_id: int
    min_qty: int = Field(..., ge=1)
    reorder_to: int = Field(..., ge=1)


class MinStockPatch(In):
    columns_of = MinStock
    min_qty: int | None = Field(None, ge=1)
    reorder_to: int | None = Field(None, ge=1)


class MinStockFilter(InFilter):
    warehouse_id: int | None = None
    part_id: int | None = None


class MinStockProposalOut(Schema):
    rule_id: int
    warehouse_id: int
    warehouse: str
    part_id: int
    part_code: str
    min_qty: int
    reorder_to: int
    on_hand: int
    quantity: int
    source_id: int | None
    action: str


class SlowMovingOut(Schema):
    warehouse_id: int
    warehouse: str
    part_id: int
    part_code: str
    part_name: str
    quantity: int
    value: Decimal
    since: dt.datetime | None = Field(
        None, description="最后出库时间（从未出库：最早在库批次入库时间）"
    )
    since_out: bool
    flag: str = Field(..., description="yellow 黄色 / red 红色 / 空：正常")
    supply_text: str = Field(..., description="备件供应（按适用型号的停产后供应年限）")
    supply_ended: bool = Field(..., description="适用型号的备件保证供应期均已届满")
    scrap_proposed: bool = Field(..., description="建议报废：红色预警且不在保证供应期内")
