"""Warranty decision of a ticket (SPEC §3.2), coordinator overrides, and quotes for
chargeable work that the customer accepts before work starts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from aftersales.catalog.selectors import code_key, list_prices, parts_by_code, price_list_on
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.said import Said, stored
from aftersales.installed_base.selectors import category_policies, policy_for
from aftersales.installed_base.warranty_facts import facts_of, fitted_part, rule_policy
from aftersales.service.models import Quote, QuoteLine, Ticket, WarrantyRecord
from aftersales.service.services.base import lock_ticket, require_visible
from aftersales.warranty import quote as quote_rules
from aftersales.warranty import rules

OUTCOMES = {o.value for o in rules.Outcome}


def current(ticket: Ticket) -> WarrantyRecord | None:
    prefetched = getattr(ticket, "prefetched_warranty", None)
    if prefetched is not None:
        live = [r for r in prefetched if r.archived_at is None]
        return max(live, key=lambda r: (r.created_at, r.id)) if live else None
    return (
        ticket.warranty_records.filter(archived_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


_HISTORY_SQL = """
SELECT 'repair', r.filed_at, NULL::date, r.component_code, NULL::smallint, COALESCE((
         SELECT w.in_warranty FROM {warranty} w
         WHERE w.ticket_id = r.ticket_id AND w.archived_at IS NULL
         ORDER BY w.created_at DESC, w.id DESC LIMIT 1), false)
  FROM {report} r JOIN {ticket} t ON t.id = r.ticket_id
 WHERE t.equipment_id = %(equipment)s AND r.ticket_id <> %(ticket)s
   AND r.filed_at IS NOT NULL AND r.archived_at IS NULL
UNION ALL
-- the same parts as installed_base.warranty_facts.fitted_parts_of (kept in step)
SELECT 'part', NULL, c.fitted_date, c.code, c.warranty_months, c.fitted_in_warranty_repair
  FROM {component} c
 WHERE c.equipment_id = %(equipment)s AND c.archived_at IS NULL
   AND c.fitted_date IS NOT NULL AND c.fitted_in_warranty_repair
"""


def _history(ticket: Ticket) -> tuple[list[rules.EarlierRepair], list[rules.FittedPart]]:
    """The equipment's earlier filed repairs (with whether each was a warranty repair) and
    its parts fitted in a warranty repair — the facts of the repeat-repair and replaced-part
    rules. One statement: read on every registration."""
    from aftersales.installed_base.models import EquipmentComponent
    from aftersales.service.models import ServiceReport

    sql = _HISTORY_SQL.format(
        warranty=WarrantyRecord._meta.db_table,
        report=ServiceReport._meta.db_table,
        ticket=Ticket._meta.db_table,
        component=EquipmentComponent._meta.db_table,
    )
    with connection.cursor() as cur:
        cur.execute(sql, {"equipment": ticket.equipment_id, "ticket": ticket.pk or 0})
        rows = cur.fetchall()
    repairs = [
        rules.EarlierRepair(
            repaired_on=timezone.localdate(filed_at),
            component_code=code or None,
            in_warranty=bool(flag),
        )
        for kind, filed_at, _, code, _, flag in rows
        if kind == "repair"
    ]
    parts = [
        fitted_part(code, fitted, bool(flag), months)
        for kind, _, fitted, code, months, flag in rows
        if kind == "part"
    ]
    return repairs, parts


def _contract(ticket: Ticket) -> rules.ContractCoverage | None:
    c = ticket.contract
    if c is None:
        return None
    w, a = rules.Charge.WAIVED, rules.Charge.AT_COST
    return rules.ContractCoverage(
        contract_no=c.code,
        valid_from=c.start_date,
        valid_until=c.end_date,
        charges=rules.ChargeFlags(
            parts=w if c.covers_parts else a,
            labour=w if c.covers_labour else rules.Charge.AT_PRICE,
            travel=w if c.covers_travel else rules.Charge.AT_PRICE,
        ),
        covers_non_quality=c.covers_misuse,
    )


def decide(
    ticket: Ticket,
    *,
    actor: Any,
    cause: str | None = None,
    latent_defect: bool = False,
    abnormal_life: bool = False,
    component_code: str = "",
    first: bool = False,
) -> WarrantyRecord | None:
    """Run the rules for the ticket's equipment and store the decision with its reasons."""
    equipment = ticket.equipment
    if equipment is None:
        return None
    category = category_policies(equipment.model.category_id)
    policy = policy_for(equipment, component_code, category)
    if policy is None:
        return None
    try:
        cause_class = rules.CauseClass(cause) if cause else None
    except ValueError as exc:
        raise ValidationFailed("故障原因分类无效", field="cause") from exc
    repairs, fitted_parts = _history(ticket)
    decision = rules.decide_warranty(
        policy=rule_policy(policy, category),
        equipment=facts_of(equipment),
        claim=rules.Claim(
            failure_date=timezone.localdate(ticket.received_at),
            cause=cause_class,
            latent_defect=latent_defect,
            abnormal_life_appraised=abnormal_life,
            component_code=component_code or None,
        ),
        earlier_repairs=repairs,
        fitted_parts=fitted_parts,
        contract=_contract(ticket),
    )
    if not first:
        WarrantyRecord.objects.filter(ticket=ticket, archived_at__isnull=True).update(
            archived_at=timezone.now()
        )
    record = WarrantyRecord.objects.create(
        ticket=ticket,
        outcome=decision.outcome.value,
        parts_charge=decision.charges.parts.value,
        labour_charge=decision.charges.labour.value,
        travel_charge=decision.charges.travel.value,
        warranty_start=decision.warranty_start,
        warranty_end=decision.warranty_end,
        in_warranty=decision.in_warranty,
        replace_component=decision.replace_component,
        replace_unit=decision.replace_unit,
        free_replacement=decision.free_replacement,
        provisional=decision.provisional,
        contract_no=decision.contract_no or "",
        cause=cause or "",
        reasons=[{"code": r.code, **stored(r.text)} for r in decision.reasons],
    )
    ticket.prefetched_warranty = [record]  # type: ignore[attr-defined]
    audit.record(
        ticket,
        actor=actor,
        action="action",
        verb="warranty_decision",
        after={"outcome": record.outcome, "reasons": [r["text"] for r in record.reasons]},
    )
    return record


@transaction.atomic
def override(*, actor: Any, ticket: Ticket, outcome: str, reason: str) -> WarrantyRecord:
    """A coordinator decides otherwise, with a reason (audited)."""
    ticket = lock_ticket(ticket)
    require_visible(ticket, actor)
    if not actor.has_role("coordinator", "manager", "quality_director"):
        raise PermissionDenied("只有售后主办可以调整保修判定")
    if outcome not in OUTCOMES:
        raise ValidationFailed("判定结果无效", field="outcome")
    if not reason.strip():
        raise ValidationFailed("调整保修判定必须填写原因", field="reason")
    before = current(ticket)
    charges = {
        "free": rules.FREE_OF_CHARGE,
        "parts_at_cost": rules.PARTS_AT_COST_ONLY,
        "chargeable": rules.ChargeFlags(
            rules.Charge.AT_COST, rules.Charge.AT_PRICE, rules.Charge.AT_PRICE
        ),
        "excluded": rules.ChargeFlags(
            rules.Charge.AT_COST, rules.Charge.AT_PRICE, rules.Charge.AT_PRICE
        ),
    }[outcome]
    WarrantyRecord.objects.filter(ticket=ticket, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    record = WarrantyRecord.objects.create(
        ticket=ticket,
        outcome=outcome,
        parts_charge=charges.parts.value,
        labour_charge=charges.labour.value,
        travel_charge=charges.travel.value,
        warranty_start=before.warranty_start if before else None,
        warranty_end=before.warranty_end if before else None,
        in_warranty=before.in_warranty if before else False,
        reasons=[
            *(before.reasons if before else []),
            {
                "code": "override",
                **stored(
                    Said(
                        "售后主办 %(actor)s 调整为「%(v3)s」：%(reason)s",
                        actor=actor,
                        v3=WarrantyRecord.OUTCOME_LABELS[outcome],
                        reason=reason,
                    )
                ),
            },
        ],
        overridden_by=actor,
        override_reason=reason,
    )
    audit.record(
        ticket,
        actor=actor,
        action="update",
        verb="warranty_override",
        before={"outcome": before.outcome if before else None},
        after={"outcome": outcome},
        reason=reason,
    )
    return record


@dataclass
class QuotePart:
    part_code: str
    quantity: int


@dataclass
class ManualLine:
    """A quote line outside the published price list (e.g. a special service): allowed only
    with the approval of flow ``quote_manual_line``."""

    description: str
    amount: Any
    quantity: Any = 1


MANUAL_FLOW = "quote_manual_line"


def _manual_lines(lines: list[ManualLine]) -> list[tuple[str, Decimal, Decimal]]:
    from aftersales.approvals import inputs

    out = []
    for ln in lines:
        text = inputs.text(
            ln.description, field="manual_lines", label="手工项目内容", max_length=200
        )
        unit = inputs.money(
            ln.amount, field="manual_lines", label=Said("手工项目「%(text)s」的单价", text=text)
        )
        if unit <= 0:
            raise ValidationFailed(
                Said("手工项目「%(text)s」的单价必须大于0", text=text), field="manual_lines"
            )
        qty = Decimal(inputs.quantity(ln.quantity, field="manual_lines", label="手工项目数量"))
        out.append((text, unit, qty))
    return out


def _money(value: Any, label: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(Said("%(label)s应为数字（不要带逗号）", label=label)) from exc
    if d < 0:
        raise ValidationFailed(Said("%(label)s不能为负数", label=label))
    return d


def supersede_open(ticket: Ticket, *, keep: Quote | None = None) -> None:
    qs = Quote.objects.filter(ticket=ticket, state=Quote.State.SENT)
    if keep is not None:
        qs = qs.exclude(pk=keep.pk)
    qs.update(state=Quote.State.SUPERSEDED)


@transaction.atomic
def quote_create(
    *,
    actor: Any,
    ticket: Ticket,
    parts: list[QuotePart],
    labour_hours: Any = 0,
    distance_km: Any = 0,
    manual_lines: list[ManualLine] | None = None,
) -> Quote:
    """Price the work from the price list in force today (its part prices, else the part
    master; its labour rate and minimum hours; its call-out fee, else its rate per km), with
    the decision's waivers; supersedes an earlier open quote. Lines outside the list
    (``manual_lines``) put the quote to the approval of flow ``quote_manual_line``: until it
    is approved the customer can neither accept it nor pay against it."""
    ticket = lock_ticket(ticket)
    require_visible(ticket, actor)
    if not actor.has_role("agent", "coordinator", "technician", "manager", "admin"):
        raise PermissionDenied("无权编制报价")
    record = current(ticket)
    if record is None:
        raise Conflict("尚无保修判定，不能报价")
    today = timezone.localdate()
    prices = price_list_on(today)
    if prices is None:
        raise Conflict(
            Said("没有在 %(today)s 有效的收费标准，请管理员配置", today=today), code="no_price_list"
        )
    found = parts_by_code(p.part_code for p in parts)
    listed = list_prices(prices, [p.pk for p in found.values()])
    lines = []
    for p in parts:
        if code_key(p.part_code) not in found:
            raise ValidationFailed(
                Said("配件编码 %(part_code)s 不存在", part_code=p.part_code), field="parts"
            )
        if p.quantity <= 0:
            raise ValidationFailed("配件数量必须大于0", field="parts")
        part = found[code_key(p.part_code)]
        lines.append(
            quote_rules.PartLine(
                part.code,
                p.quantity,
                part.unit_cost,
                part.price,
                part.name,
                list_price=listed.get(part.pk),
            )
        )
    hours = _money(labour_hours, "工时")
    km = _money(distance_km, "里程")
    charges = rules.ChargeFlags(
        rules.Charge(record.parts_charge),
        rules.Charge(record.labour_charge),
        rules.Charge(record.travel_charge),
    )
    labour = (
        quote_rules.Labour(
            max(hours, prices.minimum_labour_hours) if hours else hours, prices.labour_rate_per_hour
        )
        if hours
        else None
    )
    # a visit (km given): a list with a call-out fee (上门费/次) charges it per visit, else
    # the kilometres at its rate
    travel = (
        None
        if not km
        else quote_rules.Travel(flat=prices.travel_flat_fee)
        if prices.travel_flat_fee
        else quote_rules.Travel(distance_km=km, rate_per_km=prices.travel_rate_per_km)
    )
    q = quote_rules.build_quote(charges, parts=lines, labour=labour, travel=travel)
    manual = _manual_lines(manual_lines or [])
    manual_total = sum((unit * qty for _t, unit, qty in manual), Decimal("0.00"))
    if not manual:  # a quote still to be approved replaces the open one once approved
        supersede_open(ticket)
    quote = Quote.objects.create(
        ticket=ticket,
        state=Quote.State.APPROVING if manual else Quote.State.SENT,
        parts_total=q.parts_total,
        labour_total=q.labour_total,
        travel_total=q.travel_total,
        waived_total=q.waived_total,
        manual_total=manual_total,
        total=q.total + manual_total,
        accept_token=secrets.token_urlsafe(16),
    )
    QuoteLine.objects.bulk_create(
        [
            QuoteLine(
                quote=quote,
                kind=str(ln.kind),
                code=ln.code,
                description=ln.description,
                quantity=ln.quantity,
                unit_amount=ln.unit_amount,
                amount=ln.amount,
                waived_amount=ln.waived_amount,
                basis=str(ln.basis),
            )
            for ln in q.lines
        ]
        + [
            QuoteLine(
                quote=quote,
                kind="manual",
                description=text,
                quantity=qty,
                unit_amount=unit,
                amount=unit * qty,
                basis="manual",
            )
            for text, unit, qty in manual
        ]
    )
    audit.record(
        quote,
        actor=actor,
        action="create",
        verb="quote_create",
        after={"total": quote.total, "ticket": ticket.number, "manual_total": manual_total},
    )
    if manual:
        from aftersales.approvals.services import engine

        engine.submit(
            actor=actor,
            document=quote,
            flow_code=MANUAL_FLOW,
            title=Said(
                "%(number)s 报价含收费标准外项目 ¥%(manual_total)s",
                number=ticket.number,
                manual_total=manual_total,
            ),
            amount=manual_total,
        )
    return quote


@transaction.atomic
def quote_decide(
    *,
    quote_token: str | None = None,
    quote: Quote | None = None,
    accept: bool,
    by_name: str,
    actor: Any = None,
    via: str = "portal",
) -> Quote:
    """The customer accepts or rejects: by the portal link (token) or recorded by staff."""
    qs = Quote.objects.select_for_update()
    try:
        q = qs.get(accept_token=quote_token) if quote_token else qs.get(pk=quote.pk if quote else 0)
    except Quote.DoesNotExist as exc:
        raise NotFound("报价单不存在") from exc
    if actor is not None:
        require_visible(q.ticket, actor)
        via = "recorded" if getattr(actor, "org_kind", "") == "company" else via
    if q.state == Quote.State.APPROVING:
        raise Conflict(
            "报价单含收费标准以外的手工项目，须经主管领导审批同意后才能确认",
            code="manual_line_not_approved",
        )
    if q.state != Quote.State.SENT:
        raise Conflict(
            Said(
                "报价单已%(get_state_display)s，不能再次确认",
                get_state_display=q.get_state_display(),
            )
        )
    if not by_name.strip():
        raise ValidationFailed("请填写确认人姓名", field="by_name")
    q.state = Quote.State.ACCEPTED if accept else Quote.State.REJECTED
    q.decided_at = timezone.now()
    q.decided_by_name = by_name.strip()
    q.decided_via = via
    q.recorded_by = actor if actor is not None and getattr(actor, "pk", None) else None
    q.save()
    audit.record(
        q,
        actor=actor,
        action="transition",
        verb="quote_decide",
        from_state="sent",
        to_state=q.state,
        payload={"by": by_name, "via": via},
    )
    return q


def work_may_start(ticket: Ticket) -> str | None:
    """Why chargeable work may not start yet, or None."""
    record = current(ticket)
    if record is None or not record.needs_quote:
        return None
    if ticket.quotes.filter(state=Quote.State.ACCEPTED).exists():
        return None
    return Said(
        "保修判定为「%(outcome_label)s」，需客户确认报价后才能开始工作",
        outcome_label=record.outcome_label,
    )
