"""A ticket given to a company department (SPEC §3.3, seed 003: 公司各部门和经销商应该在接到
转送的售后服务任务后2小时做好具体安排…4小时内…督促检查…未予落实的，应该上报公司领导协调):
the same service task as a dealer's, on the same clocks — the department's members arrange
it or hand it back, the coordinator checks at 4 h, and a task found not arranged (or a check
left undone) is reported to the leaders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aftersales import testing as t
from aftersales.accounts.models import Department
from aftersales.approvals.models import Deadline
from aftersales.approvals.services import deadlines
from aftersales.approvals.testing import TZ, edit_rule
from aftersales.core import audit
from aftersales.core.errors import NotFound, PermissionDenied, ValidationFailed
from aftersales.dealers import selectors
from aftersales.dealers.defaults import ARRANGE, CHECK
from aftersales.dealers.models import DealerTask
from aftersales.dealers.services import tasks
from aftersales.notifications.models import Notification
from aftersales.parts.tests.test_api import call
from aftersales.service.services import intake

pytestmark = pytest.mark.django_db

# Monday 2 November 2026, 10:00 Shanghai
T10 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)
H = dt.timedelta(hours=1)


@pytest.fixture
def d(w):  # type: ignore[no-untyped-def]
    """The technology department's member without any company-wide role, and a member of
    another department."""
    w.member = t.user(None, username="tech_member", department=w.tech)
    w.outsider = t.user(None, username="qc_member", department=w.qc)
    return w


def ticket(w, equipment=None):  # type: ignore[no-untyped-def]
    """A ticket on ``equipment`` (a different one per ticket: the duplicate guard)."""
    return intake.ticket_create(
        actor=w.agent,
        data=intake.TicketInput(
            description="控制系统报警，需技术支持",
            contact_name="王经理",
            contact_phone="13800138000",
            channel="phone",
            equipment_id=(equipment or w.eq_a).pk,
        ),
    )


def _give(w, at=T10, equipment=None):  # type: ignore[no-untyped-def]
    return tasks.assign(
        actor=w.coordinator,
        ticket_id=ticket(w, equipment).pk,
        department_id=w.tech.pk,
        now=at,
    )


def _clock(task: DealerTask, step: str) -> Deadline:
    return Deadline.objects.get(step=step, object_id=task.pk)


def _moves(task: DealerTask) -> list[tuple[str, str]]:
    return [(e.from_state, e.to_state) for e in audit.history(task).order_by("at", "id")]


def test_a_department_arranges_in_time_and_the_coordinator_checks(d) -> None:  # type: ignore[no-untyped-def]
    task = _give(d)
    assert task.department_id == d.tech.pk and task.dealer_id is None
    assert task.assignee_name == "工艺技术部"
    arrange, check = _clock(task, tasks.STEP_ARRANGE), _clock(task, tasks.STEP_CHECK)
    assert timezone.localtime(arrange.due_at, TZ).strftime("%H:%M") == "12:00"
    assert check.due_at == T10 + 4 * H
    assert arrange.owner.department_id == d.tech.pk  # a member of the department
    # every member hears of it at once, nobody outside the department
    told = Notification.objects.filter(key=f"service_task:{task.pk}:assigned")
    assert set(told.values_list("recipient", flat=True)) == {d.tech_rep.pk, d.member.pk}
    assert "12:00" in told.first().body  # type: ignore[union-attr]

    # only the department's members act on it
    with pytest.raises(PermissionDenied):  # sees every task (agent), is not a member
        tasks.arrange(
            actor=d.sales_rep, task_id=task.pk, arrangement="明天上门", customer_informed=True
        )
    with pytest.raises(NotFound):  # another department's member does not see it
        tasks.arrange(
            actor=d.outsider, task_id=task.pk, arrangement="明天上门", customer_informed=True
        )
    with pytest.raises(NotFound):  # nor does a dealer
        tasks.arrange(
            actor=d.dealer_user_a, task_id=task.pk, arrangement="明天上门", customer_informed=True
        )
    with pytest.raises(PermissionDenied):
        tasks.hand_back(actor=d.customer_user_a, task_id=task.pk, reason="不是我们的事情")
    assert DealerTask.objects.get(pk=task.pk).state == "assigned"

    done = tasks.arrange(
        actor=d.member,
        task_id=task.pk,
        arrangement="工艺技术部张工11点电话指导，已告知客户",
        customer_informed=True,
        now=T10 + H,
    )
    assert done.state == "arranged" and done.arranged_by == d.member
    arrange.refresh_from_db()
    assert arrange.done_at == T10 + H and not arrange.is_overdue(T10 + 3 * H)
    deadlines.process_due(T10 + 3 * H)  # the stopped arrange clock does not escalate
    assert not Notification.objects.filter(key=f"deadline:{arrange.pk}:escalate").exists()

    tasks.check(actor=d.coordinator, task_id=task.pk, ok=True, now=T10 + 4 * H)
    check.refresh_from_db()
    assert check.done_at == T10 + 4 * H
    assert _moves(task) == [("", "assigned"), ("assigned", "arranged"), ("arranged", "checked")]
    assert not Notification.objects.filter(key=f"service_task:{task.pk}:not_arranged").exists()


def test_unarranged_at_the_check_is_reported_to_the_leaders(d) -> None:  # type: ignore[no-untyped-def]
    task = _give(d)
    arrange = _clock(task, tasks.STEP_ARRANGE)
    deadlines.process_due(T10 + 2 * H + dt.timedelta(minutes=1))
    late = Notification.objects.filter(key=f"deadline:{arrange.pk}:escalate")
    assert late.filter(recipient=d.coordinator).exists()
    assert late.filter(recipient=arrange.owner).exists()

    with pytest.raises(ValidationFailed, match="尚未确认安排"):  # cannot pass what is not arranged
        tasks.check(actor=d.coordinator, task_id=task.pk, ok=True, now=T10 + 4 * H)
    with pytest.raises(ValidationFailed):  # a failed check says what was found
        tasks.check(actor=d.coordinator, task_id=task.pk, ok=False, now=T10 + 4 * H)
    assert DealerTask.objects.get(pk=task.pk).state == "assigned"
    assert not Notification.objects.filter(recipient=d.manager).exists()

    tasks.check(
        actor=d.coordinator, task_id=task.pk, ok=False, note="部门未联系客户", now=T10 + 4 * H
    )
    task.refresh_from_db()
    assert task.state == "checked" and task.check_ok is False
    reported = Notification.objects.filter(key=f"service_task:{task.pk}:not_arranged")
    assert set(reported.values_list("recipient", flat=True)) == {d.manager.pk}
    assert task.number in reported.first().subject  # type: ignore[union-attr]
    assert _moves(task) == [("", "assigned"), ("assigned", "checked")]
    assert all(not c.is_open for c in deadlines.of(task))


def test_a_dealer_task_found_not_arranged_is_reported_too(d) -> None:  # type: ignore[no-untyped-def]
    task = tasks.assign(actor=d.coordinator, ticket_id=ticket(d, d.eq_a2).pk, now=T10)
    told = Notification.objects.filter(key=f"service_task:{task.pk}:assigned")
    assert list(told.values_list("recipient", flat=True)) == [d.dealer_user_a.pk]
    tasks.check(actor=d.coordinator, task_id=task.pk, ok=False, note="经销商未接电话", now=T10)
    reported = Notification.objects.filter(key=f"service_task:{task.pk}:not_arranged")
    assert list(reported.values_list("recipient", flat=True)) == [d.manager.pk]


def test_a_check_left_undone_at_4h_goes_to_the_leaders_and_the_rules_are_data(d) -> None:  # type: ignore[no-untyped-def]
    task = _give(d)
    check = _clock(task, tasks.STEP_CHECK)
    deadlines.process_due(T10 + 4 * H - dt.timedelta(minutes=1))
    assert not Notification.objects.filter(key=f"deadline:{check.pk}:escalate").exists()
    deadlines.process_due(T10 + 4 * H + dt.timedelta(minutes=1))
    fired = Notification.objects.filter(key=f"deadline:{check.pk}:escalate")
    assert {d.manager.pk, d.coordinator.pk} <= set(fired.values_list("recipient", flat=True))

    # an administrator edits the durations and the leaders: the next task follows them
    edit_rule(ARRANGE, amount=Decimal(3))
    edit_rule(CHECK, amount=Decimal(5), escalate_roles=["team_leader"])
    second = _give(d, at=T10 + 24 * H, equipment=d.eq_a2)
    assert _clock(second, tasks.STEP_ARRANGE).due_at == T10 + 27 * H
    assert _clock(second, tasks.STEP_CHECK).due_at == T10 + 29 * H
    tasks.check(actor=d.coordinator, task_id=second.pk, ok=False, note="未落实", now=T10 + 29 * H)
    reported = Notification.objects.filter(key=f"service_task:{second.pk}:not_arranged")
    assert list(reported.values_list("recipient", flat=True)) == [d.team_leader.pk]


def test_a_department_hands_back_with_a_reason_not_counted_against_a_dealer(d) -> None:  # type: ignore[no-untyped-def]
    task = _give(d)
    with pytest.raises(ValidationFailed, match="原因"):
        tasks.hand_back(actor=d.member, task_id=task.pk, reason="不")
    tasks.hand_back(actor=d.member, task_id=task.pk, reason="须经销商现场处理", now=T10 + H)
    task.refresh_from_db()
    assert task.state == "handed_back" and task.hand_back_reason == "须经销商现场处理"
    assert all(not c.is_open for c in deadlines.of(task))
    assert tasks.hand_back_counts() == {}
    assert _moves(task)[-1] == ("assigned", "handed_back")
    # nor does a department's task count in any dealer's rating
    from aftersales.dealers.services.rating import facts

    assert facts(dt.date(2026, 11, 1), dt.date(2026, 12, 1)) == {}


def test_a_bad_department_changes_nothing(d) -> None:  # type: ignore[no-untyped-def]
    tk = ticket(d)
    gone = Department.objects.create(code="OLD", name="已撤销部门", archived_at=timezone.now())
    for bad in (999_999, gone.pk):
        with pytest.raises(NotFound):
            tasks.assign(actor=d.coordinator, ticket_id=tk.pk, department_id=bad, now=T10)
    with pytest.raises(ValidationFailed):
        tasks.assign(
            actor=d.coordinator,
            ticket_id=tk.pk,
            department_id=d.tech.pk,
            dealer_id=d.dealer_a.pk,
            now=T10,
        )
    with pytest.raises(PermissionDenied):  # a department member is not an assigner
        tasks.assign(actor=d.member, ticket_id=tk.pk, department_id=d.tech.pk, now=T10)
    assert not DealerTask.objects.exists()
    assert not Deadline.objects.filter(step__in=[tasks.STEP_ARRANGE, tasks.STEP_CHECK]).exists()
    # the database holds the rule too: exactly one of dealer and department
    task = tasks.assign(actor=d.coordinator, ticket_id=tk.pk, department_id=d.tech.pk, now=T10)
    with pytest.raises(IntegrityError), transaction.atomic():
        DealerTask.objects.filter(pk=task.pk).update(dealer=d.dealer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        DealerTask.objects.filter(pk=task.pk).update(department=None)


def test_visibility_members_see_their_department_dealers_their_own(d) -> None:  # type: ignore[no-untyped-def]
    mine = _give(d)
    dealers_task = tasks.assign(
        actor=d.coordinator, ticket_id=ticket(d, d.eq_a2).pk, dealer_id=d.dealer_a.pk, now=T10
    )
    assert [x.pk for x in selectors.task_list(d.member)] == [mine.pk]
    assert selectors.task_list(d.outsider) == []
    assert [x.pk for x in selectors.task_list(d.dealer_user_a)] == [dealers_task.pk]
    assert selectors.task_list(d.dealer_user_b) == []
    assert selectors.task_list(d.customer_user_a) == []
    assert {x.pk for x in selectors.task_list(d.coordinator)} == {mine.pk, dealers_task.pk}
    assert [x.pk for x in selectors.task_list(d.coordinator, department_id=d.tech.pk)] == [mine.pk]


def test_department_tasks_through_the_api(d) -> None:  # type: ignore[no-untyped-def]
    tk = ticket(d)
    call(
        "post",
        "/api/v1/dealer-tasks",
        d.coordinator,
        {"ticket_id": tk.pk, "department_id": 999_999},
        status=404,
    )
    assert not DealerTask.objects.exists()
    made = call(
        "post",
        "/api/v1/dealer-tasks",
        d.coordinator,
        {"ticket_id": tk.pk, "department_id": d.tech.pk},
        status=201,
    )
    assert made["department_id"] == d.tech.pk and made["dealer_id"] is None
    assert made["assignee_name"] == made["department_name"] == "工艺技术部"
    assert made["arrange_due_at"] and made["check_due_at"]
    assert [r["id"] for r in call("get", "/api/v1/dealer-tasks", d.member)["items"]] == [made["id"]]
    assert call("get", "/api/v1/dealer-tasks", d.dealer_user_a)["items"] == []
    call("get", f"/api/v1/dealer-tasks/{made['id']}", d.outsider, status=404)
    call(
        "post",
        f"/api/v1/dealer-tasks/{made['id']}/arrange",
        d.sales_rep,
        {"arrangement": "明早上门", "customer_informed": True},
        status=403,
    )
    out = call(
        "post",
        f"/api/v1/dealer-tasks/{made['id']}/arrange",
        d.member,
        {"arrangement": "明早上门", "customer_informed": True},
    )
    assert out["state"] == "arranged"


def test_the_task_page_gives_a_ticket_to_a_department(d) -> None:  # type: ignore[no-untyped-def]
    tk = ticket(d)
    Department.objects.create(code="ZZ", name="已撤销部门", archived_at=timezone.now())
    coordinator, member = Client(), Client()
    coordinator.force_login(d.coordinator)
    member.force_login(d.member)
    page = coordinator.get("/dealers/tasks/").content.decode()
    assert f'<option value="{d.tech.pk}">工艺技术部</option>' in page
    assert "已撤销部门" not in page
    coordinator.post("/dealers/tasks/0/act/assign/", {"ticket_id": tk.pk, "department_id": "x"})
    assert not DealerTask.objects.exists()
    coordinator.post(
        "/dealers/tasks/0/act/assign/", {"ticket_id": tk.pk, "department_id": d.tech.pk}
    )
    task = DealerTask.objects.get()
    assert task.department_id == d.tech.pk
    # the member finds the tasks in his menu and arranges it on the page
    home = member.get("/dealers/tasks/").content.decode()
    assert task.number in home and f"/dealers/tasks/{task.pk}/act/arrange/" in home
    assert 'href="/dealers/tasks/"' in home
    other = Client()
    other.force_login(d.sales_rep)  # sees the task, may not arrange it
    assert (
        f"/dealers/tasks/{task.pk}/act/arrange/"
        not in other.get("/dealers/tasks/").content.decode()
    )
    member.post(
        f"/dealers/tasks/{task.pk}/act/arrange/",
        {"arrangement": "张工明早上门", "customer_informed": "1"},
    )
    assert DealerTask.objects.get(pk=task.pk).state == "arranged"


def test_the_ticket_page_gives_the_ticket_to_its_dealer_or_a_department(d) -> None:  # type: ignore[no-untyped-def]
    tk = ticket(d)
    url = reverse("service:ticket_detail", args=[tk.pk])
    coordinator, dealer = Client(), Client()
    coordinator.force_login(d.coordinator)
    dealer.force_login(d.dealer_user_a)
    page = coordinator.get(url).content.decode()
    assert 'data-testid="give-task"' in page
    assert (
        "所属经销商：杭州经销商" in page
        and f'<option value="{d.tech.pk}">工艺技术部</option>' in page
    )
    assert "承办方须在 2小时 内确认安排" in page and "售后主办在 4小时 后核查" in page
    # the hint is the configured rule, not a number in the page
    edit_rule(ARRANGE, amount=Decimal(3))
    assert "承办方须在 3小时 内确认安排" in coordinator.get(url).content.decode()
    assert 'data-testid="give-task"' not in dealer.get(url).content.decode()

    resp = coordinator.post(
        "/dealers/tasks/0/act/assign/",
        {"ticket_id": tk.pk, "department_id": d.tech.pk, "back": "ticket"},
    )
    assert resp.status_code == 302 and resp["Location"] == url
    task = DealerTask.objects.get(ticket=tk)
    page = coordinator.get(url).content.decode()
    assert task.number in page and "工艺技术部" in page
    assert 'data-testid="give-task"' not in page  # one open task per ticket
    assert task.number not in dealer.get(url).content.decode()
