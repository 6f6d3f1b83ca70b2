"""The outbox API: same transaction as the event, one row per event/channel/addressee, one job
per row that has something to send."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from aftersales import testing as t
from aftersales.core.errors import NotFound, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.notifications import delivery, services
from aftersales.notifications.models import Channel, Notification, Status
from aftersales.notifications.services import Recipient, notify, notify_customer
from aftersales.notifications.tasks import app, sweep
from aftersales.notifications.tests.conftest import configure, delivery_jobs, robot

pytestmark = pytest.mark.django_db


def job_ids() -> set[int]:
    return {j.args["notification_id"] for j in delivery_jobs()}


def test_rolled_back_transaction_leaves_no_row_and_no_job(staff) -> None:  # type: ignore[no-untyped-def]
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        created = notify(key="ticket:1:received", recipients=staff, subject="新工单", body="请处理")
        assert Notification.objects.filter(key="ticket:1:received").count() == 4
        assert job_ids() == {n.pk for n in created if n.channel == Channel.EMAIL}
        raise Boom
    assert not Notification.objects.filter(key="ticket:1:received").exists()
    assert not delivery_jobs().exists()


def test_same_key_twice_is_one_row_and_one_job(staff) -> None:  # type: ignore[no-untyped-def]
    first = notify(
        key="ticket:42:sla:response:warn",
        recipients=[staff[0]],
        subject="响应即将超时",
        body="工单 BX-42 还有 10 分钟响应超时",
        channels=["email"],
        payload={"ticket_id": 42, "target": "response"},
    )
    assert Notification.objects.get(payload__ticket_id=42).payload == {
        "ticket_id": 42,
        "target": "response",
    }
    again = notify(
        key="ticket:42:sla:response:warn",
        recipients=[staff[0]],
        subject="响应即将超时（重复）",
        body="重复调用",
        channels=["email"],
    )
    assert len(first) == 1 and again == []
    assert Notification.objects.filter(key="ticket:42:sla:response:warn").count() == 1
    assert delivery_jobs().count() == 1
    # a new addressee under the same key is still written
    more = notify(
        key="ticket:42:sla:response:warn",
        recipients=staff,
        subject="响应即将超时",
        body="…",
        channels=["email"],
    )
    assert [n.address for n in more] == ["li@example.com"]


def test_default_channels_for_staff_and_customer_users(staff, dept) -> None:  # type: ignore[no-untyped-def]
    cust = t.customer()
    portal = t.user("customer", org=cust, display_name="客户张", email="zhang@cust.example")
    east = t.region("EAST", "华东区")
    wecom = robot(Channel.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1")
    ding = robot(
        Channel.DINGTALK, "https://oapi.dingtalk.com/robot/send?access_token=a", department=dept
    )
    robot(Channel.FEISHU, "https://open.feishu.cn/open-apis/bot/v2/hook/x", region=east)
    robot(Channel.DINGTALK, "https://oapi.dingtalk.com/robot/send?access_token=b", enabled=False)

    created = notify(key="ev:1", recipients=[*staff, portal], subject="标题", body="内容")
    by = {(n.channel, n.recipient_key): n for n in created}
    assert set(by) == {
        ("in_app", f"user:{staff[0].pk}"),
        ("in_app", f"user:{staff[1].pk}"),
        ("in_app", f"user:{portal.pk}"),
        ("email", "email:wang@example.com"),
        ("email", "email:li@example.com"),
        ("email", "email:zhang@cust.example"),
        ("wecom", f"robot:{wecom.pk}"),
        ("dingtalk", f"robot:{ding.pk}"),
    }
    # one group message per robot, naming both staff users; the customer is not in it
    group = by[("dingtalk", f"robot:{ding.pk}")]
    assert group.recipient is None
    assert group.mentions == [
        {"name": "王主办", "mobile": "13800000001"},
        {"name": "李工", "mobile": "13800000002"},
    ]
    # in-app messages are delivered by the commit itself; the rest wait for a job each
    assert {n.status for n in created if n.channel == "in_app"} == {Status.SENT}
    assert job_ids() == {n.pk for n in created if n.channel != "in_app"}


def test_disabled_channel_writes_nothing(staff) -> None:  # type: ignore[no-untyped-def]
    configure(Channel.EMAIL, enabled=False)
    created = notify(key="ev:2", recipients=staff, subject="标题", body="内容")
    assert {n.channel for n in created} == {"in_app"}


def test_notify_customer_in_app_email_and_honest_sms() -> None:
    cust = t.customer(name="甲公司")
    p1 = t.user("customer", org=cust)
    p2 = t.user("customer", org=cust)
    t.user("customer", org=t.customer())  # another customer's user hears nothing
    created = notify_customer(
        key="ticket:7:customer:received",
        customer=cust,
        customer_contact_name="赵经理",
        phone="138-0000 0009",
        email="zhao@jia.example",
        subject="您的服务请求已受理",
        body="服务单 BX-7 已受理",
        link="/portal/tickets/7/",
    )
    kinds = sorted((n.channel, n.recipient_id or n.address) for n in created)
    assert kinds == sorted(
        [
            ("in_app", p1.pk),
            ("in_app", p2.pk),
            ("email", "zhao@jia.example"),
            ("sms", "13800000009"),
        ]
    )
    sms = next(n for n in created if n.channel == "sms")
    assert sms.status == Status.DEAD and "未接入短信网关" in sms.last_error
    assert job_ids() == {n.pk for n in created if n.channel == "email"}


def test_recipient_webhook_and_validation() -> None:
    created = notify(
        key="ev:3",
        recipients=[
            Recipient(name="值班群", webhook="https://oapi.dingtalk.com/robot/send?access_token=z")
        ],
        subject="标题",
        body="内容",
    )
    assert [(n.channel, n.address) for n in created] == [
        ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=z")
    ]
    with pytest.raises(ValidationFailed):
        notify(
            key="ev:4",
            recipients=[Recipient(webhook="https://example.com/hook")],
            subject="a",
            body="b",
        )
    with pytest.raises(ValidationFailed):
        notify(key="ev:5", recipients=[], subject="a", body="b", link="https://evil.example/")
    with pytest.raises(ValidationFailed):
        notify(key="ev:6", recipients=[], subject="a", body="b", channels=["pigeon"])
    with pytest.raises(ValidationFailed):
        notify(key="", recipients=[], subject="a", body="b")


def test_mark_read_only_own_messages(staff) -> None:  # type: ignore[no-untyped-def]
    created = notify(key="ev:7", recipients=staff, subject="标题", body="内容", channels=["in_app"])
    mine = next(n for n in created if n.recipient_id == staff[0].pk)
    theirs = next(n for n in created if n.recipient_id == staff[1].pk)
    assert services.mark_read(actor=staff[0], notification_id=mine.pk).read_at is not None
    with pytest.raises(NotFound):
        services.mark_read(actor=staff[0], notification_id=theirs.pk)
    assert services.mark_all_read(actor=staff[1]) == 1
    assert services.mark_all_read(actor=staff[1]) == 0


def test_requeue_dead_row_defers_a_job_and_is_audited(staff) -> None:  # type: ignore[no-untyped-def]
    (row,) = notify(
        key="ev:8", recipients=[staff[0]], subject="标题", body="内容", channels=["email"]
    )
    Notification.objects.filter(pk=row.pk).update(status=Status.DEAD, attempts=5, last_error="x")
    admin = t.user("admin")
    assert services.requeue(actor=admin, notification_ids=[row.pk]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert delivery_jobs(args__notification_id=row.pk).count() == 2
    assert AuditEvent.objects.filter(verb="notification_resend", object_id=str(row.pk)).exists()
    # a sent row is not sent again
    Notification.objects.filter(pk=row.pk).update(status=Status.SENT)
    assert services.requeue(actor=admin, notification_ids=[row.pk]) == 0


def test_sweep_finds_rows_whose_job_was_lost(staff) -> None:  # type: ignore[no-untyped-def]
    (row,) = notify(
        key="ev:9", recipients=[staff[0]], subject="标题", body="内容", channels=["email"]
    )
    later = timezone.now() + dt.timedelta(minutes=10)
    # its job is still waiting: nothing to do
    assert delivery.orphaned_ids(now=later) == []
    # the job is gone (e.g. deleted by an operator): the sweeper finds the row
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DELETE FROM procrastinate_jobs WHERE task_name = 'notifications.deliver'")
    assert delivery.orphaned_ids(now=later) == [row.pk]
    # the periodic sweep re-defers it
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=later - dt.timedelta(hours=1))
    sweep(timestamp=0)
    assert job_ids() == {row.pk}
    assert delivery.orphaned_ids(now=later) == []


def test_sweep_runs_every_minute_on_the_notifications_queue() -> None:
    periodic = {p.periodic_id: p for p in app.periodic_registry.periodic_tasks.values()}
    task = periodic["notifications.sweep"]
    assert (task.cron, task.task.queue) == ("* * * * *", "notifications")
    assert app.tasks["notifications.deliver"].queue == "notifications"
