"""Satisfaction surveys: a definition with its questions as rows, sent to a reproducible
sample of customers through the outbox, answered once through the public link, results by
question, region and product category checked against a hand count; bad input is a Chinese
message; dealers and customers see no survey page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.core.errors import PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.customers.models import Contact
from aftersales.notifications.models import Notification
from aftersales.surveys import services
from aftersales.surveys.models import Survey, SurveyInvitation, SurveyQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    east, west = t.region("EAST", "华东区"), t.region("WEST", "西南区")
    led, lcd = t.category("led", "LED显示屏"), t.category("lcd", "液晶拼接屏")
    led_model = t.product_model(led, code="P3")
    lcd_model = t.product_model(lcd, code="L55")
    customers = []
    for i in range(6):
        c = t.customer(east if i < 3 else west, name=f"客户{i}")
        Contact.objects.create(
            customer=c, name=f"联系人{i}", mobile=f"1380000000{i}", is_primary=True
        )
        site = t.site(c)
        t.equipment(site, led_model if i % 2 == 0 else lcd_model)
        customers.append(c)
    survey = Survey.objects.create(code="2026Q4", name="2026年第四季度满意度调查", sample_size=4)
    q_score = SurveyQuestion.objects.create(survey=survey, position=1, text="服务总体满意度")
    q_yes = SurveyQuestion.objects.create(
        survey=survey, position=2, text="问题是否按时解决", kind="yes_no"
    )
    q_text = SurveyQuestion.objects.create(
        survey=survey, position=3, text="意见建议", kind="text", required=False
    )
    return {
        "survey": survey,
        "customers": customers,
        "q": (q_score, q_yes, q_text),
        "coordinator": t.user("coordinator"),
        "east": east,
        "led": led,
    }


def test_send_invites_a_reproducible_sample_through_the_outbox(world: dict[str, Any]) -> None:
    survey = world["survey"]
    chosen = services.sample(survey, [c.pk for c in world["customers"]])
    services.send(actor=world["coordinator"], survey_id=survey.pk)
    invitations = list(SurveyInvitation.objects.filter(survey=survey).order_by("customer_id"))
    assert [i.customer_id for i in invitations] == chosen and len(chosen) == 4
    for inv in invitations:
        assert inv.region_id == inv.customer.region_id
        assert inv.category is not None  # its main product category at sending time
        sent = Notification.objects.filter(key__startswith=f"survey:{inv.pk}:")
        assert sent.exists() and all(n.link == f"/survey/{inv.token}/" for n in sent)
    survey.refresh_from_db()
    assert survey.state == "sent"
    assert AuditEvent.objects.filter(verb="send", object_id=str(survey.pk)).exists()
    with pytest.raises(ValidationFailed, match="不能重复发送"):
        services.send(actor=world["coordinator"], survey_id=survey.pk)
    with pytest.raises(PermissionDenied):
        services.send(actor=t.user("agent"), survey_id=survey.pk)


def test_answer_once_through_the_public_link_and_results_by_region_and_product(
    world: dict[str, Any],
) -> None:
    survey, (q_score, q_yes, q_text) = world["survey"], world["q"]
    survey.sample_size = 6
    survey.save()
    services.send(actor=world["coordinator"], survey_id=survey.pk)
    invs = {i.customer.name: i for i in SurveyInvitation.objects.select_related("customer")}
    answers = {"客户0": ("5", "yes"), "客户1": ("3", "no"), "客户3": ("4", "yes")}
    for name, (score, yes) in answers.items():
        resp = Client().post(
            f"/survey/{invs[name].token}/",
            {f"q{q_score.pk}": score, f"q{q_yes.pk}": yes, f"q{q_text.pk}": "继续保持"},
        )
        assert resp.status_code == 200 and 'data-testid="survey-thanks"' in resp.content.decode()
    # the same link again: refused, nothing added
    again = Client().post(
        f"/survey/{invs['客户0'].token}/", {f"q{q_score.pk}": "1", f"q{q_yes.pk}": "no"}
    )
    assert again.status_code == 200 and "survey-closed" in again.content.decode()
    with pytest.raises(ValidationFailed, match="已提交过"):
        services.answer(token=invs["客户0"].token, values={f"q{q_score.pk}": "1"})

    res = services.results(survey)
    assert (res.invited, res.answered, res.response_rate) == (6, 3, Decimal("50.0"))
    (q1, [overall1]), (q2, [overall2]) = res.rows
    assert q1 == q_score and overall1.value == Decimal("4.00")  # (5+3+4)/3
    assert q2 == q_yes and overall2.value == Decimal("66.7")  # 2 of 3 yes
    # by region: 客户0, 客户1 in 华东区; 客户3 in 西南区
    by_region = services.results(survey, "region")
    names = [name for _gid, name in by_region.groups]
    east = names.index("华东区")
    assert by_region.rows[0][1][east].value == Decimal("4.00")  # (5+3)/2
    assert by_region.rows[0][1][names.index("西南区")].value == Decimal("4.00")
    assert by_region.rows[1][1][east].value == Decimal("50.0")
    # by product: 客户0 (LED) 5, 客户1 (液晶) 3, 客户3 (液晶) 4
    by_product = services.results(survey, "product")
    names = [name for _gid, name in by_product.groups]
    assert by_product.rows[0][1][names.index("LED显示屏")].value == Decimal("5.00")
    assert by_product.rows[0][1][names.index("液晶拼接屏")].value == Decimal("3.50")
    # the page shows the same figures
    staff = Client()
    staff.force_login(world["coordinator"])
    page = staff.get(f"/surveys/{survey.pk}/results/?by=product").content.decode()
    assert 'data-value="3.50"' in page and 'data-value="5.00"' in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"score": "9", "yes": "yes"}, "请选择 1 到 5 分"),
        ({"score": "4", "yes": "maybe"}, "请选择是或否"),
        ({"score": "", "yes": "yes"}, "请回答「服务总体满意度」"),
        ({"score": "4", "yes": "yes", "text": "很" * 501}, "最多 500 字"),
    ],
)
def test_bad_answer_is_a_chinese_message(
    world: dict[str, Any], values: dict[str, str], message: str
) -> None:
    survey, (q_score, q_yes, q_text) = world["survey"], world["q"]
    services.send(actor=world["coordinator"], survey_id=survey.pk)
    inv = SurveyInvitation.objects.first()
    assert inv is not None
    post = {f"q{q_score.pk}": values["score"], f"q{q_yes.pk}": values["yes"]}
    post[f"q{q_text.pk}"] = values.get("text", "")
    resp = Client().post(f"/survey/{inv.token}/", post)
    assert resp.status_code == 422 and message in resp.content.decode()
    inv.refresh_from_db()
    assert inv.answered_at is None and not inv.answers.exists()


def test_pages_are_for_company_staff_and_bad_grouping_is_a_message(world: dict[str, Any]) -> None:
    survey = world["survey"]
    services.send(actor=world["coordinator"], survey_id=survey.pk)
    staff = Client()
    staff.force_login(world["coordinator"])
    assert staff.get("/surveys/").status_code == 200
    bad = staff.get(f"/surveys/{survey.pk}/results/?by=colour")
    assert bad.status_code == 400 and "分组方式无效" in bad.content.decode()
    for outsider in (
        t.user("dealer", org=t.dealer()),
        t.user("customer", org=world["customers"][0]),
    ):
        c = Client()
        c.force_login(outsider)
        assert c.get("/surveys/").status_code == 404
        assert c.get(f"/surveys/{survey.pk}/results/").status_code == 404
    assert Client().get("/survey/not-a-token/").status_code == 404


def test_a_survey_past_its_closing_date_shows_no_form_and_takes_no_answer(
    world: dict[str, Any],
) -> None:
    import datetime as dt

    from django.utils import timezone

    survey, (q_score, q_yes, _q_text) = world["survey"], world["q"]
    services.send(actor=world["coordinator"], survey_id=survey.pk)
    inv = SurveyInvitation.objects.first()
    assert inv is not None
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(closes_on=today)  # today is the last day
    page = Client().get(f"/survey/{inv.token}/").content.decode()
    assert 'data-testid="question"' in page and "survey-closed" not in page
    Survey.objects.filter(pk=survey.pk).update(closes_on=today - dt.timedelta(days=1))
    page = Client().get(f"/survey/{inv.token}/").content.decode()
    assert "survey-closed" in page and 'data-testid="question"' not in page
    resp = Client().post(f"/survey/{inv.token}/", {f"q{q_score.pk}": "5", f"q{q_yes.pk}": "yes"})
    assert "survey-closed" in resp.content.decode()
    with pytest.raises(ValidationFailed, match="本次调查已结束"):
        services.answer(token=inv.token, values={f"q{q_score.pk}": "5"})
    inv.refresh_from_db()
    assert inv.answered_at is None and not inv.answers.exists()
