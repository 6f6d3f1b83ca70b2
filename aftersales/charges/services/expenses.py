"""Technician expense claims (差旅报销) per trip: a claim names its work order (the trip), each
line's date must lie inside the trip (dispatch day to check-out day, or today while still on
the road) — a line outside it is refused, nothing written; the claim goes to the approval
flow ``expense_claim`` and only an approved claim is reimbursed by finance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.approvals import inputs
from aftersales.charges.models import ExpenseClaim, ExpenseLine, ExpenseState
from aftersales.charges.roles import REIMBURSE
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.service.models import WorkOrder

PREFIX = "FY"
FLOW = "expense_claim"


@dataclass
class LineInput:
    spent_on: Any
    category: str
    amount: Any
    place: str
    description: str = ""
    receipt_image: Any = None


def trip_dates(wo: WorkOrder, today: dt.date) -> tuple[dt.date, dt.date]:
    """The trip of a work order: from the day it was dispatched to the day the technician
    left the site (today while he has not)."""
    start = timezone.localdate(wo.dispatched_at)
    end = timezone.localdate(wo.check_out_at) if wo.check_out_at else today
    return start, max(start, end)


def _line(data: LineInput, trip: tuple[dt.date, dt.date], wo: WorkOrder) -> ExpenseLine:
    spent = inputs.date(data.spent_on, field="spent_on", label="发生日期")
    if not trip[0] <= spent <= trip[1]:
        raise ValidationFailed(
            Said(
                "费用日期 %(spent)s 不在出差期间（派工单 %(number)s：%(v5)s 至 %(v7)s）内，不能报销",
                spent=spent,
                number=wo.number,
                v5=trip[0],
                v7=trip[1],
            ),
            field="spent_on",
            code="outside_trip",
        )
    if data.category not in ExpenseLine.Category.values:
        raise ValidationFailed("费用类别须为交通费、住宿费、餐费补贴或其他", field="category")
    amount = inputs.money(data.amount, field="amount", label="报销金额")
    if amount <= 0:
        raise ValidationFailed("报销金额必须大于0", field="amount")
    place = inputs.text(data.place, field="place", label="地点", max_length=100)
    description = (data.description or "").strip()
    if len(description) > 200:
        raise ValidationFailed("说明不能超过200字", field="description")
    return ExpenseLine(
        spent_on=spent, category=data.category, amount=amount, place=place, description=description
    )


def create_claim(
    *,
    actor: Any,
    work_order_id: int,
    lines: list[LineInput],
    note: str = "",
    now: dt.datetime | None = None,
) -> ExpenseClaim:
    """A technician's claim for his own trip; every line checked, all or nothing."""
    now = now or timezone.now()
    if getattr(actor, "org_kind", "company") != "company" or "technician" not in actor.role_codes:
        raise PermissionDenied("只有维修工程师可以提交差旅报销")
    if not lines:
        raise ValidationFailed("请至少填写一条费用明细", field="lines")
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationFailed("说明不能超过200字", field="note")
    wo = visible(WorkOrder, actor).filter(pk=work_order_id, technician=actor).first()
    if wo is None:
        raise NotFound("派工单不存在或不是您的出差任务")
    trip = trip_dates(wo, timezone.localdate(now))
    built = [_line(ln, trip, wo) for ln in lines]
    with transaction.atomic():
        claim = ExpenseClaim.objects.create(
            number=next_number(PREFIX, on=now),
            technician=actor,
            work_order=wo,
            total=sum((ln.amount for ln in built), Decimal("0.00")),
            note=note,
        )
        for ln, data in zip(built, lines, strict=True):
            ln.claim = claim
            if data.receipt_image is not None:
                ln.receipt_image.save(
                    getattr(data.receipt_image, "name", "receipt"), data.receipt_image, save=False
                )
        ExpenseLine.objects.bulk_create(built)
        audit.record(
            claim,
            actor=actor,
            action="create",
            verb="expense_create",
            after={"total": str(claim.total), "work_order": wo.number, "lines": len(built)},
            at=now,
        )
    return claim


def _lock(actor: Any, claim_id: int) -> ExpenseClaim:
    if not visible(ExpenseClaim, actor).filter(pk=claim_id).exists():
        raise NotFound("报销单不存在")
    return ExpenseClaim.objects.select_for_update().get(pk=claim_id)


def submit(*, actor: Any, claim_id: int, now: dt.datetime | None = None) -> ExpenseClaim:
    """To the approval flow (a draft, by its own technician)."""
    from aftersales.approvals.services import engine

    now = now or timezone.now()
    with transaction.atomic():
        claim = _lock(actor, claim_id)
        if claim.technician_id != actor.pk:
            raise PermissionDenied("只能提交自己的报销单")
        if claim.state != ExpenseState.DRAFT:
            raise Conflict(
                Said(
                    "报销单%(get_state_display)s，不能提交审批",
                    get_state_display=claim.get_state_display(),
                )
            )
        claim.state = ExpenseState.SUBMITTED
        claim.submitted_at = now
        claim.save(update_fields=["state", "submitted_at", "updated_at"])
        audit.record(
            claim,
            actor=actor,
            action="transition",
            verb="expense_submit",
            from_state=ExpenseState.DRAFT,
            to_state=ExpenseState.SUBMITTED,
            at=now,
        )
        engine.submit(
            actor=actor,
            document=claim,
            flow_code=FLOW,
            title=Said(
                "%(technician)s 差旅报销 ¥%(total)s（%(number)s）",
                technician=claim.technician,
                total=claim.total,
                number=claim.work_order.number,
            ),
            amount=claim.total,
            now=now,
        )
    return claim


def reimburse(*, actor: Any, claim_id: int, now: dt.datetime | None = None) -> ExpenseClaim:
    """Finance pays an approved claim out (once)."""
    now = now or timezone.now()
    with transaction.atomic():
        claim = _lock(actor, claim_id)
        if getattr(actor, "org_kind", "company") != "company" or not (
            actor.is_superuser or actor.role_codes & REIMBURSE
        ):
            raise PermissionDenied("只有财务可以报销")
        if claim.state != ExpenseState.APPROVED:
            raise Conflict(
                Said(
                    "报销单%(get_state_display)s，须经审批同意后才能报销",
                    get_state_display=claim.get_state_display(),
                ),
                code="not_approved",
            )
        claim.state = ExpenseState.REIMBURSED
        claim.reimbursed_at = now
        claim.reimbursed_by = actor
        claim.save(update_fields=["state", "reimbursed_at", "reimbursed_by", "updated_at"])
        audit.record(
            claim,
            actor=actor,
            action="transition",
            verb="expense_reimburse",
            from_state=ExpenseState.APPROVED,
            to_state=ExpenseState.REIMBURSED,
            at=now,
        )
    return claim
