"""The parts request from filing to delivery (SPEC §4.1–4.4): request with the reason,
analysis (free for quality causes, charged with the amount otherwise), phone confirmation
with a delivery date at most 15 days ahead, internal review and approval through the
approval engine, release to the parts group / purchasing on a 12-day production cycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.approvals import inputs, rules, workflow
from aftersales.approvals.services import deadlines, engine
from aftersales.catalog.models import Part
from aftersales.catalog.selectors import code_key, parts_by_code
from aftersales.core import audit
from aftersales.core.errors import NeedsConfirmation, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.customers.models import Customer
from aftersales.parts.models import (
    ChargeType,
    Group,
    PartsRequest,
    PartsRequestLine,
    Source,
)
from aftersales.parts.services.base import lock_request, move, notify_roles
from aftersales.parts.transitions import CREATE_ROLES
from aftersales.warranty.rules import QUALITY_CAUSES, CauseClass

PROMISE_RULE = "parts.promise_max"  # 001 4.1: 交付日期最长时间不超过15天 (a DeadlineRule)
RELEASE_GROUPS = (Group.PARTS_GROUP, Group.PURCHASING)


@dataclass
class LineInput:
    part_code: str
    quantity: Any
    outsourced: bool = False
    note: str = ""


@dataclass
class RequestInput:
    reason: str
    lines: list[LineInput] = field(default_factory=list)
    customer_id: int | None = None
    source: str = ""
    dealer_id: int | None = None
    ticket_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""


def _lines(items: list[LineInput]) -> list[tuple[Part, int, LineInput]]:
    if not items:
        raise ValidationFailed("请至少填写一项补件（配件编码与数量）", field="lines")
    out = []
    parts = parts_by_code(i.part_code for i in items)
    for n, item in enumerate(items, start=1):
        code = (item.part_code or "").strip()
        if not code:
            raise ValidationFailed(Said("第%(n)s行：请填写配件编码", n=n), field="lines")
        part = parts.get(code_key(code))
        if part is None:
            raise ValidationFailed(
                Said("第%(n)s行：配件编码「%(code)s」不存在", n=n, code=code), field="lines"
            )
        qty = inputs.quantity(item.quantity, field="lines", label=Said("第%(n)s行数量", n=n))
        out.append((part, qty, item))
    return out


def _origin(actor: Any, data: RequestInput) -> tuple[Customer, str, int | None]:
    kind = getattr(actor, "org_kind", "company")
    if kind == "customer":
        customer = Customer.objects.get(pk=actor.customer_id)
        return customer, Source.CUSTOMER, customer.dealer_id
    if data.customer_id is None:
        raise ValidationFailed("请选择客户", field="customer_id")
    customer = get_visible(Customer, actor, pk=data.customer_id)
    if kind == "dealer":
        return customer, Source.DEALER, actor.dealer_id
    source = data.source or Source.AGENT
    if source not in Source.values:
        raise ValidationFailed("申请来源须为客户、经销商或售后专员代录", field="source")
    dealer_id = data.dealer_id or customer.dealer_id
    if source == Source.DEALER and dealer_id is None:
        raise ValidationFailed("经销商申请须指明经销商", field="dealer_id")
    return customer, source, dealer_id


def create(*, actor: Any, data: RequestInput, now: dt.datetime | None = None) -> PartsRequest:
    """4.1 A customer or dealer files a parts request with the reason."""
    now = now or timezone.now()
    workflow.require_role(actor, CREATE_ROLES, "提交补件申请")
    reason = inputs.text(data.reason, field="reason", label="补件原因")
    lines = _lines(data.lines)
    customer, source, dealer_id = _origin(actor, data)
    ticket = None
    if data.ticket_id:
        from aftersales.service.models import Ticket

        ticket = get_visible(Ticket, actor, pk=data.ticket_id)
        if ticket.customer_id != customer.pk:
            raise ValidationFailed("报修单与客户不一致", field="ticket_id")
    with transaction.atomic():
        request = PartsRequest.objects.create(
            number=next_number("BJ", on=now),
            source=source,
            customer=customer,
            dealer_id=dealer_id,
            ticket=ticket,
            contact_name=(data.contact_name or "").strip()[:50],
            contact_phone=(data.contact_phone or "").strip()[:20],
            reason=reason,
            requested_at=now,
            requested_by=actor if getattr(actor, "pk", None) else None,
        )
        PartsRequestLine.objects.bulk_create(
            PartsRequestLine(
                request=request,
                part=part,
                quantity=qty,
                outsourced=bool(item.outsourced),
                note=(item.note or "").strip()[:200],
            )
            for part, qty, item in lines
        )
        audit.record(
            request,
            actor=actor,
            action="create",
            after=audit.snapshot(request),
            payload={"lines": [{"part": p.code, "quantity": q} for p, q, _ in lines]},
            at=now,
        )
        notify_roles(
            f"parts:{request.pk}:new",
            ["agent"],
            Said("【补件申请】%(number)s %(name)s", number=request.number, name=customer.name),
            Said("%(name)s 提交补件申请：%(v2)s", name=customer.name, v2=reason[:80]),
            request.get_absolute_url(),
        )
    return request


def analyse(
    *,
    actor: Any,
    request: PartsRequest | int,
    cause: str,
    amount: Any = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> PartsRequest:
    """4.1 Quality causes → free; the customer's own cause, discounted goods, out of shelf
    life → charged, with the amount."""
    now = now or timezone.now()
    if cause not in {c.value for c in CauseClass}:
        raise ValidationFailed("请选择补件原因分析结论", field="cause")
    free = cause in QUALITY_CAUSES
    if free:
        if amount not in (None, "") and inputs.money(amount) != 0:
            raise ValidationFailed("质量原因属免费补件，不能填写收费金额", field="amount")
        value = None
    else:
        value = inputs.money(amount, field="amount", label="收费金额")
        if value == 0:
            raise ValidationFailed("收费补件须注明收费金额（大于0）", field="amount")
    with transaction.atomic():
        locked = lock_request(request)
        return move(
            locked,
            "analyse",
            actor=actor,
            now=now,
            payload={"cause": cause, "amount": value},
            fields={
                "cause": cause,
                "charge_type": ChargeType.FREE if free else ChargeType.CHARGED,
                "amount": value,
                "analysis_note": (note or "").strip(),
                "analysed_by": actor,
                "analysed_at": now,
            },
        )


def _confirmed_key(request: PartsRequest) -> str:
    return f"parts:{request.pk}:confirmed:"


def confirmation_notice_summary(request: PartsRequest) -> str:
    """What the customer was really sent with the confirmed delivery date, per channel."""
    from aftersales.notifications.channels import customer_notice_summary, latest_key

    return customer_notice_summary(latest_key(_confirmed_key(request)))


def confirm(
    *,
    actor: Any,
    request: PartsRequest | int,
    committed_date: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> PartsRequest:
    """4.1 Confirmed with the customer by phone; the delivery date is at most 15 days ahead.
    The confirmed request goes back to the customer."""
    now = now or timezone.now()
    day = inputs.date(committed_date, field="committed_date", label="承诺交付日期")
    today = timezone.localdate(now)
    latest = timezone.localdate(deadlines.compute_due(PROMISE_RULE, now))
    if day < today:
        raise ValidationFailed("承诺交付日期不能早于今天", field="committed_date")
    if day > latest:
        raise ValidationFailed(
            Said(
                "承诺交付日期最长不超过%(duration_text)s（最晚 %(latest)s），「%(day)s」已超出",
                duration_text=deadlines.duration_text(PROMISE_RULE),
                latest=format(latest, "%Y-%m-%d"),
                day=format(day, "%Y-%m-%d"),
            ),
            field="committed_date",
        )
    note = inputs.text(note, field="note", label="电话确认记录", max_length=1000)
    with transaction.atomic():
        locked = lock_request(request)
        move(
            locked,
            "confirm",
            actor=actor,
            now=now,
            payload={"committed_date": day},
            fields={
                "committed_date": day,
                "confirmation_note": note,
                "confirmed_by": actor,
                "confirmed_at": now,
            },
        )
        deadlines.start(
            locked,
            step="delivery",
            rule_code="parts.delivery",
            starts_at=now,
            label=Said("承诺交付（%(day)s）", day=format(day, "%m-%d")),
            due_at=rules.end_of_day(day, timezone.get_current_timezone()),
            owner=actor,
            owner_roles=["agent"],
        )
        from aftersales.notifications.services import notify_customer

        notify_customer(
            key=f"{_confirmed_key(locked)}{day:%Y%m%d}",
            customer=locked.customer,
            customer_contact_name=locked.contact_name or locked.customer.name,
            phone=locked.contact_phone,
            email="",
            subject=Said("补件单 %(number)s 已确认", number=locked.number),
            body=(
                Said(
                    "您的补件申请 %(number)s 已确认（%(get_charge_type_display)s%(v4)s），交付日期 %(day)s。",
                    number=locked.number,
                    get_charge_type_display=locked.get_charge_type_display(),
                    v4=Said("，%(amount)s元", amount=locked.amount) if locked.amount else "",
                    day=format(day, "%Y-%m-%d"),
                )
            ),
        )
    return locked


def submit(
    *, actor: Any, request: PartsRequest | int, now: dt.datetime | None = None
) -> PartsRequest:
    """4.2 The internal request: reviewed by 售后主办, approved by 品质办主任 (engine)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_request(request)
        if not locked.charge_type or locked.committed_date is None:
            raise ValidationFailed("须先完成原因分析与电话确认才能提交审批")
        move(locked, "submit", actor=actor, now=now)
        engine.submit(
            actor=actor,
            document=locked,
            flow_code="parts_request",
            title=f"{locked.customer.name}：{locked.reason[:60]}",
            amount=locked.amount,
            now=now,
        )
    return locked


PRODUCTION_RULE = "parts.production"


def release(
    *,
    actor: Any,
    request: PartsRequest | int,
    group: str,
    now: dt.datetime | None = None,
    confirm_late: bool = False,
) -> PartsRequest:
    """4.2 Released to the parts group or purchasing; production tracked on the configured
    cycle (时限规则 parts.production, 12 days by default). A production due date after the
    delivery date promised to the customer is released only when confirmed (9#10)."""
    now = now or timezone.now()
    if group not in RELEASE_GROUPS:
        raise ValidationFailed("请选择下单部门：补配组或采购部", field="group")
    cycle = deadlines.duration_text(PRODUCTION_RULE)
    with transaction.atomic():
        locked = lock_request(request)
        due = deadlines.compute_due(PRODUCTION_RULE, now)
        promised = locked.committed_date
        late = promised is not None and timezone.localdate(due) > promised
        move(
            locked,
            "release",
            actor=actor,
            now=now,
            payload={"group": group, "production_due": due, "after_promise": late},
            fields={"responsible_group": group, "released_at": now, "production_due_at": due},
        )
        if late and not confirm_late:  # after the state and authority checks; rolls back
            assert promised is not None
            raise NeedsConfirmation(
                Said(
                    "按生产周期（%(cycle)s）预计 %(localdate)s 完成，晚于向客户承诺的交付日期 %(promised)s。确认后再下单，并告知客户。",
                    cycle=cycle,
                    localdate=format(timezone.localdate(due), "%Y-%m-%d"),
                    promised=format(promised, "%Y-%m-%d"),
                ),
                code="production_after_promise",
                details={"production_due": due.isoformat(), "committed_date": str(promised)},
            )
        deadlines.start(
            locked,
            step="production",
            rule_code=PRODUCTION_RULE,
            starts_at=now,
            label=Said("%(label)s生产（%(cycle)s）", label=Group(group).label, cycle=cycle),
            owner_roles=["team_leader"],
        )
    return locked


def production_preview(now: dt.datetime | None = None) -> dt.date:
    """The day production released now would be due (shown beside the release form)."""
    return timezone.localdate(deadlines.compute_due(PRODUCTION_RULE, now or timezone.now()))


def deliver(
    *, actor: Any, request: PartsRequest | int, now: dt.datetime | None = None
) -> PartsRequest:
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_request(request)
        move(locked, "deliver", actor=actor, now=now, fields={"delivered_at": now})
        deadlines.complete(locked, step="delivery", at=now)
    return locked


def cancel(
    *, actor: Any, request: PartsRequest | int, reason: str, now: dt.datetime | None = None
) -> PartsRequest:
    now = now or timezone.now()
    reason = inputs.text(reason, field="reason", label="取消原因", max_length=200)
    with transaction.atomic():
        locked = lock_request(request)
        move(
            locked, "cancel", actor=actor, now=now, reason=reason, fields={"cancel_reason": reason}
        )
        for step in ("delivery", "production"):
            deadlines.cancel(locked, step=step, at=now)
    return locked


def visible_request(actor: Any, pk: int) -> PartsRequest:
    try:
        found: PartsRequest = get_visible(PartsRequest, actor, pk=pk)
    except NotFound as exc:
        raise NotFound("补件单不存在或无权查看") from exc
    return found


def require_company(actor: Any) -> None:
    if actor is not None and getattr(actor, "org_kind", "company") != "company":
        raise PermissionDenied("仅公司内部人员可执行此操作")
