"""The web shell in real headless Chromium: Chinese login, role navigation, lists, records,
phone layout, language switch."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from aftersales import testing as t
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


@pytest.fixture
def data():  # type: ignore[no-untyped-def]
    reg = t.region("EAST", "华东区")
    d1 = t.dealer(reg, name="甲经销商")
    c1 = t.customer(reg, d1, name="上海浦东会展中心", tier="key")
    c2 = t.customer(reg, None, name="杭州西湖医院")
    s1 = t.site(c1, name="会展中心一号馆", acceptance_date=dt.date(2025, 3, 15))
    cat = t.category("led", "LED显示屏")
    t.policy(cat, months=24, latent_defect_months=24)
    e1 = t.equipment(
        s1,
        t.product_model(cat, code="P3-500", name="室内P3全彩屏"),
        serial_no="LED2025001",
        acceptance_date=dt.date(2025, 3, 15),
    )
    t.site(c2)
    return {"d1": d1, "c1": c1, "c2": c2, "e1": e1}


def test_login_page_is_chinese_and_wrong_password_shows_error(page, data) -> None:  # type: ignore[no-untyped-def]
    t.user("agent", username="agent1")
    page.goto(page.base_url + "/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "售后服务管理系统"
    page.fill("input[name=username]", "agent1")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert page.locator(".error").inner_text() == "用户名或密码错误"


def test_agent_navigates_lists_and_opens_equipment(page, data) -> None:  # type: ignore[no-untyped-def]
    t.user("agent", username="agent1")
    browser_login(page, "agent1")
    nav = page.locator("nav.mainnav").inner_text()
    assert "客户" in nav and "设备" in nav and "项目/现场" in nav
    page.click("nav.mainnav >> text=客户")
    page.wait_for_selector("text=上海浦东会展中心")
    assert page.locator("text=杭州西湖医院").count() == 1
    page.fill("input[name=q]", "hxxy")  # pinyin initials of 杭州西湖医院 → 杭(h)州(z)… no match
    page.fill("input[name=q]", "hzxhyy")
    # expect() polls without eval (the Content-Security-Policy forbids it in the page)
    expect(page.locator("#rows")).not_to_contain_text("上海浦东会展中心")
    assert "杭州西湖医院" in page.locator("#rows").inner_text()
    page.goto(page.base_url + f"/equipment/{data['e1'].id}/")
    warranty = page.locator("#warranty").inner_text()
    assert "保修状态" in warranty and "2025-03-15" in warranty


def test_dealer_navigation_and_visibility(page, data) -> None:  # type: ignore[no-untyped-def]
    t.user("dealer", org=data["d1"], username="dealer1")
    browser_login(page, "dealer1")
    page.goto(page.base_url + "/customers/")
    rows = page.locator("#rows").inner_text()
    assert "上海浦东会展中心" in rows and "杭州西湖医院" not in rows
    resp = page.goto(page.base_url + f"/customers/{data['c2'].id}/")
    assert resp is not None and resp.status == 404


def test_phone_layout_has_menu_button(phone_page, data) -> None:  # type: ignore[no-untyped-def]
    t.user("technician", username="tech1")
    browser_login(phone_page, "tech1")
    assert phone_page.locator(".menu-toggle").is_visible()
    assert not phone_page.locator("nav.mainnav").is_visible()
    phone_page.click(".menu-toggle")
    assert phone_page.locator("nav.mainnav").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows sideways


def test_language_switch_to_english(page, data) -> None:  # type: ignore[no-untyped-def]
    t.user("agent", username="agent1")
    browser_login(page, "agent1")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Log out" in page.locator(".userbox").inner_text()
    assert "Customers" in page.locator("nav.mainnav").inner_text()
