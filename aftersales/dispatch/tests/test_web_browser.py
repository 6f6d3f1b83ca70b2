"""The planning screen in real headless Chromium: the dispatcher solves the day, sees the
timeline and the route plot, drags a visit onto another technician's row, is refused in
Chinese when the technician lacks the skill, publishes; the work orders are dispatched
through the service flow with their audit events."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aftersales.core.models import AuditEvent
from aftersales.dispatch.models import DispatchPlan, PlannerSettings, PlanState
from aftersales.dispatch.tests import world as W
from aftersales.service.models import WorkOrder
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_dispatcher_drags_a_visit_to_another_technician_and_publishes(page: Any) -> None:
    w = W.build()
    PlannerSettings.objects.create(screen_budget_seconds=1)
    led = [W.ticket(w, i, severity=s) for i, s in ((0, "urgent"), (1, "normal"), (4, "normal"))]
    hvac = [W.ticket(w, i, severity="normal") for i in (2, 3)]
    browser_login(page, "coord_w")
    page.click("nav >> text=智能派工")
    page.wait_for_url("**/dispatch/plan/")
    page.fill("input[name=day]", w.day.isoformat())
    page.select_option("select[name=region]", str(w.region.pk))
    page.click('[data-testid="solve"]')
    page.wait_for_selector("text=方案已生成")
    expect(page.locator('[data-testid="tl-row"]')).to_have_count(3)
    expect(page.locator('[data-testid="tl-visit"]')).to_have_count(5)
    # the route plot is drawn by ECharts on a canvas, from coordinates only
    expect(page.locator('[data-testid="plan-chart"] canvas').first).to_be_visible()
    plan = DispatchPlan.objects.get()
    item = plan.items.get(ticket=led[0])
    source = item.technician
    target = w.tech_b if source != w.tech_b else w.tech_a
    block = page.locator(f'[data-testid="tl-visit"][data-number="{led[0].number}"]')
    expect(block).to_have_attribute("draggable", "true")
    # dropping an LED job on the hvac-only technician is refused in Chinese
    hvac_row = page.locator(f'[data-testid="tl-row"][data-tech="{w.tech_c.pk}"] .tl-track')
    block.drag_to(hvac_row)
    expect(page.locator('[data-testid="plan-error"]')).to_contain_text("不具备「LED显示屏」技能")
    item.refresh_from_db()
    assert item.technician == source
    # onto the start of the other LED technician's day
    target_row = page.locator(f'[data-testid="tl-row"][data-tech="{target.pk}"]')
    block = page.locator(f'[data-testid="tl-visit"][data-number="{led[0].number}"]')
    block.drag_to(target_row.locator(".tl-track"), target_position={"x": 2, "y": 20})
    expect(target_row.locator(f'[data-number="{led[0].number}"]')).to_be_visible()
    item.refresh_from_db()
    assert item.technician == target and item.sequence == 0 and item.edited_by_dispatcher
    expect(page.locator('[data-testid="plan-chart"] canvas').first).to_be_visible()
    # the per-visit select does the same: an hvac job to tech_b, first of the day
    row = page.locator(f'[data-testid="item-row"][data-number="{hvac[0].number}"]')
    row.locator('[data-testid="item-technician"]').select_option(str(w.tech_b.pk))
    row.locator("input[name=position]").fill("1")
    row.locator('[data-testid="item-move"]').click()
    expect(
        page.locator(
            f'[data-testid="tl-row"][data-tech="{w.tech_b.pk}"] [data-number="{hvac[0].number}"]'
        )
    ).to_be_visible()
    page.click('[data-testid="publish"]')
    page.wait_for_selector(f"text=方案已发布：新派工 {len(led) + len(hvac)} 单，改派 0 单")
    expect(page.locator('[data-testid="plan-state"]')).to_have_text("已发布")
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED
    for ticket in [*led, *hvac]:
        ticket.refresh_from_db()
        planned = plan.items.get(ticket=ticket)
        if planned.technician is None:
            continue
        assert ticket.state == "dispatched"
        wo = WorkOrder.objects.get(ticket=ticket)
        assert wo.technician == planned.technician and wo.window_start is not None
        assert AuditEvent.objects.filter(
            verb="dispatch", object_id=str(ticket.pk), to_state="dispatched"
        ).exists()
    moved = WorkOrder.objects.get(ticket=led[0])
    assert moved.technician == target and moved.note == f"智能派工方案#{plan.pk}"
    event = AuditEvent.objects.get(verb="publish", object_id=str(plan.pk))
    assert led[0].number in event.payload["dispatched"] and event.actor == w.coordinator
