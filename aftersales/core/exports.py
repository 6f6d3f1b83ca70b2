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
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, QueryDict
from django.utils import timezone, translation
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


# --- long list exports: the current filters, up to MAX_LIST_ROWS rows, written streaming ---

MAX_LIST_ROWS = 100_000
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class ListExport:
    """One list's Excel export: its rows for a user and a query string (the list's own
    filters and selector, so the user's visibility applies), and one row's cells."""

    kind: str
    title: str  # sheet name and file name stem (Chinese)
    header: list[str]
    rows: Callable[[Any, QueryDict], QuerySet[Any]]  # raises ValidationFailed on bad filters
    cells: Callable[[Any], list[Any]]
    list_url: str  # the list page (url name), where a refused export sends the user back


LIST_EXPORTS: dict[str, ListExport] = {}


def register_list_export(spec: ListExport) -> ListExport:
    LIST_EXPORTS[spec.kind] = spec
    return spec


def write_list(
    out: IO[bytes],
    spec: ListExport,
    rows: Iterable[Any],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``rows`` as ``spec``'s sheet into ``out`` with openpyxl's write-only mode (rows
    go to a temporary file as they come, so memory stays flat whatever the count); returns
    how many rows were written. ``progress(done)`` is called every PROGRESS_EVERY rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(spec.title[:31])
    ws.freeze_panes = "A2"
    for index, head in enumerate(spec.header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(max(10, len(head) * 2.5), 40)
    header = []
    for head in spec.header:
        cell = WriteOnlyCell(ws, value=head)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    done = 0
    with translation.override(settings.LANGUAGE_CODE):  # labels as the Chinese header
        for obj in rows:
            ws.append([safe(ws, _plain(v)) for v in spec.cells(obj)])
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done)
    wb.save(out)
    return done


def list_filename(spec: ListExport) -> str:
    return f"{spec.title}_{timezone.localdate():%Y%m%d}.xlsx"


def stream_list(spec: ListExport, rows: Iterable[Any]) -> FileResponse:
    """The export as a download streamed from a temporary file (deleted once sent)."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_list(tmp, spec, rows)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=list_filename(spec), content_type=XLSX)
