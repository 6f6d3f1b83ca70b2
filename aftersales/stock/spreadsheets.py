"""Excel in and out of the stock (SPEC §11 screens): the import of opening stock (期初库存)
and the export of everything — stock, movement lines, loaners, loans, counts.

The import checks every row first and reports each bad one by its row number; only a clean
sheet is posted, as opening receipts (one per warehouse, 200 lines a document) through the
public receipt service, in one transaction: a bad row writes nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from aftersales.approvals import inputs
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.exports import safe
from aftersales.core.said import Said
from aftersales.core.uploads import identify
from aftersales.core.visibility import visible
from aftersales.stock import selectors
from aftersales.stock.models import (
    Bin,
    Loan,
    LoanerUnit,
    LotSource,
    Movement,
    MovementLine,
    StockCount,
    Warehouse,
)
from aftersales.stock.services import movements

HEADERS = ["仓库编码", "库位编码", "配件编码", "数量", "单位成本", "批次日期", "供应商批号"]
REQUIRED = {"仓库编码", "配件编码", "数量", "单位成本"}
MAX_ROWS = 20_000
MAX_ERRORS = 20
PER_DOCUMENT = 200


def _cell(value: Any) -> Any:
    """Excel hands numbers over as int or float: a whole float is an int, another a decimal
    string (never a float into money)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else str(Decimal(repr(value)))
    if isinstance(value, str):
        return value.strip()
    return value


def _lot_date(value: Any, row: int) -> dt.datetime | None:
    if value in (None, ""):
        return None
    day = inputs.date(value, field=f"rows[{row}].received_at", label="批次日期")
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _rows(fileobj: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    identify(fileobj, {"xlsx"}, field="file")
    try:
        ws = load_workbook(fileobj, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # a damaged workbook is the user's input, not a crash
        raise ValidationFailed("无法读取该Excel文件，请用模板填写后上传", field="file") from exc
    it = ws.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(it, ())]
    missing = [h for h in HEADERS if h in REQUIRED and h not in header]
    if missing:
        raise ValidationFailed(
            Said("缺少列：%(join)s（请使用导入模板）", join="、".join(missing)), field="file"
        )
    out = []
    for number, values in enumerate(it, start=2):
        if number > MAX_ROWS + 1:
            raise ValidationFailed(
                Said("一次最多导入%(MAX_ROWS)s行", MAX_ROWS=MAX_ROWS), field="file"
            )
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h in HEADERS}
        if any(v not in (None, "") for v in row.values()):
            out.append((number, row))
    if not out:
        raise ValidationFailed("表格中没有数据行", field="file")
    return out


def import_opening(
    *, actor: Any, fileobj: IO[bytes], now: dt.datetime | None = None
) -> list[Movement]:
    """期初库存导入: every row checked, then one receipt per warehouse (source 期初库存)."""
    now = now or timezone.now()
    rows = _rows(fileobj)
    places = {w.code.upper(): w for w in visible(Warehouse, actor).filter(archived_at__isnull=True)}
    bins = {
        (b.warehouse_id, b.code.upper()): b
        for b in Bin.objects.filter(warehouse__in=places.values(), archived_at__isnull=True)
    }
    errors: list[str] = []
    lines: dict[int, list[movements.ReceiptLine]] = defaultdict(list)
    for number, row in rows:
        try:
            wh = places.get(str(row.get("仓库编码") or "").upper())
            if wh is None:
                raise ValidationFailed(
                    Said("仓库「%(v1)s」不存在或无权使用", v1=row.get("仓库编码") or "")
                )
            bin_code = str(row.get("库位编码") or "")
            bin_ = bins.get((wh.pk, bin_code.upper())) if bin_code else None
            if bin_code and bin_ is None:
                raise ValidationFailed(
                    Said("库位不存在（%(name)s没有库位「%(v3)s」）", name=wh.name, v3=bin_code[:40])
                )
            part = movements.part_of(None, str(row.get("配件编码") or ""), field="part_code")
            lines[wh.pk].append(
                movements.ReceiptLine(
                    part_id=part.pk,
                    quantity=movements.quantity(row.get("数量")),
                    unit_cost=inputs.money(row.get("单位成本"), label="单位成本"),
                    bin_id=bin_.pk if bin_ else None,
                    received_at=_lot_date(row.get("批次日期"), number),
                    supplier_lot=str(row.get("供应商批号") or "")[:50],
                )
            )
        except DomainError as exc:
            errors.append(Said("第%(number)s行：%(message)s", number=number, message=exc.message))
    if errors:
        more = (
            Said("（另有%(v1)s行错误）", v1=len(errors) - MAX_ERRORS)
            if len(errors) > MAX_ERRORS
            else ""
        )
        raise ValidationFailed(
            "导入失败，未写入任何数据。" + "；".join(errors[:MAX_ERRORS]) + more,
            field="file",
            details={"errors": errors[:200]},
        )
    posted = []
    with transaction.atomic():
        for wh_pk, wanted in lines.items():
            for start in range(0, len(wanted), PER_DOCUMENT):
                posted.append(
                    movements.receive(
                        actor=actor,
                        warehouse_id=wh_pk,
                        lines=wanted[start : start + PER_DOCUMENT],
                        source=LotSource.OPENING,
                        reason="期初库存导入",
                        now=now,
                    )
                )
    return posted


def template() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "期初库存"
    ws.append(HEADERS)
    ws.append(["SH-MAIN", "A-01-1", "PSU-5V", 10, "150.00", "2026-01-05", ""])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- export

MAX_EXPORT_ROWS = 200_000


def _sheet(wb: Workbook, title: str, header: list[str], rows: Any) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for i, row in enumerate(rows):
        if i >= MAX_EXPORT_ROWS:
            break
        ws.append([safe(ws, _plain(v)) for v in row])


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def export_all(user: Any) -> bytes:
    """One workbook, a sheet per kind of record, only what the user may see."""
    wb = Workbook(write_only=True)
    levels = selectors.levels(user, selectors.LevelFilters()).iterator(chunk_size=2000)
    _sheet(
        wb,
        "库存",
        [
            "仓库编码",
            "仓库",
            "库位",
            "配件编码",
            "配件名称",
            "批次",
            "批次日期",
            "数量",
            "单位成本",
            "金额",
        ],
        (
            [
                lv.warehouse.code,
                lv.warehouse.name,
                lv.bin.code if lv.bin else "",
                lv.part.code,
                lv.part.name,
                lv.lot.number,
                lv.lot.received_at,
                lv.quantity,
                lv.lot.unit_cost,
                lv.value,  # type: ignore[attr-defined]
            ]
            for lv in levels
        ),
    )
    docs = visible(Movement, user).filter(archived_at__isnull=True)
    lines = (
        MovementLine.objects.filter(movement__in=docs)
        .select_related(
            "movement__from_warehouse",
            "movement__to_warehouse",
            "part",
            "lot",
            "from_bin",
            "to_bin",
        )
        .order_by("movement__posted_at", "movement_id", "id")
        .iterator(chunk_size=2000)
    )
    _sheet(
        wb,
        "库存单据明细",
        [
            "单据号",
            "类型",
            "过账时间",
            "发出仓库",
            "接收仓库",
            "配件编码",
            "批次",
            "数量",
            "发出库位",
            "接收库位",
            "单位成本",
            "金额",
            "事由",
            "关联单据",
        ],
        (
            [
                ln.movement.number,
                ln.movement.get_kind_display(),
                ln.movement.posted_at,
                ln.movement.from_warehouse.name if ln.movement.from_warehouse else "",
                ln.movement.to_warehouse.name if ln.movement.to_warehouse else "",
                ln.part.code,
                ln.lot.number,
                ln.quantity,
                ln.from_bin.code if ln.from_bin else "",
                ln.to_bin.code if ln.to_bin else "",
                ln.unit_cost,
                ln.amount,
                ln.movement.reason,
                ln.movement.reference,
            ]
            for ln in lines
        ),
    )
    units = visible(LoanerUnit, user).select_related("category", "model", "warehouse")
    _sheet(
        wb,
        "备用机",
        ["编号", "序列号", "产品线", "型号", "存放仓库", "状态"],
        (
            [
                u.code,
                u.serial_no,
                u.category.name,
                u.model.code if u.model else "",
                u.warehouse.name,
                u.get_state_display(),
            ]
            for u in units.order_by("code")
        ),
    )
    loans = visible(Loan, user).select_related("unit", "ticket")
    _sheet(
        wb,
        "备用机借用",
        [
            "借用单号",
            "备用机",
            "报修单",
            "借出时间",
            "客户签收人",
            "约定归还",
            "归还时间",
            "检验合格",
        ],
        (
            [
                ln.number,
                ln.unit.code,
                ln.ticket.number,
                ln.lent_at,
                ln.signed_by,
                ln.due_back,
                ln.returned_at,
                "" if ln.inspection_ok is None else ("是" if ln.inspection_ok else "否"),
            ]
            for ln in loans.order_by("lent_at", "id")
        ),
    )
    counts = visible(StockCount, user).select_related("warehouse", "adjustment")
    _sheet(
        wb,
        "盘点单",
        ["盘点单号", "仓库", "状态", "开始时间", "提交时间", "完成时间", "调整单"],
        (
            [
                c.number,
                c.warehouse.name,
                c.get_state_display(),
                c.opened_at,
                c.submitted_at,
                c.closed_at,
                c.adjustment.number if c.adjustment else "",
            ]
            for c in counts.order_by("opened_at", "id")
        ),
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
