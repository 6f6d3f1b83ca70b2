"""The approval engine: parallel sign-off by departments, amount thresholds, the inbox, the
notifications to the next approver, history, working-day deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.approvals import selectors
from aftersales.approvals.models import ApprovalStep, ApprovalTask
from aftersales.approvals.services import engine
from aftersales.approvals.testing import TZ, day
from aftersales.bizcalendar.rules import add_working_minutes, working_day_minutes
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.notifications.models import Notification
from aftersales.parts.services import requests
from aftersales.parts.tests.helpers import file_request, pending_task
from aftersales.returns.services import applications

pytestmark = pytest.mark.django_db


def a_return(w):  # type: ignore[no-untyped-def]
    return applications.apply(
        actor=w.coordinator,
        data=applications.ReturnInput(
            reason="屏体批量死灯",
            customer_id=w.direct.id,
            lines=[applications.LineInput(part_code="PSU-5V", quantity=3)],
        ),
        now=day(0),
    )


def confirmed_request(w, *, cause: str = "process", amount: str | None = None):  # type: ignore[no-untyped-def]
    r = file_request(w)
    requests.analyse(actor=w.agent, request=r, cause=cause, amount=amount, now=day(0))
    requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-01", note="已确认", now=day(0)
    )
    return r


def test_parallel_sign_off_needs_every_department_before_the_next_step(w) -> None:  # type: ignore[no-untyped-def]
    ret = a_return(w)
    applications.submit(
        actor=w.coordinator, ret=ret, department_ids=[w.qc.id, w.sales.id], now=day(0)
    )
    tasks = ApprovalTask.objects.filter(request__object_id=ret.pk).order_by(
        "order", "department__code"
    )
    assert [(t.order, t.state, t.department.code if t.department else "") for t in tasks] == [
        (1, "pending", "QC"),
        (1, "pending", "SALES"),
        (2, "waiting", ""),
    ]
    sales_task = tasks.get(department=w.sales)
    qc_task = tasks.get(department=w.qc)
    # the inbox of each person holds only the tasks he may decide
    assert list(selectors.inbox(w.sales_rep)) == [sales_task]
    assert list(selectors.inbox(w.qd)) == [qc_task]
    assert list(selectors.inbox(w.coordinator)) == []
    with pytest.raises(PermissionDenied):
        engine.decide(actor=w.tech_rep, task=sales_task, decision="approve", now=day(0))
    with pytest.raises(PermissionDenied):
        engine.decide(actor=w.coordinator, task=sales_task, decision="approve", now=day(0))
    engine.decide(
        actor=w.sales_rep, task=sales_task, decision="approve", comment="同意", now=day(0)
    )
    final = tasks.get(order=2)
    final.refresh_from_db()
    assert final.state == "waiting"
    engine.decide(
        actor=w.qd, task=qc_task, decision="approve", comment="属质量问题", now=day(0, 10)
    )
    final.refresh_from_db()
    assert final.state == "pending"
    assert set(selectors.inbox(w.qcd)) == {final} and set(selectors.inbox(w.qd)) == {final}
    # 品质办主任 or 品管中心总监: either one decides the last step
    engine.decide(actor=w.qcd, task=final, decision="approve", now=day(0, 11))
    ret.refresh_from_db()
    assert ret.state == "approved"
    history = selectors.history(ret)
    assert len(history) == 1 and history[0].state == "approved"
    assert [t.decided_by for t in history[0].tasks.all()] == [w.qd, w.sales_rep, w.qcd]


def test_sign_off_departments_are_required(w) -> None:  # type: ignore[no-untyped-def]
    ret = a_return(w)
    with pytest.raises(ValidationFailed, match="会签"):
        applications.submit(actor=w.coordinator, ret=ret, department_ids=[], now=day(0))
    ret.refresh_from_db()
    assert ret.state == "applied"


def test_a_step_with_an_amount_threshold_applies_from_that_amount(w) -> None:  # type: ignore[no-untyped-def]
    flow = engine.get_flow("parts_request")
    ApprovalStep.objects.create(
        flow=flow,
        order=3,
        name="主管领导审批（≥1000元）",
        role_codes=["manager"],
        min_amount=Decimal("1000"),
    )
    small = confirmed_request(w, cause="customer_damage", amount="999.99")
    big = confirmed_request(w, cause="customer_damage", amount="1000.00")
    for r in (small, big):
        requests.submit(actor=w.agent, request=r, now=day(0))
        engine.decide(actor=w.coordinator, task=pending_task(r), decision="approve", now=day(0))
        engine.decide(actor=w.qd, task=pending_task(r), decision="approve", now=day(0))
        r.refresh_from_db()
    assert small.state == "approved" and big.state == "in_review"
    engine.decide(actor=w.manager, task=pending_task(big), decision="approve", now=day(0))
    big.refresh_from_db()
    assert big.state == "approved"


def test_next_approver_is_notified_and_a_decided_task_cannot_be_decided_again(w) -> None:  # type: ignore[no-untyped-def]
    r = confirmed_request(w)
    requests.submit(actor=w.agent, request=r, now=day(0))
    review = pending_task(r)
    told = Notification.objects.filter(key=f"approval:task:{review.pk}:assigned")
    assert {n.recipient for n in told if n.recipient} == {w.coordinator, w.coordinator2}
    engine.decide(actor=w.coordinator, task=review, decision="approve", now=day(0))
    approval = pending_task(r)
    assert Notification.objects.filter(
        key=f"approval:task:{approval.pk}:assigned", recipient=w.qd
    ).exists()
    with pytest.raises(Conflict, match="已由"):
        engine.decide(actor=w.coordinator2, task=review, decision="approve", now=day(0))
    engine.decide(actor=w.qd, task=approval, decision="approve", now=day(0))
    assert Notification.objects.filter(
        key__startswith="approval:request:", recipient=w.agent
    ).exists()


def test_approval_task_is_due_one_working_day_later_on_the_business_calendar(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.bizcalendar.selectors import business_calendar, invalidate
    from aftersales.demo.defaults import ensure_defaults

    ensure_defaults(today=dt.date(2026, 11, 23))
    invalidate()
    friday = dt.datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
    r = file_request(w, now=friday)
    requests.analyse(actor=w.agent, request=r, cause="process", now=friday)
    requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-01", note="已确认", now=friday
    )
    requests.submit(actor=w.agent, request=r, now=friday)
    task = pending_task(r)
    cal = business_calendar()
    expected = add_working_minutes(cal, friday, working_day_minutes(cal))
    assert task.due_at == expected
    assert expected.date() == dt.date(2026, 11, 30)  # over the weekend, Monday


def test_approval_authority_is_data(w) -> None:  # type: ignore[no-untyped-def]
    step = engine.get_flow("parts_request").steps.get(order=2)
    step.role_codes = ["quality_centre_director"]
    step.save()
    r = confirmed_request(w)
    requests.submit(actor=w.agent, request=r, now=day(0))
    engine.decide(actor=w.coordinator, task=pending_task(r), decision="approve", now=day(0))
    with pytest.raises(PermissionDenied):
        engine.decide(actor=w.qd, task=pending_task(r), decision="approve", now=day(0))
    engine.decide(actor=w.qcd, task=pending_task(r), decision="approve", now=day(0))
    r.refresh_from_db()
    assert r.state == "approved"


def test_a_step_limited_to_a_department(w) -> None:  # type: ignore[no-untyped-def]
    step = engine.get_flow("parts_request").steps.get(order=1)
    step.department = w.sales
    step.role_codes = ["agent"]
    step.save()
    r = confirmed_request(w)
    requests.submit(actor=w.agent, request=r, now=day(0))
    task = pending_task(r)
    assert list(selectors.inbox(w.agent)) == [] and list(selectors.inbox(w.sales_rep)) == [task]
    for outsider in (w.agent, w.tech_rep, w.coordinator):
        with pytest.raises(PermissionDenied):
            engine.decide(actor=outsider, task=task, decision="approve", now=day(0))
    engine.decide(actor=w.sales_rep, task=task, decision="approve", now=day(0))


def test_a_foreign_organisation_gets_the_same_404_as_for_a_missing_task(w) -> None:  # type: ignore[no-untyped-def]
    """Issue 8 §15: no step name, no 403 — another organisation cannot tell that the task
    exists."""
    from django.test import Client

    from aftersales import testing as t
    from aftersales.accounts.services import issue_token

    r = confirmed_request(w)
    requests.submit(actor=w.agent, request=r, now=day(0))
    task = pending_task(r)
    outsider = t.user("dealer", org=t.dealer(name="外部经销商"))
    _, key = issue_token(user=outsider)
    c = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = {"decision": "approve", "comment": ""}
    real = c.post(f"/api/v1/approvals/tasks/{task.pk}/decide", body, "application/json")
    missing = c.post(f"/api/v1/approvals/tasks/{task.pk + 10**6}/decide", body, "application/json")
    assert real.status_code == missing.status_code == 404
    assert real.json() == missing.json()
    assert task.step.name not in real.content.decode("unicode_escape")
    task.refresh_from_db()
    assert task.state == "pending"


@pytest.mark.parametrize(
    ("who", "body"),
    [
        # a bad decision was checked only after the API's own existence check: 422 for a real
        # task, 404 for a missing one (found by the visibility matrix)
        ("dealer", {"decision": "x", "comment": ""}),
        # a technician not on the document learnt the step name from the 403
        ("technician", {"decision": "approve", "comment": ""}),
    ],
)
def test_no_existence_oracle_for_a_bad_decision_or_an_outside_technician(w, who, body) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from aftersales import testing as t
    from aftersales.accounts.services import issue_token

    r = confirmed_request(w)
    requests.submit(actor=w.agent, request=r, now=day(0))
    task = pending_task(r)
    user = t.user("dealer", org=w.dealer_b) if who == "dealer" else t.user("technician")
    _, key = issue_token(user=user)
    c = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    real = c.post(f"/api/v1/approvals/tasks/{task.pk}/decide", body, "application/json")
    missing = c.post(f"/api/v1/approvals/tasks/{task.pk + 10**6}/decide", body, "application/json")
    assert (real.status_code, real.json()) == (missing.status_code, missing.json())
    assert task.step.name not in real.content.decode("unicode_escape")
    task.refresh_from_db()
    assert task.state == "pending"
