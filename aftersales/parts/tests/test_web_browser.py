"""The parts and approvals screens in real headless Chromium: an agent files a request, the
amount with a comma is refused on the page, the coordinator approves from the inbox, the
list shows the request with its deadline colour."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aftersales.approvals.models import ApprovalTask
from aftersales.approvals.testing import build
from aftersales.parts.models import PartsRequest
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_agent_files_a_request_and_the_coordinator_approves_from_the_inbox(page: Any) -> None:
    w = build()
    browser_login(page, "agent")
    page.goto(page.base_url + "/parts/")
    page.click('[data-testid="new-request"]')
    page.select_option("select[name=customer_id]", str(w.cust_a.pk))
    page.fill("textarea[name=reason]", "柜门运输变形")
    page.locator("input[name=part_code]").first.fill("DOOR-01")
    page.locator("input[name=quantity]").first.fill("2")
    page.click('[data-testid="new-request-form"] button[type=submit]')
    page.wait_for_url("**/parts/requests/*/")
    r = PartsRequest.objects.get()
    assert page.locator('[data-testid="number"]').inner_text() == r.number
    page.select_option("select[name=cause]", "customer_damage")
    page.fill("input[name=amount]", "1,000")
    page.click("text=保存分析")
    assert "含逗号" in page.locator(".messages").inner_text()
    page.select_option("select[name=cause]", "process")
    page.fill("input[name=amount]", "")
    page.click("text=保存分析")
    page.fill(
        "input[name=committed_date]", (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    )
    page.fill('form[action$="/act/confirm/"] input[name=note]', "王经理电话确认")
    page.click("text=确认并回传客户")
    page.click("text=提交审核审批（售后主办 → 品质办主任）")
    assert page.locator('[data-testid="state"]').get_attribute("data-state") == "in_review"
    page.context.clear_cookies()
    browser_login(page, "coord")
    page.goto(page.base_url + "/approvals/")
    row = page.locator(f'[data-testid="inbox-row"][data-number="{r.number}"]')
    row.locator("button[value=approve]").click()
    assert "已同意" in page.locator(".messages").inner_text()
    r.refresh_from_db()
    task_states = list(
        ApprovalTask.objects.filter(request__object_id=r.pk)
        .order_by("order")
        .values_list("state", flat=True)
    )
    assert task_states == ["approved", "pending"]
    page.goto(page.base_url + "/parts/")
    cell = page.locator(
        f'[data-testid="request-row"][data-number="{r.number}"] [data-testid="deadline-cell"]'
    )
    assert cell.get_attribute("data-colour") in ("sla-ok", "sla-warn")


def test_a_refused_request_keeps_every_typed_line(page: Any) -> None:
    """9#4: after an error the form shows both lines as typed (it used to come back empty and
    a re-typed request was saved with one line); codes match whatever their case."""
    w = build()
    browser_login(page, "agent")
    page.goto(page.base_url + "/parts/new/")
    page.select_option("select[name=customer_id]", str(w.cust_a.pk))
    page.fill("textarea[name=reason]", "柜门运输变形")
    codes, qtys = page.locator("input[name=part_code]"), page.locator("input[name=quantity]")
    codes.nth(0).fill("door-01")
    qtys.nth(0).fill("2")
    qtys.nth(1).fill("3")  # a quantity without its code
    page.locator("input[name=outsourced]").nth(1).check()
    page.click('[data-testid="new-request-form"] button[type=submit]')
    assert "第2行：请填写配件编码" in page.locator(".messages").inner_text()
    assert codes.nth(0).input_value() == "door-01" and qtys.nth(0).input_value() == "2"
    assert qtys.nth(1).input_value() == "3"
    assert page.locator("input[name=outsourced]").nth(1).is_checked()
    assert PartsRequest.objects.count() == 0
    codes.nth(1).fill("DOOR-01")
    page.click('[data-testid="new-request-form"] button[type=submit]')
    page.wait_for_url("**/parts/requests/*/")
    lines = PartsRequest.objects.get().lines.order_by("id")
    assert [(ln.part.code, ln.quantity, ln.outsourced) for ln in lines] == [
        ("DOOR-01", 2, False),
        ("DOOR-01", 3, True),
    ]


def test_the_customer_page_shows_milestones_without_internal_records(page: Any) -> None:
    """9#3 in the browser: the customer's request page has its progress but no approval
    comment, no audit names and no failed inspection."""
    from aftersales.parts.tests.test_customer_timeline import (
        SECRETS,
        _request_with_internal_history,
    )

    w = build()
    r = _request_with_internal_history(w)
    browser_login(page, "cust_a")
    page.goto(page.base_url + f"/parts/requests/{r.pk}/")
    timeline = page.locator('[data-testid="timeline"]').inner_text()
    assert "补件申请已提交" in timeline and "已安排生产" in timeline
    text = page.locator("main").inner_text()
    assert [s for s in SECRETS if s in text] == []
