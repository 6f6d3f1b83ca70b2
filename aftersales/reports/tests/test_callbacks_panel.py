"""The callbacks panel (回访结果与满意度趋势): hand-made callbacks, defined below as plain
values, against the board's table — per month and question, overall, per region and per
product category; finished ones only (done or not reached), archived ones left out, the
months' edges in local time — its chart's monthly trend, and its export equal to the table."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from aftersales import testing as t
from aftersales.reports.services import summary
from aftersales.reports.tests.tables import Tables, assert_export_is_table
from aftersales.service.models import Callback, Ticket, TicketState

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PERIOD = "start=2026-02-01&end=2026-04-30"
ALL, NONE = "全部", "（未指定）"
HEADER = ["月份", "问题", "片区", "产品类别", "回答数", "平均分(1-5) / 比例%", "低于3分"]
REGIONS = {"east": "华东区", "north": "华北区"}
CATEGORIES = {"led": "LED显示屏", "lcd": "液晶拼接屏", None: NONE}  # None: no ticket
QUESTIONS = {
    "attitude": "服务态度",
    "quality": "服务质量",
    "score": "总体评分",
    "solved": "问题已解决",
    "unreachable": "联系不上",
}


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


# region, product (the ticket's equipment; None: a periodic callback without a ticket),
# finished at, state, attitude, quality, score, solved, archived
CALLBACKS: tuple[tuple[Any, ...], ...] = (
    ("east", "led", at(2, 10, 9), "done", 5, 4, 5, True, False),
    ("east", "lcd", at(3, 1, 0, 10), "done", 4, 4, 2, False, False),  # 28 Feb in UTC
    ("east", "led", at(3, 5, 9), "done", 3, None, 4, True, False),  # quality not asked
    ("north", "led", at(3, 20, 9), "done", 2, 3, 1, False, False),
    ("north", "lcd", at(3, 31, 23, 30), "done", 5, 5, 5, None, False),  # solved not asked
    ("north", None, at(3, 15, 9), "unreachable", None, None, None, None, False),
    ("east", "led", at(3, 17, 9), "done", 1, 1, 1, False, True),  # archived: left out
    ("east", "led", None, "due", None, None, None, None, False),  # not finished
    ("north", "led", at(4, 1, 0, 10), "done", 4, 4, 4, True, False),  # April
)


def by_hand() -> dict[tuple[str, str, str, str], list[str]]:
    """(month, question, region, product) → [answers, value, below 3], from CALLBACKS."""
    groups: dict[tuple[str, str, str, str], list[Any]] = {}
    for region, product, when, state, attitude, quality, score, solved, archived in CALLBACKS:
        if archived or state == "due":
            continue
        month = f"{when:%Y-%m}"
        answers: dict[str, Any] = {"unreachable": 100 if state == "unreachable" else 0}
        if state == "done":
            answers |= {"attitude": attitude, "quality": quality, "score": score}
            answers["solved"] = None if solved is None else (100 if solved else 0)
        for q, value in answers.items():
            if value is None:
                continue
            for r, p in ((ALL, ALL), (REGIONS[region], ALL), (ALL, CATEGORIES[product])):
                groups.setdefault((month, QUESTIONS[q], r, p), []).append(value)
    out = {}
    for (month, q, r, p), values in groups.items():
        value = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        low = str(sum(1 for v in values if v < 3)) if q == "总体评分" else ""
        out[(month, q, r, p)] = [str(len(values)), str(value), low]
    return out


@pytest.fixture
def world() -> None:
    regions = {k: t.region(k.upper(), name) for k, name in REGIONS.items()}
    models = {
        k: t.product_model(t.category(k, CATEGORIES[k]), code=k.upper()) for k in ("led", "lcd")
    }
    for i, (region, product, when, state, att, qual, score, solved, archived) in enumerate(
        CALLBACKS
    ):
        customer = t.customer(regions[region])
        ticket = None
        if product:
            site = t.site(customer)
            ticket = Ticket.objects.create(
                number=f"T-{i}",
                type="repair",
                channel="phone",
                severity="normal",
                state=TicketState.CLOSED,
                customer=customer,
                site=site,
                equipment=t.equipment(site, models[product]),
                contact_name="王经理",
                contact_phone="13800138000",
                description="故障",
                received_at=at(2, 1, 9),
            )
        Callback.objects.create(
            customer=customer,
            ticket=ticket,
            kind="ticket" if ticket else "periodic",
            due_date=dt.date(2026, 2, 1),
            state=state,
            attitude=att,
            quality=qual,
            score=score,
            solved=solved,
            done_at=when,
            archived_at=timezone.now() if archived else None,
        )
    summary.build(dt.date(2026, 2, 1), dt.date(2026, 4, 30), panels=["callbacks"])


def test_the_callbacks_panel_by_month_question_region_and_product(world) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(t.user("manager"))
    page = c.get(f"/reports/?{PERIOD}&panel=callbacks").content.decode()
    p = Tables()
    p.feed(page)
    rows = p.tables["callbacks"]
    assert rows[0] == HEADER
    table = {tuple(r[:4]): r[4:] for r in rows[1:]}
    assert len(table) == len(rows) - 1  # one row each
    want = by_hand()
    assert table == want
    # by hand, a few: March's overall mark (2+4+1+5)/4, its two scores below 3, the one of
    # five finished March callbacks not reached
    assert want[("2026-03", "总体评分", ALL, ALL)] == ["4", "3.0", "2"]
    assert want[("2026-03", "联系不上", ALL, ALL)] == ["5", "20.0", ""]
    assert want[("2026-03", "联系不上", ALL, NONE)] == ["1", "100.0", ""]
    # months in order, each question's overall row before its regions and products
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
    assert rows[1][:4] == ["2026-02", "服务态度", ALL, ALL]
    # the trend: each month's mean mark per question
    m = re.search(r'<script id="report-charts" type="application/json">(.*?)</script>', page)
    assert m
    spec = json.loads(m.group(1))["callbacks"]
    assert spec["categories"] == ["2026-02", "2026-03", "2026-04"]
    scores = next(s for s in spec["series"] if s["name"] == "总体评分")
    assert scores["data"] == [
        float(want[(month, "总体评分", ALL, ALL)][1]) for month in spec["categories"]
    ]
    # the Excel export is the table on the screen
    assert_export_is_table(c, f"/reports/export/callbacks.xlsx?{PERIOD}", rows)


def test_a_regions_manager_sees_his_regions_callbacks(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.core.models import Region

    c = Client()
    c.force_login(t.user("manager", region=Region.objects.get(code="NORTH")))
    p = Tables()
    p.feed(c.get(f"/reports/?{PERIOD}&panel=callbacks").content.decode())
    rows = p.tables["callbacks"][1:]
    assert {r[2] for r in rows} == {ALL, "华北区"}
    march = {tuple(r[1:4]): r[4:] for r in rows if r[0] == "2026-03"}
    # his two done March callbacks (2 and 5) and the one not reached
    assert march[("总体评分", ALL, ALL)] == ["2", "3.0", "1"]
    assert march[("联系不上", ALL, ALL)] == ["3", "33.3", ""]
