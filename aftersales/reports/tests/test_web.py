"""The KPI board over HTTP: role scope, bad filter input refused with a Chinese message (never
a 500), each panel's Excel export equal to its table on the screen, the English page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from aftersales import testing as t
from aftersales.reports import registry
from aftersales.reports.services import summary
from aftersales.reports.tests import fixture_month as fm
from aftersales.reports.tests.tables import Tables, assert_export_is_table

pytestmark = pytest.mark.django_db
MARCH = "start=2026-03-01&end=2026-03-31"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    w = fm.build()
    summary.build(fm.MONTH_START, fm.MONTH_END)
    return w


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_every_panels_export_equals_its_table_on_screen(world) -> None:  # type: ignore[no-untyped-def]
    manager = t.user("manager")
    c = client_for(manager)
    page = c.get(f"/reports/?{MARCH}")
    assert page.status_code == 200
    parser = Tables()
    parser.feed(page.content.decode())
    with_data = [k for k, rows in parser.tables.items() if len(rows) > 1]
    assert {"sla", "first_fix", "repeats", "times", "backlog", "contacts"} <= set(with_data)
    for panel in registry.panels():
        if panel.key not in parser.tables:
            continue
        screen = parser.tables[panel.key]
        url = f"/reports/export/{panel.key}.xlsx?{MARCH}"
        assert_export_is_table(c, url, screen, panel.key)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=999999", "未知的片区"),
        ("region=abc", "未知的片区"),
        ("start=2026-03-10&end=2026-03-01", "结束日期不能早于开始日期"),
        ("start=2016-01-01&end=2025-12-31", "统计期间最长 366 天"),
        ("start=2026-13-01", "开始日期格式不正确"),
        ("tier=gold", "未知的客户等级"),
        ("month=2026-99", "月份格式不正确"),
    ],
)
def test_bad_filter_input_gets_a_chinese_message(query: str, message: str) -> None:
    c = client_for(t.user("manager"))
    resp = c.get(f"/reports/?{query}")
    assert resp.status_code == 422
    assert message in resp.content.decode()
    for panel in registry.panels():  # every panel's export, the ones added later too
        resp = c.get(f"/reports/export/{panel.key}.xlsx?{query}")
        assert resp.status_code == 422, panel.key
        assert message in resp.content.decode(), panel.key
        resp = c.get(f"/reports/?panel={panel.key}&{query}")
        assert resp.status_code == 422, panel.key
        assert message in resp.content.decode(), panel.key


def test_a_regions_manager_sees_only_his_region(world) -> None:  # type: ignore[no-untyped-def]
    north = world.regions["north"]
    boss = t.user("manager", region=north)
    c = client_for(boss)
    resp = c.get(f"/reports/export/contacts.xlsx?{MARCH}")
    ws = load_workbook(io.BytesIO(resp.content)).worksheets[0]
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")[2]
    assert total == sum(1 for d in fm.TICKETS if fm.in_march(d.received) and d.region == "north")
    east = world.regions["east"]
    refused = c.get(f"/reports/?{MARCH}&region={east.pk}")
    assert refused.status_code == 403
    assert "只能查看本片区的报表" in refused.content.decode()
    # and no monthly pack of the whole company for him
    assert c.get("/reports/packs/").status_code == 403


def test_who_may_open_the_board() -> None:
    assert client_for(t.user("technician")).get("/reports/").status_code == 403
    assert client_for(t.user("agent")).get("/reports/").status_code == 403
    cust = t.customer()
    assert client_for(t.user("customer", org=cust)).get("/reports/").status_code == 403
    assert client_for(t.user("manager")).get("/reports/").status_code == 200


def test_the_board_in_english(world) -> None:  # type: ignore[no-untyped-def]
    c = client_for(t.user("manager"))
    c.cookies["django_language"] = "en"
    body = c.get(f"/reports/?{MARCH}").content.decode()
    assert "SLA compliance" in body
    assert "First response" in body
    assert "First-time fix rate" in body


def test_single_panel_and_default_period(world) -> None:  # type: ignore[no-untyped-def]
    c = client_for(t.user("manager"))
    resp = c.get("/reports/?panel=sla")
    assert resp.status_code == 200
    assert resp.content.decode().count('data-testid="panel"') == 1
    today = dt.date.today()
    assert today.replace(day=1).isoformat() in resp.content.decode()


def test_the_export_speaks_the_users_language(world) -> None:  # type: ignore[no-untyped-def]
    """Sheet name, header, the period and basis lines and the file name in English for an
    English user; in Chinese for a Chinese one."""
    c = client_for(t.user("manager"))
    c.cookies["django_language"] = "en"
    resp = c.get(f"/reports/export/sla.xlsx?{MARCH}")
    wb = load_workbook(io.BytesIO(resp.content))
    ws = wb.worksheets[0]
    assert wb.sheetnames == ["SLA compliance"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Target", "Severity"]
    assert "First response" in {r[0] for r in rows}
    assert [r[0] for r in rows[-2:]] == ["Period", "Definition"]
    assert "SLA%20compliance" in resp["Content-Disposition"]
    c.cookies["django_language"] = "zh-hans"
    wb = load_workbook(io.BytesIO(c.get(f"/reports/export/sla.xlsx?{MARCH}").content))
    assert wb.sheetnames == ["SLA达成率"]
    assert next(wb.worksheets[0].iter_rows(values_only=True))[0] == "目标"


def test_a_bad_filter_is_said_in_the_users_language() -> None:
    """The field named in the message is in the reader's language too (not 片区 in English)."""
    c = client_for(t.user("manager"))
    c.cookies["django_language"] = "en"
    body = c.get("/reports/?region=999999").content.decode()
    assert "Unknown Region: 999999" in body
    assert "Start date is not valid" in c.get("/reports/?start=2026-13-01").content.decode()
    c.cookies["django_language"] = "zh-hans"
    assert "未知的片区：999999" in c.get("/reports/?region=999999").content.decode()
