"""Writing the export and the empty template: the import's own columns, typed cells
(dates as dates, numbers as numbers, codes as text cells so leading zeros survive), a frozen
header, drop-down lists for choice columns and a "填写说明" sheet."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from aftersales.core.exports import safe
from aftersales.core.said import Said
from aftersales.imports.columns import REFS, Column, Spec, choices_of
from aftersales.imports.reader import MAX_ROWS

_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEAD_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C00000")


def sheet_title(spec: Spec) -> str:
    return spec.label.replace("/", "")


def _width(col: Column) -> float:
    return {"date": 13, "decimal": 13, "int": 8, "bool": 9}.get(
        col.type, max(12, len(col.header) * 2.2 + 2)
    )


def _format(col: Column) -> str:
    """Number format of a typed cell; text and integers need none."""
    if col.type == "date":
        return "yyyy-mm-dd"
    if col.type == "decimal":
        return "0." + "0" * col.places if col.places else "0"
    return ""


_TYPE_NOTES = {
    "text": "文本",
    "date": "日期 YYYY-MM-DD",
    "int": "整数",
    "bool": "是/否",
    "choice": "选项",
}


def _fmt_note(col: Column) -> str:
    if col.type == "decimal":
        return Said("数字（%(places)s位小数）", places=col.places)
    if col.type == "ref":
        ref = REFS[col.ref]
        return Said(
            "%(verbose_name)s的%(label)s",
            verbose_name=ref.model._meta.verbose_name,
            label=ref.label,
        )
    return _TYPE_NOTES[col.type]


def _choice_list(spec: Spec, col: Column) -> list[str] | None:
    if col.type == "choice":
        return list(choices_of(spec.model, col.field).values())
    if col.type == "bool":
        return ["是", "否"]
    return None


def workbook_bytes(spec: Spec, rows: Iterable[tuple[Any, ...]]) -> bytes:
    """An .xlsx with the header and ``rows`` (values in column order, as ``values_list``)."""
    # not write-only: that mode omits the sheet's size, which makes every later read of the
    # file (e.g. re-importing this export) parse it twice
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_title(spec)
    ws.freeze_panes = "A2"
    for index, col in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _width(col)
        options = _choice_list(spec, col)
        if options:
            letter = get_column_letter(index)
            dv = DataValidation(
                type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
            )
            dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(dv)
    header = []
    for col in spec.columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = _REQUIRED_FONT if col.required else _HEAD_FONT
        cell.fill = _HEAD_FILL
        header.append(cell)
    ws.append(header)
    converters = [_cell_value(spec, col) for col in spec.columns]
    # only dates and decimals need a number format; text goes in as text, plain and fast
    formats = [_format(col) for col in spec.columns]
    for values in rows:
        out: list[Any] = []
        for value, convert, number_format in zip(values, converters, formats, strict=True):
            value = convert(value)
            if number_format and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = number_format
                value = cell
            out.append(safe(ws, value))
        ws.append(out)
    _instructions(wb, spec)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell_value(spec: Spec, col: Column) -> Any:
    if col.type == "choice":
        labels = choices_of(spec.model, col.field)
        return lambda v: labels.get(str(v), v) if v not in (None, "") else None
    if col.type == "bool":
        return lambda v: None if v is None else ("是" if v else "否")
    if col.type == "date":
        return lambda v: v if isinstance(v, dt.date) else None
    if col.type == "decimal":
        return lambda v: v if isinstance(v, Decimal) else None
    return lambda v: None if v in (None, "") else v


def _instructions(wb: Workbook, spec: Spec) -> None:
    ws = wb.create_sheet("填写说明")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 8
    ws.column_dimensions["C"].width = 24
    ws.column_dimensions["D"].width = 60
    ws.append([Said("%(label)s导入说明", label=spec.label)])
    ws.append(["请在第一个工作表中填写，第1行为列名（不要修改），从第2行起每行一条记录。"])
    key = "＋".join(spec.column(name).header for name in spec.key)
    ws.append([Said("按【%(key)s】识别：已存在的记录更新，不存在的新建。", key=key)])
    ws.append(["上传后先预览校验结果，确认后才写入；默认任何一行有错误则全部不导入。"])
    ws.append(["空单元格表示清空该项（有默认值的列取默认值）；文件中没有的列不会修改。"])
    ws.append([])
    head = []
    for title in ("列名", "必填", "格式", "说明"):
        cell = WriteOnlyCell(ws, value=title)
        cell.font = _HEAD_FONT
        head.append(cell)
    ws.append(head)
    for col in spec.columns:
        ws.append([col.header, "是" if col.required else "", _fmt_note(col), col.note])
