"""Input and output schemas of the charges API (payments, receipts, expense claims). Amounts
are given as decimal strings ("1200.50"): a comma or a sign gets the service's Chinese
message, never a float."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from aftersales.charges.models import ExpenseClaim, ExpenseLine, Payment, Receipt
from aftersales.core.schemas import In


class PaymentIn(In):
    columns_of = Payment
    amount: str = Field(..., max_length=20, description="收款金额，如 1200.50（不带逗号）")
    method: str = Field(..., max_length=10, description="cash / transfer / wechat / alipay")
    payer_name: str = Field(..., max_length=50)
    reference: str = Field("", max_length=64, description="转账、微信、支付宝的流水号")


class ReceiptCreditIn(In):
    columns_of = Receipt
    reason: str = Field(..., max_length=200)


class MoneyReceiptOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    amount: Decimal
    issued_at: dt.datetime
    reverses_number: str | None = Field(None, alias="reverses.number")
    reason: str
    payment_id: int
    method: str = Field(..., alias="payment.method")
    reference: str = Field(..., alias="payment.reference")
    payer_name: str = Field(..., alias="payment.payer_name")
    ticket_number: str = Field(..., alias="payment.ticket.number")
    quote_id: int = Field(..., alias="payment.quote_id")


class ExpenseLineIn(In):
    columns_of = ExpenseLine
    spent_on: dt.date
    category: str = Field(..., max_length=10, description="transport / lodging / meals / other")
    amount: str = Field(..., max_length=20, description="金额，如 120.00（不带逗号）")
    place: str = Field(..., max_length=100)
    description: str = Field("", max_length=200)


class ExpenseIn(In):
    columns_of = ExpenseClaim
    work_order_id: int
    note: str = Field("", max_length=200)
    lines: list[ExpenseLineIn] = Field(..., min_length=1, max_length=50)


class ExpenseLineOut(Schema):
    id: int
    spent_on: dt.date
    category: str
    amount: Decimal
    place: str
    description: str


class ExpenseOut(Schema):
    id: int
    number: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    technician: str = Field(..., alias="technician.username")
    work_order_number: str = Field(..., alias="work_order.number")
    total: Decimal
    note: str
    submitted_at: dt.datetime | None
    reimbursed_at: dt.datetime | None
    lines: list[ExpenseLineOut] = Field(..., alias="line_list")
