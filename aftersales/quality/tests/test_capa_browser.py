"""Issue 12 acceptance in real headless Chromium: the agent registers a complaint through the
form and records the handling decision; the quality director investigates it as serious (its
CAPA is drafted), plans the CAPA and reports it implemented; his own verification is refused
on the page, the quality centre director's closes it. The final states are read back from
the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.approvals.models import Deadline
from aftersales.quality.models import Complaint, CorrectiveAction
from aftersales.quality.tests.helpers import world
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def _message(page: Any) -> str:
    return str(page.locator(".messages").inner_text())


def _state(page: Any) -> str:
    return str(page.locator('[data-testid="state"]').get_attribute("data-state"))


def test_agent_registers_a_complaint_and_the_quality_office_closes_its_capa(page: Any) -> None:
    w = world()
    w.tech_lead = t.user(
        "agent", username="tech_lead", display_name="技术部赵工", department=w.tech
    )

    # the agent: registration through the form, then the handling decision within 24 h
    browser_login(page, "agent")
    page.goto(page.base_url + "/quality/complaints/")
    page.click('[data-testid="new-complaint"]')
    form = page.locator('[data-testid="new-complaint-form"]')
    form.locator("select[name=channel]").select_option("phone")
    form.locator("select[name=category]").select_option("quality_defect")
    form.locator("select[name=customer_id]").select_option(str(w.cust_a.pk))
    form.locator("select[name=equipment_id]").select_option(str(w.equipment_a.pk))
    form.locator("textarea[name=description]").fill("屏体左下角整片模组不亮")
    form.locator("textarea[name=demand]").fill("一周内修复并检查同批次模组")
    form.locator("input[name=part_code]").fill("PSU-5V")
    form.locator("input[name=quantity]").fill("4")
    form.locator("input[name=defective_quantity]").fill("5")
    form.locator("input[name=contact_name]").fill("李经理")
    form.locator('[data-testid="submit"]').click()
    assert "不良数量（5）不能大于数量（4）" in _message(page)
    assert Complaint.objects.count() == 0
    # the refused form keeps every choice (the equipment used to come back unselected and a
    # re-sent complaint was saved without it)
    kept = page.locator('[data-testid="new-complaint-form"]')
    assert kept.locator("select[name=equipment_id]").input_value() == str(w.equipment_a.pk)
    assert kept.locator("select[name=customer_id]").input_value() == str(w.cust_a.pk)
    assert kept.locator("select[name=category]").input_value() == "quality_defect"
    page.locator('[data-testid="new-complaint-form"] input[name=defective_quantity]').fill("2")
    page.locator('[data-testid="new-complaint-form"] [data-testid="submit"]').click()
    page.wait_for_url("**/quality/complaints/*/")
    c = Complaint.objects.get()
    assert page.locator('[data-testid="number"]').inner_text() == c.number
    assert _state(page) == "registered"
    page.fill('[data-testid="reply-form"] input[name=text]', "已安排工程师明日上门检修")
    page.click('[data-testid="reply-form"] button')
    assert "答复已记录" in _message(page)

    # the quality director: investigation (serious → its CAPA is drafted), then the plan
    page.context.clear_cookies()
    browser_login(page, "qd")
    page.goto(page.base_url + f"/quality/complaints/{c.pk}/")
    inv = page.locator('[data-testid="investigate-form"]')
    inv.locator("input[name=cause]").fill("电源模块批次虚焊")
    inv.locator("select[name=responsible_department_id]").select_option(str(w.tech.pk))
    inv.locator("select[name=severity]").select_option("serious")
    inv.locator("input[name=production_batch]").fill("B2026-11")
    inv.locator("button").click()
    assert "调查结果已记录" in _message(page)
    assert _state(page) == "investigated"
    page.click('[data-testid="capa-link"]')
    page.wait_for_url("**/quality/capa/*/")
    assert _state(page) == "draft"
    plan = page.locator('[data-testid="plan-form"]')
    assert plan.locator("textarea[name=cause]").input_value() == "电源模块批次虚焊"
    plan.locator("textarea[name=measures]").fill("同批次电源全部更换，焊接工序增加首件检验")
    plan.locator("select[name=owner_department_id]").select_option(str(w.tech.pk))
    plan.locator("select[name=owner_id]").select_option(str(w.tech_lead.pk))
    due = timezone.localdate() + dt.timedelta(days=20)
    plan.locator("input[name=deadline]").fill(due.isoformat())
    plan.locator("button").click()
    assert "措施已制定" in _message(page)
    assert _state(page) == "open"
    assert page.locator('[data-testid="deadline"]').inner_text().startswith(due.isoformat())
    page.fill('[data-testid="submit-form"] input[name=done_note]', "已更换32块电源，首件检验已实施")
    page.click('[data-testid="submit-form"] button')
    assert _state(page) == "verifying"
    # who reported it implemented may not verify its effect
    page.fill('[data-testid="verify-ok-form"] input[name=note]', "有效")
    page.click('[data-testid="verify-ok-form"] button')
    assert "效果验证须由责任人和提交人以外的人员进行" in _message(page)
    assert _state(page) == "verifying"

    # another person of the quality office verifies the effect: closed
    page.context.clear_cookies()
    browser_login(page, "qcd")
    a = CorrectiveAction.objects.get()
    page.goto(page.base_url + f"/quality/capa/{a.pk}/")
    page.fill('[data-testid="verify-ok-form"] input[name=note]', "一个月内同批次未再发生")
    page.click('[data-testid="verify-ok-form"] button')
    assert "验证有效，已关闭" in _message(page)
    assert _state(page) == "closed"
    assert page.locator('[data-testid="verification"]').count() == 1

    c.refresh_from_db()
    a.refresh_from_db()
    assert (c.state, c.severity, c.responsible_department_id) == (
        "investigated",
        "serious",
        w.tech.pk,
    )
    assert (c.registered_by_id, c.equipment_id, c.part_id) == (
        w.agent.pk,
        w.equipment_a.pk,
        w.part.pk,
    )
    assert (c.quantity, c.defective_quantity, c.replied_by_id) == (4, 2, w.agent.pk)
    assert Deadline.objects.get(object_id=c.pk, step="reply").done_at is not None
    assert (a.complaint_id, a.state, a.owner_id, a.submitted_by_id) == (
        c.pk,
        "closed",
        w.tech_lead.pk,
        w.qd.pk,
    )
    assert a.closed_at is not None and a.deadline == due
    assert [(v.verified_by_id, v.effective) for v in a.verifications.all()] == [(w.qcd.pk, True)]
    assert Deadline.objects.get(object_id=a.pk, step="implement").done_at is not None
