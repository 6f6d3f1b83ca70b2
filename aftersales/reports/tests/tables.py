"""The board's tables as the screen shows them, and the check that a panel's Excel export is
that table (used by every panel's test)."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from openpyxl import load_workbook


class Tables(HTMLParser):
    """Each panel's table as the screen shows it: {panel key: [[cell text, …], …]}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.panel = ""
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("data-panel"):
            self.panel = a["data-panel"] or ""
        elif tag == "table" and a.get("data-testid") == "table":
            self.tables[self.panel] = []
        elif tag == "tr" and self.panel in self.tables:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.panel].append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def same(screen: str, cell: Any) -> bool:
    if cell is None:
        return screen == ""
    try:
        return Decimal(screen) == Decimal(str(cell))
    except InvalidOperation:
        return screen == str(cell)


def assert_export_is_table(
    client: Client, url: str, screen: list[list[str]], key: str = ""
) -> None:
    """The workbook at ``url`` starts with exactly the screen's table: the same header, the
    same cells row by row (numbers compared as numbers), and nothing after it but a blank
    line (before the period line) or the end."""
    resp = client.get(url)
    assert resp.status_code == 200, key
    sheet = [
        list(r)
        for r in load_workbook(io.BytesIO(resp.content)).worksheets[0].iter_rows(values_only=True)
    ]
    assert [str(v) for v in sheet[0]] == screen[0], key
    for s_row, x_row in zip(screen[1:], sheet[1 : len(screen)], strict=True):
        assert all(same(s, x) for s, x in zip(s_row, x_row, strict=True)), (key, s_row, x_row)
    assert len(sheet) == len(screen) or not any(sheet[len(screen)]), key
