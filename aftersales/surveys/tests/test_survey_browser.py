"""A customer answers a satisfaction survey by its link on a phone, in real Chromium; the
results page then shows his score."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aftersales import testing as t
from aftersales.surveys import services
from aftersales.surveys.models import Survey, SurveyInvitation, SurveyQuestion
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_customer_answers_on_a_phone_and_staff_see_the_result(open_page: Any) -> None:
    customer = t.customer(t.region("EAST", "华东区"), name="上海浦东会展中心")
    survey = Survey.objects.create(code="2026Q4", name="第四季度满意度调查", sample_size=1)
    SurveyQuestion.objects.create(survey=survey, position=1, text="服务总体满意度")
    SurveyQuestion.objects.create(survey=survey, position=2, text="是否按时解决", kind="yes_no")
    t.user("coordinator", username="coord1")
    services.send(actor=t.user("coordinator"), survey_id=survey.pk)
    inv = SurveyInvitation.objects.get(customer=customer)

    phone = open_page(phone=True)
    phone.goto(f"{phone.base_url}/survey/{inv.token}/")
    expect(phone.locator('[data-testid="question"]')).to_have_count(2)
    phone.locator("input[value='4']").check()
    phone.locator("input[value='yes']").check()
    phone.click('[data-testid="survey-submit"]')
    expect(phone.locator('[data-testid="survey-thanks"]')).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    desk = open_page()
    browser_login(desk, "coord1")
    desk.goto(f"{desk.base_url}/surveys/{survey.pk}/results/")
    expect(desk.locator('[data-testid="survey-summary"]')).to_contain_text("1")
    cells = desk.locator('[data-testid="result-row"] td[data-value]')
    expect(cells.first).to_have_attribute("data-value", "4.00")
    expect(cells.nth(1)).to_have_attribute("data-value", "100.0")
