"""10: 返厂维修 in real headless Chromium — the coordinator sends the unit to the factory from
the ticket page (an over-long waybill cannot be typed: the input carries its column's length),
records its arrival and return, and the ticket resumes; the customer's portal shows where the
unit is, never why."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from aftersales.service.models import Ticket, TicketState
from aftersales.service.services import lifecycle
from aftersales.service.tests import web_world as w
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


@pytest.fixture
def world() -> dict[str, Any]:
    return w.build()


def test_a_round_trip_from_the_ticket_page(open_page: Any, world: dict[str, Any]) -> None:
    t = lifecycle.acknowledge(actor=world["agent"], ticket=w.ticket(world))
    page = open_page()
    browser_login(page, "coord1")
    page.goto(page.base_url + reverse("service:ticket_detail", args=[t.pk]))
    page.click('[data-action="factory_send"] summary')
    form = page.locator('[data-action="factory_send"] form')
    form.locator("input[name=reason]").fill("控制卡烧毁，现场无法修复")
    form.locator("input[name=items]").fill("接收卡 ×2")
    form.locator("input[name=waybill]").fill("顺" * 150)  # the page keeps 100
    assert len(form.locator("input[name=waybill]").input_value()) == 100
    form.locator("input[name=waybill]").fill("顺丰 SF1234567890")
    form.locator("button[type=submit]").click()
    page.wait_for_selector('[data-testid="factory-repair"][data-state="sent"]')
    assert Ticket.objects.get(pk=t.pk).state == TicketState.AT_FACTORY
    page.click('[data-action="factory_arrive"]')
    page.wait_for_selector('[data-testid="factory-repair"][data-state="at_factory"]')
    page.click('[data-action="factory_ship_back"] summary')
    back = page.locator('[data-action="factory_ship_back"] form')
    back.locator("input[name=note]").fill("更换主控芯片")
    back.locator("input[name=waybill]").fill("EMS 2")
    back.locator("button[type=submit]").click()
    page.wait_for_selector('[data-testid="factory-repair"][data-state="shipped_back"]')
    page.click('[data-action="factory_receive"] summary')
    page.locator('[data-action="factory_receive"] button[type=submit]').click()
    page.wait_for_selector('[data-testid="factory-repair"][data-state="received"]')
    assert Ticket.objects.get(pk=t.pk).state == TicketState.IN_PROGRESS

    portal = open_page()
    browser_login(portal, "cust1")
    portal.goto(portal.base_url + reverse("service:portal_ticket", args=[t.pk]))
    events = portal.locator('[data-testid="factory-events"]')
    assert "已收回，继续为您处理" in events.inner_text()
    assert "控制卡烧毁" not in portal.content() and "更换主控芯片" not in portal.content()
