"""Stocking plans (备货计划): due the configured lead time before the season (30 days by
default, the deadline rule's amount, edited → used), reminded once before, flagged and
escalated once when late; bad lines write nothing; a dealer sees only its own plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from aftersales.approvals.models import Deadline, DeadlineRule
from aftersales.approvals.services import deadlines
from aftersales.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from aftersales.core.models import AuditEvent
from aftersales.dealers import rules
from aftersales.dealers.defaults import STOCKING
from aftersales.dealers.models import PlanState, Season, StockingPlan, StockingPlanLine
from aftersales.dealers.services import stocking
from aftersales.notifications.models import Notification
from aftersales.parts.tests.test_api import call

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
SPRING = dt.date(2027, 3, 1)
DUE = dt.datetime(2027, 1, 30, 0, 0, tzinfo=TZ)  # 30 days before 3-01 0:00


def season(w, starts_on=SPRING, code="S27", now=NOW):  # type: ignore[no-untyped-def]
    return stocking.open_season(
        actor=w.coordinator,
        code=code,
        name="2027春耕",
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=60),
        now=now,
    )


def plan_of(w, s, dealer=None) -> StockingPlan:  # type: ignore[no-untyped-def]
    return StockingPlan.objects.get(season=s, dealer=dealer or w.dealer_a)


def lines(w):  # type: ignore[no-untyped-def]
    return [
        stocking.LineIn("part", "psu-5v", "20"),
        stocking.LineIn("product", w.model.code, 3),
    ]


def test_due_rule_is_pure_and_exact() -> None:
    assert rules.stocking_due(SPRING, Decimal(30), "calendar_days", TZ) == DUE
    assert rules.stocking_due(SPRING, Decimal(45), "calendar_days", TZ) == dt.datetime(
        2027, 1, 15, tzinfo=TZ
    )
    assert rules.stocking_due(SPRING, Decimal(12), "hours", TZ) == dt.datetime(
        2027, 2, 28, 12, tzinfo=TZ
    )
    with pytest.raises(ValueError):
        rules.stocking_due(SPRING, Decimal(-1), "calendar_days", TZ)


def test_season_opens_a_plan_per_dealer_due_30_days_before(w) -> None:  # type: ignore[no-untyped-def]
    s = season(w)
    plans = StockingPlan.objects.filter(season=s)
    assert {p.dealer_id for p in plans} == {w.dealer_a.pk, w.dealer_b.pk}
    plan = plan_of(w, s)
    assert plan.due_at == DUE and plan.state == PlanState.DRAFT and plan.number.startswith("BH")
    d = Deadline.objects.get(object_id=plan.pk, step=stocking.STEP_SUBMIT)
    assert d.due_at == DUE and d.owner == w.dealer_user_a
    assert d.remind_at == DUE - dt.timedelta(days=7)
    assert AuditEvent.objects.filter(object_id=str(plan.pk), verb="开立备货计划").exists()


def test_the_lead_time_is_the_rules_data(w) -> None:  # type: ignore[no-untyped-def]
    DeadlineRule.objects.filter(code=STOCKING).update(amount=Decimal(45))
    s = season(w)
    assert plan_of(w, s).due_at == dt.datetime(2027, 1, 15, tzinfo=TZ)


def test_reminded_once_then_late_escalated_once_and_flagged(w) -> None:  # type: ignore[no-untyped-def]
    s = season(w)
    plan = plan_of(w, s)
    d = Deadline.objects.get(object_id=plan.pk, step=stocking.STEP_SUBMIT)
    deadlines.process_due(DUE - dt.timedelta(days=7, minutes=1))
    assert not Notification.objects.filter(key=f"deadline:{d.pk}:remind").exists()
    for _ in range(2):
        deadlines.process_due(DUE - dt.timedelta(days=6))
    reminded = Notification.objects.filter(key=f"deadline:{d.pk}:remind")
    assert reminded.filter(recipient=w.dealer_user_a).count() == 1
    assert not plan.is_late(DUE) and plan.is_late(DUE + dt.timedelta(seconds=1))
    for _ in range(2):
        deadlines.process_due(DUE + dt.timedelta(hours=1))
    escalated = Notification.objects.filter(key=f"deadline:{d.pk}:escalate")
    assert escalated.filter(recipient=w.dealer_user_a).count() == 1
    assert escalated.filter(recipient=w.coordinator).count() == 1
    stocking.save_lines(actor=w.dealer_user_a, plan_id=plan.pk, lines=lines(w), now=DUE)
    stocking.submit(actor=w.dealer_user_a, plan_id=plan.pk, now=DUE + dt.timedelta(hours=2))
    plan.refresh_from_db()
    assert plan.late and plan.state == PlanState.SUBMITTED
    assert plan.is_late(DUE + dt.timedelta(days=3))


def test_submitted_on_the_due_instant_is_in_time_and_reviewed(w) -> None:  # type: ignore[no-untyped-def]
    s = season(w)
    plan = plan_of(w, s)
    stocking.save_lines(actor=w.dealer_user_a, plan_id=plan.pk, lines=lines(w), now=NOW)
    stocking.submit(actor=w.dealer_user_a, plan_id=plan.pk, now=DUE)
    plan.refresh_from_db()
    assert not plan.late and not plan.is_late(DUE + dt.timedelta(days=5))
    d = Deadline.objects.get(object_id=plan.pk, step=stocking.STEP_SUBMIT)
    assert d.done_at == DUE and not d.is_overdue(DUE + dt.timedelta(days=5))
    deadlines.process_due(DUE + dt.timedelta(days=1))
    assert not Notification.objects.filter(key=f"deadline:{d.pk}:escalate").exists()
    with pytest.raises(PermissionDenied):
        stocking.review(actor=w.dealer_user_a, plan_id=plan.pk, approve=True)
    with pytest.raises(ValidationFailed, match="退回须说明原因"):
        stocking.review(actor=w.coordinator, plan_id=plan.pk, approve=False, note="")
    stocking.review(
        actor=w.coordinator, plan_id=plan.pk, approve=False, note="易损件数量偏少", now=DUE
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.RETURNED
    d.refresh_from_db()
    assert d.done_at is None and d.due_at == DUE  # open again, same due time
    stocking.submit(actor=w.dealer_user_a, plan_id=plan.pk, now=DUE + dt.timedelta(hours=1))
    stocking.review(actor=w.manager, plan_id=plan.pk, approve=True)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.late  # the resubmission came late
    with pytest.raises(InvalidTransition):
        stocking.save_lines(actor=w.dealer_user_a, plan_id=plan.pk, lines=lines(w))
    assert AuditEvent.objects.filter(
        object_id=str(plan.pk), action="transition", to_state="approved"
    ).exists()


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-5", "第2行数量不能为负数"),
        (-5, "第2行数量不能为负数"),
        ("1,000", "第2行数量应为整数（不要带逗号）"),
        ("1，000", "第2行数量应为整数（不要带逗号）"),
        ("0", "第2行数量必须大于0"),
        ("2.5", "第2行数量应为整数"),
        (2.0, "第2行数量应为整数"),
        ("9" * 40, "第2行数量过大"),
    ],
)
def test_bad_quantity_is_refused_and_nothing_written(w, quantity, message) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of(w, season(w))
    stocking.save_lines(actor=w.dealer_user_a, plan_id=plan.pk, lines=lines(w), now=NOW)
    before = list(StockingPlanLine.objects.values_list("pk", "quantity", "archived_at"))
    audits = AuditEvent.objects.count()
    bad = [stocking.LineIn("part", "PSU-5V", "4"), stocking.LineIn("part", "DOOR-01", quantity)]
    with pytest.raises(ValidationFailed) as exc:
        stocking.save_lines(actor=w.dealer_user_a, plan_id=plan.pk, lines=bad, now=NOW)
    assert exc.value.message == message
    assert list(StockingPlanLine.objects.values_list("pk", "quantity", "archived_at")) == before
    assert AuditEvent.objects.count() == audits


def test_unknown_code_duplicate_and_empty_are_refused(w) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of(w, season(w))
    for bad, message in (
        ([stocking.LineIn("part", "NOPE", "1")], "第1行配件编码「NOPE」不存在"),
        ([stocking.LineIn("product", "PSU-5V", "1")], "第1行产品编码「PSU-5V」不存在"),
        ([stocking.LineIn("part", "PSU-5V", "1")] * 2, "第2行与前面的行重复"),
        ([], "请至少填写一行备货明细"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            stocking.save_lines(actor=w.dealer_user_a, plan_id=plan.pk, lines=bad, now=NOW)
    assert not StockingPlanLine.objects.exists()
    with pytest.raises(ValidationFailed, match="请先填写备货明细"):
        stocking.submit(actor=w.dealer_user_a, plan_id=plan.pk, now=NOW)


def test_season_in_the_past_or_started_is_refused(w) -> None:  # type: ignore[no-untyped-def]
    for start in (NOW.date() - dt.timedelta(days=1), NOW.date()):
        with pytest.raises(ValidationFailed, match="旺季开始日期必须晚于今天"):
            season(w, starts_on=start)
    with pytest.raises(ValidationFailed, match="结束日期不能早于开始日期"):
        stocking.open_season(
            actor=w.coordinator,
            code="X",
            name="x",
            starts_on=SPRING,
            ends_on=SPRING - dt.timedelta(days=1),
            now=NOW,
        )
    with pytest.raises(PermissionDenied):
        stocking.open_season(
            actor=w.dealer_user_a, code="D", name="d", starts_on=SPRING, ends_on=SPRING, now=NOW
        )
    assert not Season.objects.exists() and not StockingPlan.objects.exists()
    assert not AuditEvent.objects.filter(verb="开立销售旺季").exists()
    # once the season has started the dealer can no longer start, fill or send a plan
    s = season(w)
    plan = plan_of(w, s)
    started = dt.datetime(2027, 3, 1, 8, 0, tzinfo=TZ)
    with pytest.raises(ValidationFailed, match="该旺季已开始"):
        stocking.save_lines(actor=w.dealer_user_a, plan_id=plan.pk, lines=lines(w), now=started)
    with pytest.raises(ValidationFailed, match="该旺季已开始"):
        stocking.submit(actor=w.dealer_user_a, plan_id=plan.pk, now=started)


def test_a_dealer_joining_later_starts_its_own_plan(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales import testing as t

    s = season(w)
    late_dealer = t.dealer(w.region, name="宁波经销商")
    user = t.user("dealer", org=late_dealer, username="dealer_c")
    plan = stocking.start_plan(actor=user, season_id=s.pk, now=NOW)
    assert plan.dealer == late_dealer and plan.due_at == DUE
    with pytest.raises(Exception, match="已有"):
        stocking.start_plan(actor=user, season_id=s.pk, now=NOW)
    with pytest.raises(ValidationFailed, match="该旺季已开始"):
        stocking.start_plan(actor=user, season_id=s.pk, now=dt.datetime(2027, 3, 2, tzinfo=TZ))


# ---- visibility and the API/web ---------------------------------------------------------


def test_a_dealer_sees_only_its_own_plans_api_and_web(w) -> None:  # type: ignore[no-untyped-def]
    s = season(w)
    mine, theirs = plan_of(w, s), plan_of(w, s, w.dealer_b)
    with pytest.raises(NotFound):
        stocking.save_lines(actor=w.dealer_user_a, plan_id=theirs.pk, lines=lines(w), now=NOW)
    got = call("get", "/api/v1/stocking-plans", w.dealer_user_a)
    assert [p["id"] for p in got["items"]] == [mine.pk]
    call("get", f"/api/v1/stocking-plans/{theirs.pk}", w.dealer_user_a, status=404)
    call(
        "put",
        f"/api/v1/stocking-plans/{theirs.pk}/lines",
        w.dealer_user_a,
        {"lines": [{"kind": "part", "code": "PSU-5V", "quantity": "2"}]},
        status=404,
    )
    call(
        "post",
        f"/api/v1/stocking-plans/{theirs.pk}/submit",
        w.dealer_user_a,
        {},
        status=404,
    )
    c = Client()
    c.force_login(w.dealer_user_a)
    assert c.get(f"/dealers/stocking/{theirs.pk}/").status_code == 404
    assert c.post(f"/dealers/stocking/{theirs.pk}/lines/", {"kind": "part"}).status_code == 404
    page = c.get("/dealers/stocking/").content.decode()
    assert mine.number in page and theirs.number not in page
    export = c.get("/dealers/stocking/?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    assert not StockingPlanLine.objects.exists()


def test_api_flow_and_bad_input_in_chinese(w, settings) -> None:  # type: ignore[no-untyped-def]
    s = season(w, now=dt.datetime.now(TZ), starts_on=dt.date.today() + dt.timedelta(days=90))
    plan = plan_of(w, s)
    url = f"/api/v1/stocking-plans/{plan.pk}"
    bad = call(
        "put",
        f"{url}/lines",
        w.dealer_user_a,
        {"lines": [{"kind": "part", "code": "PSU-5V", "quantity": "1,000"}]},
        status=422,
    )
    assert "不要带逗号" in bad["message"]
    bad = call(
        "put",
        f"{url}/lines",
        w.dealer_user_a,
        {"lines": [{"kind": "part", "code": "PSU-5V", "quantity": -3}]},
        status=422,
    )
    assert "不能为负数" in bad["message"]
    assert not StockingPlanLine.objects.exists()
    got = call(
        "put",
        f"{url}/lines",
        w.dealer_user_a,
        {"lines": [{"kind": "part", "code": "PSU-5V", "quantity": "12"}]},
    )
    assert got["lines"] == [
        {
            "id": got["lines"][0]["id"],
            "kind": "part",
            "code": "PSU-5V",
            "name": "5V电源模块",
            "quantity": 12,
        }
    ]
    got = call("post", f"{url}/submit", w.dealer_user_a, {})
    assert got["state"] == "submitted" and got["late"] is False
    call("post", f"{url}/review", w.dealer_user_b, {"approve": True}, status=403)
    got = call("post", f"{url}/review", w.coordinator, {"approve": True})
    assert got["state"] == "approved"
    past = call(
        "post",
        "/api/v1/stocking-seasons",
        w.coordinator,
        {"code": "OLD", "name": "去年秋收", "starts_on": "2020-09-01", "ends_on": "2020-10-01"},
        status=422,
    )
    assert "旺季开始日期必须晚于今天" in past["message"]
    assert not Season.objects.filter(code="OLD").exists()
