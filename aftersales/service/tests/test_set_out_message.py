"""Issue 9 #7: setting out says what the customer was really sent, per channel — not
「客户已收到通知」 when no SMS gateway is connected and the customer has no portal login."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aftersales.service.services import dispatch
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db


def set_out(world: dict[str, Any]) -> str:
    t = w.ticket(world)
    wo = dispatch.dispatch(actor=world["coordinator"], ticket=t, technician_ids=[world["tech"].pk])
    tech = Client()
    tech.force_login(world["tech"])
    tech.post(f"/service/my-jobs/{wo.pk}/act/accept/")
    page = tech.post(f"/service/my-jobs/{wo.pk}/act/set_out/", follow=True).content.decode()
    assert "客户已收到通知" not in page
    return page


def test_set_out_with_a_portal_login_names_each_channel() -> None:
    world = w.build()
    page = set_out(world)
    assert (
        "已出发。通知客户：站内消息已送达（1 个客户门户账号）；未发邮件（未登记邮箱）；"
        "短信未发送（未接入短信网关）"
    ) in page


def test_set_out_without_portal_login_says_the_customer_was_not_reached() -> None:
    world = w.build()
    world["cust1"].is_active = False
    world["cust1"].save(update_fields=["is_active"])
    page = set_out(world)
    assert (
        "已出发。未能通知客户，请电话联系：未发站内消息（客户没有门户账号）；"
        "未发邮件（未登记邮箱）；短信未发送（未接入短信网关）"
    ) in page
