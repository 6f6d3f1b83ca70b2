"""A master record's history says what happened (9#19): the event's name, each changed field
by its name and its values as shown on the page (choice labels, linked records' names), never
a bare 「操作」 or column keys; in English for an English reader."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.core import audit
from aftersales.customers.models import Customer

pytestmark = pytest.mark.django_db


def _customer_with_history() -> tuple[Customer, object]:
    east, west = t.region(name="华东"), t.region(name="华西")
    agent = t.user("coordinator")
    _, key = issue_token(user=agent)
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    c = Client()
    cid = c.post(
        "/api/v1/customers",
        {"code": "H-1", "name": "上海华建", "region_id": east.id, "tier": "normal"},
        content_type="application/json",
        **h,
    ).json()["id"]
    assert (
        c.patch(
            f"/api/v1/customers/{cid}",
            {"tier": "key", "phone": "021-1234", "region_id": west.id},
            content_type="application/json",
            **h,
        ).status_code
        == 200
    )
    customer = Customer.objects.get(pk=cid)
    audit.record(customer, actor=agent, action="action", verb="登记收卡日期")
    return customer, agent


def _history(page: str) -> str:
    start = page.index('data-testid="record-history"')
    return page[start : page.index("</ol>", start)]


def test_history_names_the_event_the_fields_and_their_shown_values() -> None:
    customer, agent = _customer_with_history()
    c = Client()
    c.force_login(agent)
    shown = _history(c.get(f"/customers/{customer.pk}/").content.decode())
    assert "登记收卡日期" in shown and "操作" not in shown  # the event's name, not 「操作」
    assert "等级：普通客户 → 重点客户" in shown  # field name, choice labels
    assert "电话：（空） → 021-1234" in shown
    assert "片区：华东 → 华西" in shown  # a linked record by its name, not its id
    assert "tier" not in shown and "region_id" not in shown and "normal" not in shown


def test_history_in_english() -> None:
    customer, agent = _customer_with_history()
    c = Client()
    c.force_login(agent)
    c.cookies["django_language"] = "en"
    shown = _history(c.get(f"/customers/{customer.pk}/").content.decode())
    assert "Key customer" in shown or "Key account" in shown, shown
    for chinese in ("等级", "普通客户", "电话", "修改", "创建", "登记收卡日期"):
        assert chinese not in shown, (chinese, shown)
