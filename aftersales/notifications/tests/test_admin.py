"""Back office: outbox list with filters, re-send, channel switches, robot test message."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.core.models import AuditEvent
from aftersales.notifications.models import (
    Channel,
    ChannelConfig,
    Notification,
    Status,
    WebhookRobot,
)
from aftersales.notifications.services import notify
from aftersales.notifications.tests.conftest import delivery_jobs, robot
from aftersales.notifications.tests.servers import webhook_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(t.user("admin", is_staff=True, is_superuser=True))
    return c


def test_outbox_list_filters_and_resend(admin_client, staff) -> None:  # type: ignore[no-untyped-def]
    (row,) = notify(
        key="ev:adm", recipients=[staff[0]], subject="派工通知", body="内容", channels=["email"]
    )
    Notification.objects.filter(pk=row.pk).update(
        status=Status.DEAD, attempts=5, last_error="SMTP 拒绝"
    )
    page = admin_client.get("/admin/notifications/notification/?status__exact=dead")
    assert page.status_code == 200 and "派工通知" in page.content.decode()
    assert (
        admin_client.get(f"/admin/notifications/notification/{row.pk}/change/").status_code == 200
    )
    r = admin_client.post(
        "/admin/notifications/notification/",
        {"action": "resend", "_selected_action": [row.pk]},
        follow=True,
    )
    assert "已重新排队 1 条通知" in r.content.decode()
    row.refresh_from_db()
    assert row.status == Status.PENDING and delivery_jobs(args__notification_id=row.pk).count() == 2


def test_channel_switch_is_audited(admin_client) -> None:  # type: ignore[no-untyped-def]
    page = admin_client.get("/admin/notifications/channelconfig/")
    assert page.status_code == 200 and "钉钉群机器人" in page.content.decode()
    cfg = ChannelConfig.objects.get(channel=Channel.EMAIL)
    r = admin_client.post(
        f"/admin/notifications/channelconfig/{cfg.pk}/change/",
        {
            "channel": "email",
            "max_attempts": 4,
            "retry_base_seconds": 120,
            "timeout_seconds": 10,
            "note": cfg.note,
        },
    )
    assert r.status_code == 302
    cfg.refresh_from_db()
    assert (cfg.enabled, cfg.max_attempts) == (False, 4)
    event = AuditEvent.objects.get(object_id=str(cfg.pk), verb="admin_update")
    assert event.before["enabled"] is True and event.after["enabled"] is False


def test_robot_admin_hides_secrets_from_audit_and_sends_a_test(admin_client) -> None:  # type: ignore[no-untyped-def]
    with webhook_server() as srv:
        r = admin_client.post(
            "/admin/notifications/webhookrobot/add/",
            {
                "name": "售后群",
                "channel": Channel.DINGTALK,
                "url": f"{srv.url}/dingtalk?access_token=secret-token",
                "secret": "SECsecret",
                "enabled": "on",
            },
        )
        assert r.status_code == 302, r.content.decode()[:2000]
        bot = WebhookRobot.objects.get(name="售后群")
        event = AuditEvent.objects.get(object_id=str(bot.pk), verb="admin_create")
        assert "secret-token" not in str(event.after) and "SECsecret" not in str(event.after)
        r = admin_client.post(
            "/admin/notifications/webhookrobot/",
            {"action": "send_test", "_selected_action": [bot.pk]},
            follow=True,
        )
        assert "发送成功" in r.content.decode()
        (posted,) = srv.requests
        assert posted.body["markdown"]["title"] == "售后服务管理系统测试消息"
        assert set(posted.query) == {"access_token", "timestamp", "sign"}
    # a robot that answers with an error is reported as such
    with webhook_server() as srv:
        srv.responder = lambda p, n: (200, {"errcode": 300001, "errmsg": "token is not exist"})
        bad = robot(Channel.DINGTALK, f"{srv.url}/d?access_token=x", name="坏群")
        r = admin_client.post(
            "/admin/notifications/webhookrobot/",
            {"action": "send_test", "_selected_action": [bad.pk]},
            follow=True,
        )
        assert "发送失败，钉钉返回错误 300001" in r.content.decode()


def test_wecom_robot_refuses_a_secret(admin_client) -> None:  # type: ignore[no-untyped-def]
    r = admin_client.post(
        "/admin/notifications/webhookrobot/add/",
        {
            "name": "企微群",
            "channel": Channel.WECOM,
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "secret": "x",
            "enabled": "on",
        },
    )
    assert r.status_code == 200 and "企业微信群机器人不支持签名" in r.content.decode()
