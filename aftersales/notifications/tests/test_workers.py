"""Real worker processes against the test database, real local webhook and SMTP servers:
each notification is delivered exactly once (even with duplicate jobs), failures are retried
with backoff, and given up on after the channel's maximum attempts."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.db import transaction

from aftersales.notifications import webhooks
from aftersales.notifications.models import Channel, Notification, Status
from aftersales.notifications.services import notify
from aftersales.notifications.tasks import deliver
from aftersales.notifications.tests.conftest import (
    configure,
    delivery_jobs,
    drain,
    robot,
    running_workers,
    wait_until,
)
from aftersales.notifications.tests.servers import smtp_server, webhook_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("workers")]

NAMES = "通知对象：王主办、李工"


@pytest.fixture
def smtp(monkeypatch):  # type: ignore[no-untyped-def]
    """Worker processes read EMAIL_* from the environment (aftersales/settings.py)."""
    with smtp_server() as server:
        monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
        monkeypatch.setenv("EMAIL_HOST", server.host)
        monkeypatch.setenv("EMAIL_PORT", str(server.port))
        yield server


def test_two_workers_deliver_each_notification_exactly_once(staff, smtp) -> None:  # type: ignore[no-untyped-def]
    for channel in Channel.values:
        configure(channel, enabled=True, retry_base_seconds=0)
    with webhook_server() as srv:
        robot(Channel.WECOM, f"{srv.url}/wecom/send?key=k-1")
        robot(Channel.DINGTALK, f"{srv.url}/dingtalk/robot/send?access_token=tok", secret="SECtest")
        robot(Channel.FEISHU, f"{srv.url}/feishu/hook/abc", secret="fs-secret")
        events = {
            f"工单 BX-{i:03d} 响应即将超时": f"工单 BX-{i:03d} 剩余 {i} 分钟，请尽快联系客户。"
            for i in range(12)
        }
        with transaction.atomic():
            for i, (subject, body) in enumerate(events.items()):
                notify(
                    key=f"ticket:{i}:sla:response:warn",
                    recipients=staff,
                    subject=subject,
                    body=body,
                )
        ids = list(Notification.objects.exclude(channel="in_app").values_list("pk", flat=True))
        # 2 e-mails + 3 robots per event, one job each; in-app needs none
        assert delivery_jobs(args__notification_id__in=ids).count() == 12 * 5
        # Two more jobs per row, as a re-deferring sweeper or an operator could leave behind:
        # the row's claim, not the job queue, is what keeps a message from going out twice.
        with transaction.atomic():
            for pk in ids * 2:
                deliver.defer(notification_id=pk)

        drain(workers=2)

    assert Notification.objects.exclude(status=Status.SENT).count() == 0
    assert set(
        Notification.objects.exclude(channel="in_app").values_list("attempts", flat=True)
    ) == {1}

    wecom, ding, feishu = (
        srv.posted("/wecom/send"),
        srv.posted("/dingtalk/robot/send"),
        srv.posted("/feishu/hook/abc"),
    )
    assert len(wecom) == len(ding) == len(feishu) == len(events)
    assert sorted(p.body["markdown"]["content"] for p in wecom) == sorted(
        f'**{s}**\n{b}\n<font color="comment">{NAMES}</font>' for s, b in events.items()
    )
    for p in wecom:
        assert p.query == {"key": ["k-1"]}
    by_title = {p.body["markdown"]["title"]: p for p in ding}
    assert set(by_title) == set(events)
    for subject, p in by_title.items():
        assert p.body == {
            "msgtype": "markdown",
            "markdown": {
                "title": subject,
                "text": f"### {subject}\n\n{events[subject]}\n\n{NAMES}\n\n@13800000001 @13800000002",
            },
            "at": {"atMobiles": ["13800000001", "13800000002"], "isAtAll": False},
        }
        (timestamp,) = p.query["timestamp"]
        assert p.query["access_token"] == ["tok"]
        # the server decoded the query once: a correctly URL-encoded sign arrives as the bare
        # base64 (an unencoded "+" would have arrived as a space)
        assert p.query["sign"] == [unquote(webhooks.dingtalk_sign("SECtest", int(timestamp)))]
    by_title = {p.body["content"]["post"]["zh_cn"]["title"]: p for p in feishu}
    assert set(by_title) == set(events)
    for subject, p in by_title.items():
        assert p.body == {
            "timestamp": p.body["timestamp"],
            "sign": webhooks.feishu_sign("fs-secret", int(p.body["timestamp"])),
            "msg_type": "post",
            "content": {
                "post": {
                    "zh_cn": {
                        "title": subject,
                        "content": [
                            [{"tag": "text", "text": events[subject]}],
                            [{"tag": "text", "text": NAMES}],
                        ],
                    }
                }
            },
        }

    sent = sorted((str(m["Subject"]), str(m["To"])) for m in smtp.messages)
    assert sent == sorted((s, u.email) for s in events for u in staff)
    for m in smtp.messages:
        assert events[str(m["Subject"])] in m.get_body().get_content()


def test_failures_are_retried_with_backoff_then_sent_once_or_given_up(staff) -> None:  # type: ignore[no-untyped-def]
    """DingTalk fails twice (HTTP 500, then a rate-limit errcode) and then accepts: sent once,
    after three attempts. WeCom always refuses: dead after its three allowed attempts. Waits
    between attempts follow the channel's backoff (1 s, then 2 s)."""
    configure(Channel.DINGTALK, retry_base_seconds=1, max_attempts=5)
    configure(Channel.WECOM, retry_base_seconds=1, max_attempts=3)
    ding_answers = {
        1: (500, {"errmsg": "internal error"}),
        2: (200, {"errcode": 130101, "errmsg": "send too fast"}),
    }

    def respond(posted, nth):  # type: ignore[no-untyped-def]
        if posted.path == "/wecom":
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        return ding_answers.get(nth, (200, {"errcode": 0, "errmsg": "ok"}))

    with webhook_server() as srv:
        srv.responder = respond
        robot(Channel.DINGTALK, f"{srv.url}/dingtalk?access_token=t")
        robot(Channel.WECOM, f"{srv.url}/wecom?key=bad")
        rows = notify(
            key="ticket:5:sla:breach",
            recipients=[staff[0]],
            subject="已超时",
            body="工单已超时",
            channels=["dingtalk", "wecom"],
        )
        ding = next(r for r in rows if r.channel == "dingtalk")
        wecom = next(r for r in rows if r.channel == "wecom")
        final = {Status.SENT, Status.DEAD}
        with running_workers(2):
            wait_until(
                lambda: (
                    set(
                        Notification.objects.filter(pk__in=[ding.pk, wecom.pk]).values_list(
                            "status", flat=True
                        )
                    )
                    <= final
                )
            )
        ding_posts, wecom_posts = srv.posted("/dingtalk"), srv.posted("/wecom")

    assert len(ding_posts) == 3 and len(wecom_posts) == 3
    for posts in (ding_posts, wecom_posts):
        assert posts[1].at - posts[0].at >= 0.9 and posts[2].at - posts[1].at >= 1.9
    ding.refresh_from_db()
    assert (ding.status, ding.attempts, ding.last_error) == (Status.SENT, 3, "")
    (job,) = delivery_jobs(args__notification_id=ding.pk)
    assert (job.status, job.attempts) == ("succeeded", 3)  # one job, run three times
    wecom.refresh_from_db()
    assert (wecom.status, wecom.attempts) == (Status.DEAD, 3)
    assert "企业微信返回错误 93000：invalid webhook url" in wecom.last_error
    (job,) = delivery_jobs(args__notification_id=wecom.pk)
    assert job.status == "failed"
