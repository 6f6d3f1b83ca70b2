"""The loaner pool: the sweep offers the free unit of the right line nearest to the site;
a unit is lent once at a time, comes back to inspection, and only a passed inspection makes
it available again. Every step audited; refusals write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.service.models import LoanerTask
from aftersales.service.services import clocks
from aftersales.service.tests import web_world
from aftersales.stock.models import Loan, LoanerUnit
from aftersales.stock.services import loaners

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaner_world):  # type: ignore[no-untyped-def]
    return loaner_world


def test_sweep_offers_the_free_unit_of_the_line_nearest_to_the_site(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    tk = web_world.ticket(w, severity="urgent")
    assert [u.code for u in loaners.offer(tk)] == [
        "LN-EAST",
        "LN-NORTH",
        "LN-SOUTH",
    ]  # Beijing is nearer Shanghai than Guangzhou
    clocks.sweep(now=timezone.now() + dt.timedelta(hours=6))
    task = LoanerTask.objects.get(ticket=tk)
    assert task.note.endswith(
        "可用备用机：LN-EAST（华东区仓库）、LN-NORTH（华北区仓库）、LN-SOUTH（华南区仓库）"
    )


def test_lend_take_back_inspect(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    tk = web_world.ticket(w, severity="urgent")
    clocks.sweep(now=timezone.now() + dt.timedelta(hours=6))
    due = timezone.localdate() + dt.timedelta(days=7)
    loan = loaners.lend(
        actor=w["keeper"], unit_id=w["near"].pk, ticket_id=tk.pk, signed_by="王经理", due_back=due
    )
    assert loan.number.startswith("BY") and loan.signed_by == "王经理"
    w["near"].refresh_from_db()
    assert w["near"].state == "lent"
    assert LoanerTask.objects.get(ticket=tk).state == "lent"
    other = web_world.ticket(w, severity="urgent", equipment="e2")
    with pytest.raises(Conflict, match="已借出"):
        loaners.lend(
            actor=w["keeper"],
            unit_id=w["near"].pk,
            ticket_id=other.pk,
            signed_by="刘",
            due_back=due,
        )
    with pytest.raises(Conflict):  # not back yet
        loaners.inspect(actor=w["keeper"], loan=loan, ok=True)
    loaners.take_back(actor=w["keeper"], loan=loan)
    w["near"].refresh_from_db()
    assert w["near"].state == "inspecting"
    with pytest.raises(Conflict):  # back, but not inspected: still not lendable
        loaners.lend(
            actor=w["keeper"],
            unit_id=w["near"].pk,
            ticket_id=other.pk,
            signed_by="刘",
            due_back=due,
        )
    with pytest.raises(ValidationFailed, match="说明"):
        loaners.inspect(actor=w["keeper"], loan=loan, ok=False)
    loaners.inspect(actor=w["keeper"], loan=loan, ok=True, note="外观完好，通电正常")
    w["near"].refresh_from_db()
    assert w["near"].state == "available"
    assert LoanerTask.objects.get(ticket=tk).state == "returned"
    again = loaners.lend(
        actor=w["keeper"],
        unit_id=w["near"].pk,
        ticket_id=other.pk,
        signed_by="刘主任",
        due_back=due,
    )
    assert Loan.objects.filter(unit=w["near"]).count() == 2 and again.returned_at is None
    verbs = set(
        AuditEvent.objects.filter(object_id=str(loan.pk), content_type__model="loan").values_list(
            "verb", flat=True
        )
    )
    assert {"create", "loan_returned", "loan_inspected"} <= verbs


def test_failed_inspection_sends_the_unit_to_repair(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    tk = web_world.ticket(w)
    due = timezone.localdate() + dt.timedelta(days=3)
    loan = loaners.lend(
        actor=w["keeper"], unit_id=w["far"].pk, ticket_id=tk.pk, signed_by="王经理", due_back=due
    )
    loaners.take_back(actor=w["keeper"], loan=loan)
    loaners.inspect(actor=w["keeper"], loan=loan, ok=False, note="屏体磕碰")
    w["far"].refresh_from_db()
    assert w["far"].state == "in_repair"
    assert w["far"] not in loaners.offer(tk)


def test_refusals_write_nothing(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    tk = web_world.ticket(w)
    due = timezone.localdate() + dt.timedelta(days=3)
    lcd = LoanerUnit.objects.get(code="LN-EAST-LCD")
    before = Loan.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match="产品线"):
        loaners.lend(
            actor=w["keeper"], unit_id=lcd.pk, ticket_id=tk.pk, signed_by="王", due_back=due
        )
    with pytest.raises(ValidationFailed, match="签收人"):
        loaners.lend(
            actor=w["keeper"], unit_id=w["near"].pk, ticket_id=tk.pk, signed_by=" ", due_back=due
        )
    with pytest.raises(ValidationFailed, match="早于今天"):
        loaners.lend(
            actor=w["keeper"],
            unit_id=w["near"].pk,
            ticket_id=tk.pk,
            signed_by="王",
            due_back=timezone.localdate() - dt.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        loaners.lend(
            actor=w["agent"], unit_id=w["near"].pk, ticket_id=tk.pk, signed_by="王", due_back=due
        )
    with pytest.raises(NotFound):  # a dealer's user may not even see another dealer's ticket
        loaners.lend(
            actor=w["tech2"], unit_id=w["near"].pk, ticket_id=tk.pk, signed_by="王", due_back=due
        )
    assert (Loan.objects.count(), AuditEvent.objects.count()) == before
    w["near"].refresh_from_db()
    assert w["near"].state == "available"
