"""Nothing may be charged outside the published price list: a quote line that is not from the
list needs the approval (flow ``quote_manual_line``); until then the customer's acceptance
and any payment are refused with a Chinese message and nothing changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aftersales import testing as t
from aftersales.approvals.services import engine
from aftersales.charges.models import Payment
from aftersales.charges.services import payments
from aftersales.charges.tests.helpers import accepted_quote
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.parts.tests.helpers import pending_task
from aftersales.service.models import Quote
from aftersales.service.services import warranty

pytestmark = pytest.mark.django_db
D = Decimal


def manual_quote(world: Any, ticket: Any, amount: str = "300.00") -> Quote:
    return warranty.quote_create(
        actor=world.agent,
        ticket=ticket,
        parts=[warranty.QuotePart("PSU-5V", 1)],
        labour_hours="1",
        manual_lines=[warranty.ManualLine("高空作业车租用", amount)],
    )


def test_a_manual_line_waits_for_its_approval_and_is_refused_before(world: Any) -> None:
    listed = accepted_quote(world)
    ticket = listed.ticket
    sent = warranty.quote_create(actor=world.agent, ticket=ticket, parts=[], labour_hours="1")
    quote = manual_quote(world, ticket)
    assert quote.state == Quote.State.APPROVING
    assert (quote.manual_total, quote.total) == (D("300.00"), D("505.00"))
    line = quote.lines.get(kind="manual")
    assert (line.description, line.amount, line.basis) == ("高空作业车租用", D("300.00"), "manual")
    sent.refresh_from_db()
    assert sent.state == Quote.State.SENT  # the open quote stays until this one is approved
    # without the approval: the customer cannot accept it (portal link or recorded)
    before = Quote.objects.filter(pk=quote.pk).values().get()
    with pytest.raises(Conflict, match="须经主管领导审批同意后才能确认"):
        warranty.quote_decide(quote_token=quote.accept_token, accept=True, by_name="王经理")
    with pytest.raises(Conflict, match="须经主管领导审批同意后才能确认"):
        warranty.quote_decide(quote=quote, accept=True, by_name="王经理", actor=world.agent)
    with pytest.raises(Conflict, match="只能按客户已接受的报价收款"):
        payments.record_payment(
            actor=world.agent, quote_id=quote.pk, amount="505", method="cash", payer_name="王"
        )
    assert Quote.objects.filter(pk=quote.pk).values().get() == before
    assert not Payment.objects.filter(quote=quote).exists()
    # the manager approves: the quote goes to the customer, the older open one is replaced
    task = pending_task(quote)
    with pytest.raises(Exception, match="审批人"):
        engine.decide(actor=world.agent, task=task, decision="approve")
    engine.decide(actor=world.manager, task=task, decision="approve")
    quote.refresh_from_db()
    sent.refresh_from_db()
    assert quote.state == Quote.State.SENT and sent.state == Quote.State.SUPERSEDED
    accepted = warranty.quote_decide(quote=quote, accept=True, by_name="王经理", actor=world.agent)
    assert accepted.state == Quote.State.ACCEPTED


def test_a_refused_manual_line_leaves_the_quote_unusable(world: Any) -> None:
    ticket = accepted_quote(world).ticket
    quote = manual_quote(world, ticket)
    engine.decide(
        actor=world.manager, task=pending_task(quote), decision="reject", comment="不在收费标准内"
    )
    quote.refresh_from_db()
    assert quote.state == Quote.State.NOT_APPROVED
    with pytest.raises(Conflict):
        warranty.quote_decide(quote=quote, accept=True, by_name="王经理", actor=world.agent)


def test_bad_manual_amounts_write_nothing(world: Any) -> None:
    ticket = accepted_quote(world).ticket
    count = Quote.objects.count()
    for amount, message in (("1,000", "含逗号"), ("-5", "不能为负数"), ("0", "必须大于0")):
        with pytest.raises(ValidationFailed, match=message):
            manual_quote(world, ticket, amount)
    assert Quote.objects.count() == count


def test_the_ticket_page_offers_manual_lines_and_payment(world: Any) -> None:
    from django.test import Client

    quote = accepted_quote(world)
    c = Client()
    c.force_login(world.agent)
    page = c.get(f"/service/tickets/{quote.ticket_id}/").content.decode()
    assert 'name="manual_description"' in page and f"/charges/quotes/{quote.pk}/pay/" in page
    resp = c.post(
        f"/charges/quotes/{quote.pk}/pay/",
        {
            "amount": "205.00",
            "method": "cash",
            "payer_name": "王经理",
            "ticket_id": quote.ticket_id,
        },
    )
    assert resp.status_code == 302
    assert Payment.objects.get(quote=quote).receipts.count() == 1
    page = c.get(f"/service/tickets/{quote.ticket_id}/").content.decode()
    assert 'data-testid="quote-receipt"' in page
    # a dealer user is not company staff: no payment
    dealer_user = t.user("dealer", org=t.dealer(world.region, name="某经销商"))
    c.force_login(dealer_user)
    c.post(f"/charges/quotes/{quote.pk}/pay/", {"amount": "1", "method": "cash", "payer_name": "x"})
    assert Payment.objects.filter(quote=quote).count() == 1
