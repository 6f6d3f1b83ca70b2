"""Issue 9 #6 in real Chromium on a phone: the QR page shows the configured hotline as a
``tel:`` link and the open ticket's progress, a different fault is reported with its reason,
the tracking link shows the new ticket's progress and a bad one a Chinese 404."""

from __future__ import annotations

from typing import Any

import pytest

from aftersales.core.models import CompanySettings
from aftersales.service.models import Ticket
from aftersales.service.tests import web_world as w

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


@pytest.fixture
def world() -> dict[str, Any]:
    world = w.build()
    CompanySettings.objects.create(hotline="400-820-1234")
    return world


def test_qr_open_ticket_progress_different_fault_and_tracking(
    phone_page: Any, world: dict[str, Any]
) -> None:
    page = phone_page
    first = w.ticket(world, description="内部描述：左下角黑屏")
    page.goto(page.base_url + f"/q/{world['e1'].qr_token}/")
    hotline = page.locator('[data-testid="hotline-hint"] [data-testid="hotline"]')
    assert hotline.get_attribute("href") == "tel:4008201234"
    assert hotline.inner_text() == "400-820-1234"
    progress = page.locator('[data-testid="open-tickets"] [data-testid="progress"]')
    assert progress.count() == 1
    shown = progress.inner_text()
    assert first.number in shown and first.get_state_display() in shown
    assert "内部描述" not in page.content() and "王经理" not in shown
    # 新故障: the reason is required (the browser refuses the empty field, nothing is sent)
    page.fill("input[name=contact_name]", "王经理")
    page.fill("input[name=phone]", w.CUSTOMER_PHONE)
    page.fill("textarea[name=description]", "右侧音箱没有声音")
    page.click('[data-testid="qr-submit"]')
    assert page.locator('[data-testid="different-fault-reason"]:invalid').count() == 1
    assert Ticket.objects.count() == 1
    page.fill('[data-testid="different-fault-reason"]', "不是屏幕，是音箱无声")
    page.click('[data-testid="qr-submit"]')
    page.wait_for_selector('[data-testid="ticket-number"]')
    new = Ticket.objects.latest("id")
    assert new.pk != first.pk and new.duplicate_of_id == first.pk
    assert new.different_fault_reason == "不是屏幕，是音箱无声"
    assert page.locator('[data-testid="ticket-number"]').inner_text() == new.number
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the long link wraps
    # the tracking link shows the new ticket's customer-facing progress
    link = page.locator('[data-testid="track-link"]')
    track_url = link.get_attribute("href") or ""
    assert "/t/" in track_url
    link.click()
    page.wait_for_url(track_url)
    tracked = page.locator('[data-testid="progress"]').inner_text()
    assert new.number in tracked and new.get_state_display() in tracked
    assert w.CUSTOMER_PHONE not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # an altered token: a Chinese 404 in the product's layout
    resp = page.goto(track_url.rstrip("/")[:-2] + "xx/")
    assert resp is not None and resp.status == 404
    assert "页面不存在" in page.locator('[data-testid="error-page"]').inner_text()
