"""The survey panel of the KPI board: a survey sent through the outbox and answered through
its public links, its results by question, region and product on the board counted by hand
from the answers defined below (and equal to the survey's own results page), its Excel export
equal to the table, the board's filters and role scope, and its sheet in the monthly pack."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from aftersales import testing as t
from aftersales.accounts.models import Department
from aftersales.customers.models import Contact
from aftersales.reports.filters import ReportFilters
from aftersales.reports.selectors import run_all
from aftersales.reports.services import packs, summary, workbook
from aftersales.reports.tests.tables import Tables, assert_export_is_table
from aftersales.surveys import services
from aftersales.surveys.models import Survey, SurveyInvitation, SurveyQuestion

pytestmark = pytest.mark.django_db
HEADER = ["调查", "问题", "片区", "产品类别", "回答数", "平均分(1-5) / 是%"]
ALL = "全部"
# customer i: region, product category of its equipment, with the dealer or not
CUSTOMERS = {
    0: ("华东区", "LED显示屏", True),
    1: ("华东区", "液晶拼接屏", False),
    2: ("华东区", "LED显示屏", False),
    3: ("西南区", "液晶拼接屏", True),
    4: ("西南区", "LED显示屏", False),
    5: ("西南区", "液晶拼接屏", False),
}
# who answered what: the mark (1-5) and yes / no / "" (left blank: not an answer)
ANSWERS = {0: ("5", "yes"), 1: ("3", "no"), 3: ("4", "yes"), 4: ("2", "")}
SCORE_Q, YES_Q = "服务总体满意度", "问题是否按时解决"


def by_hand(keep: Any = lambda i: True) -> dict[tuple[str, str, str], list[str]]:
    """(question, region, product) → [answers, result], from ANSWERS with plain arithmetic."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, (mark, yes) in ANSWERS.items():
        if not keep(i):
            continue
        region, product, _dealer = CUSTOMERS[i]
        for question, value in ((SCORE_Q, int(mark)), (YES_Q, {"yes": 1, "no": 0}.get(yes))):
            if value is None:
                continue
            for key in ((ALL, ALL), (region, ALL), (ALL, product)):
                groups.setdefault((question, *key), []).append(value)
    out = {}
    for (question, region, product), values in groups.items():
        if question == SCORE_Q:
            result = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        else:
            result = (Decimal(sum(values)) * 100 / len(values)).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            )
        out[(question, region, product)] = [str(len(values)), str(result)]
    return out


@pytest.fixture
def world() -> dict[str, Any]:
    regions = {"华东区": t.region("EAST", "华东区"), "西南区": t.region("WEST", "西南区")}
    cats = {
        "LED显示屏": t.category("led", "LED显示屏"),
        "液晶拼接屏": t.category("lcd", "液晶拼接屏"),
    }
    models = {name: t.product_model(c, code=c.code.upper()) for name, c in cats.items()}
    dealer = t.dealer(regions["华东区"])
    customers = {}
    for i, (region, product, with_dealer) in CUSTOMERS.items():
        c = t.customer(regions[region], dealer if with_dealer else None, name=f"客户{i}")
        Contact.objects.create(
            customer=c, name=f"联系人{i}", mobile=f"1390000000{i}", is_primary=True
        )
        t.equipment(t.site(c), models[product])
        customers[i] = c
    survey = Survey.objects.create(code="2026Q4", name="第四季度满意度调查", sample_size=6)
    q_score = SurveyQuestion.objects.create(survey=survey, position=1, text=SCORE_Q)
    q_yes = SurveyQuestion.objects.create(
        survey=survey, position=2, text=YES_Q, kind="yes_no", required=False
    )
    q_text = SurveyQuestion.objects.create(
        survey=survey, position=3, text="意见建议", kind="text", required=False
    )
    services.send(actor=t.user("coordinator"), survey_id=survey.pk)
    for i, (mark, yes) in ANSWERS.items():
        inv = SurveyInvitation.objects.get(customer=customers[i])
        resp = Client().post(
            f"/survey/{inv.token}/",
            {f"q{q_score.pk}": mark, f"q{q_yes.pk}": yes, f"q{q_text.pk}": "很好"},
        )
        assert resp.status_code == 200, resp.content.decode()[:500]
    today = timezone.localdate()
    summary.build(today - dt.timedelta(days=1), today, panels=["surveys"])
    return {"survey": survey, "regions": regions, "cats": cats, "dealer": dealer}


def today_query() -> str:
    today = timezone.localdate().isoformat()
    return f"start={today}&end={today}"


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def survey_table(c: Client, extra: str = "") -> list[list[str]]:
    resp = c.get(f"/reports/?{today_query()}{extra}")
    assert resp.status_code == 200, resp.content.decode()[:500]
    p = Tables()
    p.feed(resp.content.decode())
    return p.tables.get("surveys", [])


def as_dict(rows: list[list[str]]) -> dict[tuple[str, str, str], list[str]]:
    out = {(r[1], r[2], r[3]): r[4:] for r in rows[1:]}
    assert len(out) == len(rows) - 1
    assert all(r[0] == "2026Q4 第四季度满意度调查" for r in rows[1:])
    return out


def test_the_board_shows_the_results_by_question_region_and_product(world) -> None:  # type: ignore[no-untyped-def]
    c = login(t.user("manager"))
    rows = survey_table(c)
    assert rows[0] == HEADER
    want = by_hand()
    assert as_dict(rows) == want
    assert want[(SCORE_Q, ALL, ALL)] == ["4", "3.50"] and want[(YES_Q, "西南区", ALL)] == [
        "1",
        "100.0",
    ]
    # per question: the overall row first, then its regions, then its products
    assert [(r[1], r[2], r[3]) for r in rows[1:4]] == [
        (SCORE_Q, ALL, ALL),
        (SCORE_Q, "华东区", ALL),
        (SCORE_Q, "西南区", ALL),
    ]
    # the survey's own results page says the same
    for by, col in (("region", 2), ("product", 3)):
        res = services.results(world["survey"], by)
        for q, cells in res.rows:
            for (_gid, name), cell in zip(res.groups, cells, strict=True):
                key = (q.text, name, ALL) if col == 2 else (q.text, ALL, name)
                assert want[key] == [str(cell.answers), str(cell.value)], key
    # the Excel export is the table on the screen
    assert_export_is_table(c, f"/reports/export/surveys.xlsx?{today_query()}", rows)


def test_the_filters_and_the_scope_narrow_the_survey_panel(world) -> None:  # type: ignore[no-untyped-def]
    c = login(t.user("manager"))
    east, led = world["regions"]["华东区"], world["cats"]["LED显示屏"]
    assert as_dict(survey_table(c, f"&region={east.pk}")) == by_hand(
        lambda i: CUSTOMERS[i][0] == "华东区"
    )
    assert as_dict(survey_table(c, f"&category={led.pk}")) == by_hand(
        lambda i: CUSTOMERS[i][1] == "LED显示屏"
    )
    assert survey_table(c, "&tier=key") == []  # every customer is a normal one
    team = Department.objects.create(code="TX", name="三组")
    assert survey_table(c, f"&team={team.pk}") == []  # a team does not apply to a survey
    boss = login(t.user("manager", region=world["regions"]["西南区"]))
    assert as_dict(survey_table(boss)) == by_hand(lambda i: CUSTOMERS[i][0] == "西南区")
    dealer_user = t.user("dealer", org=world["dealer"])
    dealer_user.user_permissions.add(*Permission.objects.filter(codename="view_panelfact"))
    assert as_dict(survey_table(login(dealer_user))) == by_hand(lambda i: CUSTOMERS[i][2])
    # all answered today: nothing the day before
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    resp = c.get(f"/reports/?start={yesterday}&end={yesterday}&panel=surveys")
    assert 'data-testid="empty"' in resp.content.decode()


def test_the_monthly_pack_has_the_survey_panel(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    f = ReportFilters(start=today.replace(day=1), end=today)
    results = run_all(f)
    wb = load_workbook(io.BytesIO(workbook.build(results, f)))
    sheet = [r for r in wb["满意度调查结果（按问题、片区、产品）"].iter_rows(values_only=True)]
    assert list(sheet[0]) == HEADER
    assert (SCORE_Q, ALL, ALL) in {(r[1], r[2], r[3]) for r in sheet[1:]}
    # and the PDF's page of it: its table and its chart drawn as SVG
    html = packs.pack_html(results, f)
    section = html[html.index("满意度调查结果（按问题、片区、产品）") :]
    assert "<svg" in section and SCORE_Q in section and "3.50" in section
