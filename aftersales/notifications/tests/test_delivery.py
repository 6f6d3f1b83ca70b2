"""One delivery attempt, in this process, against a real local HTTP server: claim, send,
record; backoff; the failures a vendor or the network can produce."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from aftersales.notifications import delivery
from aftersales.notifications.models import Channel, Notification, Status
from aftersales.notifications.services import notify
from aftersales.notifications.tasks import DeliveryAbandoned, RetryLater, deliver
from aftersales.notifications.tests.conftest import configure, robot
from aftersales.notifications.tests.servers import webhook_server

pytestmark = pytest.mark.django_db


def test_backoff_is_exponential_and_capped() -> None:
    assert [delivery.backoff_seconds(n, 60) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert delivery.backoff_seconds(30, 60) == delivery.BACKOFF_CAP_SECONDS
    assert delivery.backoff_seconds(3, 0) == 0


def test_email_is_sent_once_with_absolute_link(staff, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://fw.example.com/"
    (row,) = notify(
        key="ev:mail",
        recipients=[staff[0]],
        subject="工单已派给您",
        body="工单 BX-9 已派工，请尽快联系客户。",
        link="/tickets/9/",
        channels=["email"],
    )
    assert delivery.deliver(row.pk).result == "sent"
    assert delivery.deliver(row.pk).result == "skipped"  # a second job finds it sent
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["wang@example.com"] and msg.subject == "工单已派给您"
    assert "王主办，您好：" in msg.body
    assert "查看详情：https://fw.example.com/tickets/9/" in msg.body
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 1, "")
    assert row.sent_at is not None


def test_failed_attempt_records_error_and_next_attempt(staff, dept) -> None:  # type: ignore[no-untyped-def]
    configure(Channel.WECOM, retry_base_seconds=30, max_attempts=3)
    with webhook_server() as srv:
        srv.responder = lambda p, n: (200, {"errcode": 45009, "errmsg": "api freq out of limit"})
        robot(Channel.WECOM, f"{srv.url}/wecom?key=k")
        (row,) = notify(
            key="ev:w", recipients=[staff[0]], subject="标题", body="内容", channels=["wecom"]
        )
        before = timezone.now()
        with pytest.raises(RetryLater) as first:
            deliver(row.pk)
        row.refresh_from_db()
        assert (row.status, row.attempts) == (Status.FAILED, 1)
        assert "企业微信返回错误 45009" in row.last_error
        assert (
            before + dt.timedelta(seconds=30)
            <= row.next_attempt_at
            <= timezone.now() + dt.timedelta(seconds=30)
        )
        assert first.value.at == row.next_attempt_at
        with pytest.raises(RetryLater) as second:
            deliver(row.pk)
        assert second.value.at - timezone.now() > dt.timedelta(seconds=55)  # 2 × 30 s
        with pytest.raises(DeliveryAbandoned):
            deliver(row.pk)
        row.refresh_from_db()
        assert (row.status, row.attempts) == (Status.DEAD, 3)
        deliver(row.pk)  # a stray job for a dead row does nothing
        assert len(srv.requests) == 3


def test_http_error_bad_json_and_timeout_are_failures(staff) -> None:  # type: ignore[no-untyped-def]
    configure(Channel.DINGTALK, timeout_seconds=1, retry_base_seconds=0)
    with webhook_server() as srv:
        answers = {1: (502, {"error": "bad gateway"}), 2: (200, b"<html>busy</html>")}
        srv.responder = lambda p, n: answers.get(n, (200, {"errcode": 0}))
        robot(Channel.DINGTALK, f"{srv.url}/ding?access_token=t", secret="SECx")
        (row,) = notify(
            key="ev:d", recipients=[staff[0]], subject="标题", body="内容", channels=["dingtalk"]
        )
        assert delivery.deliver(row.pk).error.startswith("HTTP 502")
        assert "返回内容不是JSON" in delivery.deliver(row.pk).error
        srv.delay = 1.5
        assert "请求超时" in delivery.deliver(row.pk).error
        srv.delay = 0
        assert delivery.deliver(row.pk).result == "sent"
        row.refresh_from_db()
        assert (row.status, row.attempts) == (Status.SENT, 4)
        # the signed URL reaches the server with DingTalk's query parameters
        query = srv.requests[-1].query
        assert query["access_token"] == ["t"] and set(query) == {
            "access_token",
            "timestamp",
            "sign",
        }


def test_switched_off_robot_or_channel_gives_up(staff) -> None:  # type: ignore[no-untyped-def]
    with webhook_server() as srv:
        bot = robot(Channel.FEISHU, f"{srv.url}/feishu/hook")
        (row,) = notify(
            key="ev:f", recipients=[staff[0]], subject="标题", body="内容", channels=["feishu"]
        )
        bot.enabled = False
        bot.save(update_fields=["enabled"])
        outcome = delivery.deliver(row.pk)
        assert outcome.result == "dead" and "已停用" in outcome.error
        configure(Channel.EMAIL, enabled=True)
        (mail_row,) = notify(
            key="ev:f", recipients=[staff[0]], subject="标题", body="内容", channels=["email"]
        )
        configure(Channel.EMAIL, enabled=False)
        outcome = delivery.deliver(mail_row.pk)
        assert outcome.result == "dead" and "渠道“电子邮件”已停用" in outcome.error
        assert srv.requests == [] and mail.outbox == []


def test_ad_hoc_webhook_recipient_is_posted(staff) -> None:  # type: ignore[no-untyped-def]
    from aftersales.notifications.services import Recipient

    with webhook_server() as srv:
        (row,) = notify(
            key="ev:adhoc",
            recipients=[
                Recipient(name="值班群", webhook=f"{srv.url}/feishu/x", webhook_channel="feishu")
            ],
            subject="夜间值班提醒",
            body="今晚值班：李工",
        )
        assert delivery.deliver(row.pk).result == "sent"
        (posted,) = srv.requests
        assert posted.body == {
            "msg_type": "post",
            "content": {
                "post": {
                    "zh_cn": {
                        "title": "夜间值班提醒",
                        "content": [[{"tag": "text", "text": "今晚值班：李工"}]],
                    }
                }
            },
        }
        assert posted.content_type == "application/json; charset=utf-8"
    assert Notification.objects.get(pk=row.pk).status == Status.SENT
