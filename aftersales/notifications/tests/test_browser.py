"""The inbox on a phone in real headless Chromium: read one message with htmx, follow a link."""

from __future__ import annotations

import pytest

from aftersales import testing as t
from aftersales.notifications.services import notify
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_phone_inbox_mark_read_and_open(phone_page) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    tech = t.user("technician", username="tech1", display_name="李工")
    notify(
        key="ev:1",
        recipients=[tech],
        subject="新派工：BX-101",
        body="上海浦东会展中心 LED 屏黑屏\n请今天到场",
        link="/notifications/?show=unread",
        channels=["in_app"],
    )
    notify(
        key="ev:2", recipients=[tech], subject="备件已发出", body="PR-7 已发货", channels=["in_app"]
    )
    browser_login(page, "tech1")
    page.goto(page.base_url + "/notifications/")
    assert page.locator("h1").inner_text().startswith("我的通知")
    assert "2 条未读" in page.locator("#unread-total").inner_text()
    assert page.locator(".notif.unread").count() == 2
    # the list fits the phone: no horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row = page.locator(".notif", has_text="备件已发出")
    row.locator("button", has_text="标为已读").click()
    page.wait_for_selector(".notif.read >> text=备件已发出")
    assert page.locator(".notif.unread").count() == 1
    page.click("text=新派工：BX-101")
    page.wait_for_url("**/notifications/?show=unread")
    assert page.locator(".notif-empty").inner_text() == "没有未读通知"
