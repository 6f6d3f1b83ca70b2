"""Claims (三包索赔单) and settlement (三包费用核销通知).

A dealer claims a warranty repair of one of its tickets: parts, labour and travel priced from
the price list in force on the repair date (its part prices, else the part master's price;
its labour rate and minimum hours; its call-out fee, else km × rate) — nothing outside the
list. The technical department appraises (accept / partly / reject, with reasons). Finance
issues a notice per dealer and period listing the accepted claims — only claims whose
signed repair record and old parts are back (quality's settlement check). The dealer
confirms (the total is deducted from its receivables with exactly one ledger entry) or
disputes with a reason (the claims go back to appraisal, no ledger change)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.dealers.models import (
    ClaimLine,
    ClaimState,
    Dealer,
    LedgerEntry,
    NoticeState,
    SettlementNotice,
    WarrantyClaim,
)
from aftersales.dealers.models.claim import SETTLEABLE_CLAIM_STATES

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
APPRAISERS = frozenset({"quality_director", "quality_centre_director", "admin"})
FINANCE = frozenset({"finance", "admin"})


def amount(value: Any, label: str, *, allow_zero: bool = True) -> Decimal:
    """A money or quantity input: digits only (no thousands comma), not negative."""
    if isinstance(value, float | bool):
        raise ValidationFailed(Said("%(label)s应以字符串或整数给出", label=label))
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(Said("%(label)s应为数字（不要带逗号）", label=label)) from exc
    if not d.is_finite():
        raise ValidationFailed(Said("%(label)s应为数字", label=label))
    if d < 0 or (not allow_zero and d == 0):
        raise ValidationFailed(
            Said("%(label)s不能为负数", label=label)
            if d < 0
            else Said("%(label)s必须大于0", label=label)
        )
    if d > Decimal("9999999"):
        raise ValidationFailed(Said("%(label)s过大", label=label))
    return d


def _money(d: Decimal) -> Decimal:
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def _roles(actor: Any, roles: frozenset[str], what: str) -> None:
    if getattr(actor, "org_kind", "company") != "company" or not (
        actor.is_superuser or actor.role_codes & roles
    ):
        raise PermissionDenied(Said("无权%(what)s", what=what))


@dataclass(frozen=True)
class PartIn:
    part_code: str
    quantity: Any


@dataclass(frozen=True)
class ClaimInput:
    ticket_id: int
    repair_date: dt.date
    description: str
    parts: list[PartIn]
    labour_hours: Any = 0
    visit: bool = False
    distance_km: Any = 0


CLAIMABLE_OUTCOMES = ("free", "parts_at_cost")


def _require_warranty_repair(ticket: Any) -> None:
    """A claim is for a warranty repair: the ticket's (current) warranty decision must be
    free of charge (or parts at cost) — a chargeable or excluded repair is the customer's."""
    from aftersales.service.services import warranty

    record = warranty.current(ticket)
    if record is None or record.outcome not in CLAIMABLE_OUTCOMES:
        label = record.outcome_label if record else "尚无保修判定"
        raise Conflict(
            Said(
                "报修单 %(number)s 的保修判定为「%(label)s」，不属于三包维修，不能提交三包索赔",
                number=ticket.number,
                label=label,
            ),
            code="not_in_warranty",
        )


@transaction.atomic
def submit(*, actor: Any, data: ClaimInput, today: dt.date | None = None) -> WarrantyClaim:
    from aftersales.catalog.selectors import code_key, list_prices, parts_by_code, price_list_on
    from aftersales.service.models import Ticket

    if getattr(actor, "org_kind", "company") != "dealer":
        raise PermissionDenied("三包索赔单由经销商提交")
    today = today or timezone.localdate()
    ticket = get_visible(Ticket, actor, pk=data.ticket_id)
    if ticket.dealer_id not in (None, actor.dealer_id):
        raise PermissionDenied("只能为本经销商经办的报修提交索赔")
    if data.repair_date > today:
        raise ValidationFailed("维修日期不能晚于今天", field="repair_date")
    _require_warranty_repair(ticket)
    description = data.description.strip()
    if not description:
        raise ValidationFailed("请填写维修说明", field="description")
    prices = price_list_on(data.repair_date)
    if prices is None:
        raise Conflict(
            Said("没有在 %(repair_date)s 有效的收费标准", repair_date=data.repair_date),
            code="no_price_list",
        )
    found = parts_by_code(p.part_code for p in data.parts)
    listed = list_prices(prices, [p.pk for p in found.values()])
    lines: list[ClaimLine] = []
    for p in data.parts:
        part = found.get(code_key(p.part_code))
        if part is None:
            raise ValidationFailed(
                Said("配件编码 %(part_code)s 不存在", part_code=p.part_code), field="parts"
            )
        qty = amount(p.quantity, "配件数量", allow_zero=False)
        unit = listed.get(part.pk, part.price)
        lines.append(
            ClaimLine(
                kind=ClaimLine.Kind.PART,
                part=part,
                description=Said("配件 %(code)s %(name)s", code=part.code, name=part.name)[:200],
                quantity=qty,
                unit_price=unit,
                amount=_money(qty * unit),
            )
        )
    hours = amount(data.labour_hours, "工时")
    if hours:
        hours = max(hours, prices.minimum_labour_hours)
        lines.append(
            ClaimLine(
                kind=ClaimLine.Kind.LABOUR,
                description="人工费（按收费标准）",
                quantity=hours,
                unit_price=prices.labour_rate_per_hour,
                amount=_money(hours * prices.labour_rate_per_hour),
            )
        )
    km = amount(data.distance_km, "里程")
    if data.visit or km:
        if prices.travel_flat_fee:
            qty, unit, text = Decimal(1), prices.travel_flat_fee, "差旅费（上门费包干）"
        else:
            qty, unit, text = km, prices.travel_rate_per_km, "差旅费（按里程）"
        lines.append(
            ClaimLine(
                kind=ClaimLine.Kind.TRAVEL,
                description=text,
                quantity=qty,
                unit_price=unit,
                amount=_money(qty * unit),
            )
        )
    if not lines:
        raise ValidationFailed("索赔单至少需要一项配件、人工或差旅", field="parts")
    total = sum((ln.amount for ln in lines), ZERO)
    claim = WarrantyClaim.objects.create(
        number=next_number("SP"),
        dealer_id=actor.dealer_id,
        ticket=ticket,
        repair_date=data.repair_date,
        description=description[:500],
        price_list=prices,
        claimed_amount=total,
        submitted_by=actor,
    )
    for ln in lines:
        ln.claim = claim
    ClaimLine.objects.bulk_create(lines)
    audit.record(
        claim,
        actor=actor,
        action="create",
        verb="提交三包索赔",
        to_state=claim.state,
        payload={"claimed_amount": total},
    )
    return claim


@transaction.atomic
def appraise(
    *,
    actor: Any,
    claim_id: int,
    decision: str,
    reason: str = "",
    line_amounts: dict[Any, Any] | None = None,
    now: dt.datetime | None = None,
) -> WarrantyClaim:
    """accept (the claimed amount) / partly (an accepted amount per line, a reason) / reject
    (a reason, zero)."""
    _roles(actor, APPRAISERS | {"coordinator"}, "鉴定三包索赔")
    now = now or timezone.now()
    claim = WarrantyClaim.objects.select_for_update().get(
        pk=get_visible(WarrantyClaim, actor, pk=claim_id).pk
    )
    if claim.state != ClaimState.SUBMITTED:
        raise InvalidTransition(
            Said(
                "索赔单当前状态为「%(get_state_display)s」，不能鉴定",
                get_state_display=claim.get_state_display(),
            )
        )
    reason = reason.strip()[:300]
    lines = list(claim.lines.all())
    if decision == "accept":
        for ln in lines:
            ln.accepted_amount = ln.amount
        target = ClaimState.ACCEPTED
    elif decision in ("partly", "reject"):
        if not reason:
            raise ValidationFailed("部分同意或驳回须说明理由", field="reason")
        if decision == "reject":
            for ln in lines:
                ln.accepted_amount = ZERO
            target = ClaimState.REJECTED
        else:
            given: dict[Any, Any] = line_amounts or {}
            for ln in lines:
                value = _money(
                    amount(given.get(ln.pk, given.get(str(ln.pk), ln.amount)), "核定金额")
                )
                if value > ln.amount:
                    raise ValidationFailed(
                        Said(
                            "「%(description)s」核定金额不能超过索赔金额",
                            description=ln.description,
                        )
                    )
                ln.accepted_amount = value
            target = ClaimState.PARTLY
    else:
        raise ValidationFailed("鉴定结论应为 accept / partly / reject", field="decision")
    ClaimLine.objects.bulk_update(lines, ["accepted_amount"])
    before = claim.state
    claim.accepted_amount = sum((ln.accepted_amount or ZERO for ln in lines), ZERO)
    claim.state, claim.appraised_at, claim.appraised_by = target, now, actor
    claim.appraisal_reason = reason
    claim.save(
        update_fields=[
            "accepted_amount",
            "state",
            "appraised_at",
            "appraised_by",
            "appraisal_reason",
            "updated_at",
        ]
    )
    audit.record(
        claim,
        actor=actor,
        action="transition",
        verb="三包索赔鉴定",
        from_state=before,
        to_state=target,
        reason=reason,
        payload={"accepted_amount": claim.accepted_amount},
    )
    return claim


def old_part_check(claim: WarrantyClaim) -> None:
    """The quality domain's seam: the signed repair record filed and every old part back."""
    from aftersales.quality.services.old_parts import settlement_check

    settlement_check(claim.ticket_id)


@transaction.atomic
def issue_notice(
    *,
    actor: Any,
    dealer_id: int,
    period_start: dt.date,
    period_end: dt.date,
    now: dt.datetime | None = None,
) -> SettlementNotice:
    """Finance lists the dealer's accepted claims repaired in the period. Any claim that may
    not be settled (old part or signed record missing) refuses the notice, nothing written."""
    _roles(actor, FINANCE, "开具三包费用核销通知")
    now = now or timezone.now()
    if period_end < period_start:
        raise ValidationFailed("期间止不能早于期间起", field="period_end")
    dealer = get_visible(Dealer, actor, pk=dealer_id)
    claims = list(
        WarrantyClaim.objects.select_for_update()
        .filter(
            dealer=dealer,
            state__in=SETTLEABLE_CLAIM_STATES,
            notice__isnull=True,
            repair_date__gte=period_start,
            repair_date__lte=period_end,
            archived_at__isnull=True,
        )
        .order_by("id")
    )
    if not claims:
        raise Conflict("该期间没有可核销的已鉴定索赔单")
    for c in claims:
        try:
            old_part_check(c)
        except Conflict as exc:
            raise type(exc)(
                Said("索赔单 %(number)s：%(message)s", number=c.number, message=exc.message),
                details=exc.details,
            ) from exc
    total = sum((c.accepted_amount for c in claims), ZERO)
    notice = SettlementNotice.objects.create(
        number=next_number("HX", on=now),
        dealer=dealer,
        period_start=period_start,
        period_end=period_end,
        total=total,
        issued_by=actor,
        issued_at=now,
    )
    WarrantyClaim.objects.filter(pk__in=[c.pk for c in claims]).update(
        notice=notice, state=ClaimState.IN_SETTLEMENT, updated_at=now
    )
    for c in claims:
        audit.record(
            c,
            actor=actor,
            action="transition",
            verb="列入核销通知",
            from_state=c.state,
            to_state=ClaimState.IN_SETTLEMENT,
            payload={"notice": notice.number},
        )
    audit.record(
        notice,
        actor=actor,
        action="create",
        verb="开具核销通知",
        to_state=notice.state,
        payload={"total": total, "claims": [c.number for c in claims]},
    )
    return notice


def _dealer_notice(actor: Any, notice_id: int) -> SettlementNotice:
    if getattr(actor, "org_kind", "company") != "dealer":
        raise PermissionDenied("核销通知由经销商确认")
    notice = get_visible(SettlementNotice, actor, pk=notice_id)
    return SettlementNotice.objects.select_for_update().get(pk=notice.pk)


@transaction.atomic
def confirm_notice(
    *, actor: Any, notice_id: int, now: dt.datetime | None = None
) -> SettlementNotice:
    """The dealer confirms: the total is deducted from its receivables, exactly once."""
    now = now or timezone.now()
    notice = _dealer_notice(actor, notice_id)
    if notice.state == NoticeState.CONFIRMED:
        return notice  # a second click: already booked, nothing more
    if notice.state != NoticeState.SENT:
        raise InvalidTransition(
            Said(
                "核销通知当前状态为「%(get_state_display)s」，不能确认",
                get_state_display=notice.get_state_display(),
            )
        )
    claim_total = notice.claims.aggregate(s=Sum("accepted_amount"))["s"] or ZERO
    if claim_total != notice.total:
        raise Conflict("核销通知金额与所列索赔单核定金额合计不符，请联系财务")
    notice.state, notice.answered_by, notice.answered_at = NoticeState.CONFIRMED, actor, now
    notice.save(update_fields=["state", "answered_by", "answered_at", "updated_at"])
    try:
        with transaction.atomic():
            post_entry(
                dealer_id=notice.dealer_id,
                amount=-notice.total,
                kind=LedgerEntry.Kind.SETTLEMENT,
                note=Said("三包费用核销 %(number)s", number=notice.number),
                actor=actor,
                at=now,
                notice=notice,
            )
    except IntegrityError as exc:  # pragma: no cover - the row lock makes this unreachable
        raise Conflict("该核销通知已记账") from exc
    notice.claims.update(state=ClaimState.SETTLED, updated_at=now)
    audit.record(
        notice,
        actor=actor,
        action="transition",
        verb="经销商确认核销",
        from_state=NoticeState.SENT,
        to_state=NoticeState.CONFIRMED,
        payload={"total": notice.total},
    )
    return notice


@transaction.atomic
def dispute_notice(
    *, actor: Any, notice_id: int, reason: str, now: dt.datetime | None = None
) -> SettlementNotice:
    """The dealer disputes with a reason: its claims go back to appraisal; no ledger entry."""
    now = now or timezone.now()
    notice = _dealer_notice(actor, notice_id)
    if notice.state != NoticeState.SENT:
        raise InvalidTransition(
            Said(
                "核销通知当前状态为「%(get_state_display)s」，不能提出异议",
                get_state_display=notice.get_state_display(),
            )
        )
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("请说明异议原因", field="reason")
    notice.state, notice.answered_by, notice.answered_at = NoticeState.DISPUTED, actor, now
    notice.dispute_reason = reason[:300]
    notice.save(
        update_fields=["state", "answered_by", "answered_at", "dispute_reason", "updated_at"]
    )
    claims = list(notice.claims.all())
    for c in claims:
        audit.record(
            c,
            actor=actor,
            action="transition",
            verb="核销异议，退回鉴定",
            from_state=c.state,
            to_state=ClaimState.SUBMITTED,
            reason=notice.dispute_reason,
        )
    notice.claims.update(state=ClaimState.SUBMITTED, notice=None, updated_at=now)
    audit.record(
        notice,
        actor=actor,
        action="transition",
        verb="经销商提出异议",
        from_state=NoticeState.SENT,
        to_state=NoticeState.DISPUTED,
        reason=notice.dispute_reason,
        payload={"claims": [c.number for c in claims]},
    )
    return notice


def post_entry(
    *,
    dealer_id: int,
    amount: Decimal,
    kind: str,
    note: str,
    actor: Any,
    at: dt.datetime,
    notice: SettlementNotice | None = None,
) -> LedgerEntry:
    """One ledger movement and the dealer's running balance (row-locked, F() update)."""
    dealer = Dealer.objects.select_for_update().get(pk=dealer_id)
    Dealer.objects.filter(pk=dealer.pk).update(receivables=F("receivables") + amount)
    dealer.refresh_from_db(fields=["receivables"])
    entry = LedgerEntry.objects.create(
        dealer=dealer,
        at=at,
        kind=kind,
        amount=amount,
        balance=dealer.receivables,
        notice=notice,
        note=note[:200],
        actor=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        dealer,
        actor=actor,
        action="update",
        verb="应收账款记账",
        before={"receivables": dealer.receivables - amount},
        after={"receivables": dealer.receivables},
        payload={"entry": entry.pk, "note": note},
    )
    return entry


def open_ledger(dealer: Dealer, actor: Any, *, at: dt.datetime | None = None) -> LedgerEntry | None:
    """A new dealer's starting balance as its opening ledger entry (the balance is already on
    the dealer: the entry records it, it does not add it again)."""
    if not dealer.receivables:
        return None
    entry = LedgerEntry.objects.create(
        dealer=dealer,
        at=at or timezone.now(),
        kind=LedgerEntry.Kind.OPENING,
        amount=dealer.receivables,
        balance=dealer.receivables,
        note="期初余额",
        actor=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        dealer,
        actor=actor,
        action="update",
        verb="应收账款记账",
        after={"receivables": dealer.receivables},
        payload={"entry": entry.pk, "note": "期初余额"},
    )
    return entry
