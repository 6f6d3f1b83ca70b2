"""备货计划: the company opens a season (a plan for every active dealer, due the configured
lead time before the season starts, on the deadline engine: reminded before, escalated when
late); the dealer fills in the parts and products it will stock and submits; the company
approves or returns it with a reason (returned → the dealer's deadline is open again, with
the same due time). Every step atomic and audited; bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from aftersales.approvals.services import deadlines
from aftersales.core import audit
from aftersales.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.dealers import rules
from aftersales.dealers.defaults import STOCKING
from aftersales.dealers.models import (
    EDITABLE_PLAN_STATES,
    Dealer,
    PlanState,
    Season,
    StockingPlan,
    StockingPlanLine,
)

REVIEWERS = frozenset({"sales", "coordinator", "manager", "admin"})
STEP_SUBMIT = "stocking_submit"
MAX_LINES = 200
MAX_QUANTITY = 1_000_000
KINDS = {"part": "配件", "product": "产品"}


def _company(actor: Any, what: str) -> None:
    if getattr(actor, "org_kind", "company") != "company" or not (
        actor.is_superuser or actor.role_codes & REVIEWERS
    ):
        raise PermissionDenied(Said("无权%(what)s", what=what))


def _dealer_actor(actor: Any, what: str) -> None:
    if getattr(actor, "org_kind", "company") != "dealer" or not getattr(actor, "dealer_id", None):
        raise PermissionDenied(Said("只有经销商可以%(what)s", what=what))


def lead_text() -> str:
    """The configured lead time as the pages say it (「30天」)."""
    return deadlines.duration_text(STOCKING)


def plan_due(starts_on: dt.date) -> dt.datetime:
    r = deadlines.rule(STOCKING)
    return rules.stocking_due(starts_on, Decimal(r.amount), r.unit, timezone.get_default_timezone())


def _owner(dealer: Dealer) -> Any:
    return (
        get_user_model()
        .objects.filter(dealer=dealer, is_active=True, org_kind="dealer")
        .order_by("pk")
        .first()
    )


def _open_plan(season: Season, dealer: Dealer, actor: Any, now: dt.datetime) -> StockingPlan:
    try:
        with transaction.atomic():
            plan = StockingPlan.objects.create(
                number=next_number("BH", on=now),
                dealer=dealer,
                season=season,
                due_at=plan_due(season.starts_on),
            )
    except IntegrityError as exc:
        raise Conflict(
            Said("%(name)s已有「%(name2)s」的备货计划", name=dealer.name, name2=season.name)
        ) from exc
    audit.record(plan, actor=actor, action="create", verb="开立备货计划", to_state=plan.state)
    deadlines.start(
        plan,
        step=STEP_SUBMIT,
        rule_code=STOCKING,
        starts_at=now,
        due_at=plan.due_at,
        owner=_owner(dealer),
    )
    return plan


def _check_dates(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> None:
    if starts_on <= today:
        raise ValidationFailed(
            "旺季开始日期必须晚于今天（不能开立已开始或过去的旺季）", field="starts_on"
        )
    if ends_on < starts_on:
        raise ValidationFailed("旺季结束日期不能早于开始日期", field="ends_on")


@transaction.atomic
def open_season(
    *,
    actor: Any,
    code: str,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    now: dt.datetime | None = None,
) -> Season:
    """A new season, and a plan due before it for every active dealer."""
    _company(actor, "开立销售旺季")
    now = now or timezone.now()
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ValidationFailed("请填写旺季编码和名称", field="code" if not code else "name")
    _check_dates(starts_on, ends_on, timezone.localdate(now))
    try:
        with transaction.atomic():
            season = Season.objects.create(
                code=code[:20],
                name=name[:60],
                starts_on=starts_on,
                ends_on=ends_on,
                opened_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict(Said("旺季编码「%(code)s」已存在", code=code)) from exc
    audit.record(
        season,
        actor=actor,
        action="create",
        verb="开立销售旺季",
        payload={"starts_on": starts_on, "ends_on": ends_on},
    )
    for dealer in Dealer.objects.filter(archived_at__isnull=True).order_by("code"):
        _open_plan(season, dealer, actor, now)
    return season


@transaction.atomic
def start_plan(*, actor: Any, season_id: int, now: dt.datetime | None = None) -> StockingPlan:
    """A dealer without a plan for a season (joined after it was opened) starts its own."""
    _dealer_actor(actor, "开立本店备货计划")
    now = now or timezone.now()
    season = get_visible(Season, actor, pk=season_id)
    if season.starts_on <= timezone.localdate(now):
        raise ValidationFailed("该旺季已开始，不能再开立备货计划", field="season_id")
    dealer = Dealer.objects.get(pk=actor.dealer_id)
    return _open_plan(season, dealer, actor, now)


@dataclass(frozen=True)
class LineIn:
    kind: str  # part / product
    code: str
    quantity: Any


def quantity(value: Any, row: int) -> int:
    """A planned quantity: a whole number of pieces, digits only (no thousands comma)."""
    where = Said("第%(row)s行", row=row)
    if isinstance(value, bool | float):
        raise ValidationFailed(Said("%(where)s数量应为整数", where=where), field="lines")
    text = str(value).strip()
    if len(text) > 12:
        raise ValidationFailed(Said("%(where)s数量过大", where=where), field="lines")
    if "," in text or "，" in text:
        raise ValidationFailed(
            Said("%(where)s数量应为整数（不要带逗号）", where=where), field="lines"
        )
    if re.fullmatch(r"-\s*[0-9]+(\.[0-9]*)?", text):
        raise ValidationFailed(Said("%(where)s数量不能为负数", where=where), field="lines")
    if not re.fullmatch(r"[0-9]+", text):
        raise ValidationFailed(Said("%(where)s数量应为整数", where=where), field="lines")
    n = int(text)
    if n == 0:
        raise ValidationFailed(Said("%(where)s数量必须大于0", where=where), field="lines")
    if n > MAX_QUANTITY:
        raise ValidationFailed(Said("%(where)s数量过大", where=where), field="lines")
    return n


def _resolve(lines: list[LineIn]) -> list[dict[str, Any]]:
    from aftersales.catalog.selectors import code_key, parts_by_code
    from aftersales.installed_base.models import ProductModel

    if not lines:
        raise ValidationFailed("请至少填写一行备货明细", field="lines")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(
            Said("备货明细最多%(MAX_LINES)s行", MAX_LINES=MAX_LINES), field="lines"
        )
    parts = parts_by_code([ln.code for ln in lines if ln.kind == "part"])
    products = {
        code_key(m.code): m
        for m in ProductModel.objects.filter(
            archived_at__isnull=True,
            code__in=[ln.code.strip() for ln in lines if ln.kind == "product"],
        )
    }
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row, ln in enumerate(lines, start=1):
        if ln.kind not in KINDS:
            raise ValidationFailed(Said("第%(row)s行类别应为配件或产品", row=row), field="lines")
        key = code_key(ln.code)
        if not key:
            raise ValidationFailed(Said("第%(row)s行请填写编码", row=row), field="lines")
        item = (parts if ln.kind == "part" else products).get(key)
        if item is None:
            raise ValidationFailed(
                Said(
                    "第%(row)s行%(v3)s编码「%(v5)s」不存在",
                    row=row,
                    v3=KINDS[ln.kind],
                    v5=ln.code.strip()[:50],
                ),
                field="lines",
            )
        if (ln.kind, key) in seen:
            raise ValidationFailed(
                Said("第%(row)s行与前面的行重复（%(code)s）", row=row, code=item.code),
                field="lines",
            )
        seen.add((ln.kind, key))
        out.append(
            {
                "part": item if ln.kind == "part" else None,
                "product_model": item if ln.kind == "product" else None,
                "quantity": quantity(ln.quantity, row),
            }
        )
    return out


def _own_plan(actor: Any, plan_id: int) -> StockingPlan:
    plan = get_visible(StockingPlan, actor, pk=plan_id)
    return (
        StockingPlan.objects.select_for_update().select_related("season", "dealer").get(pk=plan.pk)
    )


def active_lines(plan: StockingPlan) -> list[StockingPlanLine]:
    return list(
        plan.lines.filter(archived_at__isnull=True)
        .select_related("part", "product_model")
        .order_by("id")
    )


@transaction.atomic
def save_lines(
    *, actor: Any, plan_id: int, lines: list[LineIn], now: dt.datetime | None = None
) -> StockingPlan:
    """The dealer's lines replace the previous ones (those are archived, not deleted)."""
    _dealer_actor(actor, "填写备货计划")
    now = now or timezone.now()
    plan = _own_plan(actor, plan_id)
    if plan.state not in EDITABLE_PLAN_STATES:
        raise InvalidTransition(
            Said(
                "备货计划当前状态为「%(get_state_display)s」，不能修改",
                get_state_display=plan.get_state_display(),
            )
        )
    if plan.season.starts_on <= timezone.localdate(now):
        raise ValidationFailed("该旺季已开始，不能再修改备货计划")
    resolved = _resolve(lines)
    before = [
        {"code": ln.code, "kind": ln.kind, "quantity": ln.quantity} for ln in active_lines(plan)
    ]
    plan.lines.filter(archived_at__isnull=True).update(archived_at=now, updated_at=now)
    made = StockingPlanLine.objects.bulk_create(
        [StockingPlanLine(plan=plan, **values) for values in resolved]
    )
    plan.save(update_fields=["updated_at"])
    audit.record(
        plan,
        actor=actor,
        action="update",
        verb="填写备货明细",
        payload={
            "before": before,
            "after": [
                {"code": (v["part"] or v["product_model"]).code, "quantity": v["quantity"]}
                for v in resolved
            ],
        },
    )
    assert len(made) == len(resolved)
    return plan


def _move(
    plan: StockingPlan, actor: Any, to: str, verb: str, reason: str = "", **payload: Any
) -> None:
    before = plan.state
    plan.state = to
    audit.record(
        plan,
        actor=actor,
        action="transition",
        verb=verb,
        from_state=before,
        to_state=to,
        reason=reason,
        payload=payload,
    )


@transaction.atomic
def submit(*, actor: Any, plan_id: int, now: dt.datetime | None = None) -> StockingPlan:
    """The dealer sends its plan; one sent after the due time is flagged late (for good)."""
    _dealer_actor(actor, "提交备货计划")
    now = now or timezone.now()
    plan = _own_plan(actor, plan_id)
    if plan.state not in EDITABLE_PLAN_STATES:
        raise InvalidTransition(
            Said(
                "备货计划当前状态为「%(get_state_display)s」，不能提交",
                get_state_display=plan.get_state_display(),
            )
        )
    if plan.season.starts_on <= timezone.localdate(now):
        raise ValidationFailed("该旺季已开始，不能再提交备货计划")
    if not plan.lines.filter(archived_at__isnull=True).exists():
        raise ValidationFailed("请先填写备货明细再提交", field="lines")
    late = now > plan.due_at
    plan.submitted_at, plan.submitted_by = now, actor
    plan.late = plan.late or late
    _move(plan, actor, PlanState.SUBMITTED, "提交备货计划", late=late)
    plan.save(update_fields=["state", "submitted_at", "submitted_by", "late", "updated_at"])
    deadlines.complete(plan, step=STEP_SUBMIT, at=now)
    return plan


@transaction.atomic
def review(
    *, actor: Any, plan_id: int, approve: bool, note: str = "", now: dt.datetime | None = None
) -> StockingPlan:
    """The company approves the plan, or returns it with a reason (the dealer's deadline
    opens again with the same due time)."""
    _company(actor, "审核备货计划")
    now = now or timezone.now()
    plan = _own_plan(actor, plan_id)
    if plan.state != PlanState.SUBMITTED:
        raise InvalidTransition(
            Said(
                "备货计划当前状态为「%(get_state_display)s」，不能审核",
                get_state_display=plan.get_state_display(),
            )
        )
    note = note.strip()[:300]
    if not approve and len(note) < 4:
        raise ValidationFailed("退回须说明原因（至少4个字）", field="note")
    plan.reviewed_at, plan.reviewed_by, plan.review_note = now, actor, note
    target = PlanState.APPROVED if approve else PlanState.RETURNED
    _move(plan, actor, target, "审核备货计划", reason=note, approve=approve)
    plan.save(update_fields=["state", "reviewed_at", "reviewed_by", "review_note", "updated_at"])
    if not approve:
        deadlines.start(
            plan,
            step=STEP_SUBMIT,
            rule_code=STOCKING,
            starts_at=now,
            due_at=plan.due_at,
            owner=_owner(plan.dealer),
        )
    return plan
