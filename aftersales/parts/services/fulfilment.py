"""Getting the part to the customer (SPEC §4.4–4.6, 4.8–4.9): borrowing a finished-goods
pack when the part cannot ship within 15 days (with the opened-pack ledger and the return
to stock only after QA), the receipt check into the after-sales store, and delivery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from aftersales.approvals import inputs, workflow
from aftersales.approvals.services import deadlines
from aftersales.core import audit
from aftersales.core.errors import InvalidTransition, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.parts.models import (
    BorrowingState,
    PackBorrowing,
    PartsReceipt,
    PartsRequest,
    PartsRequestState,
    Supplier,
)
from aftersales.parts.services.base import lock_request, move, notify_roles
from aftersales.parts.transitions import BORROW_ROLES, QA_ROLES, RETURN_PACK_ROLES, STORE
from aftersales.stock.services import intake as stock_intake

SHIP_WITHIN_DAYS = 15  # 001 4.4: 不能在15天内发货给客户的补件


def expected_ready(request: PartsRequest, now: dt.datetime) -> dt.datetime:
    """When the produced part is expected: the production due time once released."""
    return request.production_due_at or deadlines.compute_due("parts.production", now)


def borrow(
    *,
    actor: Any,
    request: PartsRequest | int,
    pack_code: str,
    pack_description: str,
    storage_area: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> PackBorrowing:
    """4.4 The team leader borrows a finished-goods pack for a part that cannot ship within
    15 days; the opened pack is entered in the ledger and kept in its own area."""
    now = now or timezone.now()
    workflow.require_role(actor, BORROW_ROLES, "借用成品包")
    pack_code = inputs.text(pack_code, field="pack_code", label="成品包编号", max_length=60)
    pack_description = inputs.text(
        pack_description, field="pack_description", label="成品包名称", max_length=200
    )
    storage_area = inputs.text(
        storage_area, field="storage_area", label="拆包存放区域", max_length=60
    )
    with transaction.atomic():
        locked = lock_request(request)
        limit = locked.requested_at + dt.timedelta(days=SHIP_WITHIN_DAYS)
        ready = expected_ready(locked, now)
        if locked.state == PartsRequestState.IN_PRODUCTION and ready <= limit:
            raise ValidationFailed(
                Said(
                    "该补件预计 %(localtime)s 可到位，能在15天内发货，无需借用成品包",
                    localtime=format(timezone.localtime(ready), "%Y-%m-%d"),
                ),
                field="request",
            )
        borrowing = PackBorrowing.objects.create(
            number=next_number("JY", on=now),
            request=locked,
            pack_code=pack_code,
            pack_description=pack_description,
            storage_area=storage_area,
            reason=(reason or "").strip()[:200] or "工艺复杂加工难度大，15天内无法发货",
            borrowed_by=actor,
            borrowed_at=now,
        )
        audit.record(
            borrowing, actor=actor, action="create", after=audit.snapshot(borrowing), at=now
        )
        stock_intake.pack_borrowed(actor=actor, borrowing=borrowing, now=now)
        move(
            locked,
            "borrow",
            actor=actor,
            now=now,
            payload={"borrowing": borrowing.number, "pack": pack_code},
        )
    return borrowing


@dataclass
class ReceiptInput:
    supplier: str
    quantity: Any
    package_intact: bool
    label_customer_ok: bool
    label_part_ok: bool
    label_quantity_ok: bool
    inspector_stamp: bool = False
    incoming_inspection_passed: bool | None = None
    storage_location: str = ""


def _refusals(request: PartsRequest, data: ReceiptInput, qty: int) -> list[str]:
    out = []
    if not data.package_intact:
        out.append("外包装不完好")
    if not data.label_customer_ok:
        out.append("标识的客户名称不正确")
    if not data.label_part_ok:
        out.append("标识的补件名称不正确")
    if not data.label_quantity_ok:
        out.append("标识的数量不正确")
    ordered = request.lines.aggregate(n=Sum("quantity"))["n"] or 0
    if qty != ordered:
        out.append(Said("到货数量%(qty)s与补件数量%(ordered)s不符", qty=qty, ordered=ordered))
    outsourced = (
        data.supplier == Supplier.OUTSOURCED or request.lines.filter(outsourced=True).exists()
    )
    if data.supplier == Supplier.PARTS_GROUP and not data.inspector_stamp:
        out.append("无驻补配组质检员检验合格章")
    if outsourced and data.incoming_inspection_passed is not True:
        out.append("外协件未经外协检验判定合格")
    return out


def receive(
    *, actor: Any, request: PartsRequest | int, data: ReceiptInput, now: dt.datetime | None = None
) -> PartsReceipt:
    """4.6 The receipt check. Accepted only when every check passes; a failed check is
    recorded with its reasons and nothing enters the store."""
    now = now or timezone.now()
    workflow.require_role(actor, STORE, "补件入库检查")
    if data.supplier not in (Supplier.PARTS_GROUP, Supplier.OUTSOURCED):
        raise ValidationFailed("请选择补件来源：补配组或外协厂", field="supplier")
    qty = inputs.quantity(data.quantity, field="quantity", label="到货数量")
    with transaction.atomic():
        locked = lock_request(request)
        workflow.require_visible(locked, actor)
        borrowing = (
            PackBorrowing.objects.select_for_update()
            .filter(request=locked, state=BorrowingState.BORROWED)
            .first()
        )
        if borrowing is None and locked.state != PartsRequestState.IN_PRODUCTION:
            raise InvalidTransition(
                Said(
                    "补件单当前状态为「%(get_state_display)s」，没有待入库的补件",
                    get_state_display=locked.get_state_display(),
                )
            )
        refusals = _refusals(locked, data, qty)
        receipt = PartsReceipt.objects.create(
            request=locked,
            supplier=data.supplier,
            quantity=qty,
            package_intact=data.package_intact,
            label_customer_ok=data.label_customer_ok,
            label_part_ok=data.label_part_ok,
            label_quantity_ok=data.label_quantity_ok,
            inspector_stamp=data.inspector_stamp,
            incoming_inspection_passed=data.incoming_inspection_passed,
            accepted=not refusals,
            refusals=refusals,
            storage_location=(data.storage_location or "").strip()[:60],
            checked_by=actor,
            checked_at=now,
        )
        audit.record(
            locked,
            actor=actor,
            action="action",
            verb="receipt_accepted" if not refusals else "receipt_refused",
            reason="；".join(refusals),
            payload={"receipt": receipt.pk, "quantity": qty},
            at=now,
        )
        if refusals:
            return receipt
        stock_intake.parts_received(actor=actor, receipt=receipt, now=now)
        deadlines.complete(locked, step="production", at=now)
        if borrowing is not None:
            _part_arrived(borrowing, actor, now)
        else:
            move(locked, "receive", actor=actor, now=now, fields={"received_at": now})
    return receipt


def _part_arrived(borrowing: PackBorrowing, actor: Any, now: dt.datetime) -> None:
    before = borrowing.state
    borrowing.state = BorrowingState.PART_ARRIVED
    borrowing.part_arrived_at = now
    borrowing.save(update_fields=["state", "part_arrived_at", "updated_at"])
    audit.record(
        borrowing,
        actor=actor,
        action="transition",
        verb="part_arrived",
        from_state=before,
        to_state=borrowing.state,
        at=now,
    )
    notify_roles(
        f"borrowing:{borrowing.pk}:qa",
        sorted(QA_ROLES),
        Said("【成品QA】%(number)s 待检验", number=borrowing.number),
        Said(
            "借用的成品包 %(pack_code)s 补件已到位，归还成品仓前须经成品QA检验合格。",
            pack_code=borrowing.pack_code,
        ),
        borrowing.get_absolute_url(),
    )


def _lock_borrowing(borrowing: PackBorrowing | int) -> PackBorrowing:
    pk = borrowing.pk if isinstance(borrowing, PackBorrowing) else int(borrowing)
    found: PackBorrowing = workflow.lock(PackBorrowing, pk)
    return found


def borrowing_qa(
    *,
    actor: Any,
    borrowing: PackBorrowing | int,
    passed: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> PackBorrowing:
    """The finished-goods QA of the restored pack."""
    now = now or timezone.now()
    workflow.require_role(actor, QA_ROLES, "成品QA检验")
    with transaction.atomic():
        b = _lock_borrowing(borrowing)
        if b.state not in (BorrowingState.PART_ARRIVED, BorrowingState.QA_FAILED):
            raise InvalidTransition(
                Said(
                    "借用单当前状态为「%(get_state_display)s」，补件到位后才能进行QA检验",
                    get_state_display=b.get_state_display(),
                )
            )
        if not passed and not (note or "").strip():
            raise ValidationFailed("检验不合格须填写原因", field="note")
        before = b.state
        b.state = BorrowingState.QA_PASSED if passed else BorrowingState.QA_FAILED
        b.qa_by, b.qa_at, b.qa_note = actor, now, (note or "").strip()[:200] or "合格"
        b.save(update_fields=["state", "qa_by", "qa_at", "qa_note", "updated_at"])
        audit.record(
            b,
            actor=actor,
            action="transition",
            verb="qa_passed" if passed else "qa_failed",
            from_state=before,
            to_state=b.state,
            reason=b.qa_note,
            at=now,
        )
    return b


def borrowing_return(
    *, actor: Any, borrowing: PackBorrowing | int, now: dt.datetime | None = None
) -> PackBorrowing:
    """The pack goes back to finished-goods stock only after its QA pass; the returner signs
    the ledger."""
    now = now or timezone.now()
    workflow.require_role(actor, RETURN_PACK_ROLES, "归还成品包")
    with transaction.atomic():
        b = _lock_borrowing(borrowing)
        if b.state != BorrowingState.QA_PASSED:
            raise InvalidTransition(
                Said(
                    "成品包须经成品QA检验合格后才能归还成品仓（当前：%(get_state_display)s）",
                    get_state_display=b.get_state_display(),
                )
            )
        before = b.state
        b.state = BorrowingState.RETURNED
        b.returned_by, b.returned_at = actor, now
        b.save(update_fields=["state", "returned_by", "returned_at", "updated_at"])
        audit.record(
            b,
            actor=actor,
            action="transition",
            verb="returned_to_stock",
            from_state=before,
            to_state=b.state,
            at=now,
        )
        stock_intake.pack_returned(actor=actor, borrowing=b, now=now)
    return b
