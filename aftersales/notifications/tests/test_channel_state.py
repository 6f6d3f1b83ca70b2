"""Issue 9 #8: without an SMTP server, ``make run`` keeps e-mail in the local mailbox instead
of flooding the console with ``DeliveryAbandoned … ConnectionRefusedError``; the back office
shows each channel's real state (configured / console / off)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.notifications.channels import channel_state
from aftersales.notifications.mailbox import BACKEND as LOCAL_MAILBOX
from aftersales.notifications.models import Channel, LocalMail, Notification, Status
from aftersales.notifications.services import Recipient, notify
from aftersales.notifications.tests.conftest import configure, robot

ROOT = Path(__file__).resolve().parents[3]
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def configured_backend(**env: str) -> str:
    """EMAIL_BACKEND as the settings of a fresh process (``make run``) choose it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "aftersales.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_without_an_smtp_host_e_mail_goes_to_the_local_mailbox() -> None:
    assert configured_backend() == LOCAL_MAILBOX
    assert configured_backend(EMAIL_HOST="smtp.example.com") == SMTP
    assert configured_backend(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend") == (
        "django.core.mail.backends.console.EmailBackend"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("workers")
def test_a_real_worker_without_smtp_delivers_to_the_mailbox_without_tracebacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [k for k in os.environ if k.startswith("EMAIL_")]:
        monkeypatch.delenv(name)
    configure(Channel.EMAIL, enabled=True)
    (row,) = notify(
        key="ev:nosmtp",
        recipients=[Recipient(name="王经理", email="wang@example.com")],
        subject="工程师已出发",
        body="工程师已出发前往现场。",
        channels=["email"],
    )
    (out,) = t.run_workers(1, queues="notifications")
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 1, "")
    (mail,) = LocalMail.objects.all()
    assert (mail.to, mail.subject) == ("wang@example.com", "工程师已出发")
    assert "王经理，您好：" in mail.body
    assert "Traceback" not in out and "ConnectionRefused" not in out
    assert "[本地邮箱] wang@example.com：工程师已出发（未配置 SMTP，未外发）" in out


@pytest.mark.django_db
def test_each_channel_says_what_it_really_does(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = LOCAL_MAILBOX
    email = channel_state(Channel.EMAIL)
    assert email.code == "console" and "未配置 SMTP" in email.text
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP, "smtp.corp.cn", 465
    assert channel_state(Channel.EMAIL).code == "configured"
    assert "smtp.corp.cn:465" in channel_state(Channel.EMAIL).text
    configure(Channel.EMAIL, enabled=False)
    assert channel_state(Channel.EMAIL).code == "off"
    assert channel_state(Channel.SMS).code == "off"
    assert "未接入短信网关" in channel_state(Channel.SMS).text
    configure(Channel.WECOM, enabled=True)
    assert channel_state(Channel.WECOM).code == "off"  # no robot registered
    robot(Channel.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    assert channel_state(Channel.WECOM).text == "1 个群机器人"
    assert channel_state(Channel.IN_APP).code == "configured"


@pytest.mark.django_db
def test_the_back_office_shows_each_channels_state(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = LOCAL_MAILBOX
    admin = Client()
    admin.force_login(t.user("admin", is_staff=True, is_superuser=True))
    page = admin.get("/admin/notifications/channelconfig/").content.decode()
    assert "当前状态" in page
    assert "控制台（不外发）：未配置 SMTP（EMAIL_HOST）" in page
    assert "未启用：未接入短信网关" in page
    assert "已配置：事务提交即送达" in page
    # the kept e-mails can be read there
    notify(
        key="ev:box",
        recipients=[Recipient(email="a@example.com")],
        subject="测试邮件",
        body="内容",
        channels=["email"],
    )
    from aftersales.notifications.delivery import deliver

    assert deliver(Notification.objects.get(key="ev:box").pk).result == "sent"
    assert "测试邮件" in admin.get("/admin/notifications/localmail/").content.decode()
