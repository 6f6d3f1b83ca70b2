"""Acceptance in real headless Chromium on a phone viewport: a technician completes an
inspection with a failed item and the customer's signature; the failed item has its ticket."""

from __future__ import annotations

from typing import Any

import pytest

from aftersales.maintenance.models import InspectionResult, VisitState
from aftersales.maintenance.tests import world
from aftersales.service.models import Channel, Ticket, TicketType
from aftersales.service.tests.test_web_browser import draw_signature
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_a_technician_completes_an_inspection_with_a_failed_item_and_a_signature(
    open_page: Any,
) -> None:
    w = world.build()
    visit = world.on_site_visit(w)
    tech = open_page(phone=True)
    browser_login(tech, "tech1")
    tech.goto(f"{tech.base_url}/maintenance/visits/{visit.pk}/")
    items = tech.locator('[data-testid="item"]')
    assert items.count() == 3
    items.nth(0).locator('[data-testid="pass"]').check()
    items.nth(1).locator('[data-testid="value"]').fill("14.5")  # expected 7–12 °C
    items.nth(2).locator('[data-testid="pass"]').check()
    tech.click('[data-testid="save-results"]')
    tech.wait_for_selector("text=已保存 3 项")
    assert items.nth(1).locator('[data-testid="result"]').get_attribute("data-outcome") == "fail"
    tech.locator('[data-testid="signature-canvas"]').scroll_into_view_if_needed()
    draw_signature(tech, '[data-testid="signature-canvas"]')
    tech.fill("input[name=signed_by]", "王经理")
    tech.click('[data-testid="complete"]')
    tech.wait_for_selector('[data-testid="done"]')
    assert "整改报修单" in tech.locator('[data-testid="message"]').first.inner_text()
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE and visit.signature and visit.signed_by == "王经理"
    failed = InspectionResult.objects.get(visit=visit, outcome="fail")
    assert failed.item.seq == 2 and failed.out_of_range
    assert Ticket.objects.filter(type=TicketType.REPAIR, channel=Channel.INSPECTION).count() == 1
    assert failed.follow_up is not None
    assert tech.locator('[data-testid="follow-up"]').inner_text() == failed.follow_up.number

    # the customer, on his phone, finds the signed report in the portal's navigation
    customer = open_page(phone=True)
    browser_login(customer, "cust1")
    customer.click("[data-toggle-nav]")  # the phone's menu
    customer.click('nav a[href="/maintenance/portal/"]')
    customer.wait_for_selector('[data-testid="portal-plan"]')
    assert customer.locator('[data-testid="portal-plan"]').count() == 1
    customer.click('[data-testid="portal-report"]')
    customer.wait_for_selector('[data-testid="failed-items"]')
    assert customer.locator('[data-testid="result"]').count() == 3
    assert customer.locator('[data-testid="follow-up"]').inner_text() == failed.follow_up.number
    width = customer.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the report overflows the phone screen ({width}px)"
