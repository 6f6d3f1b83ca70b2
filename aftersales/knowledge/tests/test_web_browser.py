"""Real headless Chromium: typing a description on the registration page shows the similar
published cases with their cause and solution, and 「解决了」 is recorded from the list."""

from __future__ import annotations

from typing import Any

import pytest

from aftersales.knowledge.models import Feedback
from aftersales.knowledge.tests.web_cases import led_cases
from aftersales.service.tests import web_world as w
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_typing_a_description_shows_suggestions(page: Any) -> None:
    world = w.build()
    cases = led_cases(world)
    browser_login(page, "agent1")
    page.goto(page.base_url + "/service/tickets/new/")
    page.locator("textarea[name=description]").press_sequentially("屏幕一闪一闪的", delay=30)
    first = page.locator('[data-testid="kb-suggestion"]').first
    first.wait_for(timeout=10000)
    assert first.get_attribute("data-case-id") == str(cases["flicker"].pk)
    assert "刷新率设置过低" in first.inner_text()
    first.locator('[data-testid="kb-solved"]').click()
    page.wait_for_selector('[data-testid="kb-rated"]')
    assert Feedback.objects.filter(case=cases["flicker"], verdict="solved").exists()
