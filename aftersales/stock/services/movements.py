"""Movements: the only way stock changes (SPEC §11). Each service posts one numbered document
with its lines and one audit row, inside one transaction.

Never negative, also under concurrency: the stock rows a movement takes from are locked
(``SELECT … FOR UPDATE``, in one order: part, lot date, lot, bin) and each is decremented by
a conditional ``UPDATE … SET quantity = quantity - n WHERE quantity >= n``; the database's
check constraint is the last net. Quantities are never read, changed in Python and saved.
Issues take the oldest lot first (FIFO); the cost of each line is its lot's."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aftersales.approvals import inputs
from aftersales.catalog.models import Part
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.stock.models import (
    PARTS_STORES,
    Bin,
    Lot,
    LotSource,
    Movement,
    MovementKind,
    MovementLine,
    StockLevel,
    Warehouse,
    WarehouseKind,
)

PREFIX = {
    MovementKind.RECEIPT: "RK",
    MovementKind.ISSUE: "CK",
    MovementKind.TRANSFER: "DB",
    MovementKind.TECH_RETURN: "TK",
    MovementKind.SCRAP: "BF",
    MovementKind.ADJUSTMENT: "PD",
}
LOT_PREFIX = "PC"


class InsufficientStock(Conflict):
    code = "insufficient_stock"


@dataclass
class ReceiptLine:
    quantity: Any
    unit_cost: Any
    part_id: int | None = None
    part_code: str = ""
    bin_id: int | None = None
    received_at: dt.datetime | None = None  # the lot's date; now when not given
    supplier_lot: str = ""


@dataclass
class OutLine:
    """A quantity of a part taken from a warehouse (FIFO unless a lot is named)."""

    quantity: Any
    part_id: int | None = None
    part_code: str = ""
    lot_id: int | None = None
    from_bin_id: int | None = None
    to_bin_id: int | None = None


@dataclass
class CountLine:
    """A counted quantity of one stock row (lot at a bin): the difference is posted."""

    counted: Any
    lot_id: int
    bin_id: int | None = None


# ---------------------------------------------------------------- input


def quantity(value: Any, *, field: str = "quantity", allow_zero: bool = False) -> int:
    text = str(value).strip() if value is not None else ""
    if "," in text or "，" in text:
        raise ValidationFailed(
            Said("数量格式错误：「%(text)s」含逗号，请填写整数，如 1000", text=text), field=field
        )
    if allow_zero and re.fullmatch(r"0+", text):
        return 0
    return inputs.quantity(value, field=field)


def part_of(part_id: int | None, part_code: str, *, field: str, row: str = "") -> Part:
    """A part by id or code (not archived); a clear Chinese error otherwise."""
    qs = Part.objects.filter(archived_at__isnull=True)
    if part_id:
        part = qs.filter(pk=part_id).first()
    elif part_code.strip():
        part = qs.filter(code__iexact=part_code.strip()[:30]).first()
    else:
        raise ValidationFailed(Said("%(row)s请填写配件", row=row), field=field)
    if part is None:
        raise ValidationFailed(Said("%(row)s配件不存在", row=row), field=field)
    return part


def _part(line: ReceiptLine | OutLine, index: int) -> Part:
    return part_of(
        line.part_id,
        line.part_code,
        field=f"lines[{index}].part",
        row=Said("第%(v1)s行：", v1=index + 1),
    )


def _warehouse(actor: Any, pk: int | None, *, field: str, label: str) -> Warehouse:
    if not pk:
        raise ValidationFailed(Said("请选择%(label)s", label=label), field=field)
    try:
        wh: Warehouse = get_visible(
            Warehouse.objects.filter(archived_at__isnull=True), actor, pk=pk
        )
    except NotFound as exc:
        raise NotFound(Said("%(label)s不存在或无权使用", label=label), field=field) from exc
    return wh


def bin_of(warehouse: Warehouse, pk: int | None, *, field: str) -> Bin | None:
    if not pk:
        return None
    found = Bin.objects.filter(pk=pk, warehouse=warehouse, archived_at__isnull=True).first()
    if found is None:
        raise ValidationFailed(
            Said("库位不存在（%(name)s没有编号为 %(pk)s 的库位）", name=warehouse.name, pk=pk),
            field=field,
        )
    return found


def _require_poster(actor: Any, *, own_van: Warehouse | None = None) -> None:
    """仓管 and those granted ``add_movement`` post any movement; a technician posts only
    from his own van (``own_van``)."""
    if actor is not None and actor.has_perm("stock.add_movement"):
        return
    if own_van is not None and own_van.technician_id == getattr(actor, "pk", None):
        return
    raise PermissionDenied("无权办理库存单据")


def _lines_needed(lines: list[Any]) -> None:
    if not lines:
        raise ValidationFailed("请至少填写一行明细", field="lines")
    if len(lines) > 200:
        raise ValidationFailed("一张单据最多200行明细", field="lines")


# ---------------------------------------------------------------- primitives


def _put(warehouse: Warehouse, bin_: Bin | None, lot: Lot, n: int) -> None:
    level, _ = StockLevel.objects.get_or_create(
        warehouse=warehouse, bin=bin_, lot=lot, defaults={"part_id": lot.part_id}
    )
    StockLevel.objects.filter(pk=level.pk).update(quantity=F("quantity") + n)


def _take(
    warehouse: Warehouse,
    part: Part,
    n: int,
    *,
    lot_id: int | None = None,
    bin_id: int | None = None,
    partial: bool = False,
) -> list[tuple[StockLevel, int]]:
    """Lock the part's stock rows in the warehouse, oldest lot first, and take ``n`` units
    from them; ``InsufficientStock`` (nothing taken) when they hold fewer — or, ``partial``,
    take what there is."""
    qs = StockLevel.objects.filter(warehouse=warehouse, part=part, quantity__gt=0)
    if lot_id:
        qs = qs.filter(lot_id=lot_id)
    if bin_id:
        qs = qs.filter(bin_id=bin_id)
    rows = list(
        qs.select_related("lot", "bin")
        .select_for_update(of=("self",))
        .order_by("lot__received_at", "lot_id", "bin__zone", "bin__shelf", "bin__level", "id")
    )
    available = sum(r.quantity for r in rows)
    if partial:
        n = min(n, available)
    elif available < n:
        raise InsufficientStock(
            Said(
                "库存不足：%(name)s 的 %(code)s %(name2)s 现有 %(available)s%(unit)s，需要 %(n)s%(unit)s",
                name=warehouse.name,
                code=part.code,
                name2=part.name,
                available=available,
                unit=part.unit,
                n=n,
            ),
            field="quantity",
            details={"part": part.code, "available": available, "needed": n},
        )
    taken: list[tuple[StockLevel, int]] = []
    left = n
    for row in rows:
        if left == 0:
            break
        k = min(left, row.quantity)
        done = StockLevel.objects.filter(pk=row.pk, quantity__gte=k).update(
            quantity=F("quantity") - k
        )
        if done != 1:  # cannot happen under the row lock; refuse rather than go negative
            raise InsufficientStock(
                Said("库存不足：%(code)s %(name)s", code=part.code, name=part.name),
                field="quantity",
            )
        taken.append((row, k))
        left -= k
    return taken


@dataclass(frozen=True)
class _Doc:
    """What every document carries besides its lines: who, why, what for, when."""

    actor: Any
    now: dt.datetime
    reason: str = ""
    reference: str = ""
    source_key: str = ""


def _doc(
    actor: Any,
    now: dt.datetime | None,
    reason: str = "",
    reference: str = "",
    source_key: str = "",
) -> _Doc:
    return _Doc(actor, now or timezone.now(), reason or "", reference or "", source_key)


def _document(
    kind: str,
    doc: _Doc,
    *,
    from_wh: Warehouse | None = None,
    to_wh: Warehouse | None = None,
) -> Movement:
    if len(doc.reason) > 200:
        raise ValidationFailed("事由不能超过200字", field="reason")
    if len(doc.reference) > 40:
        raise ValidationFailed("关联单据不能超过40字", field="reference")
    return Movement.objects.create(
        number=next_number(PREFIX[MovementKind(kind)], on=doc.now),
        kind=kind,
        from_warehouse=from_wh,
        to_warehouse=to_wh,
        reason=doc.reason.strip(),
        reference=doc.reference.strip(),
        source_key=doc.source_key,
        posted_at=doc.now,
        posted_by=doc.actor if getattr(doc.actor, "pk", None) else None,
    )


def _line(
    mv: Movement,
    lot: Lot,
    n: int,
    *,
    from_bin: Bin | None = None,
    to_bin: Bin | None = None,
) -> MovementLine:
    return MovementLine(
        movement=mv,
        part_id=lot.part_id,
        lot=lot,
        quantity=n,
        from_bin=from_bin,
        to_bin=to_bin,
        unit_cost=lot.unit_cost,
        amount=(lot.unit_cost * n).quantize(Decimal("0.01")),
    )


def _signed_line(mv: Movement, lot: Lot, delta: int, bin_: Bin | None) -> MovementLine:
    """A count adjustment line: a gain (盘盈) comes in at the bin, a loss (盘亏) leaves it."""
    if delta > 0:
        return _line(mv, lot, delta, to_bin=bin_)
    return _line(mv, lot, delta, from_bin=bin_)


def _finish(mv: Movement, lines: list[MovementLine], *, actor: Any) -> Movement:
    MovementLine.objects.bulk_create(lines)
    audit.record(
        mv,
        actor=actor,
        action="create",
        verb=f"stock_{mv.kind}",
        after=audit.snapshot(mv),
        payload={
            "lines": [
                {
                    "part": ln.part_id,
                    "lot": ln.lot_id,
                    "quantity": ln.quantity,
                    "from_bin": ln.from_bin_id,
                    "to_bin": ln.to_bin_id,
                    "unit_cost": str(ln.unit_cost),
                }
                for ln in lines
            ]
        },
    )
    return mv


def existing(source_key: str) -> Movement | None:
    if not source_key:
        return None
    found: Movement | None = Movement.objects.filter(source_key=source_key).first()
    return found


def _once(source_key: str, post: Any) -> Movement:
    """Post once per ``source_key``: a repeat (or a concurrent twin) returns the first."""
    if not source_key:
        result: Movement = post()
        return result
    try:
        with transaction.atomic():
            result = post()
            return result
    except IntegrityError:
        again = existing(source_key)
        if again is None:
            raise
        return again


# ---------------------------------------------------------------- documents


@transaction.atomic
def receive(
    *,
    actor: Any,
    warehouse_id: int,
    lines: list[ReceiptLine],
    source: str = LotSource.PURCHASE,
    reason: str = "",
    reference: str = "",
    source_key: str = "",
    check: bool = True,
    now: dt.datetime | None = None,
) -> Movement:
    """入库: each line is a new lot (its date and unit cost kept) put at a bin. The public
    receipt service of the stock (purchases, parts-request receipt checks, reusable old
    parts): ``check=False`` for consequences of another document (no permission check),
    ``source_key`` posts once."""
    doc = _doc(actor, now, reason, reference, source_key)
    if (found := existing(source_key)) is not None:
        return found
    wh = _place(actor, warehouse_id, check=check, field="warehouse_id", label="接收仓库")
    if source not in LotSource.values:
        raise ValidationFailed("入库来源无效", field="source")
    _lines_needed(lines)
    parsed = []
    for i, ln in enumerate(lines):
        parsed.append(
            (
                _part(ln, i),
                quantity(ln.quantity, field=f"lines[{i}].quantity"),
                inputs.money(ln.unit_cost, field=f"lines[{i}].unit_cost", label="单位成本"),
                bin_of(wh, ln.bin_id, field=f"lines[{i}].bin_id"),
                ln,
            )
        )

    def post() -> Movement:
        mv = _document(MovementKind.RECEIPT, doc, to_wh=wh)
        out = []
        for part, n, cost, bin_, ln in parsed:
            lot = Lot.objects.create(
                number=next_number(LOT_PREFIX, on=doc.now),
                part=part,
                received_at=ln.received_at or doc.now,
                unit_cost=cost,
                source=source,
                supplier_lot=ln.supplier_lot.strip()[:50],
            )
            _put(wh, bin_, lot, n)
            out.append(_line(mv, lot, n, to_bin=bin_))
        return _finish(mv, out, actor=actor)

    return _once(source_key, post)


def _place(actor: Any, pk: int, *, check: bool, field: str, label: str) -> Warehouse:
    """The warehouse a document posts at: visible to the actor, who may post (``check``);
    any warehouse for consequences of other documents."""
    if not check:
        return Warehouse.objects.get(pk=pk)
    wh = _warehouse(actor, pk, field=field, label=label)
    _require_poster(actor)
    return wh


def _take_lines(
    wh: Warehouse, lines: list[OutLine]
) -> list[tuple[Part, int, OutLine, list[tuple[StockLevel, int]]]]:
    parsed = [
        (_part(ln, i), quantity(ln.quantity, field=f"lines[{i}].quantity"), ln, i)
        for i, ln in enumerate(lines)
    ]
    for _, _, ln, i in parsed:
        bin_of(wh, ln.from_bin_id, field=f"lines[{i}].from_bin_id")
    out = []
    # one lock order for every movement (part, then lot date): no deadlock between two
    for part, n, ln, _ in sorted(parsed, key=lambda p: (p[0].pk, p[3])):
        out.append((part, n, ln, _take(wh, part, n, lot_id=ln.lot_id, bin_id=ln.from_bin_id)))
    return out


@transaction.atomic
def issue(
    *,
    actor: Any,
    warehouse_id: int,
    lines: list[OutLine],
    reason: str = "",
    reference: str = "",
    source_key: str = "",
    check: bool = True,
    now: dt.datetime | None = None,
) -> Movement:
    """出库 (to a work order's report, a parts request shipment…): oldest lots first."""
    doc = _doc(actor, now, reason, reference, source_key)
    return _out(MovementKind.ISSUE, doc, warehouse_id, lines, check=check)


@transaction.atomic
def scrap(
    *,
    actor: Any,
    warehouse_id: int,
    lines: list[OutLine],
    reason: str,
    reference: str = "",
    now: dt.datetime | None = None,
) -> Movement:
    """报废: the reason is required."""
    if not (reason or "").strip():
        raise ValidationFailed("请填写报废原因", field="reason")
    return _out(MovementKind.SCRAP, _doc(actor, now, reason, reference), warehouse_id, lines)


def _out(
    kind: str, doc: _Doc, warehouse_id: int, lines: list[OutLine], *, check: bool = True
) -> Movement:
    if (found := existing(doc.source_key)) is not None:
        return found
    wh = _place(doc.actor, warehouse_id, check=check, field="warehouse_id", label="发出仓库")
    _lines_needed(lines)

    def post() -> Movement:
        # stock first, the number after: the day's number row is locked until commit, and
        # must not be what keeps two movements apart
        taken = [t for _, _, _, rows in _take_lines(wh, lines) for t in rows]
        mv = _document(kind, doc, from_wh=wh)
        out = [_line(mv, row.lot, k, from_bin=row.bin) for row, k in taken]
        return _finish(mv, out, actor=doc.actor)

    return _once(doc.source_key, post)


@transaction.atomic
def transfer(
    *,
    actor: Any,
    from_warehouse_id: int,
    to_warehouse_id: int,
    lines: list[OutLine],
    reason: str = "",
    reference: str = "",
    source_key: str = "",
    check: bool = True,
    now: dt.datetime | None = None,
) -> Movement:
    """调拨 (store → van, store → store): the lots move with their dates and costs.
    ``check=False`` and ``source_key`` as for ``receive``."""
    doc = _doc(actor, now, reason, reference, source_key)
    if (found := existing(source_key)) is not None:
        return found
    src = _place(actor, from_warehouse_id, check=check, field="from_warehouse_id", label="发出仓库")
    dst = _place(actor, to_warehouse_id, check=check, field="to_warehouse_id", label="接收仓库")
    return _once(source_key, lambda: _move(MovementKind.TRANSFER, doc, src, dst, lines))


@transaction.atomic
def tech_return(
    *,
    actor: Any,
    van_id: int,
    to_warehouse_id: int,
    lines: list[OutLine],
    reason: str = "",
    now: dt.datetime | None = None,
) -> Movement:
    """工程师退库: parts go back from a technician's van to a store; the technician may post
    it for his own van."""
    src = _warehouse(actor, van_id, field="from_warehouse_id", label="发出仓库")
    if src.kind != WarehouseKind.VAN:
        raise ValidationFailed("工程师退库须从车载库发出", field="from_warehouse_id")
    _require_poster(actor, own_van=src)
    try:
        dst = Warehouse.objects.get(pk=to_warehouse_id, archived_at__isnull=True)
    except Warehouse.DoesNotExist as exc:
        raise NotFound("接收仓库不存在", field="to_warehouse_id") from exc
    if dst.kind == WarehouseKind.VAN:
        raise ValidationFailed("工程师退库须退回仓库，不能退到车载库", field="to_warehouse_id")
    if dst.kind not in PARTS_STORES:
        raise ValidationFailed("工程师退库须退回配件仓库", field="to_warehouse_id")
    return _move(MovementKind.TECH_RETURN, _doc(actor, now, reason), src, dst, lines)


def _move(kind: str, doc: _Doc, src: Warehouse, dst: Warehouse, lines: list[OutLine]) -> Movement:
    if src.pk == dst.pk:
        raise ValidationFailed("发出仓库与接收仓库不能相同", field="to_warehouse_id")
    _lines_needed(lines)
    to_bins = [
        bin_of(dst, ln.to_bin_id, field=f"lines[{i}].to_bin_id") for i, ln in enumerate(lines)
    ]
    bins_by_line = {id(ln): b for ln, b in zip(lines, to_bins, strict=True)}
    taken = _take_lines(src, lines)
    mv = _document(kind, doc, from_wh=src, to_wh=dst)
    out = []
    for _, _, ln, rows in taken:
        for row, k in rows:
            to_bin = bins_by_line[id(ln)]
            _put(dst, to_bin, row.lot, k)
            out.append(_line(mv, row.lot, k, from_bin=row.bin, to_bin=to_bin))
    return _finish(mv, out, actor=doc.actor)


@transaction.atomic
def adjust(
    *,
    actor: Any,
    warehouse_id: int,
    lines: list[CountLine],
    reason: str,
    reference: str = "",
    now: dt.datetime | None = None,
) -> Movement:
    """盘点调整: each line's counted quantity replaces the book quantity of that lot at that
    bin; the differences (盘盈 +, 盘亏 −) are the movement's lines."""
    doc = _doc(actor, now, reason, reference)
    wh = _place(actor, warehouse_id, check=True, field="warehouse_id", label="仓库")
    if not doc.reason.strip():
        raise ValidationFailed("请填写调整原因", field="reason")
    _lines_needed(lines)
    parsed = []
    for i, ln in enumerate(lines):
        counted = quantity(ln.counted, field=f"lines[{i}].counted", allow_zero=True)
        lot = Lot.objects.filter(pk=ln.lot_id).first()
        if lot is None:
            raise ValidationFailed(
                Said("第%(v1)s行：批次不存在", v1=i + 1), field=f"lines[{i}].lot_id"
            )
        parsed.append((lot, bin_of(wh, ln.bin_id, field=f"lines[{i}].bin_id"), counted))
    mv = _document(MovementKind.ADJUSTMENT, doc, from_wh=wh, to_wh=wh)
    out = []
    for lot, bin_, counted in sorted(parsed, key=lambda p: (p[0].part_id, p[0].pk)):
        level, _ = StockLevel.objects.get_or_create(
            warehouse=wh, bin=bin_, lot=lot, defaults={"part_id": lot.part_id}
        )
        # the counted figure is absolute: lock the row, post the difference to it
        book = (
            StockLevel.objects.select_for_update()
            .values_list("quantity", flat=True)
            .get(pk=level.pk)
        )
        delta = counted - book
        if delta == 0:
            continue
        StockLevel.objects.filter(pk=level.pk, quantity=book).update(quantity=F("quantity") + delta)
        out.append(_signed_line(mv, lot, delta, bin_))
    if not out:
        raise ValidationFailed("盘点数量与账面一致，无需调整", field="lines")
    return _finish(mv, out, actor=actor)


def issue_available(
    *,
    actor: Any,
    warehouse: Warehouse,
    wanted: list[tuple[Part, int]],
    reason: str,
    reference: str,
    source_key: str,
    now: dt.datetime,
) -> tuple[Movement | None, dict[int, int]]:
    """Issue what the warehouse holds of each wanted part (FIFO) in one document; returns it
    (``None`` when nothing was there) and the issued quantity per part. For consequences
    of other documents (a filed report): no permission check, posted once per source."""
    taken: list[tuple[StockLevel, int]] = []
    issued: dict[int, int] = {}
    for part, n in sorted(wanted, key=lambda w: w[0].pk):
        rows = _take(warehouse, part, n, partial=True)
        issued[part.pk] = issued.get(part.pk, 0) + sum(k for _, k in rows)
        taken += rows
    if not taken:
        return None, issued
    doc = _doc(actor, now, reason, reference, source_key)
    mv = _document(MovementKind.ISSUE, doc, from_wh=warehouse)
    lines = [_line(mv, row.lot, k, from_bin=row.bin) for row, k in taken]
    return _finish(mv, lines, actor=actor), issued


def post_count(
    *,
    actor: Any,
    warehouse: Warehouse,
    variances: list[tuple[StockLevel, int]],
    reason: str,
    reference: str,
    source_key: str,
    now: dt.datetime | None = None,
) -> Movement:
    """An approved count's variances as one adjustment, once per count (``source_key``):
    each is added to the stock as it is now (盘盈 +, 盘亏 −); a loss larger than what is
    left refuses the whole posting (the stock moved during the count: count again)."""
    doc = _doc(actor, now, reason, reference, source_key)

    def post() -> Movement:
        mv = _document(MovementKind.ADJUSTMENT, doc, from_wh=warehouse, to_wh=warehouse)
        out = []
        for level, delta in sorted(variances, key=lambda v: v[0].pk):
            rows = StockLevel.objects.filter(pk=level.pk)
            if delta < 0:
                rows = rows.filter(quantity__gte=-delta)
            if rows.update(quantity=F("quantity") + delta) != 1:
                raise InsufficientStock(
                    Said(
                        "%(code)s 批次%(number)s：库存已变动，现有数量不足以过账盘亏 %(v4)s，请重新盘点",
                        code=level.part.code,
                        number=level.lot.number,
                        v4=-delta,
                    )
                )
            out.append(_signed_line(mv, level.lot, delta, level.bin))
        if not out:
            raise ValidationFailed("没有盘点差异", field="lines")
        return _finish(mv, out, actor=actor)

    return _once(source_key, post)
