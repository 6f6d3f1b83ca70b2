"""Reading an uploaded workbook and turning its cells into typed values. No ORM.

The first worksheet is read; row 1 holds the column names (the headers of the template,
a trailing ``*`` is tolerated), data starts at row 2, blank rows are skipped and every
message carries the Excel row number the user sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import models

from aftersales.core.said import Said
from aftersales.imports import cells
from aftersales.imports.columns import REFS, Column, Spec, choices_of

MAX_ROWS = 50_000


@dataclass(frozen=True)
class Issue:
    """One problem: a whole-file one (``row`` is None) or one row's."""

    row: int | None
    code: str
    message: str
    column: str = ""

    @property
    def text(self) -> str:
        return (
            Said("第%(row)s行: %(message)s", row=self.row, message=self.message)
            if self.row
            else self.message
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "text": self.text,
        }


@dataclass
class Sheet:
    """The readable part of a file: which known columns it has and its non-blank rows."""

    columns: list[tuple[int, Column]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def present(self) -> frozenset[str]:
        return frozenset(col.field for _, col in self.columns)


@dataclass
class Converted:
    """One data row with typed values (refs still as codes) and its cell errors."""

    row: int
    values: dict[str, Any]
    raw: tuple[Any, ...]
    issues: list[Issue] = field(default_factory=list)


def _header(value: Any) -> str:
    return cells.to_text(value).rstrip("*＊").strip()


def _open_sheet(fileobj: IO[bytes]) -> Any:
    from openpyxl import load_workbook

    return load_workbook(fileobj, read_only=True, data_only=True)


def _first_sheet(workbook: Any) -> Any:
    """The first worksheet, read to its real extent: a read-only sheet otherwise stops at the
    size its ``<dimension>`` tag claims, and any program can write a wrong one (a 20 000-row
    file claiming ``A1:B2`` would import one row and report success)."""
    ws = workbook.worksheets[0]
    ws.reset_dimensions()
    return ws


def read_sheet(spec: Spec, fileobj: IO[bytes], *, max_rows: int = MAX_ROWS) -> Sheet:
    sheet = Sheet()
    try:
        workbook = _open_sheet(fileobj)
    except Exception:  # openpyxl raises many kinds for a damaged or non-xlsx file
        sheet.issues.append(Issue(None, "unreadable", "文件无法读取，请上传 Excel（.xlsx）文件"))
        return sheet
    try:
        rows = _first_sheet(workbook).iter_rows(values_only=True)
        header = next(rows, None)
        if not header or all(cells.is_blank(v) for v in header):
            sheet.issues.append(Issue(None, "no_header", "第1行应为列名，文件为空或缺少表头"))
            return sheet
        _map_headers(spec, header, sheet)
        if sheet.issues:
            return sheet
        wanted = [i for i, _ in sheet.columns]
        for number, values in enumerate(rows, start=2):
            picked = tuple(values[i] if i < len(values) else None for i in wanted)
            if all(cells.is_blank(v) for v in picked):
                continue
            if len(sheet.rows) >= max_rows:
                sheet.issues.append(
                    Issue(
                        None,
                        "too_many_rows",
                        Said("数据行数超过上限 %(max_rows)s 行，请拆分文件", max_rows=max_rows),
                    )
                )
                break
            sheet.rows.append((number, picked))
    finally:
        workbook.close()
    return sheet


def _map_headers(spec: Spec, header: tuple[Any, ...], sheet: Sheet) -> None:
    by_header = {c.header: c for c in spec.columns}
    seen: set[str] = set()
    for index, value in enumerate(header):
        name = _header(value)
        if not name:
            continue
        if name in seen:
            sheet.issues.append(
                Issue(None, "duplicate_column", Said("列名重复：%(name)s", name=name), name)
            )
            continue
        seen.add(name)
        col = by_header.get(name)
        if col is None:
            sheet.ignored.append(name)
        else:
            sheet.columns.append((index, col))
    missing = [c.header for c in spec.columns if c.required and c.header not in seen]
    if missing:
        sheet.issues.append(
            Issue(None, "missing_columns", "缺少必需的列：" + "、".join(missing), missing[0])
        )


def count_rows(fileobj: IO[bytes], *, stop_after: int | None = None) -> int:
    """Data rows in the first sheet, counted (not taken from the file's own size claim);
    with ``stop_after``, counting stops once there are more than that many."""
    try:
        workbook = _open_sheet(fileobj)
    except Exception:
        return 0
    try:
        count = -1  # the header
        for _ in _first_sheet(workbook).iter_rows(values_only=True):
            count += 1
            if stop_after is not None and count > stop_after:
                break
        return max(0, count)
    finally:
        workbook.close()


Converter = Callable[[Any], Any]


def _converter(spec: Spec, col: Column) -> Converter:
    model_field = spec.model._meta.get_field(col.field)
    if col.type == "date":
        return cells.to_date
    if col.type == "decimal":
        return lambda v: cells.to_decimal(
            v, places=col.places, minimum=col.minimum, maximum=col.maximum
        )
    if col.type == "int":
        return lambda v: cells.to_int(v, minimum=col.minimum)
    if col.type == "bool":
        return cells.to_bool
    if col.type == "choice":
        options = choices_of(spec.model, col.field)
        return lambda v: cells.to_choice(v, options)
    if col.type == "ref":
        assert isinstance(model_field, models.ForeignKey)
        target = model_field.related_model
        assert not isinstance(target, str)
        code_length = getattr(target._meta.get_field(REFS[col.ref].code_field), "max_length", None)
        return lambda v: cells.to_text(v, max_length=code_length) or None
    length = getattr(model_field, "max_length", None)
    return lambda v: cells.to_text(v, max_length=length)


def convert_rows(
    spec: Spec, sheet: Sheet, *, progress: Callable[[int], None] | None = None
) -> list[Converted]:
    """Typed values for every row; an empty cell becomes ``None`` (or "" for text)."""
    converters = [(col, _converter(spec, col)) for _, col in sheet.columns]
    out: list[Converted] = []
    for count, (number, picked) in enumerate(sheet.rows, start=1):
        row = Converted(number, {}, picked)
        for (col, convert), value in zip(converters, picked, strict=True):
            try:
                converted = convert(value)
            except cells.CellError as exc:
                row.issues.append(Issue(number, exc.code, f"{col.header}{exc.message}", col.header))
                converted = None
            else:
                if col.required and converted in (None, ""):
                    row.issues.append(
                        Issue(
                            number,
                            "required",
                            Said("%(header)s不能为空", header=col.header),
                            col.header,
                        )
                    )
            row.values[col.field] = converted
        out.append(row)
        if progress is not None and count % 500 == 0:
            progress(count)
    return out


def display(row: Converted) -> list[str]:
    """The row's cells as text, for the preview table."""
    return [cells.to_text(v) for v in row.raw]
