"""Each user chooses, per kind of notification, whether e-mail, SMS and group robots are
used; in-app is always on; nobody edits another user's choice."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.core.models import AuditEvent
from aftersales.notifications import preferences
from aftersales.notifications.channels import notice_summary
from aftersales.notifications.kinds import KINDS
from aftersales.notifications.models import Channel, Notification, NotificationPreference, Status
from aftersales.notifications.services import notify
from aftersales.notifications.tests.conftest import delivery_jobs, robot

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def form(*unticked: str) -> dict[str, str]:
    """What the browser submits: every ticked box (all on by default) except ``unticked``."""
    boxes = {f"{k.code}-{s}" for k in KINDS for s in preferences.SWITCHES}
    return {box: "on" for box in sorted(boxes - set(unticked))}


def warn(users, n: int = 1):  # type: ignore[no-untyped-def]
    return notify(
        key=f"ticket:5:sla:response:warn:{n}",
        recipients=users,
        subject="【SLA预警】BX-5",
        body="即将超时",
        channels=["in_app", "email", "sms", "wecom"],
    )


def test_email_switched_off_for_a_kind_gets_in_app_but_no_email(staff) -> None:  # type: ignore[no-untyped-def]
    me, other = staff
    robot("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    page = client_for(me).post(
        "/notifications/preferences/",
        form("sla_warning-email"),
        follow=True,
    )
    assert "通知设置已保存" in page.content.decode()
    warn([me, other])
    mine = {
        r.channel: r
        for r in Notification.objects.filter(key__startswith="ticket:5:")
        if r.recipient_id == me.pk
    }
    assert mine[Channel.IN_APP].status == Status.SENT
    assert mine[Channel.EMAIL].status == Status.MUTED  # recorded, not sent, no job
    assert "关闭" in mine[Channel.EMAIL].last_error
    assert not delivery_jobs(args={"notification_id": mine[Channel.EMAIL].pk}).exists()
    theirs = Notification.objects.get(
        key="ticket:5:sla:response:warn:1", recipient=other, channel=Channel.EMAIL
    )
    assert theirs.status == Status.PENDING
    assert delivery_jobs(args={"notification_id": theirs.pk}).exists()
    # another kind keeps its e-mail
    notify(key="wo:9:offered", recipients=[me], subject="新工单", body="请接单")
    assert (
        Notification.objects.get(key="wo:9:offered", channel=Channel.EMAIL).status == Status.PENDING
    )


def test_robot_and_sms_switched_off(staff) -> None:  # type: ignore[no-untyped-def]
    me, other = staff
    robot("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    preferences.save_preferences(
        actor=me, choices={"sla_warning": preferences.Wants(email=True, sms=False, robot=False)}
    )
    warn([me, other])
    group = Notification.objects.get(channel=Channel.WECOM)
    assert [m["name"] for m in group.mentions] == [str(other)]
    sms = Notification.objects.get(channel=Channel.SMS, recipient=me)
    assert sms.status == Status.MUTED
    preferences.save_preferences(
        actor=other, choices={"sla_warning": preferences.Wants(robot=False)}
    )
    warn([me, other], n=2)
    assert not Notification.objects.filter(
        key="ticket:5:sla:response:warn:2", channel=Channel.WECOM
    ).exists()


def test_page_shows_and_saves_the_choice_audited(staff) -> None:  # type: ignore[no-untyped-def]
    me = staff[0]
    c = client_for(me)
    page = c.get("/notifications/preferences/").content.decode()
    assert "SLA预警" in page and "群机器人" in page
    assert page.count('name="sla_warning-email" aria-label="SLA预警: 电子邮件" checked') == 1
    c.post("/notifications/preferences/", form("sla_warning-email"))
    page = c.get("/notifications/preferences/").content.decode()
    assert 'name="sla_warning-email" aria-label="SLA预警: 电子邮件">' in page
    assert 'name="work_order-email" aria-label="新工单: 电子邮件" checked' in page
    pref = NotificationPreference.objects.get(user=me, kind="sla_warning")
    assert (pref.email, pref.sms, pref.robot) == (False, True, True)
    event = AuditEvent.objects.get(verb="notification_preferences")
    assert event.actor_id == me.pk
    # saving the same again changes nothing and writes no audit row
    c.post("/notifications/preferences/", form("sla_warning-email"))
    assert AuditEvent.objects.filter(verb="notification_preferences").count() == 1


def test_cannot_edit_another_users_preferences(staff) -> None:  # type: ignore[no-untyped-def]
    me, other = staff
    preferences.save_preferences(
        actor=other, choices={"sla_warning": preferences.Wants(email=False)}
    )
    c = client_for(me)
    data = {"user": other.pk, "user_id": other.pk, "sla_warning-email": "on"}
    c.post("/notifications/preferences/", data)
    c.post(f"/notifications/preferences/?user={other.pk}", data)
    assert NotificationPreference.objects.get(user=other, kind="sla_warning").email is False
    assert c.get(f"/notifications/preferences/{other.pk}/").status_code == 404
    assert Client().get("/notifications/preferences/").status_code == 302


def test_unknown_kind_is_refused(staff) -> None:  # type: ignore[no-untyped-def]
    from aftersales.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        preferences.save_preferences(actor=staff[0], choices={"nope": preferences.Wants()})
    assert not NotificationPreference.objects.exists()


def test_sent_summary_names_the_switched_off_channel(staff) -> None:  # type: ignore[no-untyped-def]
    me, other = staff
    preferences.save_preferences(actor=me, choices={"sla_warning": preferences.Wants(email=False)})
    notify(key="ticket:5:sla:response:warn", recipients=[me, other], subject="预警", body="x")
    summary = notice_summary("ticket:5:sla:response:warn")
    assert summary == "站内消息：已发送 2；电子邮件：待发送 1、接收人已关闭此渠道 1"


def test_preferences_cost_one_query_whatever_the_number_of_recipients(staff) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aftersales import testing as t

    more = [t.user("technician", email=f"t{i}@example.com") for i in range(4)]
    preferences.save_preferences(
        actor=more[0], choices={"work_order": preferences.Wants(email=False)}
    )

    def queries(key: str, users) -> int:  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as ctx:
            notify(
                key=key, recipients=users, subject="新工单", body="x", channels=["in_app", "email"]
            )
        return sum("notificationpreference" in q["sql"] for q in ctx.captured_queries)

    assert queries("wo:1:offered", staff) == queries("wo:2:offered", [*staff, *more]) == 1
    muted = Notification.objects.get(key="wo:2:offered", channel=Channel.EMAIL, recipient=more[0])
    assert muted.status == Status.MUTED
