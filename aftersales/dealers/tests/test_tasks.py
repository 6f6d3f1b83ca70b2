"""Dealer-handled service: arranged within 2 h (else overdue), the coordinator's 4 h check
fires once, a hand-back needs a reason and is counted; another dealer's task is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aftersales.approvals.models import Deadline
from aftersales.approvals.services import deadlines
from aftersales.core.errors import NotFound, PermissionDenied, ValidationFailed
from aftersales.dealers.models import DealerTask
from aftersales.dealers.services import tasks
from aftersales.notifications.models import Notification
from aftersales.parts.tests.test_api import call
from aftersales.service.services import intake

pytestmark = pytest.mark.django_db


def ticket(w):  # type: ignore[no-untyped-def]
    return intake.ticket_create(
        actor=w.agent,
        data=intake.TicketInput(
            description="拖拉机无法启动",
            contact_name="王经理",
            contact_phone="13800138000",
            channel="phone",
            equipment_id=w.eq_a.pk,
        ),
    )


T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def test_not_arranged_at_2h_is_overdue_and_the_4h_check_fires_once(w) -> None:  # type: ignore[no-untyped-def]
    task = tasks.assign(actor=w.coordinator, ticket_id=ticket(w).pk, now=T0)
    assert task.dealer_id == w.dealer_a.pk and task.number.startswith("JX")
    arrange = Deadline.objects.get(step=tasks.STEP_ARRANGE, object_id=task.pk)
    check = Deadline.objects.get(step=tasks.STEP_CHECK, object_id=task.pk)
    assert arrange.due_at == T0 + dt.timedelta(hours=2)
    assert check.due_at == T0 + dt.timedelta(hours=4)
    assert not arrange.is_overdue(T0 + dt.timedelta(hours=2))
    assert arrange.is_overdue(T0 + dt.timedelta(hours=2, seconds=1))
    deadlines.process_due(T0 + dt.timedelta(hours=3, minutes=59))
    assert not Notification.objects.filter(key=f"deadline:{check.pk}:escalate").exists()
    for _ in range(3):
        deadlines.process_due(T0 + dt.timedelta(hours=4, minutes=1))
    fired = Notification.objects.filter(key=f"deadline:{check.pk}:escalate")
    assert fired.filter(recipient=w.coordinator).count() == 1
    check.refresh_from_db()
    assert check.escalated_at is not None


def test_arranged_in_time_then_checked(w) -> None:  # type: ignore[no-untyped-def]
    task = tasks.assign(actor=w.coordinator, ticket_id=ticket(w).pk, now=T0)
    with pytest.raises(ValidationFailed, match="告知客户"):
        tasks.arrange(
            actor=w.dealer_user_a,
            task_id=task.pk,
            arrangement="李工下午上门",
            customer_informed=False,
        )
    with pytest.raises(NotFound):
        tasks.arrange(
            actor=w.dealer_user_b, task_id=task.pk, arrangement="x", customer_informed=True
        )
    at = T0 + dt.timedelta(hours=1)
    tasks.arrange(
        actor=w.dealer_user_a,
        task_id=task.pk,
        arrangement="李工下午上门",
        customer_informed=True,
        now=at,
    )
    arrange = Deadline.objects.get(step=tasks.STEP_ARRANGE, object_id=task.pk)
    assert arrange.done_at == at and not arrange.is_overdue(T0 + dt.timedelta(hours=5))
    with pytest.raises(PermissionDenied):
        tasks.check(actor=w.dealer_user_a, task_id=task.pk, ok=True)
    done = tasks.check(
        actor=w.coordinator, task_id=task.pk, ok=True, now=T0 + dt.timedelta(hours=4)
    )
    assert done.state == "checked" and done.check_ok


def test_hand_back_needs_a_reason_and_is_counted(w) -> None:  # type: ignore[no-untyped-def]
    task = tasks.assign(actor=w.coordinator, ticket_id=ticket(w).pk, now=T0)
    with pytest.raises(ValidationFailed, match="原因"):
        tasks.hand_back(actor=w.dealer_user_a, task_id=task.pk, reason="  ")
    assert DealerTask.objects.get(pk=task.pk).state == "assigned"
    tasks.hand_back(actor=w.dealer_user_a, task_id=task.pk, reason="缺少专用检测仪器", now=T0)
    assert tasks.hand_back_counts()[w.dealer_a.pk]["total"] == 1
    assert all(not d.is_open for d in deadlines.of(task))
    # the ticket can be given again once the task is closed
    again = tasks.assign(actor=w.coordinator, ticket_id=task.ticket_id, now=timezone.now())
    assert again.pk != task.pk


def test_task_api_and_visibility(w) -> None:  # type: ignore[no-untyped-def]
    t = ticket(w)
    made = call("post", "/api/v1/dealer-tasks", w.coordinator, {"ticket_id": t.pk}, status=201)
    assert made["state"] == "assigned" and made["arrange_due_at"]
    call("get", f"/api/v1/dealer-tasks/{made['id']}", w.dealer_user_b, status=404)
    assert call("get", "/api/v1/dealer-tasks", w.dealer_user_b)["items"] == []
    call(
        "post",
        f"/api/v1/dealer-tasks/{made['id']}/hand-back",
        w.dealer_user_a,
        {"reason": ""},
        status=422,
    )
    out = call(
        "post",
        f"/api/v1/dealer-tasks/{made['id']}/arrange",
        w.dealer_user_a,
        {"arrangement": "明早9点上门", "customer_informed": True},
    )
    assert out["state"] == "arranged"
