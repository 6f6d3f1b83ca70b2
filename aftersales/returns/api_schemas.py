"""Input and output schemas of the returns API."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from aftersales.approvals.api import ApprovalRequestOut as ApprovalOut
from aftersales.approvals.api_common import DeadlineOut, EventOut
from aftersales.core.schemas import In
from aftersales.returns.models import CreditNote, ReturnLine, ReturnRequest


class ReturnLineIn(In):
    columns_of = ReturnLine
    quantity: int | str
    part_code: str = ""
    description: str = ""
    serial_no: str = ""


class ReturnIn(In):
    columns_of = ReturnRequest
    reason: str = ""
    lines: list[ReturnLineIn] = []
    customer_id: int | None = None
    kind: str = "customer"
    category_id: int | None = None
    sale_date: str | None = None
    has_receipt: bool = False
    resaleable: bool = True
    conditions: list[Annotated[str, Field(max_length=30)]] = []
    stock_cause: str = ""
    restoration_labour: str | None = None
    contact_name: str = ""
    contact_phone: str = ""


class SubmitIn(In):
    department_ids: list[int]


class AttemptIn(In):
    method: str = Field(..., description="parts 补件 / discount 经销商折价 / none 无")
    accepted: bool
    note: str


class ReceiveIn(In):
    columns_of = ReturnRequest
    counts: dict[int, int | str] = Field(..., description="退货明细ID → 清点数量")
    packaging: str
    deliverer_name: str
    deliverer_signed: bool
    packaging_note: str = ""


class InspectIn(In):
    columns_of = ReturnRequest
    result: str
    defect_confirmed: bool


class ReturnDecideIn(In):
    columns_of = ReturnRequest
    outcome: str = Field(..., description="repair / exchange / credit / send_back")
    note: str = ""


class RespondIn(In):
    columns_of = ReturnRequest
    agree: bool
    comment: str = ""


class NoteIn(In):
    note: str = ""


class ReturnReasonIn(In):
    reason: str = ""


class CreditIn(In):
    columns_of = CreditNote
    amount: str
    reason: str


class BookIn(In):
    columns_of = CreditNote
    voucher_no: str


class CreditOut(Schema):
    id: int
    number: str
    return_request_id: int
    amount: str
    reason: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    requested_at: dt.datetime
    booked_at: dt.datetime | None
    voucher_no: str

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return str(obj.amount)


class ReturnLineOut(Schema):
    id: int
    part_code: str | None = None
    description: str
    serial_no: str
    quantity: int
    received_quantity: int | None

    @staticmethod
    def resolve_part_code(obj: Any) -> str | None:
        return obj.part.code if obj.part_id else None


class ReturnOut(Schema):
    id: int
    number: str
    kind: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    customer_id: int
    customer_name: str = Field(..., alias="customer.name")
    dealer_id: int | None
    reason: str
    applied_at: dt.datetime
    outcome: str
    freight_payer: str


class ReturnDetailOut(ReturnOut):
    category_id: int | None
    sale_date: dt.date | None
    has_receipt: bool
    conditions: list[str]
    rule_check: dict
    stock_cause: str
    restoration_labour: str | None = None
    resolution_method: str
    resolution_accepted: bool | None
    resolution_note: str
    received_at: dt.datetime | None
    packaging: str
    packaging_note: str
    deliverer_name: str
    deliverer_signed: bool
    inspected_at: dt.datetime | None
    inspection_result: str
    defect_confirmed: bool | None
    decision_note: str
    decided_at: dt.datetime | None
    record_sent_at: dt.datetime | None
    customer_response: str
    customer_responded_at: dt.datetime | None
    customer_comment: str
    handled_at: dt.datetime | None
    closed_at: dt.datetime | None
    lines: list[ReturnLineOut]
    credit_notes: list[CreditOut]
    deadlines: list[DeadlineOut]
    approvals: list[ApprovalOut]
    timeline: list[EventOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_restoration_labour(obj: Any) -> str | None:
        return str(obj.restoration_labour) if obj.restoration_labour is not None else None


class RuleOut(Schema):
    id: int
    category_id: int
    category: str = Field(..., alias="category.name")
    name: str
    period_days: int
    receipt_required: bool
    resaleable_required: bool
    non_returnable: list[dict]
    repair_instead: list[dict]
    price_note: str
