"""Issue 9 #7: sending the inspection record says what the customer was really sent, per
channel, instead of 「检验记录已发送客户」 whatever reached him."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aftersales.returns.tests.helpers import to_decided


def send_record(w: Any) -> str:
    ret = to_decided(w)
    c = Client()
    c.force_login(w.coordinator)
    return c.post(f"/returns/{ret.pk}/act/send_record/", follow=True).content.decode()


def test_the_message_names_each_channel(w: Any) -> None:
    page = send_record(w)
    assert "检验记录已发送客户" not in page
    assert (
        "检验记录已送客户，等待2天内确认。通知客户：站内消息已送达（1 个客户门户账号）；"
        "未发邮件（未登记邮箱）"
    ) in page


def test_without_a_portal_login_it_says_the_customer_was_not_reached(w: Any) -> None:
    w.customer_user_a.is_active = False
    w.customer_user_a.save(update_fields=["is_active"])
    page = send_record(w)
    assert "未能通知客户，请电话联系：未发站内消息（客户没有门户账号）" in page
