"""The loaner pool through the API and the board page; overdue loans are told about once
and escalated once (controlled clock); who sees which loans."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.accounts.services import issue_token
from aftersales.core.models import AuditEvent
from aftersales.notifications.models import Notification
from aftersales.service.tests import web_world
from aftersales.stock.models import Loan, LoanerUnit
from aftersales.stock.services import loaners

pytestmark = pytest.mark.django_db


def h(user: Any) -> dict[str, str]:
    _, key = issue_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def api(user: Any, url: str, body: dict[str, Any] | None = None) -> Any:
    c = Client()
    if body is None:
        return c.get(url, **h(user))
    return c.post(url, json.dumps(body), content_type="application/json", **h(user))


def web(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_lend_return_inspect_through_the_api_and_who_sees_the_loan(loaner_world) -> None:  # type: ignore[no-untyped-def]
    w = loaner_world
    tk = web_world.ticket(w, severity="urgent")
    offered = api(w["keeper"], f"/api/v1/stock/loaners-for-ticket/{tk.pk}")
    assert offered.status_code == 200, offered.content
    assert [u["code"] for u in offered.json()][:1] == ["LN-EAST"]
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    body = {"unit_id": w["near"].pk, "ticket_id": tk.pk, "signed_by": "王经理", "due_back": due}
    resp = api(w["keeper"], "/api/v1/stock/loans", body)
    assert resp.status_code == 201, resp.content
    loan = resp.json()
    assert loan["unit_code"] == "LN-EAST" and loan["ticket_number"] == tk.number
    assert loan["overdue"] is False
    again = api(w["keeper"], "/api/v1/stock/loans", {**body, "signed_by": "刘"})
    assert again.status_code == 409 and "状态" in again.json()["message"]
    too_long = api(w["keeper"], "/api/v1/stock/loans", {**body, "signed_by": "王" * 51})
    assert too_long.status_code == 422
    # the customer sees its own loan, another customer and a dealer of another one do not
    assert api(w["cust1"], f"/api/v1/stock/loans/{loan['id']}").status_code == 200
    assert api(w["cust2"], f"/api/v1/stock/loans/{loan['id']}").status_code == 404
    assert api(w["dealer2"], f"/api/v1/stock/loans/{loan['id']}").status_code == 404
    assert api(w["cust1"], "/api/v1/stock/loaners").json()["count"] == 0
    assert api(w["cust1"], f"/api/v1/stock/loaners-for-ticket/{tk.pk}").status_code == 403
    assert api(w["cust1"], f"/api/v1/stock/loans/{loan['id']}/return", {}).status_code == 403
    back = api(w["keeper"], f"/api/v1/stock/loans/{loan['id']}/return", {})
    assert back.status_code == 200 and back.json()["returned_at"]
    bad = api(w["keeper"], f"/api/v1/stock/loans/{loan['id']}/inspect", {"ok": False})
    assert bad.status_code == 422 and "说明" in bad.json()["message"]
    done = api(
        w["keeper"], f"/api/v1/stock/loans/{loan['id']}/inspect", {"ok": False, "note": "磕碰"}
    )
    assert done.status_code == 200 and done.json()["inspection_ok"] is False
    w["near"].refresh_from_db()
    assert w["near"].state == "in_repair"
    fixed = api(w["keeper"], f"/api/v1/stock/loaners/{w['near'].pk}/repaired", {})
    assert fixed.status_code == 200 and fixed.json()["state"] == "available"


def test_the_board_lends_takes_back_and_inspects(loaner_world) -> None:  # type: ignore[no-untyped-def]
    w = loaner_world
    tk = web_world.ticket(w, severity="urgent")
    c = web(w["keeper"])
    html = c.get("/stock/loaners/").content.decode()
    assert 'data-code="LN-EAST" data-state="available"' in html
    due = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    resp = c.post(
        "/stock/loaners/lend/",
        {"unit": w["near"].pk, "ticket": tk.number, "signed_by": "王经理", "due_back": due},
        follow=True,
    )
    html = resp.content.decode()
    assert "已借出 LN-EAST" in html and 'data-code="LN-EAST" data-state="lent"' in html
    loan = Loan.objects.get(unit=w["near"])
    assert (
        c.post("/stock/loaners/lend/", {"unit": w["far"].pk, "ticket": "NOPE"}).status_code == 302
    )
    assert Loan.objects.count() == 1  # an unknown ticket lends nothing
    c.post(f"/stock/loans/{loan.pk}/return/")
    html = c.get("/stock/loaners/?which=returned").content.decode()
    assert 'data-testid="inspect-form"' in html
    c.post(f"/stock/loans/{loan.pk}/inspect/", {"result": "ok", "note": "完好"})
    w["near"].refresh_from_db()
    assert w["near"].state == "available"
    assert web(w["tech2"]).get("/stock/loaners/").status_code == 200  # staff
    assert web(w["cust1"]).get("/stock/loaners/").status_code == 404
    assert web(w["dealer1"]).post(f"/stock/loans/{loan.pk}/return/").status_code == 404


def test_an_overdue_loan_is_told_once_and_escalated_once(loaner_world) -> None:  # type: ignore[no-untyped-def]
    """Told the day after the agreed date (the sweep); escalated on the deadline engine the
    rule's days after that (rule stock.loan_escalation: 3 days, team leaders and managers),
    once, and recorded on the loan; a loan taken back is never escalated."""
    from aftersales.approvals.models import Deadline, DeadlineRule
    from aftersales.approvals.services import deadlines

    w = loaner_world
    tk = web_world.ticket(w, severity="urgent")
    lent = timezone.now()
    due = timezone.localdate(lent) + dt.timedelta(days=2)
    loan = loaners.lend(
        actor=w["keeper"], unit_id=w["near"].pk, ticket_id=tk.pk, signed_by="王", due_back=due
    )
    step = Deadline.objects.get(object_id=loan.pk, step=loaners.ESCALATION_STEP)
    midnight = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time()))
    assert step.starts_at == midnight and step.due_at == midnight + dt.timedelta(days=3)
    day = dt.timedelta(days=1)
    assert loaners.sweep_overdue(lent + 2 * day) == 0  # due today: not late
    assert loaners.sweep_overdue(lent + 3 * day) == 1
    assert loaners.sweep_overdue(lent + 3 * day) == 0
    told = Notification.objects.filter(key=f"ticket:{tk.pk}:loan:{loan.pk}:overdue")
    assert (
        told.filter(recipient=w["keeper"]).exists()
        and told.filter(recipient=w["coordinator"]).exists()
    )
    up = Notification.objects.filter(key=f"deadline:{step.pk}:escalate")
    deadlines.process_due(midnight + dt.timedelta(days=3) - dt.timedelta(minutes=1))
    assert not up.exists()  # 3 days late: not yet
    assert loaners.sweep_overdue(lent + 5 * day) == 0
    for _ in range(2):
        deadlines.process_due(midnight + dt.timedelta(days=3, minutes=20))
    assert up.filter(recipient=w["manager"]).count() == 1
    assert up.filter(recipient=w["keeper"]).count() == 1  # the lender
    assert loaners.sweep_overdue(lent + 6 * day) == 1  # recorded on the loan, once
    assert loaners.sweep_overdue(lent + 7 * day) == 0
    loan.refresh_from_db()
    assert loan.escalated_at == midnight + dt.timedelta(days=3, minutes=20)
    verbs = set(
        AuditEvent.objects.filter(content_type__model="loan", object_id=str(loan.pk)).values_list(
            "verb", flat=True
        )
    )
    assert {"loan_overdue", "loan_escalated"} <= verbs
    loaners.take_back(actor=w["keeper"], loan=loan)  # a returned loan is never late
    step.refresh_from_db()
    assert step.done_at is not None
    # the administrator escalates after 1 day: the next loan follows the rule
    rule = DeadlineRule.objects.get(code="stock.loan_escalation")
    rule.amount = 1
    rule.save()
    other = web_world.ticket(w, equipment="e2")
    late = loaners.lend(
        actor=w["keeper"], unit_id=w["far"].pk, ticket_id=other.pk, signed_by="刘", due_back=due
    )
    second = Deadline.objects.get(object_id=late.pk, step=loaners.ESCALATION_STEP)
    assert second.due_at == midnight + day
    loaners.take_back(actor=w["keeper"], loan=late)
    deadlines.process_due(midnight + 5 * day)
    assert not Notification.objects.filter(key=f"deadline:{second.pk}:escalate").exists()
    assert loaners.sweep_overdue(lent + 9 * day) == 0


def test_retire_keeps_the_unit_and_refuses_a_lent_one(loaner_world) -> None:  # type: ignore[no-untyped-def]
    w = loaner_world
    from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed

    lent = LoanerUnit.objects.get(code="LN-EAST-LENT")
    with pytest.raises(Conflict):
        loaners.retire(actor=w["keeper"], unit=lent, reason="老化")
    with pytest.raises(ValidationFailed):
        loaners.retire(actor=w["keeper"], unit=w["far"], reason=" ")
    with pytest.raises(PermissionDenied):
        loaners.retire(actor=w["tech"], unit=w["far"], reason="老化")
    loaners.retire(actor=w["keeper"], unit=w["far"], reason="屏体老化，退出备用")
    w["far"].refresh_from_db()
    assert w["far"].state == "retired" and w["far"].archived_at is None
    tk = web_world.ticket(w)
    assert w["far"] not in loaners.offer(tk, limit=20)


def test_an_open_loan_lent_before_its_deadline_existed_gets_it_from_the_sweep(loaner_world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.approvals.models import Deadline

    w = loaner_world
    tk = web_world.ticket(w, severity="urgent")
    due = timezone.localdate() + dt.timedelta(days=2)
    loan = loaners.lend(
        actor=w["keeper"], unit_id=w["near"].pk, ticket_id=tk.pk, signed_by="王", due_back=due
    )
    # as a loan lent before the escalation was on the deadline engine: no such step
    Deadline.objects.filter(object_id=loan.pk, step=loaners.ESCALATION_STEP).update(step="old")
    loaners.sweep_overdue()
    got = Deadline.objects.get(object_id=loan.pk, step=loaners.ESCALATION_STEP)
    midnight = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time()))
    assert got.due_at == midnight + dt.timedelta(days=3) and got.owner == w["keeper"]
    loaners.sweep_overdue()
    assert Deadline.objects.filter(object_id=loan.pk, step=loaners.ESCALATION_STEP).count() == 1
