"""Expense claims per trip: a line outside the trip's dates is refused (nothing written), bad
amounts get a Chinese error, reimbursement only after the approval; Excel for finance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aftersales import testing as t
from aftersales.approvals.services import engine
from aftersales.charges.models import ExpenseClaim, ExpenseLine
from aftersales.charges.services import expenses
from aftersales.charges.tests.helpers import accepted_quote
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.parts.tests.helpers import pending_task
from aftersales.service.models import WorkOrder
from aftersales.service.services import dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip(world: Any) -> WorkOrder:
    """tech1's trip: dispatched 5 days ago, left the site 3 days ago."""
    ticket = accepted_quote(world).ticket
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.pk])
    now = timezone.now()
    WorkOrder.objects.filter(pk=wo.pk).update(
        dispatched_at=now - dt.timedelta(days=5), check_out_at=now - dt.timedelta(days=3)
    )
    wo.refresh_from_db()
    return wo


def line(days_ago: int, amount: str = "120.00", **kw: Any) -> expenses.LineInput:
    return expenses.LineInput(
        spent_on=timezone.localdate() - dt.timedelta(days=days_ago),
        category=kw.pop("category", "lodging"),
        amount=amount,
        place=kw.pop("place", "上海浦东"),
    )


def claim(world: Any, trip: WorkOrder, *lines: expenses.LineInput) -> ExpenseClaim:
    return expenses.create_claim(actor=world.tech1, work_order_id=trip.pk, lines=list(lines))


def test_a_line_outside_the_trip_is_refused_and_nothing_written(world: Any, trip: Any) -> None:
    for days_ago in (6, 2):
        with pytest.raises(ValidationFailed, match="不在出差期间") as err:
            claim(world, trip, line(4), line(days_ago))
        assert err.value.code == "outside_trip"
    for amount, message in (("1,200", "含逗号"), ("-10", "不能为负数"), ("0", "必须大于0")):
        with pytest.raises(ValidationFailed, match=message):
            claim(world, trip, line(4, amount))
    assert not ExpenseClaim.objects.exists() and not ExpenseLine.objects.exists()
    ok = claim(world, trip, line(5, "80.50", category="transport"), line(3, "240.00"))
    assert ok.number.startswith("FY") and str(ok.total) == "320.50" and ok.state == "draft"


def test_only_his_own_trip_and_only_a_technician(world: Any, trip: Any) -> None:
    with pytest.raises(NotFound):
        expenses.create_claim(actor=world.tech2, work_order_id=trip.pk, lines=[line(4)])
    with pytest.raises(PermissionDenied):
        expenses.create_claim(actor=world.agent, work_order_id=trip.pk, lines=[line(4)])


def test_reimbursement_needs_the_approval(world: Any, trip: Any) -> None:
    finance = world.finance
    leader = t.user("team_leader", username="leader")
    c = claim(world, trip, line(4))
    with pytest.raises(Conflict, match="须经审批同意后才能报销"):
        expenses.reimburse(actor=finance, claim_id=c.pk)
    expenses.submit(actor=world.tech1, claim_id=c.pk)
    with pytest.raises(Conflict, match="须经审批同意后才能报销"):
        expenses.reimburse(actor=finance, claim_id=c.pk)
    task = pending_task(c)
    with pytest.raises(PermissionDenied):
        engine.decide(actor=finance, task=task, decision="approve")
    engine.decide(actor=leader, task=task, decision="approve")
    c.refresh_from_db()
    assert c.state == "approved"
    with pytest.raises(PermissionDenied):
        expenses.reimburse(actor=world.tech1, claim_id=c.pk)
    done = expenses.reimburse(actor=finance, claim_id=c.pk)
    assert done.state == "reimbursed" and done.reimbursed_by == finance
    with pytest.raises(Conflict):
        expenses.reimburse(actor=finance, claim_id=c.pk)


def test_a_rejected_claim_is_not_reimbursed(world: Any, trip: Any) -> None:
    leader = t.user("team_leader", username="leader")
    c = claim(world, trip, line(4))
    expenses.submit(actor=world.tech1, claim_id=c.pk)
    engine.decide(actor=leader, task=pending_task(c), decision="reject", comment="票据不全")
    c.refresh_from_db()
    assert c.state == "rejected"
    with pytest.raises(Conflict):
        expenses.reimburse(actor=world.finance, claim_id=c.pk)


def test_pages_api_and_export(world: Any, trip: Any) -> None:
    tech = Client()
    tech.force_login(world.tech1)
    day = (timezone.localdate() - dt.timedelta(days=4)).isoformat()
    resp = tech.post(
        "/charges/expenses/new/",
        {
            "work_order_id": trip.pk,
            "spent_on_0": day,
            "category_0": "meals",
            "amount_0": "60",
            "place_0": "上海",
        },
    )
    c = ExpenseClaim.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/charges/expenses/{c.pk}/"
    assert "60.00" in tech.get(f"/charges/expenses/{c.pk}/").content.decode()
    other = Client()
    other.force_login(world.tech2)
    assert other.get(f"/charges/expenses/{c.pk}/").status_code == 404
    assert c.number not in other.get("/charges/expenses/").content.decode()
    fin = Client()
    fin.force_login(world.finance)
    assert c.number in fin.get("/charges/expenses/").content.decode()
    xlsx = fin.get("/charges/expenses/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # the API refuses a line outside the trip in Chinese
    from aftersales.accounts.services import issue_token

    _, key = issue_token(user=world.tech1)
    api = tech.post(
        "/api/v1/expense-claims",
        {
            "work_order_id": trip.pk,
            "lines": [
                {
                    "spent_on": timezone.localdate().isoformat(),
                    "category": "meals",
                    "amount": "60",
                    "place": "上海",
                }
            ],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert api.status_code == 422 and "不在出差期间" in api.json()["message"]
    assert ExpenseClaim.objects.count() == 1
