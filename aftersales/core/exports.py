"""Every Excel download goes through here: one cell writer that never lets a stored value
become a live formula, one ``Content-Disposition`` that keeps the Chinese file name, and the
generic list export (header + rows) the document apps use.

A cell whose text starts with ``= + - @``, a tab or a carriage return (OWASP's "CSV/formula
injection" starters) is written as a text cell with Excel's quote prefix: the value is kept
exactly (a re-import reads the same text back), Excel shows it as text and does not evaluate
it, even after the user edits the cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTERS)


def text_cell(ws: Worksheet, value: str) -> Cell:
    """``value`` as a quoted text cell (never a formula)."""
    cell = WriteOnlyCell(ws, value=value)  # openpyxl types "=…" as a formula here
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe(ws: Worksheet, value: Any) -> Any:
    """What to append for ``value``: itself, or a text cell when it could run as a formula."""
    return text_cell(ws, value) if is_formula_like(value) else value


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """RFC 6266/5987: ``filename*`` carries the real (Chinese) name in UTF-8; ``filename`` an
    ASCII stand-in for clients that do not read ``filename*``."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9-]+", "_", plain).strip("_")
    ascii_name = (ascii_stem or "export") + (f".{ext}" if ext.isascii() and ext else "")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    resp = HttpResponse(content, content_type=content_type)
    resp["Content-Disposition"] = content_disposition(filename)
    return resp


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def xlsx(filename: str, title: str, header: list[str], rows: Iterable[list[Any]]) -> HttpResponse:
    """A one-sheet list export: bold header, then ``rows``; dates as text, widths to fit."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in header]
    for row in rows:
        values = [_plain(v) for v in row]
        for i, v in enumerate(values):
            if i < len(widths):
                widths[i] = max(widths[i], len(str(v if v is not None else "")))
        ws.append([safe(ws, v) for v in values])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(max(10, width * 2), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return download(buf.getvalue(), filename)
