"""Stock counts (盘点): open a count sheet for a location (the book quantities at that
moment are kept), enter the counted quantities blind, submit the variances to the approval
flow ``stock_count`` (its steps and roles are data), and only the approval posts them — as
one adjustment movement, relative to the book at opening, so stock that moved during the
count is not overwritten. Returned for changes → counting again; rejected → nothing posted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aftersales.approvals.models import ApprovalRequest
from aftersales.approvals.services import engine
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.stock.models import (
    OPEN_STATES,
    Bin,
    CountState,
    Lot,
    LotSource,
    StockCount,
    StockCountLine,
    StockLevel,
    Warehouse,
)
from aftersales.stock.services import movements as mv

C = CountState
FLOW = "stock_count"
MAX_ENTRIES = 500


def _may_count(actor: Any, warehouse: Warehouse) -> None:
    """仓管 (and those granted ``add_stockcount``) count any location; a technician counts
    his own van."""
    if actor.has_perm("stock.add_stockcount"):
        return
    if warehouse.technician_id and warehouse.technician_id == getattr(actor, "pk", None):
        return
    raise PermissionDenied("无权办理盘点")


def _lock(actor: Any, count: StockCount | int) -> StockCount:
    pk = count.pk if isinstance(count, StockCount) else int(count)
    try:
        found: StockCount = get_visible(
            StockCount.objects.select_for_update(of=("self",)).select_related("warehouse"),
            actor,
            pk=pk,
        )
    except NotFound as exc:
        raise NotFound("盘点单不存在或无权查看") from exc
    return found


def _move(
    count: StockCount,
    to: str,
    *,
    actor: Any,
    now: dt.datetime,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    **fields: Any,
) -> None:
    before = count.state
    StockCount.objects.filter(pk=count.pk).update(state=to, updated_at=now, **fields)
    for name, value in fields.items():
        setattr(count, name, value)
    count.state = to
    audit.record(
        count,
        actor=actor,
        action="transition",
        verb=f"count_{to}",
        from_state=before,
        to_state=to,
        reason=reason,
        payload=payload,
        at=now,
    )


def sheet_lines(count: StockCount) -> Any:
    """The count sheet in walking order: zone, shelf, level, then part and lot age."""
    return count.lines.select_related("level__bin", "level__part", "level__lot").order_by(
        "level__bin__zone",
        "level__bin__shelf",
        "level__bin__level",
        "level__part__code",
        "level__lot__received_at",
        "id",
    )


@transaction.atomic
def open_count(
    *, actor: Any, warehouse_id: int, note: str = "", now: dt.datetime | None = None
) -> StockCount:
    now = now or timezone.now()
    try:
        wh = get_visible(Warehouse.objects.filter(archived_at__isnull=True), actor, pk=warehouse_id)
    except NotFound as exc:
        raise NotFound("仓库不存在或无权使用", field="warehouse_id") from exc
    _may_count(actor, wh)
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationFailed("备注不能超过200字", field="note")
    levels = list(
        StockLevel.objects.filter(warehouse=wh, quantity__gt=0).values_list("pk", "quantity")
    )
    if not levels:
        raise ValidationFailed(
            Said("%(name)s没有库存，无需盘点", name=wh.name), field="warehouse_id"
        )
    try:
        with transaction.atomic():
            count = StockCount.objects.create(
                number=next_number("PDB", on=now),
                warehouse=wh,
                opened_at=now,
                opened_by=actor,
                note=note,
            )
    except IntegrityError as exc:
        raise Conflict(Said("%(name)s已有进行中的盘点", name=wh.name), code="count_open") from exc
    StockCountLine.objects.bulk_create(
        [StockCountLine(count=count, level_id=pk, book=qty) for pk, qty in levels]
    )
    audit.record(
        count,
        actor=actor,
        action="create",
        after=audit.snapshot(count),
        payload={"lines": len(levels)},
        at=now,
    )
    return count


@transaction.atomic
def enter(
    *,
    actor: Any,
    count: StockCount | int,
    entries: list[tuple[int, Any]],
    now: dt.datetime | None = None,
) -> StockCount:
    """Counted quantities by line (blind: the book is not shown while counting). A line may
    be entered again until the sheet is submitted."""
    now = now or timezone.now()
    found = _lock(actor, count)
    _may_count(actor, found.warehouse)
    if found.state != C.COUNTING:
        raise Conflict(
            Said(
                "盘点单%(number)s当前状态为「%(get_state_display)s」，不能录入",
                number=found.number,
                get_state_display=found.get_state_display(),
            ),
            code="count_state",
        )
    if not entries:
        raise ValidationFailed("请至少录入一行", field="entries")
    if len(entries) > MAX_ENTRIES:
        raise ValidationFailed(
            Said("一次最多录入%(MAX_ENTRIES)s行", MAX_ENTRIES=MAX_ENTRIES), field="entries"
        )
    ids = {line_id for line_id, _ in entries}
    lines = {ln.pk: ln for ln in found.lines.filter(pk__in=ids)}
    parsed: dict[int, int] = {}
    for i, (line_id, value) in enumerate(entries):
        if line_id not in lines:
            raise ValidationFailed(
                Said("第%(v1)s行：不是本盘点单的明细", v1=i + 1), field=f"entries[{i}].line_id"
            )
        parsed[line_id] = mv.quantity(value, field=f"entries[{i}].counted", allow_zero=True)
    for line_id, counted in parsed.items():
        StockCountLine.objects.filter(pk=line_id).update(
            counted=counted, counted_at=now, counted_by=actor, updated_at=now
        )
    audit.record(
        found,
        actor=actor,
        action="action",
        verb="count_entered",
        payload={"entries": {str(k): v for k, v in parsed.items()}},
        at=now,
    )
    return found


@transaction.atomic
def add_found(
    *,
    actor: Any,
    count: StockCount | int,
    counted: Any,
    part_id: int | None = None,
    part_code: str = "",
    bin_id: int | None = None,
    bin_code: str = "",
    now: dt.datetime | None = None,
) -> StockCountLine:
    """A part found where the book has no line for it (盘盈无账): the counter adds it with
    its bin and counted quantity. It becomes a line with book 0 on a new lot (source 盘盈,
    at the part's unit cost, dated now) whose stock row holds nothing until the approved
    count posts the gain; nothing moves before."""
    now = now or timezone.now()
    found = _lock(actor, count)
    _may_count(actor, found.warehouse)
    if found.state != C.COUNTING:
        raise Conflict(
            Said(
                "盘点单%(number)s当前状态为「%(get_state_display)s」，不能录入",
                number=found.number,
                get_state_display=found.get_state_display(),
            ),
            code="count_state",
        )
    part = mv.part_of(part_id, part_code, field="part_code")
    n = mv.quantity(counted, field="counted")
    wh = found.warehouse
    if bin_code.strip() and not bin_id:
        by_code = Bin.objects.filter(
            warehouse=wh, code__iexact=bin_code.strip()[:40], archived_at__isnull=True
        ).first()
        if by_code is None:
            raise ValidationFailed(
                Said(
                    "库位不存在（%(name)s没有库位「%(v3)s」）",
                    name=wh.name,
                    v3=bin_code.strip()[:40],
                ),
                field="bin_code",
            )
        bin_id = by_code.pk
    bin_ = mv.bin_of(wh, bin_id, field="bin_id")
    if found.lines.filter(level__part=part, level__bin=bin_).exists():
        raise Conflict(
            Said(
                "%(v0)s已有%(code)s的盘点行，请在该行录入实盘数量",
                v0=bin_ or wh.name,
                code=part.code,
            ),
            code="count_line_exists",
        )
    lot = Lot.objects.create(
        number=next_number(mv.LOT_PREFIX, on=now),
        part=part,
        received_at=now,
        unit_cost=part.unit_cost,
        source=LotSource.COUNT,
    )
    level = StockLevel.objects.create(warehouse=wh, bin=bin_, part=part, lot=lot, quantity=0)
    line = StockCountLine.objects.create(
        count=found, level=level, book=0, counted=n, counted_at=now, counted_by=actor
    )
    audit.record(
        found,
        actor=actor,
        action="action",
        verb="count_found",
        payload={"line": line.pk, "part": part.code, "bin": str(bin_ or ""), "counted": n},
        at=now,
    )
    return line


def variances(count: StockCount) -> list[StockCountLine]:
    return [ln for ln in sheet_lines(count) if ln.counted is not None and ln.counted != ln.book]


def variance_value(lines: list[StockCountLine]) -> Decimal:
    return sum(((ln.counted or 0) - ln.book) * ln.level.lot.unit_cost for ln in lines) or Decimal(
        "0.00"
    )


@transaction.atomic
def submit(*, actor: Any, count: StockCount | int, now: dt.datetime | None = None) -> StockCount:
    """All lines counted → the variances go to approval; none → the count is done."""
    now = now or timezone.now()
    found = _lock(actor, count)
    _may_count(actor, found.warehouse)
    if found.state != C.COUNTING:
        raise Conflict(
            Said(
                "盘点单%(number)s当前状态为「%(get_state_display)s」，不能提交",
                number=found.number,
                get_state_display=found.get_state_display(),
            ),
            code="count_state",
        )
    missing = found.lines.filter(counted__isnull=True).count()
    if missing:
        raise ValidationFailed(Said("还有%(missing)s行未盘点", missing=missing), field="entries")
    diff = variances(found)
    if not diff:
        _move(
            found,
            C.NO_VARIANCE,
            actor=actor,
            now=now,
            submitted_at=now,
            submitted_by=actor,
            closed_at=now,
        )
        _counted(found)
        return found
    value = variance_value(diff)
    _move(
        found,
        C.SUBMITTED,
        actor=actor,
        now=now,
        payload={"variance_lines": len(diff), "variance_value": str(value)},
        submitted_at=now,
        submitted_by=actor,
    )
    engine.submit(
        actor=actor,
        document=found,
        flow_code=FLOW,
        title=Said(
            "%(name)s 盘点差异 %(diff)s 行，金额 %(value)s 元",
            name=found.warehouse.name,
            diff=len(diff),
            value=value,
        ),
        amount=abs(value),
        now=now,
    )
    return found


@transaction.atomic
def cancel(
    *, actor: Any, count: StockCount | int, reason: str, now: dt.datetime | None = None
) -> StockCount:
    now = now or timezone.now()
    found = _lock(actor, count)
    _may_count(actor, found.warehouse)
    why = (reason or "").strip()
    if not why:
        raise ValidationFailed("请填写作废原因", field="reason")
    if len(why) > 200:
        raise ValidationFailed("作废原因不能超过200字", field="reason")
    if found.state != C.COUNTING:
        raise Conflict(
            Said(
                "盘点单%(number)s当前状态为「%(get_state_display)s」，不能作废",
                number=found.number,
                get_state_display=found.get_state_display(),
            ),
            code="count_state",
        )
    _move(found, C.CANCELLED, actor=actor, now=now, reason=why, closed_at=now)
    return found


# ------------------------------------------------------------ approval outcomes


def _approved(document: Any, actor: Any, request: ApprovalRequest, now: dt.datetime) -> None:
    count = StockCount.objects.select_for_update().select_related("warehouse").get(pk=document.pk)
    if count.state != C.SUBMITTED:
        raise Conflict("盘点单不在待审批状态", code="count_state")
    diff = variances(count)
    doc = mv.post_count(
        actor=actor,
        warehouse=count.warehouse,
        variances=[(ln.level, (ln.counted or 0) - ln.book) for ln in diff],
        reason=Said("盘点差异（盘点单 %(number)s）", number=count.number),
        reference=count.number,
        source_key=f"count:{count.pk}",
        now=now,
    )
    _move(
        count,
        C.POSTED,
        actor=actor,
        now=now,
        payload={"approval_request": request.pk, "adjustment": doc.number},
        adjustment=doc,
        closed_at=now,
    )
    _counted(count)


def _comment(request: ApprovalRequest) -> str:
    task = request.tasks.exclude(comment="").order_by("-decided_at").first()
    return task.comment if task else ""


def _rejected(document: Any, actor: Any, request: ApprovalRequest, now: dt.datetime) -> None:
    count = StockCount.objects.select_for_update().get(pk=document.pk)
    _move(count, C.REJECTED, actor=actor, now=now, reason=_comment(request), closed_at=now)


def _returned(document: Any, actor: Any, request: ApprovalRequest, now: dt.datetime) -> None:
    """Back to counting: the counter recounts the lines in question and submits again."""
    count = StockCount.objects.select_for_update().get(pk=document.pk)
    _move(count, C.COUNTING, actor=actor, now=now, reason=_comment(request))


def register() -> None:
    engine.register_handler(
        "stock.stockcount",
        engine.Handler(approved=_approved, rejected=_rejected, returned=_returned),
    )


# ------------------------------------------------------------ the monthly count's deadline
# SPEC §11 "monthly stock count": each location holding stock is counted once a month. The
# deadline engine carries it — one deadline per location and month (document: the
# warehouse, step ``monthly_count:YYYY-MM``), due the rule's amount before the month's end,
# reminded and escalated by ``deadlines.process_due``; done when a count opened in that
# month is finished (no variance, or its variances approved and posted) — at the time the
# counting was submitted, so the approver's pace does not make the keeper late.


def month_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The local month containing ``now``: its first moment and the next month's."""
    local = timezone.localtime(now)
    first = local.date().replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=tz),
        dt.datetime.combine(following, dt.time(), tzinfo=tz),
    )


def month_step(moment: dt.datetime) -> str:
    return f"monthly_count:{timezone.localtime(moment):%Y-%m}"


def monthly_due(now: dt.datetime) -> dt.datetime:
    """When this month's count is due: the rule's amount (days, or hours) before the end."""
    from aftersales.approvals.services import deadlines
    from aftersales.stock.defaults import MONTHLY_COUNT

    rule = deadlines.rule(MONTHLY_COUNT)
    lead = (
        dt.timedelta(hours=float(rule.amount))
        if rule.unit == "hours"
        else dt.timedelta(days=float(rule.amount))
    )
    start, end = month_bounds(now)
    return max(start, end - lead)


def _finished_in(warehouse: Warehouse, start: dt.datetime, end: dt.datetime) -> Any:
    """The first finished count of ``warehouse`` opened in [start, end)."""
    return (
        StockCount.objects.filter(
            warehouse=warehouse,
            state__in=(C.POSTED, C.NO_VARIANCE),
            opened_at__gte=start,
            opened_at__lt=end,
        )
        .order_by("submitted_at", "id")
        .first()
    )


def monthly_deadlines(now: dt.datetime | None = None) -> int:
    """Open this month's count deadline of every location holding stock (once: an existing
    one is left as it is); a location already counted this month gets it done; a location
    without stock has nothing to count — its open deadline is cancelled (re-opened when
    stock comes back). Returns how many deadlines were opened. Run daily."""
    from django.contrib.contenttypes.models import ContentType

    from aftersales.approvals.models import Deadline
    from aftersales.approvals.services import deadlines
    from aftersales.stock.defaults import MONTHLY_COUNT

    now = now or timezone.now()
    start, end = month_bounds(now)
    step = month_step(now)
    ct = ContentType.objects.get_for_model(Warehouse)
    existing = {
        d.object_id: d
        for d in Deadline.objects.filter(content_type=ct, step=step).only(
            "object_id", "cancelled_at", "done_at"
        )
    }
    holding = set(
        StockLevel.objects.filter(quantity__gt=0, warehouse__archived_at__isnull=True)
        .order_by()
        .values_list("warehouse_id", flat=True)
        .distinct()
    )
    opened = 0
    for wh in Warehouse.objects.filter(archived_at__isnull=True).select_related("technician"):
        found = existing.get(wh.pk)
        if wh.pk not in holding:
            if (
                found is not None
                and found.is_open
                and not wh.counts.filter(state__in=OPEN_STATES).exists()
            ):
                deadlines.cancel(wh, step=step, at=now)
            continue
        if found is not None and found.cancelled_at is None:
            continue
        with transaction.atomic():
            deadlines.start(
                wh,
                step=step,
                rule_code=MONTHLY_COUNT,
                starts_at=start,
                due_at=monthly_due(now),
                label=Said(
                    "%(name)s %(localtime)s盘点",
                    name=wh.name,
                    localtime=format(timezone.localtime(now), "%Y\u5e74%m\u6708"),
                )[:100],
                owner=wh.technician,
                owner_roles=["warehouse"],
            )
            done = _finished_in(wh, start, end)
            if done is not None:
                deadlines.complete(wh, step=step, at=done.submitted_at or done.closed_at)
        opened += 1
    return opened


def _counted(count: StockCount) -> None:
    """A finished count does its month's count deadline (opened or not yet)."""
    from aftersales.approvals.services import deadlines

    deadlines.complete(
        count.warehouse,
        step=month_step(count.opened_at),
        at=count.submitted_at or count.closed_at or timezone.now(),
    )
