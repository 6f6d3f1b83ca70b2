"""The return application (SPEC §5.1–5.2, 5.8–5.9): the product line's rule is checked at
application; the departments concerned sign and 品质办主任 or 品管中心总监 approves through
the approval engine; before the goods come, the attempt to resolve by parts or a dealer
discount is recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.accounts.models import Department
from aftersales.approvals import inputs, workflow
from aftersales.approvals.services import engine
from aftersales.catalog.models import Part
from aftersales.catalog.selectors import code_key, parts_by_code
from aftersales.core import audit
from aftersales.core.errors import NotFound, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.customers.models import Customer
from aftersales.installed_base.models import ProductCategory
from aftersales.returns import rules
from aftersales.returns.models import (
    ResolutionMethod,
    ReturnKind,
    ReturnLine,
    ReturnRequest,
    ReturnRule,
    StockCause,
)
from aftersales.returns.services import notices
from aftersales.returns.transitions import APPLY_ROLES, RETURN


@dataclass
class LineInput:
    quantity: Any
    part_code: str = ""
    description: str = ""
    serial_no: str = ""


@dataclass
class ReturnInput:
    reason: str
    lines: list[LineInput] = field(default_factory=list)
    customer_id: int | None = None
    kind: str = ReturnKind.CUSTOMER
    category_id: int | None = None
    sale_date: Any = None
    has_receipt: bool = False
    resaleable: bool = True
    conditions: list[str] = field(default_factory=list)
    stock_cause: str = ""
    restoration_labour: Any = None
    contact_name: str = ""
    contact_phone: str = ""


def lock(ret: ReturnRequest | int) -> ReturnRequest:
    pk = ret.pk if isinstance(ret, ReturnRequest) else int(ret)
    found: ReturnRequest = workflow.lock(ReturnRequest, pk)
    return found


def move(
    ret: ReturnRequest, action: str, *, actor: Any, now: dt.datetime, **kw: Any
) -> ReturnRequest:
    return workflow.move(ret, RETURN, action, actor=actor, now=now, **kw)  # type: ignore[no-any-return]


def rule_data(rule: ReturnRule) -> rules.RuleData:
    def conds(items: list[dict[str, str]]) -> tuple[rules.Condition, ...]:
        return tuple(rules.Condition(str(c["code"]), str(c["label"])) for c in items or [])

    return rules.RuleData(
        name=rule.name,
        period_days=rule.period_days,
        receipt_required=rule.receipt_required,
        resaleable_required=rule.resaleable_required,
        non_returnable=conds(rule.non_returnable),
        repair_instead=conds(rule.repair_instead),
    )


def _lines(items: list[LineInput]) -> list[tuple[Part | None, str, int, str]]:
    if not items:
        raise ValidationFailed("请至少填写一项退货明细", field="lines")
    parts = parts_by_code(i.part_code for i in items)
    out = []
    for n, item in enumerate(items, start=1):
        code = (item.part_code or "").strip()
        part = None
        if code:
            part = parts.get(code_key(code))
            if part is None:
                raise ValidationFailed(
                    Said("第%(n)s行：配件编码「%(code)s」不存在", n=n, code=code), field="lines"
                )
        description = (item.description or "").strip() or (part.name if part else "")
        if not description:
            raise ValidationFailed(Said("第%(n)s行：请填写品名规格或配件编码", n=n), field="lines")
        qty = inputs.quantity(item.quantity, field="lines", label=Said("第%(n)s行数量", n=n))
        out.append((part, description[:200], qty, (item.serial_no or "").strip()[:60]))
    return out


def _customer(actor: Any, data: ReturnInput) -> tuple[Customer, int | None]:
    kind = getattr(actor, "org_kind", "company")
    if kind == "customer":
        c = Customer.objects.get(pk=actor.customer_id)
        return c, c.dealer_id
    if data.customer_id is None:
        raise ValidationFailed("请选择客户", field="customer_id")
    c = get_visible(Customer, actor, pk=data.customer_id)
    return c, actor.dealer_id if kind == "dealer" else c.dealer_id


def apply(*, actor: Any, data: ReturnInput, now: dt.datetime | None = None) -> ReturnRequest:
    """5.1 The return application, checked against the product line's rule."""
    now = now or timezone.now()
    workflow.require_role(actor, APPLY_ROLES, "提交退货申请")
    reason = inputs.text(data.reason, field="reason", label="退货原因")
    if data.kind not in ReturnKind.values:
        raise ValidationFailed("退货类型须为客户退货或经销商库存退货", field="kind")
    lines = _lines(data.lines)
    customer, dealer_id = _customer(actor, data)
    category = None
    if data.category_id is not None:
        category = ProductCategory.objects.filter(pk=data.category_id).first()
        if category is None:
            raise NotFound("产品线不存在", field="category_id")
    sale_date = (
        inputs.date(data.sale_date, field="sale_date", label="销售日期") if data.sale_date else None
    )
    check: dict[str, Any] = {}
    rule = ReturnRule.objects.active().filter(category=category).first() if category else None
    if rule is not None and data.kind == ReturnKind.CUSTOMER:
        verdict = rules.check(
            rule_data(rule),
            rules.Goods(sale_date, data.has_receipt, data.resaleable, frozenset(data.conditions)),
            timezone.localdate(now),
        )
        check = {"rule": rule.name, **verdict.as_dict()}
        if verdict.repair_instead:
            raise ValidationFailed(
                Said(
                    "按「%(name)s」，以下情况免费修理不退换：%(join)s",
                    name=rule.name,
                    join="；".join(verdict.reasons),
                ),
                code="repair_instead",
                details=check,
            )
        if not verdict.returnable:
            raise ValidationFailed(
                Said(
                    "按「%(name)s」不予退换：%(join)s",
                    name=rule.name,
                    join="；".join(verdict.reasons),
                ),
                code="not_returnable",
                details=check,
            )
    freight: rules.Freight | None = None
    if data.kind == ReturnKind.DEALER_STOCK:
        if dealer_id is None:
            raise ValidationFailed("经销商库存退货须为经销商的客户", field="customer_id")
        if data.stock_cause not in StockCause.values:
            raise ValidationFailed("请选择库存退货原因类别", field="stock_cause")
        labour = (
            inputs.money(data.restoration_labour, field="restoration_labour", label="修复人工费")
            if data.restoration_labour not in (None, "")
            else None
        )
        try:
            freight = rules.freight(data.stock_cause, labour)
        except ValueError as exc:
            raise ValidationFailed(str(exc), field="restoration_labour") from exc
        check = {"freight": freight.note}
    with transaction.atomic():
        ret = ReturnRequest.objects.create(
            number=next_number("TH", on=now),
            kind=data.kind,
            customer=customer,
            dealer_id=dealer_id,
            category=category,
            reason=reason,
            sale_date=sale_date,
            has_receipt=bool(data.has_receipt),
            resaleable=bool(data.resaleable),
            conditions=sorted(set(data.conditions)),
            rule_check=check,
            contact_name=(data.contact_name or "").strip()[:50],
            contact_phone=(data.contact_phone or "").strip()[:20],
            applied_at=now,
            applied_by=actor if getattr(actor, "pk", None) else None,
            stock_cause=data.stock_cause if freight else "",
            freight_payer=freight.payer if freight else "",
            restoration_labour=freight.restoration_labour if freight else None,
        )
        ReturnLine.objects.bulk_create(
            ReturnLine(request=ret, part=p, description=d, quantity=q, serial_no=s)
            for p, d, q, s in lines
        )
        audit.record(ret, actor=actor, action="create", after=audit.snapshot(ret), at=now)
        notices.roles(
            ret,
            "new",
            ["coordinator"],
            Said("【退货申请】%(number)s %(name)s", number=ret.number, name=customer.name),
            Said(
                "%(name)s 申请%(get_kind_display)s：%(v4)s",
                name=customer.name,
                get_kind_display=ret.get_kind_display(),
                v4=reason[:80],
            ),
        )
    return ret


def submit(
    *,
    actor: Any,
    ret: ReturnRequest | int,
    department_ids: list[int],
    now: dt.datetime | None = None,
) -> ReturnRequest:
    """5.1 售后主办 accepts the application and sends it to the departments concerned."""
    now = now or timezone.now()
    depts = list(Department.objects.active().filter(pk__in=department_ids))
    if not depts or len(depts) != len(set(department_ids)):
        raise ValidationFailed("请选择会签的相关部门", field="department_ids")
    with transaction.atomic():
        locked = lock(ret)
        move(
            locked, "submit", actor=actor, now=now, payload={"departments": [d.name for d in depts]}
        )
        engine.submit(
            actor=actor,
            document=locked,
            flow_code="return_request",
            title=f"{locked.customer.name}：{locked.reason[:60]}",
            departments=depts,
            now=now,
        )
    return locked


def attempt(
    *,
    actor: Any,
    ret: ReturnRequest | int,
    method: str,
    accepted: bool,
    note: str,
    now: dt.datetime | None = None,
) -> ReturnRequest:
    """5.2 Before accepting the goods, the attempt to resolve by parts or a dealer discount
    is recorded; if the customer takes it, the return ends there."""
    now = now or timezone.now()
    if method not in ResolutionMethod.values:
        raise ValidationFailed("请选择替代处理方案：补件、经销商折价或无", field="method")
    if method == ResolutionMethod.NONE and accepted:
        raise ValidationFailed("无替代方案时客户不能“接受替代方案”", field="accepted")
    note = inputs.text(note, field="note", label="沟通记录")
    with transaction.atomic():
        locked = lock(ret)
        action = "resolve_otherwise" if accepted else "await_goods"
        fields = {
            "resolution_method": method,
            "resolution_accepted": accepted,
            "resolution_note": note,
            "resolution_at": now,
            "resolution_by": actor,
        }
        if accepted:
            fields["closed_at"] = now
        return move(locked, action, actor=actor, now=now, reason=note, fields=fields)


def cancel(
    *, actor: Any, ret: ReturnRequest | int, reason: str, now: dt.datetime | None = None
) -> ReturnRequest:
    now = now or timezone.now()
    reason = inputs.text(reason, field="reason", label="取消原因", max_length=200)
    with transaction.atomic():
        locked = lock(ret)
        return move(
            locked, "cancel", actor=actor, now=now, reason=reason, fields={"cancel_reason": reason}
        )
