"""The credit note (冲账, SPEC §5.7): requested by 售后主办, approved by the responsible
manager through the approval engine, then booked by finance — never booked unapproved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.approvals import inputs, workflow
from aftersales.approvals.services import deadlines, engine
from aftersales.core import audit
from aftersales.core.errors import Conflict, InvalidTransition, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.returns.models import CreditNote, CreditState, Outcome, ReturnRequest, ReturnState
from aftersales.returns.services.applications import lock as lock_return
from aftersales.returns.services.applications import move as move_return
from aftersales.returns.transitions import CREDIT, CREDIT_CREATE_ROLES


def _lock(note: CreditNote | int) -> CreditNote:
    pk = note.pk if isinstance(note, CreditNote) else int(note)
    found: CreditNote = workflow.lock(CreditNote, pk)
    return found


def create(
    *,
    actor: Any,
    ret: ReturnRequest | int,
    amount: Any,
    reason: str,
    now: dt.datetime | None = None,
) -> CreditNote:
    now = now or timezone.now()
    workflow.require_role(actor, CREDIT_CREATE_ROLES, "提出冲账申请")
    value = inputs.money(amount, field="amount", label="冲账金额")
    if value <= 0:
        raise ValidationFailed("冲账金额须大于0", field="amount")
    reason = inputs.text(reason, field="reason", label="冲账理由")
    with transaction.atomic():
        locked = lock_return(ret)
        workflow.require_visible(locked, actor)
        if locked.state != ReturnState.ACCEPTED or locked.outcome != Outcome.CREDIT:
            raise InvalidTransition("只有裁定为退货冲账且客户已确认的退货单才能申请冲账")
        if locked.credit_notes.exclude(state=CreditState.REJECTED).exists():
            raise Conflict("该退货单已有冲账申请")
        note = CreditNote.objects.create(
            number=next_number("CZ", on=now),
            return_request=locked,
            amount=value,
            reason=reason,
            requested_by=actor if getattr(actor, "pk", None) else None,
            requested_at=now,
        )
        audit.record(note, actor=actor, action="create", after=audit.snapshot(note), at=now)
        audit.record(
            locked,
            actor=actor,
            action="action",
            verb="credit_requested",
            payload={"credit_note": note.number, "amount": value},
            at=now,
        )
    return note


def submit(*, actor: Any, note: CreditNote | int, now: dt.datetime | None = None) -> CreditNote:
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(note)
        workflow.move(locked, CREDIT, "submit", actor=actor, now=now)
        engine.submit(
            actor=actor,
            document=locked,
            flow_code="credit_note",
            title=Said(
                "退货 %(number)s 冲账 %(amount)s元",
                number=locked.return_request.number,
                amount=locked.amount,
            ),
            amount=locked.amount,
            now=now,
        )
    return locked


def book(
    *, actor: Any, note: CreditNote | int, voucher_no: str, now: dt.datetime | None = None
) -> CreditNote:
    """Finance books an approved credit note; the return is closed with it."""
    now = now or timezone.now()
    voucher = inputs.text(voucher_no, field="voucher_no", label="凭证号", max_length=40)
    with transaction.atomic():
        locked = _lock(note)
        if locked.state != CreditState.APPROVED:
            raise InvalidTransition(
                Said(
                    "冲账申请须经主管领导批准后才能冲账（当前：%(get_state_display)s）",
                    get_state_display=locked.get_state_display(),
                )
            )
        workflow.move(
            locked,
            CREDIT,
            "book",
            actor=actor,
            now=now,
            fields={"booked_by": actor, "booked_at": now, "voucher_no": voucher},
        )
        ret = lock_return(locked.return_request_id)
        move_return(
            ret,
            "close_by_credit",
            actor=actor,
            now=now,
            payload={"credit_note": locked.number, "voucher_no": voucher},
            fields={
                "handled_at": now,
                "closed_at": now,
                "handling_note": Said(
                    "冲账 %(amount)s元，凭证 %(voucher)s", amount=locked.amount, voucher=voucher
                ),
            },
        )
        deadlines.complete(ret, step="final_handling", at=now)
    return locked
