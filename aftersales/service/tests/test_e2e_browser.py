"""Acceptance, in real headless Chromium: a customer scans the equipment's QR code and submits
a fault on a phone; the coordinator sees the warranty decision "free" with its reasons and
dispatches; the technician checks in and files a complete report with a signature drawn on
the phone; the customer rates 2/5 on the callback; the ticket re-opens under the coordinator."""

from __future__ import annotations

from typing import Any

import pytest

from aftersales.service.models import ServiceReport, Ticket
from aftersales.service.tests.test_web_browser import draw_signature
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_qr_scan_to_reopened_ticket(open_page: Any, live_server: Any, world: Any) -> None:
    def new_page(phone: bool) -> Any:
        return open_page(phone=phone, timeout=20000)

    # 1. the customer scans the label on the screen with a phone: no login
    customer = new_page(phone=True)
    customer.goto(f"{live_server.url}/q/{world.equipment.qr_token}/")
    assert customer.locator('[data-testid="qr-serial"]').inner_text() == "LED2025001"
    customer.fill("input[name=contact_name]", "王经理")
    customer.fill("input[name=phone]", "13800138000")
    customer.fill("textarea[name=description]", "一号馆主屏左下角黑屏")
    customer.click('[data-testid="qr-submit"]')
    number = customer.locator('[data-testid="ticket-number"]').inner_text().strip()
    ticket = Ticket.objects.get(number=number)
    assert ticket.channel == "qr"

    # 2. the coordinator opens it: the warranty decision is free, with its reasons
    coord = new_page(phone=False)
    browser_login(coord, "coord")
    coord.goto(f"{live_server.url}/service/tickets/{ticket.pk}/")
    assert coord.locator('[data-testid="warranty-outcome"]').get_attribute("data-outcome") == "free"
    reasons = coord.locator('[data-testid="warranty-reasons"]').inner_text()
    assert "2025-06-01" in reasons and "2027-06-01" in reasons
    coord.click('[data-action="claim"]')
    coord.click('[data-action="acknowledge"]')
    coord.wait_for_selector('[data-testid="state"][data-state="acknowledged"]')
    # the best-ranked technician is pre-selected; dispatch
    first = coord.locator('[data-testid="candidate"]').first
    assert first.get_attribute("data-user-id") == str(world.tech1.pk)
    coord.click('[data-testid="dispatch-submit"]')
    coord.wait_for_selector('[data-testid="state"][data-state="dispatched"]')

    # 3. the technician on his phone: accept, check in, work, report, signature, submit, resolve
    tech = new_page(phone=True)
    browser_login(tech, "tech1")
    tech.goto(f"{live_server.url}/service/my-jobs/")
    wo = ticket.work_orders.get()
    tech.click(f'[data-testid="job"][data-number="{wo.number}"]')
    tech.click('[data-testid="accept"]')
    tech.click('[data-testid="check-in"]')
    tech.click('[data-testid="start-work"]')
    tech.fill("textarea[name=cause]", "模组电源老化")
    tech.select_option("select[name=cause_class]", "material")
    tech.select_option("select[name=responsibility]", "product")
    tech.fill("input[name=fault_category]", "模组故障")
    tech.click('[data-testid="fold-work"] > summary')  # the report folds on a phone (9#18)
    tech.fill("textarea[name=actions]", "更换5V电源模块，测试正常")
    tech.fill('#report-form input[name="part_q"]', "PSU")
    tech.click('[data-testid="part-add"][data-code="PSU-5V"]')
    tech.click('[data-testid="fold-customer"] > summary')
    tech.fill("textarea[name=customer_opinion]", "处理及时")
    tech.click('[data-testid="save-report"]')
    tech.wait_for_selector("text=服务报告已保存")
    tech.locator('[data-testid="signature-canvas"]').scroll_into_view_if_needed()
    draw_signature(tech, '[data-testid="signature-canvas"]')
    tech.fill("input[name=signed_by]", "王经理")
    tech.click('[data-testid="sign"]')
    tech.wait_for_selector('[data-testid="signed"]')
    tech.click('[data-testid="submit-report"]')
    tech.wait_for_selector('[data-testid="report-filed"]')
    tech.click('[data-testid="resolve"]')
    tech.wait_for_selector("text=已完工，回访任务已生成")
    report = ServiceReport.objects.get(work_order=wo)
    assert report.filed_at and report.signed_by == "王经理" and report.missing_fields() == []

    # 4. the customer rates 2/5 through the survey link
    ticket.refresh_from_db()
    assert ticket.state == "resolved"
    survey = ticket.callbacks.get().survey_token
    customer.goto(f"{live_server.url}/s/{survey}/")
    for name, value in (("attitude", "3"), ("quality", "2"), ("solved", "0"), ("score", "2")):
        customer.check(f"input[name={name}][value='{value}']")
    customer.fill("textarea[name=dissatisfaction_cause]", "同一位置又出现黑块")
    customer.click('[data-testid="survey-submit"]')
    customer.wait_for_selector('[data-testid="survey-done"]')

    # 5. the ticket is re-opened under the coordinator, visible on his screen
    coord.goto(f"{live_server.url}/service/tickets/{ticket.pk}/")
    assert coord.locator('[data-testid="state"]').get_attribute("data-state") == "reopened"
    assert "同一位置又出现黑块" in coord.locator('[data-testid="timeline"]').inner_text()
    ticket.refresh_from_db()
    assert ticket.coordinator == world.coordinator and ticket.reopen_count == 1


def test_technician_attaches_photos_to_the_report(
    phone_page: Any, world: Any, tmp_path: Any
) -> None:
    from PIL import Image

    from aftersales.service.services import dispatch, intake

    ticket = intake.ticket_create(
        actor=world.agent,
        data=intake.TicketInput(
            description="黑屏",
            contact_name="王经理",
            contact_phone="13800138000",
            channel="phone",
            equipment_id=world.equipment.id,
        ),
    )
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id])
    dispatch.accept(actor=world.tech1, work_order=wo)
    dispatch.check_in(actor=world.tech1, work_order=wo)
    dispatch.start_work(actor=world.tech1, ticket=ticket)
    img = tmp_path / "fault.jpg"
    Image.new("RGB", (64, 48), (180, 20, 20)).save(img, format="JPEG")
    page = phone_page
    browser_login(page, "tech1")
    page.goto(f"{page.base_url}/service/my-jobs/{wo.pk}/")
    page.click('[data-testid="fold-customer"] > summary')
    page.set_input_files('[data-testid="photos"]', str(img))
    page.click('[data-testid="save-report"]')
    # the saved page folds the photo section again on a phone: the image is there, unseen
    page.wait_for_selector('[data-testid="photo-list"] img', state="attached")
    assert ServiceReport.objects.get(work_order=wo).photos.count() == 1
