"""Payments and receipts. A chargeable job's payment is taken against the quote the customer
accepted (nothing may be charged outside the published price list: not more than the quote
has outstanding). Every payment gets exactly one receipt (SK…) in the same transaction; the
numbers come from ``core.numbering`` — an upsert on the day's counter row, whose row lock is
held until the transaction ends, so concurrent payments get consecutive numbers and a
rolled-back payment gives its number back (no gap). A refund is a credit note (红字收据) in the
same series that reverses the receipt; the receipt itself stays as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from aftersales.approvals import inputs
from aftersales.charges.models import Payment, PaymentMethod, Receipt, ReceiptKind
from aftersales.charges.roles import COLLECT, REVERSE
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.service.models import Quote

PREFIX = "SK"
NEEDS_REFERENCE = frozenset({PaymentMethod.TRANSFER, PaymentMethod.WECHAT, PaymentMethod.ALIPAY})


def _require(actor: Any, roles: frozenset[str], what: str) -> None:
    if getattr(actor, "org_kind", "company") != "company" or not (
        actor.is_superuser or actor.role_codes & roles
    ):
        raise PermissionDenied(Said("无权%(what)s", what=what))


def paid_on(quote: Quote) -> Decimal:
    """What the quote has received net of credit notes."""
    total = Receipt.objects.filter(payment__quote=quote).aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0.00")


def _issue(
    *,
    payment: Payment,
    kind: str,
    amount: Decimal,
    actor: Any,
    now: dt.datetime,
    reverses: Receipt | None = None,
    reason: str = "",
) -> Receipt:
    receipt = Receipt.objects.create(
        number=next_number(PREFIX, on=now),
        kind=kind,
        payment=payment,
        amount=amount,
        reverses=reverses,
        reason=reason,
        issued_at=now,
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        receipt,
        actor=actor,
        action="create",
        verb="receipt_issued" if kind == ReceiptKind.RECEIPT else "credit_note_issued",
        after={
            "number": receipt.number,
            "amount": str(amount),
            "reverses": reverses.number if reverses else "",
        },
        reason=reason,
        at=now,
    )
    return receipt


def record_payment(
    *,
    actor: Any,
    quote_id: int,
    amount: Any,
    method: str,
    payer_name: str,
    reference: str = "",
    now: dt.datetime | None = None,
) -> Receipt:
    """Take a payment against an accepted quote and issue its receipt (one transaction)."""
    now = now or timezone.now()
    _require(actor, COLLECT, "收款")
    value = inputs.money(amount, field="amount", label="收款金额")
    if value <= 0:
        raise ValidationFailed("收款金额必须大于0", field="amount")
    if method not in PaymentMethod.values:
        raise ValidationFailed("付款方式须为现金、银行转账、微信支付或支付宝", field="method")
    payer = inputs.text(payer_name, field="payer_name", label="付款人", max_length=50)
    reference = (reference or "").strip()
    if len(reference) > 64:
        raise ValidationFailed("付款流水号不能超过64字", field="reference")
    if method in NEEDS_REFERENCE and not reference:
        raise ValidationFailed("转账、微信、支付宝收款须填写付款流水号", field="reference")
    with transaction.atomic():
        if not visible(Quote, actor).filter(pk=quote_id).exists():
            raise NotFound("报价单不存在")
        quote = Quote.objects.select_for_update().select_related("ticket").get(pk=quote_id)
        if quote.state != Quote.State.ACCEPTED:
            raise Conflict(
                Said(
                    "报价单%(get_state_display)s，只能按客户已接受的报价收款",
                    get_state_display=quote.get_state_display(),
                ),
                code="quote_not_accepted",
            )
        outstanding = quote.total - paid_on(quote)
        if value > outstanding:
            raise ValidationFailed(
                Said(
                    "收款金额 ¥%(value)s 超过该报价未收金额 ¥%(outstanding)s（不得超出收费标准收费）",
                    value=value,
                    outstanding=outstanding,
                ),
                field="amount",
            )
        payment = Payment.objects.create(
            ticket=quote.ticket,
            quote=quote,
            amount=value,
            method=method,
            reference=reference,
            payer_name=payer,
            received_at=now,
            received_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            payment,
            actor=actor,
            action="create",
            verb="payment_recorded",
            after={"amount": str(value), "method": method, "ticket": quote.ticket.number},
            at=now,
        )
        return _issue(payment=payment, kind=ReceiptKind.RECEIPT, amount=value, actor=actor, now=now)


def reverse_receipt(
    *, actor: Any, receipt_id: int, reason: str, now: dt.datetime | None = None
) -> Receipt:
    """A refund: the credit note (红字收据, next SK number, negative amount) reversing a
    receipt. The receipt is kept unchanged; a receipt is reversed at most once."""
    now = now or timezone.now()
    with transaction.atomic():
        if not visible(Receipt, actor).filter(pk=receipt_id).exists():
            raise NotFound("收据不存在")
        _require(actor, REVERSE, "开具红字收据")
        why = inputs.text(reason, field="reason", label="冲销原因", max_length=200)
        original = Receipt.objects.select_for_update().get(pk=receipt_id)
        if original.kind != ReceiptKind.RECEIPT:
            raise Conflict("红字收据不能再冲销", code="credit_of_credit")
        if Receipt.objects.filter(reverses=original).exists():
            raise Conflict(
                Said("收据 %(number)s 已冲销", number=original.number), code="already_reversed"
            )
        return _issue(
            payment=original.payment,
            kind=ReceiptKind.CREDIT,
            amount=-original.amount,
            actor=actor,
            now=now,
            reverses=original,
            reason=why,
        )
