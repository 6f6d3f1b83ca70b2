"""经销商评级: exact period scores computed by hand from the records each test creates; the
weights, the period and the reward / downgrade lines are the scheme's data (an admin edit
changes the result); a period is frozen once by a manager, audited, a downgrade moving the
dealer's level; a dealer sees only its own rating."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.catalog.models import PriceList
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.dealers import rules
from aftersales.dealers.models import DealerRating, RatingPeriod, RatingScheme, WarrantyClaim
from aftersales.dealers.services import rating, tasks
from aftersales.parts.tests.test_api import call
from aftersales.quality.models import Complaint
from aftersales.service.models import Callback
from aftersales.service.services import intake

pytestmark = pytest.mark.django_db
D = Decimal
SH = ZoneInfo("Asia/Shanghai")
Q2 = dt.date(2026, 4, 1)  # the quarter 2026-04-01 – 06-30 (finished: the clock is later)
T0 = dt.datetime(2026, 4, 6, 9, 0, tzinfo=SH)
SCHEME = rules.RatingScheme(D(30), D(20), D(25), D(25), D(20), D(90), D(60))


# ---- the pure rule ----------------------------------------------------------------------


def timing(minutes: int | None) -> rules.TaskTiming:
    due = dt.datetime(2026, 4, 6, 11, 0, tzinfo=SH)
    arranged = (
        None if minutes is None else due - dt.timedelta(hours=2) + dt.timedelta(minutes=minutes)
    )
    return rules.TaskTiming(due, arranged)


def test_the_score_is_the_weighted_mean_of_the_components() -> None:
    facts = rules.DealerFacts(
        tasks=(timing(30), timing(120), timing(121), timing(None)),  # 2 of 4 in time
        complaints=1,
        claims_appraised=8,
        claims_rejected=2,
        callbacks_done=10,
        callbacks_satisfied=9,
    )
    r = rules.rate_dealer(facts, SCHEME)
    # 50, 100 − 20 = 80, 100 × 6/8 = 75, 90 → (30×50 + 20×80 + 25×75 + 25×90) / 100
    assert r.components == {
        "arrangement": D("50.00"),
        "complaints": D("80.00"),
        "rejection": D("75.00"),
        "callbacks": D("90.00"),
    }
    assert r.score == D("72.25") and r.outcome == "keep"


def test_a_component_without_records_leaves_its_weight_out() -> None:
    # 1 of 3 in time (33.33…) and 6 complaints (100 − 120 → 0): (30 × 33.33… + 20 × 0) / 50
    facts = rules.DealerFacts(tasks=(timing(10), timing(200), timing(None)), complaints=6)
    r = rules.rate_dealer(facts, SCHEME)
    assert r.components["arrangement"] == D("33.33") and r.components["complaints"] == D("0.00")
    assert r.components["rejection"] is None and r.components["callbacks"] is None
    assert r.score == D("20.00") and r.outcome == "downgrade"


def test_the_lines_decide_the_outcome() -> None:
    only_complaints = rules.DealerFacts(complaints=2)  # 60.00
    assert rules.rate_dealer(only_complaints, SCHEME).outcome == "keep"  # 60 is not below 60
    stricter = rules.RatingScheme(D(30), D(20), D(25), D(25), D("20.5"), D(90), D(60))
    assert rules.rate_dealer(only_complaints, stricter).score == D("59.00")
    assert rules.rate_dealer(only_complaints, stricter).outcome == "downgrade"
    clean = rules.DealerFacts(callbacks_done=3, callbacks_satisfied=3)  # 100, 100
    assert rules.rate_dealer(clean, SCHEME).outcome == "reward"
    none = rules.rate_dealer(rules.DealerFacts(), SCHEME)
    assert none.outcome == "unrated" and none.score is None


def test_scheme_errors_and_periods() -> None:
    assert rules.scheme_errors(SCHEME) == {}
    bad = rules.RatingScheme(D(0), D(0), D(0), D(0), D(20), D(60), D(60))
    assert rules.scheme_errors(bad) == {"weight_arrangement": "权重之和必须大于0"}
    lines = rules.RatingScheme(D(1), D(0), D(0), D(0), D(20), D(60), D(60))
    assert rules.scheme_errors(lines) == {"downgrade_threshold": "降级分数线必须低于奖励分数线"}
    assert rules.period_of(dt.date(2026, 5, 17), 3) == (Q2, dt.date(2026, 7, 1))
    assert rules.period_of(dt.date(2026, 12, 4), 12) == (dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert rules.previous_period(dt.date(2026, 1, 15), 3) == (
        dt.date(2025, 10, 1),
        dt.date(2026, 1, 1),
    )
    assert [rules.level_after(x, "downgrade") for x in "ABC"] == ["B", "C", "C"]
    assert rules.level_after("A", "keep") == "A"


# ---- the records of a quarter -------------------------------------------------------------


def _task(w: Any, ticket: Any, at: dt.datetime, arranged_after: dt.timedelta | None) -> None:
    task = tasks.assign(actor=w.coordinator, ticket_id=ticket.pk, now=at)
    if arranged_after is None:
        tasks.hand_back(actor=w.dealer_user_a, task_id=task.pk, reason="客户要求厂家上门", now=at)
        return
    done = at + arranged_after
    tasks.arrange(
        actor=w.dealer_user_a,
        task_id=task.pk,
        arrangement="张师傅明天上门",
        customer_informed=True,
        now=done,
    )
    tasks.check(actor=w.coordinator, task_id=task.pk, ok=True, now=done + dt.timedelta(hours=3))


def _complaint(w: Any, dealer: Any, at: dt.datetime, **kw: Any) -> None:
    Complaint.objects.create(
        number=f"TS{t.n()}",
        channel="phone",
        category="service_attitude",
        dealer=dealer,
        contact_name="李先生",
        description="经销商服务态度差",
        registered_at=at,
        **kw,
    )


def _claim(w: Any, ticket: Any, state: str, at: dt.datetime | None, prices: PriceList) -> None:
    WarrantyClaim.objects.create(
        number=f"SP{t.n()}",
        dealer=w.dealer_a,
        ticket=ticket,
        repair_date=T0.date(),
        description="更换电源",
        price_list=prices,
        state=state,
        claimed_amount=D("100.00"),
        accepted_amount=D("0.00") if state in ("rejected", "submitted") else D("100.00"),
        appraised_at=at,
    )


def _callback(w: Any, at: dt.datetime | None, solved: bool, score: int) -> None:
    Callback.objects.create(
        customer=w.cust_a,
        due_date=(at or T0).date(),
        state="done" if at else "due",
        done_at=at,
        solved=solved,
        score=score,
    )


def quarter(w: Any) -> None:
    """Dealer A in Q2 2026: 5 tasks, 3 arranged within the 2 h clock (30 min, exactly 2 h;
    2 h 1 min is late; one handed back) → 60; one complaint about it (a cancelled one, one
    found not its fault and one A itself made do not count) → 80; 4 appraised claims, 1
    rejected (one not yet appraised) → 75; 5 callbacks of its customers, 4 satisfied (one
    due, not done) → 80. Dealer B: 2 complaints → 60. Outside the quarter: a task in July,
    a complaint and a callback in March."""
    ticket = intake.ticket_create(
        actor=w.agent,
        data=intake.TicketInput(
            description="拖拉机无法启动",
            contact_name="王经理",
            contact_phone="13800138000",
            channel="phone",
            equipment_id=w.eq_a.pk,
        ),
    )
    day = dt.timedelta(days=1)
    for i, after in enumerate(
        [
            dt.timedelta(minutes=30),
            dt.timedelta(hours=2),
            dt.timedelta(hours=2, minutes=1),
            None,
            dt.timedelta(minutes=5),
        ]
    ):
        _task(w, ticket, T0 + i * day, after)
    _task(w, ticket, dt.datetime(2026, 7, 1, 0, 30, tzinfo=SH), dt.timedelta(minutes=5))
    march = dt.datetime(2026, 3, 31, 23, 59, tzinfo=SH)
    _complaint(w, w.dealer_a, T0)
    _complaint(w, w.dealer_a, T0, state="cancelled")
    _complaint(w, w.dealer_a, T0, severity="not_our_fault")
    _complaint(w, w.dealer_a, T0, complainant="dealer")
    _complaint(w, w.dealer_a, march)
    _complaint(w, w.dealer_b, T0)
    _complaint(w, w.dealer_b, T0 + day)
    prices = PriceList.objects.create(
        code="R26",
        name="2026收费标准",
        valid_from=dt.date(2026, 1, 1),
        labour_rate_per_hour=D("100.00"),
        travel_rate_per_km=D("2.00"),
    )
    for state in ("accepted", "partly", "settled", "rejected"):
        _claim(w, ticket, state, T0 + day, prices)
    _claim(w, ticket, "submitted", None, prices)
    for solved, score in ((True, 5), (True, 3), (True, 4), (True, 4), (False, 5)):
        _callback(w, T0 + 2 * day, solved, score)
    _callback(w, None, True, 5)
    _callback(w, march, False, 1)


@pytest.fixture
def q(w: Any) -> Any:
    w.dealer_c = t.dealer(w.region, name="宁波经销商", level="A")
    quarter(w)
    return w


def by_code(rows: list[Any]) -> dict[str, Any]:
    return {r.dealer.code: r for r in rows}


def test_the_quarter_is_rated_from_its_records(q: Any) -> None:
    rows = by_code(rating.preview(actor=q.manager, period_start=Q2))
    a, b, c = rows[q.dealer_a.code], rows[q.dealer_b.code], rows[q.dealer_c.code]
    assert (a.tasks_total, a.tasks_in_time, a.complaints) == (5, 3, 1)
    assert (a.claims_appraised, a.claims_rejected) == (4, 1)
    assert (a.callbacks_done, a.callbacks_satisfied) == (5, 4)
    assert (a.arrangement_score, a.complaint_score, a.rejection_score, a.callback_score) == (
        D("60.00"),
        D("80.00"),
        D("75.00"),
        D("80.00"),
    )
    # (30 × 60 + 20 × 80 + 25 × 75 + 25 × 80) / 100
    assert a.score == D("72.75") and a.outcome == "keep" and a.reward_amount == 0
    assert b.score == D("60.00") and b.outcome == "keep" and b.complaints == 2
    assert c.score is None and c.outcome == "unrated"


FORM = {
    "name": "经销商评级标准",
    "period_months": "3",
    "weight_arrangement": "30",
    "weight_complaints": "20",
    "weight_rejection": "25",
    "weight_callbacks": "25",
    "complaint_penalty": "20",
    "reward_threshold": "90",
    "downgrade_threshold": "60",
    "reward_amount": "2000.00",
    "source": "003 #11",
}


def admin_edit(**changes: str) -> str:
    c = Client()
    c.force_login(t.user("admin", is_staff=True, is_superuser=True))
    row = RatingScheme.current()
    r = c.post(f"/admin/dealers/ratingscheme/{row.pk}/change/", {**FORM, **changes})
    return str(r.status_code) if r.status_code == 302 else r.content.decode()


def test_an_admin_edit_of_the_scheme_changes_the_ratings(q: Any) -> None:
    assert RatingScheme.objects.count() == 1  # seeded by the migration
    assert (
        admin_edit(weight_arrangement="0", reward_threshold="78", downgrade_threshold="60.01")
        == "302"
    )
    rows = by_code(rating.preview(actor=q.manager, period_start=Q2))
    a, b = rows[q.dealer_a.code], rows[q.dealer_b.code]
    # arrangement left out: (20 × 80 + 25 × 75 + 25 × 80) / 70 = 78.214…
    assert a.score == D("78.21") and a.outcome == "reward" and a.reward_amount == D("2000.00")
    assert b.score == D("60.00") and b.outcome == "downgrade" and b.level_after == "C"
    # a year instead of a quarter takes in July's task (on time) and March's records
    assert admin_edit(period_months="12") == "302"
    with pytest.raises(ValidationFailed, match="2026-01-01"):
        rating.preview(actor=q.manager, period_start=Q2)
    a = by_code(rating.preview(actor=q.manager, period_start=dt.date(2026, 1, 1)))[q.dealer_a.code]
    assert (a.tasks_total, a.tasks_in_time, a.complaints, a.callbacks_done) == (6, 4, 2, 6)


def test_a_bad_scheme_edit_is_refused_and_nothing_changes(q: Any) -> None:
    page = admin_edit(downgrade_threshold="90")
    assert "降级分数线必须低于奖励分数线" in page
    page = admin_edit(weight_callbacks="-1")
    assert "权重不能为负数" in page
    row = RatingScheme.current()
    assert (row.downgrade_threshold, row.weight_callbacks) == (D("60.00"), D("25.00"))


def test_a_manager_freezes_a_finished_period_once(q: Any) -> None:
    admin_edit(downgrade_threshold="60.01")
    with pytest.raises(PermissionDenied):
        rating.freeze_period(actor=q.dealer_user_a, period_start=Q2)
    with pytest.raises(PermissionDenied):
        rating.freeze_period(actor=q.coordinator, period_start=Q2)
    with pytest.raises(ValidationFailed, match="2026-04-01"):
        rating.freeze_period(actor=q.manager, period_start=dt.date(2026, 5, 1))
    for far in (dt.date(1, 1, 1), dt.date(9999, 12, 1)):
        with pytest.raises(ValidationFailed, match="2000年至2999年"):
            rating.preview(actor=q.manager, period_start=far)
    running = rules.period_of(dt.date.today(), 3)[0]
    with pytest.raises(ValidationFailed, match="结束后才能评定"):
        rating.freeze_period(actor=q.manager, period_start=running)
    assert not RatingPeriod.objects.exists()
    period = rating.freeze_period(actor=q.manager, period_start=Q2)
    rows = {r.dealer.code: r for r in period.ratings.select_related("dealer")}
    assert rows[q.dealer_a.code].score == D("72.75") and rows[q.dealer_a.code].outcome == "keep"
    assert (
        rows[q.dealer_b.code].outcome == "downgrade" and rows[q.dealer_b.code].level_before == "B"
    )
    assert rows[q.dealer_c.code].outcome == "unrated"
    q.dealer_b.refresh_from_db()
    q.dealer_a.refresh_from_db()
    assert (q.dealer_a.level, q.dealer_b.level) == ("B", "C")
    assert period.scheme["downgrade_threshold"] == "60.01"
    events = AuditEvent.objects.filter(verb__in=["评定经销商评级", "经销商评级降级"])
    assert sorted(e.verb for e in events) == ["经销商评级降级", "评定经销商评级"]
    # a second freeze (double click) changes nothing: one set of ratings, one downgrade
    admin_edit(downgrade_threshold="80")
    with pytest.raises(Conflict, match="已评定"):
        rating.freeze_period(actor=q.manager, period_start=Q2)
    assert DealerRating.objects.count() == 3
    q.dealer_b.refresh_from_db()
    assert q.dealer_b.level == "C" and events.count() == 2
    # the frozen period keeps its scores when the scheme changes afterwards
    assert DealerRating.objects.get(dealer=q.dealer_a).score == D("72.75")


def test_api_and_visibility(q: Any) -> None:
    made = call(
        "post", "/api/v1/dealer-rating-periods", q.manager, {"period_start": "2026-04-01"}, 201
    )
    assert made["starts_on"] == "2026-04-01" and made["ends_on"] == "2026-07-01"
    again = call(
        "post", "/api/v1/dealer-rating-periods", q.manager, {"period_start": "2026-04-01"}, 409
    )
    assert again["code"] == "already_rated"
    everyone = call("get", "/api/v1/dealer-ratings", q.manager)["items"]
    assert {r["dealer_id"] for r in everyone} == {q.dealer_a.pk, q.dealer_b.pk, q.dealer_c.pk}
    mine = call("get", "/api/v1/dealer-ratings", q.dealer_user_a)["items"]
    assert [(r["dealer_id"], r["score"], r["outcome"]) for r in mine] == [
        (q.dealer_a.pk, "72.75", "keep")
    ]
    assert mine[0]["tasks_in_time"] == 3 and mine[0]["callback_score"] == "80.00"
    other = DealerRating.objects.get(dealer=q.dealer_b)
    call("get", f"/api/v1/dealer-ratings/{other.pk}", q.dealer_user_a, status=404)
    assert call("get", f"/api/v1/dealer-ratings/{other.pk}", q.manager)["score"] == "60.00"
    b_filter = call("get", f"/api/v1/dealer-ratings?dealer_id={q.dealer_b.pk}", q.dealer_user_a)
    assert b_filter["items"] == []
    call(
        "get", "/api/v1/dealer-ratings/preview?period_start=2026-04-01", q.dealer_user_a, status=403
    )
    trial = call("get", "/api/v1/dealer-ratings/preview?period_start=2026-04-01", q.manager)
    assert {r["dealer_id"]: r["score"] for r in trial}[q.dealer_a.pk] == "72.75"
    assert len(call("get", "/api/v1/dealer-rating-periods", q.dealer_user_a)) == 1
    call(
        "post",
        "/api/v1/dealer-rating-periods",
        q.dealer_user_a,
        {"period_start": "2026-01-01"},
        403,
    )


def web(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_screens_and_export(q: Any) -> None:
    from openpyxl import load_workbook

    boss = web(q.manager)
    page = boss.get("/dealers/ratings/?start=2026-04-01").content.decode()
    assert 'data-testid="trial"' in page and 'data-testid="freeze"' in page and "72.75" in page
    assert boss.post("/dealers/ratings/freeze/", {"period_start": "2026-04-01"}).status_code == 302
    period = RatingPeriod.objects.get()
    boss.post("/dealers/ratings/freeze/", {"period_start": "2026-04-01"})  # second click
    assert DealerRating.objects.count() == 3
    page = boss.get("/dealers/ratings/").content.decode()
    assert page.count('data-testid="rating-row"') == 3 and 'data-testid="trial"' not in page
    book = load_workbook(
        io.BytesIO(boss.get(f"/dealers/ratings/?period_id={period.pk}&format=xlsx").content)
    )
    sheet = list(book.active.iter_rows(values_only=True))
    assert sheet[0][15] == "综合得分" and len(sheet) == 4
    a_row = next(r for r in sheet if r[1] == q.dealer_a.name)
    assert (a_row[6], a_row[8], a_row[11], a_row[14], a_row[15], a_row[16]) == (
        60,
        80,
        75,
        80,
        72.75,
        "维持",
    )
    dealer = web(q.dealer_user_a)
    page = dealer.get("/dealers/ratings/").content.decode()
    assert page.count('data-testid="rating-row"') == 1 and q.dealer_b.name not in page
    assert 'data-testid="trial-form"' not in page
    own = DealerRating.objects.get(dealer=q.dealer_a)
    detail = dealer.get(f"/dealers/ratings/{own.pk}/").content.decode()
    assert detail.count('data-testid="component"') == 4 and "72.75" in detail
    other = DealerRating.objects.get(dealer=q.dealer_b)
    assert dealer.get(f"/dealers/ratings/{other.pk}/").status_code == 404
    assert (
        dealer.post("/dealers/ratings/freeze/", {"period_start": "2026-07-01"}).status_code == 302
    )
    assert RatingPeriod.objects.count() == 1
