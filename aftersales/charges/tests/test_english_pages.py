"""The charges pages under the ``en`` language show no Chinese outside user data (what the
every-role walk checks in Chromium, here per page and fast)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aftersales import testing as t
from aftersales.charges.services import expenses, payments
from aftersales.charges.tests.helpers import accepted_quote
from aftersales.service.models import WorkOrder
from aftersales.service.services import dispatch, warranty
from aftersales.web.tests.untranslated import stored_runs, untranslated

pytestmark = pytest.mark.django_db


def english(c: Client, path: str, section: str = "") -> list[str]:
    c.cookies["django_language"] = "en"
    resp = c.get(path)
    assert resp.status_code == 200, path
    html = resp.content.decode()
    if section:  # only the part of a page this app adds
        found = re.search(rf'<section class="panel" id="{section}">.*?</section>', html, re.S)
        assert found, section
        html = found.group()
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'<form [^>]*class="lang".*?</form>', "", html, flags=re.S)
    return untranslated(html, stored_runs())


def test_receipts_expenses_and_the_quote_panel_are_english(world: Any) -> None:
    quote = accepted_quote(world)
    receipt = payments.record_payment(
        actor=world.finance,
        quote_id=quote.pk,
        amount="205",
        method="wechat",
        payer_name="王经理",
        reference="42000",
    )
    payments.reverse_receipt(actor=world.finance, receipt_id=receipt.pk, reason="客户退款")
    warranty.quote_create(
        actor=world.agent,
        ticket=quote.ticket,
        parts=[],
        labour_hours="1",
        manual_lines=[warranty.ManualLine("高空作业车", "100")],
    )
    wo = dispatch.dispatch(
        actor=world.coordinator, ticket=quote.ticket, technician_ids=[world.tech1.pk]
    )
    WorkOrder.objects.filter(pk=wo.pk).update(dispatched_at=timezone.now() - dt.timedelta(days=2))
    claim = expenses.create_claim(
        actor=world.tech1,
        work_order_id=wo.pk,
        lines=[expenses.LineInput(timezone.localdate(), "meals", "30", "上海")],
    )
    expenses.submit(actor=world.tech1, claim_id=claim.pk)
    leader = t.user("team_leader", username="leader")
    for user, paths in (
        (
            world.finance,
            ["/charges/receipts/", "/charges/expenses/", f"/charges/expenses/{claim.pk}/"],
        ),
        (world.tech1, ["/charges/expenses/", f"/charges/expenses/{claim.pk}/"]),
        (leader, [f"/charges/expenses/{claim.pk}/"]),
    ):
        c = Client()
        c.force_login(user)
        for path in paths:
            assert english(c, path) == [], (user.username, path)
    c = Client()
    c.force_login(world.agent)
    assert english(c, f"/service/tickets/{quote.ticket_id}/", section="quotes") == []
