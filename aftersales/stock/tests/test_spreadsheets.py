"""Excel in and out of the stock, and the dashboard: opening stock imported only from a clean
sheet (each bad row named, nothing written), everything exported; the dashboard's figures."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from aftersales.core.errors import ValidationFailed
from aftersales.stock import dashboard, spreadsheets
from aftersales.stock.models import Lot, Movement
from aftersales.stock.services import flags
from aftersales.stock.tests.helpers import at, on_hand, receive

pytestmark = pytest.mark.django_db


def sheet(*rows: list[object]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(spreadsheets.HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_opening_stock_is_imported_only_from_a_clean_sheet(s) -> None:  # type: ignore[no-untyped-def]
    bad = sheet(
        ["MAIN", "A-01-1", "PSU-5V", 10, "20.00", "2026-01-05", "S1"],
        ["MAIN", "Z-9-9", "PSU-5V", 1, "20.00", None, None],
        ["NOWHERE", "", "PSU-5V", 1, "20.00", None, None],
        ["MAIN", "", "NO-PART", 1, "20.00", None, None],
        ["MAIN", "", "PSU-5V", "1,000", "20.00", None, None],
        ["MAIN", "", "PSU-5V", -3, "20.00", None, None],
    )
    with pytest.raises(ValidationFailed) as exc:
        spreadsheets.import_opening(actor=s.keeper, fileobj=bad)
    message = exc.value.message
    for part in (
        "第3行：库位不存在",
        "第4行：仓库",
        "第5行：配件不存在",
        "第6行：数量格式错误",
        "第7行",
    ):
        assert part in message
    assert "第2行" not in message and not Movement.objects.exists() and not Lot.objects.exists()
    good = sheet(
        ["MAIN", "A-01-1", "PSU-5V", 10, 20.5, "2026-01-05", "S1"],
        ["main", "", "rcv-card", 4, "30.00", None, None],
        ["VAN-1", "", "PSU-5V", 2, "20.00", None, None],
    )
    docs = spreadsheets.import_opening(actor=s.keeper, fileobj=good, now=at(0))
    assert len(docs) == 2 and {d.kind for d in docs} == {"receipt"}
    assert (on_hand(s.store, s.psu), on_hand(s.store, s.card), on_hand(s.van, s.psu)) == (10, 4, 2)
    lot = Lot.objects.get(supplier_lot="S1")
    assert lot.source == "opening" and lot.unit_cost == Decimal("20.50")
    assert timezone.localtime(lot.received_at).date().isoformat() == "2026-01-05"
    with pytest.raises(ValidationFailed, match="Excel"):
        spreadsheets.import_opening(actor=s.keeper, fileobj=io.BytesIO(b"not a workbook"))


def test_the_pages_import_export_and_dashboard(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 3, "20.00", bin_=s.bin_a, when=at(-200))
    receive(s, 2, "30.00", part=s.card, bin_=s.bin_b)
    c = Client()
    c.force_login(s.keeper)
    resp = c.get("/stock/export.xlsx")
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["库存", "库存单据明细", "备用机", "备用机借用", "盘点单"]
    assert wb["库存"].max_row == 3 and wb["库存单据明细"].max_row == 3
    template = c.get("/stock/import/?template=1")
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "仓库编码"
    up = sheet(["MAIN", "", "PSU-5V", 1, "9.00", None, None])
    up.name = "opening.xlsx"
    resp = c.post("/stock/import/", {"file": up})
    assert resp.status_code == 302 and on_hand(s.store, s.psu) == 4
    html = c.get("/stock/dashboard/").content.decode()
    assert "vendor/echarts.min.js" in html and 'id="chart-data"' in html
    f = dashboard.figures(s.keeper, now=flags.months_later(at(-200), 4))
    assert f["units"] == 6 and f["red"] >= 1
    found = re.search(r'id="chart-data"[^>]*>(.*?)</script>', html, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert {p[0] for p in data["places"]} == {"售后总库"}
    tech = Client()
    tech.force_login(s.tech)
    wb = load_workbook(io.BytesIO(tech.get("/stock/export.xlsx").content))
    assert wb["库存"].max_row == 1  # his van holds nothing; the store is not his
