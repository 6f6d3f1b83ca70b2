"""Issue 9 #7: confirming the delivery date says what the customer was really sent, per
channel, instead of 「确认单已回传客户」 whatever reached him."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.parts.services import requests
from aftersales.parts.tests.helpers import file_request

pytestmark = pytest.mark.django_db


def confirm(w: Any) -> str:
    r = file_request(w, now=timezone.now())
    requests.analyse(actor=w.agent, request=r, cause="process")
    c = Client()
    c.force_login(w.agent)
    day = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    page = c.post(
        f"/parts/requests/{r.pk}/act/confirm/", {"committed_date": day, "note": "电话"}, follow=True
    ).content.decode()
    assert "确认单已回传客户" not in page
    return page


def test_the_message_names_each_channel(w: Any) -> None:
    assert (
        "已电话确认交付日期。通知客户：站内消息已送达（1 个客户门户账号）；未发邮件（未登记邮箱）"
    ) in confirm(w)


def test_without_a_portal_login_it_says_the_customer_was_not_reached(w: Any) -> None:
    w.customer_user_a.is_active = False
    w.customer_user_a.save(update_fields=["is_active"])
    assert "未能通知客户，请电话联系：未发站内消息（客户没有门户账号）" in confirm(w)
