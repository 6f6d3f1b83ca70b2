"""Input and output schemas of the parts API. Amounts and quantities are taken as text too,
so that a malformed value ("1,000") gets the service's Chinese message."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from aftersales.approvals.api import ApprovalRequestOut as ApprovalOut
from aftersales.approvals.api_common import DeadlineOut, EventOut
from aftersales.core.schemas import In
from aftersales.parts.models import (
    LoadingList,
    MonthlyAnalysis,
    PackBorrowing,
    PartsReceipt,
    PartsRequest,
    PartsRequestLine,
)


class PartsLineIn(In):
    columns_of = PartsRequestLine
    part_code: str = ""
    quantity: int | str
    outsourced: bool = False
    note: str = ""


class RequestIn(In):
    columns_of = PartsRequest
    reason: str = ""
    lines: list[PartsLineIn] = []
    customer_id: int | None = None
    source: str = ""
    dealer_id: int | None = None
    ticket_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""


class AnalyseIn(In):
    columns_of = PartsRequest
    cause: str
    amount: str | None = None
    note: str = ""


class PartsConfirmIn(In):
    columns_of = PartsRequest
    committed_date: str
    note: str = ""


class ReleaseIn(In):
    group: str = Field(..., description="parts_group 补配组 / purchasing 采购部")
    confirm_late: bool = Field(False, description="预计完成晚于承诺交付日期时，确认仍下单")


class PartsReasonIn(In):
    reason: str = ""


class BorrowIn(In):
    columns_of = PackBorrowing
    pack_code: str
    pack_description: str
    storage_area: str
    reason: str = ""


class ReceiptIn(In):
    columns_of = PartsReceipt
    supplier: str
    quantity: int | str
    package_intact: bool
    label_customer_ok: bool
    label_part_ok: bool
    label_quantity_ok: bool
    inspector_stamp: bool = False
    incoming_inspection_passed: bool | None = None
    storage_location: str = ""


class PartsLineOut(Schema):
    id: int
    part_code: str = Field(..., alias="part.code")
    part_name: str = Field(..., alias="part.name")
    quantity: int
    outsourced: bool
    note: str


class PartsRequestOut(Schema):
    id: int
    number: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    source: str
    customer_id: int
    customer_name: str = Field(..., alias="customer.name")
    dealer_id: int | None
    reason: str
    requested_at: dt.datetime
    charge_type: str
    amount: str | None = None
    committed_date: dt.date | None
    responsible_group: str
    production_due_at: dt.datetime | None

    @staticmethod
    def resolve_amount(obj: Any) -> str | None:
        return str(obj.amount) if obj.amount is not None else None


class ReceiptOut(Schema):
    id: int
    supplier: str
    quantity: int
    accepted: bool
    refusals: list[str]
    checked_at: dt.datetime


class BorrowingOut(Schema):
    id: int
    number: str
    request_id: int
    request_number: str = Field(..., alias="request.number")
    pack_code: str
    pack_description: str
    storage_area: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    borrowed_at: dt.datetime
    part_arrived_at: dt.datetime | None
    qa_at: dt.datetime | None
    qa_note: str
    returned_at: dt.datetime | None


class PartsRequestDetailOut(PartsRequestOut):
    contact_name: str
    contact_phone: str
    cause: str
    analysis_note: str
    confirmation_note: str
    ticket_id: int | None
    released_at: dt.datetime | None
    received_at: dt.datetime | None
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None
    lines: list[PartsLineOut]
    receipts: list[ReceiptOut]
    borrowings: list[BorrowingOut]
    deadlines: list[DeadlineOut]
    approvals: list[ApprovalOut]
    timeline: list[EventOut]
    allowed_actions: list[str]


class ShipIn(In):
    columns_of = LoadingList
    carrier: str
    tracking_no: str = ""


class SalesOrderIn(In):
    columns_of = LoadingList
    sales_order_no: str


class FinishedGoodsIn(In):
    request_ids: list[int]
    day: str | None = None
    note: str = ""


class DailyIn(In):
    day: str | None = None


class LoadingItemOut(Schema):
    seq: int
    request_id: int
    request_number: str = Field(..., alias="request.number")
    customer_name: str = Field(..., alias="request.customer.name")


class LoadingListOut(Schema):
    id: int
    number: str
    kind: str
    day: dt.date
    state: str
    state_label: str = Field(..., alias="get_state_display")
    sales_order_no: str
    carrier: str
    tracking_no: str
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None
    items: list[LoadingItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.select_related("request__customer").order_by("seq"))


class QaIn(In):
    passed: bool
    note: str = ""


class ClosingItemOut(Schema):
    request_id: int
    request_number: str = Field(..., alias="request.number")
    customer_name: str = Field(..., alias="request.customer.name")
    responsible_group: str
    state_at_run: str
    committed_date: dt.date | None
    overdue: bool
    settled_at: dt.datetime | None


class ClosingRunOut(Schema):
    id: int
    number: str
    run_at: dt.datetime
    grace_until: dt.datetime
    state: str
    enforced_at: dt.datetime | None
    items: list[ClosingItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.select_related("request__customer").order_by("id"))


class AnalysisIn(In):
    columns_of = MonthlyAnalysis
    month: str = Field(..., description="YYYY-MM")
    summary: str = ""


class AnalysisOut(Schema):
    id: int
    number: str
    month: dt.date
    state: str
    figures: dict
    summary: str
    prepared_at: dt.datetime
