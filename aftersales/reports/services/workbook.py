"""The Excel form of panel tables: one sheet per panel, the header and rows exactly as on the
screen (``cell_value`` is the one conversion both use), cells written through
``core.exports.safe`` so no stored text becomes a formula."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from aftersales.core.exports import XLSX, safe
from aftersales.reports.filters import ReportFilters

__all__ = ["XLSX", "build", "cell_value", "display"]


def cell_value(value: Any) -> Any:
    """What a table cell holds, in the workbook: numbers stay numbers; no value is "—", as
    on the screen."""
    if value is None:
        return "—"
    if isinstance(value, (int, Decimal, float)):
        return value
    return str(value)


def display(value: Any) -> str:
    """What a table cell shows on the screen (the same value as text)."""
    if value is None or value == "":
        return "—" if value is None else ""
    return str(value)


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:28] or "sheet"
    name, i = base, 2
    while name in used:
        name, i = f"{base[:26]}{i}", i + 1
    used.add(name)
    return name


def build(results: Iterable[Any], f: ReportFilters) -> bytes:
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    used: set[str] = set()
    for r in results:
        ws = wb.create_sheet(_sheet_title(str(r.panel.title), used))
        header = r.table.header()
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [len(h) for h in header]
        for row in r.table.rows:
            values = [cell_value(v) for v in row]
            for i, v in enumerate(values):
                widths[i] = max(widths[i], len(str(v)))
            ws.append([safe(ws, v) for v in values])
        ws.append([])
        ws.append([_("期间"), f"{f.start.isoformat()} – {f.end.isoformat()}"])
        ws.append([_("口径"), str(r.panel.note)])
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = min(max(10, width * 2), 50)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
