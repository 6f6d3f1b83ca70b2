"""The inbox page, the badge fragment and the REST endpoints: only one's own messages."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.notifications.context import unread_notifications
from aftersales.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox_world(staff):  # type: ignore[no-untyped-def]
    me, other = staff
    notify(
        key="ev:a",
        recipients=[me],
        subject="工单 BX-1 已派工",
        body="请联系客户",
        link="/tickets/1/",
        channels=["in_app"],
    )
    notify(
        key="ev:b",
        recipients=[me],
        subject="备件申请已批准",
        body="PR-7 已批准",
        channels=["in_app"],
    )
    notify(
        key="ev:c", recipients=[other], subject="别人的通知", body="不应看到", channels=["in_app"]
    )
    return me, other


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_inbox_page_lists_only_my_messages_and_marks_read(inbox_world) -> None:  # type: ignore[no-untyped-def]
    me, other = inbox_world
    c = client_for(me)
    page = c.get("/notifications/").content.decode()
    assert "我的通知" in page and "2 条未读" in page
    assert "工单 BX-1 已派工" in page and "备件申请已批准" in page and "别人的通知" not in page
    mine = me.notifications.get(key="ev:b")
    theirs = other.notifications.get(key="ev:c")
    r = c.post(f"/notifications/{mine.pk}/read/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'class="notif read"' in r.content.decode()
    assert r["HX-Trigger"] == "notifications-changed"
    assert c.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    unread = c.get("/notifications/?show=unread").content.decode()
    assert "工单 BX-1 已派工" in unread and "备件申请已批准" not in unread
    badge = c.get("/notifications/badge/").content.decode()
    assert "<b" in badge and ">1</b>" in badge


def test_open_follows_the_link_and_read_all(inbox_world) -> None:  # type: ignore[no-untyped-def]
    me, _ = inbox_world
    c = client_for(me)
    linked = me.notifications.get(key="ev:a")
    r = c.get(f"/notifications/{linked.pk}/open/")
    assert r.status_code == 302 and r["Location"] == "/tickets/1/"
    linked.refresh_from_db()
    assert linked.read_at is not None
    assert c.post("/notifications/read-all/").status_code == 302
    assert me.notifications.filter(read_at__isnull=True).count() == 0
    assert ">通知</a>" in c.get("/notifications/badge/").content.decode().replace("\n", "")


def test_login_required() -> None:
    r = Client().get("/notifications/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_context_processor_is_lazy_and_counts(inbox_world, rf) -> None:  # type: ignore[no-untyped-def]
    me, _ = inbox_world
    request = rf.get("/")
    request.user = me
    assert int(str(unread_notifications(request)["unread_notifications"])) == 2


def test_api_list_count_read(inbox_world) -> None:  # type: ignore[no-untyped-def]
    me, other = inbox_world
    _, key = issue_token(user=me)
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    c = Client()
    body = c.get("/api/v1/notifications", **h).json()
    assert body["count"] == 2
    assert {i["subject"] for i in body["items"]} == {"工单 BX-1 已派工", "备件申请已批准"}
    assert c.get("/api/v1/notifications/unread-count", **h).json() == {"unread": 2}
    first = body["items"][0]["id"]
    r = c.post(f"/api/v1/notifications/{first}/read", **h)
    assert r.status_code == 200 and r.json()["read_at"] is not None
    assert c.get("/api/v1/notifications?unread=true", **h).json()["count"] == 1
    theirs = other.notifications.get().pk
    r = c.post(f"/api/v1/notifications/{theirs}/read", **h)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert c.post("/api/v1/notifications/read-all", **h).json() == {"updated": 1}
    assert c.get("/api/v1/notifications", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_customer_user_sees_own_inbox() -> None:
    cust = t.customer()
    portal = t.user("customer", org=cust)
    notify(
        key="ev:portal",
        recipients=[portal],
        subject="您的服务请求已受理",
        body="BX-3",
        channels=["in_app"],
    )
    page = client_for(portal).get("/notifications/").content.decode()
    assert "您的服务请求已受理" in page
