"""Periodic callbacks (SPEC §3.6): key customers every 6 months, others yearly; projects in
warranty twice a year, the first within 6 months of handover."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.core.models import AuditEvent
from aftersales.core.services import update_record
from aftersales.service.models import Callback, CallbackPlan
from aftersales.service.services import callbacks

pytestmark = pytest.mark.django_db
D = dt.date


def test_plans_by_tier_and_for_projects() -> None:
    reg = t.region()
    led = t.category("led", "LED显示屏")
    policy = t.policy(led, months=24)
    model = t.product_model(led)
    key = t.customer(reg, tier="key", name="重点客户甲")
    normal = t.customer(reg, name="普通客户乙")
    fresh = t.site(key, is_project=True, acceptance_date=D(2026, 9, 1), name="新验收项目")
    old = t.site(normal, is_project=True, acceptance_date=D(2023, 1, 1), name="过保项目")
    t.site(normal, is_project=True, acceptance_date=D(2026, 9, 1), name="无设备项目")
    for site in (fresh, old):
        t.equipment(site, model)
    made = callbacks.ensure_plans(today=D(2026, 11, 23))
    # two customers + the project still in warranty (the one without equipment has no
    # warranty to follow)
    assert made == 3
    assert callbacks.ensure_plans(today=D(2026, 11, 23)) == 0
    key_plan = CallbackPlan.objects.get(customer=key, site=None)
    assert key_plan.interval_months == 6 and key_plan.next_due == D(2027, 5, 23)
    assert CallbackPlan.objects.get(customer=normal, site=None).next_due == D(2027, 11, 23)
    project = CallbackPlan.objects.get(site__name="新验收项目")
    # first within 6 months of handover, then every 6 months until the site's warranty ends
    assert project.next_due == D(2027, 3, 1) and project.ends_on == D(2028, 9, 1)
    # every plan made is audited, by the system
    events = AuditEvent.objects.filter(verb="callback_plan")
    assert events.count() == 3 and not events.exclude(actor=None).exists()

    # the end follows the warranty an administrator sets: 36 months → plans to 2029-09-01
    update_record(policy, actor=t.user("admin"), changes={"months": 36})
    CallbackPlan.objects.filter(pk=project.pk).update(archived_at=timezone.now())
    assert callbacks.ensure_plans(today=D(2026, 11, 23)) == 1
    assert CallbackPlan.objects.active().get(site=fresh).ends_on == D(2029, 9, 1)


def test_due_plans_become_callback_tasks_once_and_move_on() -> None:
    reg = t.region()
    c = t.customer(reg, tier="key")
    callbacks.ensure_plans(today=D(2026, 5, 1))
    plan = CallbackPlan.objects.get(customer=c)
    assert plan.next_due == D(2026, 11, 1)
    assert callbacks.generate_due(today=D(2026, 10, 20)) == 0  # more than 7 days ahead
    assert callbacks.generate_due(today=D(2026, 10, 28)) == 1
    task = Callback.objects.get(plan=plan)
    assert task.kind == "periodic" and task.due_date == D(2026, 11, 1)
    plan.refresh_from_db()
    assert plan.next_due == D(2027, 5, 1)
    assert AuditEvent.objects.filter(verb="callback_task", object_id=str(task.pk)).exists()
    advance = AuditEvent.objects.get(verb="callback_plan_advance", object_id=str(plan.pk))
    assert (advance.before, advance.after) == (
        {"next_due": "2026-11-01"},
        {"next_due": "2027-05-01"},
    )
    assert callbacks.generate_due(today=D(2026, 10, 28)) == 0
