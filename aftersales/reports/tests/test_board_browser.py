"""The manager's KPI board (his workbench's next screen, issue 17) in real headless Chromium,
on a desktop and on a phone: reached from the workbench, every panel with figures draws its
ECharts chart (from the local asset), its table holds the figures the server computed, nothing
overflows sideways on the phone, a folded panel draws its chart at its width when opened, a
bad filter is a Chinese message on the page, and a region's manager is offered his region
only."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aftersales import testing as t
from aftersales.reports import registry
from aftersales.reports.services import summary
from aftersales.reports.tests import fixture_month as fm
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
MARCH = "start=2026-03-01&end=2026-03-31"
PHONE_WIDTH = 390
PHONE_MAX_HEIGHT = 6000
# the fixture month has figures for these panels (reports/tests/test_web.py)
WITH_DATA = ("sla", "first_fix", "repeats", "times", "backlog", "contacts")

# a chart drawn: ECharts put its canvas in the panel's chart box, with a size
DRAWN = """(key) => {
  const box = document.querySelector(`[data-chart="${key}"]`);
  const canvas = box && box.querySelector("canvas");
  return canvas ? {box: box.clientWidth, canvas: canvas.clientWidth, h: canvas.clientHeight} : null;
}"""


@pytest.fixture
def world() -> Any:
    w = fm.build()
    summary.build(fm.MONTH_START, fm.MONTH_END)
    w.boss = t.user("manager", username="boss")
    w.north_boss = t.user("manager", username="northboss", region=w.regions["north"])
    return w


def test_the_board_on_a_desktop_and_a_phone(open_page: Any, world: Any) -> None:
    problems: list[str] = []
    for phone in (False, True):
        pg = open_page(phone=phone)
        pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: problems.append(str(e)))
        browser_login(pg, "boss")
        pg.click('[data-testid="panel-manager"] a[href="/reports/"]')  # from his workbench
        pg.wait_for_url("**/reports/")
        pg.goto(f"{pg.base_url}/reports/?{MARCH}")
        panels = pg.locator('[data-testid="panel"]')
        expect(panels).to_have_count(len(registry.panels()))
        first = panels.first.get_attribute("data-panel")
        if phone:  # folded: a few screens, as the every-role walk wants a page (6 000 px)
            height = pg.evaluate("document.documentElement.scrollHeight")
            assert height <= PHONE_MAX_HEIGHT, height
        for key in WITH_DATA:
            section = pg.locator(f'[data-panel="{key}"]')
            if phone and key != first:  # folded on a phone: opened, its chart drawn then
                expect(section.locator("details[data-fold-phone]")).not_to_have_attribute(
                    "open", ""
                )
                section.locator("details[data-fold-phone] > summary").click()
            expect(section.locator(f'[data-chart="{key}"] canvas')).to_have_count(1)
            pg.wait_for_function(
                f"() => {{ const c = document.querySelector('[data-chart=\"{key}\"] canvas');"
                " return c && c.clientWidth > 0; }"
            )
            drawn = pg.evaluate(DRAWN, key)
            assert drawn and drawn["h"] > 100, (key, drawn)
            assert abs(drawn["canvas"] - drawn["box"]) <= 2, (key, drawn)  # at the box's width
            if phone:
                assert drawn["box"] <= PHONE_WIDTH, (key, drawn)
        # the table holds what the server counted (the contacts' total: every ticket received)
        contacts = pg.locator('[data-panel="contacts"] [data-testid="table"]')
        contacts.locator("xpath=ancestor::details[1]/summary").click()
        total = contacts.locator("tbody tr").last.locator("td")
        expect(total.first).to_have_text("合计")
        expect(total.nth(2)).to_have_text(
            str(sum(1 for d in fm.TICKETS if fm.in_march(d.received)))
        )
        if phone:
            assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        assert not problems, problems
        # a bad filter: a Chinese message on the page (422, not a 500), the form kept
        resp = pg.goto(f"{pg.base_url}/reports/?start=2026-03-10&end=2026-03-01")
        assert resp is not None and resp.status == 422
        expect(pg.locator('[data-testid="filter-error"]')).to_have_text("结束日期不能早于开始日期")
        expect(pg.locator('[data-testid="filters"]')).to_be_visible()
        problems.clear()  # (the browser logs the 422 it was answered)
        pg.context.close()


def test_a_regions_manager_is_offered_his_region_only(open_page: Any, world: Any) -> None:
    pg = open_page()
    browser_login(pg, "northboss")
    pg.goto(f"{pg.base_url}/reports/?{MARCH}")
    options = pg.locator('[data-testid="filters"] select[name="region"] option')
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("华北区")
    contacts = pg.locator('[data-panel="contacts"] [data-testid="table"]')
    contacts.locator("xpath=ancestor::details[1]/summary").click()
    total = contacts.locator("tbody tr").last.locator("td")
    expect(total.nth(2)).to_have_text(
        str(sum(1 for d in fm.TICKETS if fm.in_march(d.received) and d.region == "north"))
    )
