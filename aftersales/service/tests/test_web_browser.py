"""The service screens in real headless Chromium: the technician signs and resolves on a
phone, the agent's queue colours SLA urgency, intake with the equipment look-up and the
duplicate guard, and 扫码报修 from the scan to the ticket number."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftersales.service.models import ServiceReport, Ticket, TicketState
from aftersales.service.services import dispatch, intake
from aftersales.service.tests import web_world as w
from conftest import browser_login

REPORT_PHONE_MAX_HEIGHT = 3000  # px: the job page with its report form, on a 390 px phone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


@pytest.fixture
def world() -> dict[str, Any]:
    return w.build()


def draw_signature(page: Any, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None
    x0, y0 = box["x"] + 30, box["y"] + box["height"] / 2
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(1, 25):
        page.mouse.move(x0 + i * 10, y0 + (18 if i % 2 else -18), steps=2)
    page.mouse.up()
    page.mouse.move(x0 + 40, y0 + 30)
    page.mouse.down()
    page.mouse.move(x0 + 200, y0 - 30, steps=8)
    page.mouse.up()


def test_technician_reports_signs_and_resolves_on_a_phone(
    phone_page: Any, world: dict[str, Any]
) -> None:
    page = phone_page
    t = w.ticket(world)
    wo = w.on_site(world, t)
    dispatch.start_work(actor=world["tech"], ticket=t)
    browser_login(page, "tech1")
    page.goto(page.base_url + "/service/my-jobs/")
    page.click(f'[data-testid="job"][data-number="{wo.number}"]')
    page.wait_for_url(f"**/service/my-jobs/{wo.pk}/")
    # the report is sections that fold (9#18): on a phone only the first is open, so the
    # whole job page is a few screens; a tap on a section's title opens it
    folds = page.locator("details[data-fold-phone]")
    assert folds.count() == 3
    assert [folds.nth(i).evaluate("d => d.open") for i in range(3)] == [True, False, False]
    assert page.evaluate("document.documentElement.scrollHeight") <= REPORT_PHONE_MAX_HEIGHT
    page.fill("textarea[name=cause]", "模组驱动芯片损坏")
    page.select_option("select[name=cause_class]", "manufacturing")
    page.select_option("select[name=responsibility]", "product")
    page.click('[data-testid="fold-work"] > summary')
    page.fill("textarea[name=actions]", "更换P3模组一块，测试正常")
    page.fill('#report-form input[name="part_q"]', "P3")
    page.click('[data-testid="part-add"][data-code="MOD-P3"]')
    assert page.locator('#report-form input[name="part_code"]').input_value() == "MOD-P3"
    page.fill("input[name=minutes_spent]", "45")
    page.click('[data-testid="fold-customer"] > summary')
    page.fill("textarea[name=customer_opinion]", "处理及时，满意")
    page.check("input[name=quick_rating][value='5']")
    page.click('[data-testid="save-report"]')
    page.wait_for_selector("text=服务报告已保存")
    # the customer signs on the technician's phone
    canvas = page.locator('[data-testid="signature-canvas"]')
    canvas.scroll_into_view_if_needed()
    page.click('[data-testid="sign"]')  # empty pad: refused in the page
    assert page.locator("#sign-error").is_visible()
    draw_signature(page, '[data-testid="signature-canvas"]')
    page.fill("input[name=signed_by]", "王经理")
    page.click('[data-testid="sign"]')
    page.wait_for_selector("text=客户已签字确认")
    report = ServiceReport.objects.get(work_order=wo)
    assert report.signature and report.signed_by == "王经理"
    with report.signature.open("rb") as fh:
        assert fh.read().startswith(b"\x89PNG")
    page.click('[data-testid="submit-report"]')
    page.wait_for_selector('[data-testid="report-filed"]')
    page.click('[data-testid="resolve"]')
    page.wait_for_selector("text=已完工，回访任务已生成")
    t.refresh_from_db()
    assert t.state == TicketState.RESOLVED
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_incomplete_report_shows_the_chinese_refusal(
    phone_page: Any, world: dict[str, Any]
) -> None:
    page = phone_page
    t = w.ticket(world)
    wo = w.on_site(world, t)
    browser_login(page, "tech1")
    page.goto(page.base_url + f"/service/my-jobs/{wo.pk}/")
    page.click('[data-testid="save-report"]')
    page.wait_for_selector("text=服务报告已保存")
    page.click('[data-testid="submit-report"]')
    error = page.locator(".messages li.error").inner_text()
    assert (
        error.startswith("服务报告不完整，缺少：")
        and "故障原因" in error
        and "客户签字确认" in error
    )


def _aged_ticket(world: dict[str, Any], minutes_ago: int, description: str) -> Ticket:
    return intake.ticket_create(
        actor=world["agent"],
        data=intake.TicketInput(
            description=description,
            contact_name="王经理",
            contact_phone="13700137000",
            channel="phone",
            equipment_id=world["e1"].pk,
            severity="urgent",
            allow_duplicate=True,
            different_fault_reason="另一处故障",
            received_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        ),
    )


def test_agent_queue_colours_sla_urgency(page: Any, world: dict[str, Any]) -> None:
    fresh = _aged_ticket(world, 0, "刚报修")
    close = _aged_ticket(world, 8, "快到期")  # 8 of the 10 minutes to confirm dispatch used
    late = _aged_ticket(world, 120, "已超时")
    browser_login(page, "agent1")
    page.click("nav.mainnav >> text=报修")
    page.wait_for_selector('[data-testid="ticket-row"]')

    def sla(t: Ticket) -> Any:
        return page.locator(
            f'[data-testid="ticket-row"][data-number="{t.number}"] [data-testid="sla"]'
        )

    assert sla(fresh).get_attribute("data-colour") == "sla-ok"
    assert sla(close).get_attribute("data-colour") == "sla-warn"
    assert (
        sla(late).get_attribute("data-colour") == "sla-bad" and "已超时" in sla(late).inner_text()
    )
    colours = {
        t.number: sla(t).evaluate("el => getComputedStyle(el).color") for t in (fresh, close, late)
    }
    assert colours[fresh.number] == "rgb(30, 142, 62)"  # --ok
    assert colours[close.number] == "rgb(217, 130, 43)"  # --warn
    assert colours[late.number] == "rgb(198, 40, 40)"  # --bad
    # the overdue filter narrows the list through htmx without a page load
    page.check("input[name=overdue]")
    expect(page.locator("#rows")).not_to_contain_text(fresh.number)  # polls without eval
    rows = page.locator("#rows").inner_text()
    assert late.number in rows and close.number not in rows and "overdue=1" in page.url


def test_agent_registers_with_lookup_and_duplicate_guard(page: Any, world: dict[str, Any]) -> None:
    first = w.ticket(world)
    browser_login(page, "agent1")
    page.goto(page.base_url + "/service/tickets/new/")
    page.fill("#serial-search", "LED2025001")
    page.click('[data-testid="pick-equipment"][data-serial="LED2025001"]')
    page.wait_for_selector('[data-testid="picked-equipment"]')
    assert "上海浦东会展中心" in page.locator("#picked").inner_text()
    assert first.number in page.locator('[data-testid="duplicates"]').inner_text()
    page.click("button.contact-pick")  # 王经理 fills the contact fields
    assert page.input_value("#contact_phone") == "13700137000"
    page.fill("textarea[name=description]", "另一块屏幕花屏")
    page.select_option("select[name=severity]", "urgent")
    page.click('[data-testid="create-ticket"]')  # without the checkbox: refused
    assert (
        "该设备已有同一故障未关闭的报修单"
        in page.locator('[data-testid="form-error"]').inner_text()
    )
    assert Ticket.objects.count() == 1
    page.check('[data-testid="allow-duplicate"]')
    page.click('[data-testid="create-ticket"]')  # ticked but no reason: still refused
    assert "请说明这是什么新故障" in page.locator('[data-testid="form-error"]').inner_text()
    assert Ticket.objects.count() == 1
    page.fill('[data-testid="different-fault-reason"]', "另一块屏幕花屏，不是正在修的模组")
    page.click('[data-testid="create-ticket"]')
    page.wait_for_selector('[data-testid="ticket-number"]')
    created = Ticket.objects.latest("id")
    assert page.locator('[data-testid="ticket-number"]').inner_text() == created.number
    assert created.severity == "urgent" and created.duplicate_of == first
    assert created.different_fault_reason == "另一块屏幕花屏，不是正在修的模组"


def test_qr_scan_to_ticket_number(phone_page: Any, world: dict[str, Any]) -> None:
    page = phone_page
    page.goto(page.base_url + f"/q/{world['e1'].qr_token}/")
    assert page.locator('[data-testid="qr-serial"]').inner_text() == "LED2025001"
    page.fill("input[name=contact_name]", "王经理")
    page.fill("input[name=phone]", "13900000000")
    page.fill("textarea[name=description]", "大屏左侧不亮")
    page.click('[data-testid="qr-submit"]')
    assert (
        "手机号与该设备登记的联系人不符" in page.locator('[data-testid="form-error"]').inner_text()
    )
    assert not Ticket.objects.exists()
    page.fill("input[name=phone]", "13700137000")
    page.click('[data-testid="qr-submit"]')
    number = page.locator('[data-testid="ticket-number"]').inner_text()
    ticket = Ticket.objects.get()
    assert (
        number == ticket.number and ticket.channel == "qr" and ticket.description == "大屏左侧不亮"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_leaving_without_a_report_asks_why_on_the_phone(
    phone_page: Any, world: dict[str, Any]
) -> None:
    """9#5: 离场 without a filed report asks for the reason; the job then reads 未完工 and
    the ticket waits for parts."""
    page = phone_page
    t = w.ticket(world)
    wo = w.on_site(world, t)
    browser_login(page, "tech1")
    page.goto(page.base_url + f"/service/my-jobs/{wo.pk}/")
    page.click('[data-testid="leave-unfinished"] summary')
    page.check("input[name=reason][value=parts]")
    page.fill('[data-testid="leave-unfinished"] input[name=note]', "需更换P3模组2块")
    page.click('[data-testid="leave-unfinished"] [data-testid="check-out"]')
    expect(page.locator('[data-testid="left-note"]')).to_contain_text("需要配件")
    wo.refresh_from_db()
    t.refresh_from_db()
    assert wo.state == "left" and t.state == TicketState.WAITING_PARTS
    assert "已完成" not in page.locator("main").inner_text()


def test_report_sections_are_all_open_on_a_desktop(page: Any, world: dict[str, Any]) -> None:
    t = w.ticket(world)
    wo = w.on_site(world, t)
    browser_login(page, "tech1")
    page.goto(page.base_url + f"/service/my-jobs/{wo.pk}/")
    folds = page.locator("details[data-fold-phone]")
    assert folds.count() == 3
    assert all(folds.nth(i).evaluate("d => d.open") for i in range(3))
