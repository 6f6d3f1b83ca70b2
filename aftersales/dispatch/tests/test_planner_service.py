"""The planner service on real rows: the day's model from tickets, work orders, rosters and
the calendar; the solved plan is feasible and respects skills; the dispatcher's edits."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.dispatch import services, snapshot
from aftersales.dispatch.building import day_origin, tech_id_of, to_minute
from aftersales.dispatch.models import DispatchPlan, PlanItem, PlanState
from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.tests import world as W
from aftersales.service.services import dispatch
from aftersales.staff.models import DutyShift, StaffProfile

pytestmark = pytest.mark.django_db
BUDGET = 1.0


@pytest.fixture
def w():  # type: ignore[no-untyped-def]
    return W.build()


def checked(plan: DispatchPlan):  # type: ignore[no-untyped-def]
    problem = snapshot.problem_from_json(plan.problem)
    pure = snapshot.plan_of(
        problem, plan.routes, plan.items.order_by("technician_id", "sequence"), plan.day
    )
    return problem, pure, check_plan(problem, pure)


def skills_of(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(StaffProfile.objects.get(user=user).skills.values_list("code", flat=True))


def test_plan_day_builds_a_feasible_plan_from_tickets_and_rosters(w) -> None:  # type: ignore[no-untyped-def]
    tickets = [
        W.ticket(w, i, severity=s)
        for i, s in enumerate(["urgent", "major", "urgent", "normal", "low", "urgent"])
    ]
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    assert plan.state == PlanState.DRAFT and plan.solved_at is not None
    assert plan.items.count() == len(tickets)
    problem, _pure, report = checked(plan)
    assert report.feasible, report.violations
    # the roster and the calendar: 08:30–17:30 with the 12:00–13:30 break (±30 min)
    tech = problem.technician(tech_id_of(w.tech_a.pk))
    assert (tech.shift.earliest, tech.shift.latest) == (510, 1050)
    assert tech.lunch is not None and tech.lunch.duration == 90
    assert (tech.lunch.window.earliest, tech.lunch.window.latest) == (690, 750)
    # urgent and major: on site within 2 h of 08:00; normal: one working day (当天到场,
    # 17:30); low has no on-site target: optional
    job = problem.job(f"T{tickets[0].pk}")
    assert job.must_do and job.window.latest == 600 and job.weight == 4
    normal = problem.job(f"T{tickets[3].pk}")
    assert normal.must_do and normal.window.latest == 1050 and normal.weight == 2
    assert not problem.job(f"T{tickets[4].pk}").must_do
    assert plan.metrics["feasible"] is True
    assert plan.metrics["greedy"]["weighted_breaches"] >= plan.metrics["weighted_breaches"]
    # every planned visit is done by a technician with the product's skill, inside the shift
    for item in plan.items.filter(technician__isnull=False).select_related(
        "ticket__equipment__model__category"
    ):
        assert item.ticket.equipment.model.category.code in skills_of(item.technician)
        assert day_origin(w.day) + dt.timedelta(minutes=510) <= item.planned_arrival
        assert item.planned_end <= day_origin(w.day) + dt.timedelta(minutes=1050)
    assert AuditEvent.objects.filter(verb="plan_day", object_id=str(plan.pk)).exists()


def test_unassigned_jobs_are_explained_in_chinese(w) -> None:  # type: ignore[no-untyped-def]
    # nobody knows hvac on the day: tech_b and tech_c are off duty (rostered elsewhere)
    DutyShift.objects.filter(user__in=[w.tech_b, w.tech_c]).update(
        starts_at=W.at(w.day + dt.timedelta(days=1), 8, 30),
        ends_at=W.at(w.day + dt.timedelta(days=1), 17, 30),
    )
    hvac = W.ticket(w, 2)
    led = W.ticket(w, 0)
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    item = plan.items.get(ticket=hvac)
    assert item.technician is None and item.unassigned_reason == "no_skill"
    [row] = [u for u in plan.metrics["unassigned"] if u["ticket_id"] == hvac.pk]
    assert row["label"] == "无具备该技能的工程师" and row["number"] == hvac.number
    assert plan.items.get(ticket=led).technician == w.tech_a


def test_only_planners_plan_and_past_days_are_refused(w) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.plan_day(actor=w.agent, day=w.day, time_budget_seconds=BUDGET)
    with pytest.raises(ValidationFailed):
        services.plan_day(
            actor=w.coordinator,
            day=timezone.localdate() - dt.timedelta(days=1),
            time_budget_seconds=BUDGET,
        )


def test_move_item_retimes_both_routes_and_refuses_a_missing_skill(w) -> None:  # type: ignore[no-untyped-def]
    led = [W.ticket(w, i, severity="normal") for i in (0, 1, 4)]
    hvac = W.ticket(w, 2, severity="normal")
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    with pytest.raises(ValidationFailed) as refused:
        services.move_item(actor=w.coordinator, plan=plan, ticket=led[0], technician=w.tech_c)
    assert refused.value.code == "no_skill" and "不具备「LED显示屏」技能" in refused.value.message
    item = plan.items.get(ticket=led[0])
    target = w.tech_b if item.technician != w.tech_b else w.tech_a
    moved = services.move_item(
        actor=w.coordinator, plan=plan, ticket=led[0], technician=target, position=0
    )
    assert moved.technician == target and moved.sequence == 0
    assert moved.edited_by_dispatcher and moved.fixed
    plan.refresh_from_db()
    _problem, pure, report = checked(plan)
    assert report.feasible, report.violations
    assert pure.route_of(tech_id_of(target.pk)).job_ids[0] == moved.job_id
    assert plan.metrics["feasible"] and plan.metrics["greedy"] is not None
    # sequences of the target's route are 0..n-1 in time order
    rows = list(plan.items.filter(technician=target).order_by("sequence"))
    assert [r.sequence for r in rows] == list(range(len(rows)))
    assert all(a.planned_end <= b.planned_arrival for a, b in itertools.pairwise(rows))
    event = AuditEvent.objects.get(verb="move_item", object_id=str(plan.pk))
    assert event.payload["ticket"] == led[0].number
    assert hvac.pk in set(plan.items.values_list("ticket_id", flat=True))


def test_move_item_refuses_an_off_duty_technician_and_a_published_plan(w) -> None:  # type: ignore[no-untyped-def]
    tk = W.ticket(w, 0)
    DutyShift.objects.filter(user=w.tech_b).update(
        starts_at=W.at(w.day + dt.timedelta(days=1), 8, 30),
        ends_at=W.at(w.day + dt.timedelta(days=1), 17, 30),
    )
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    with pytest.raises(ValidationFailed, match="不在班"):
        services.move_item(actor=w.coordinator, plan=plan, ticket=tk, technician=w.tech_b)
    services.publish(actor=w.coordinator, plan=plan)
    with pytest.raises(Conflict):
        services.move_item(actor=w.coordinator, plan=plan, ticket=tk, technician=w.tech_a)


def test_publish_dispatches_reassigns_and_schedules_through_the_service(w) -> None:  # type: ignore[no-untyped-def]
    fresh = W.ticket(w, 0)
    offered = W.ticket(w, 1)
    wo = dispatch.dispatch(actor=w.coordinator, ticket=offered, technician_ids=[w.tech_c.pk])
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    # tech_c has no LED skill: the plan gives the offered work order to someone else
    planned = plan.items.get(ticket=offered)
    assert planned.work_order == wo and planned.technician in (w.tech_a, w.tech_b)
    services.publish(actor=w.coordinator, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED and plan.published_by == w.coordinator
    fresh.refresh_from_db()
    assert fresh.state == "dispatched"
    item = plan.items.get(ticket=fresh)
    new = fresh.work_orders.get()
    assert item.work_order == new and new.technician == item.technician
    assert new.window_start is not None and new.window_end - new.window_start == dt.timedelta(
        minutes=60
    )
    assert new.window_start <= item.planned_arrival < new.window_end
    assert new.planned_sequence == item.sequence
    wo.refresh_from_db()
    assert wo.state == "reassigned" and "智能派工方案" in wo.reassign_reason
    replacement = plan.items.get(ticket=offered).work_order
    assert replacement != wo and replacement.technician == planned.technician
    assert replacement.window_start is not None
    verbs = set(
        AuditEvent.objects.filter(object_repr__in=[fresh.number, offered.number]).values_list(
            "verb", flat=True
        )
    )
    assert {"dispatch", "reassign"} <= verbs | set(
        AuditEvent.objects.filter(object_id=str(wo.pk)).values_list("verb", flat=True)
    )
    event = AuditEvent.objects.get(verb="publish", object_id=str(plan.pk))
    assert event.to_state == "published" and fresh.number in event.payload["dispatched"]
    assert offered.number in event.payload["reassigned"]


def test_publish_of_a_stale_plan_changes_nothing(w) -> None:  # type: ignore[no-untyped-def]
    first, second = W.ticket(w, 0), W.ticket(w, 4)
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    # meanwhile somebody dispatched the second ticket by hand
    dispatch.dispatch(actor=w.coordinator, ticket=second, technician_ids=[w.tech_a.pk])
    with pytest.raises(Conflict) as stale:
        services.publish(actor=w.coordinator, plan=plan)
    assert second.number in stale.value.message and stale.value.code == "plan_stale"
    first.refresh_from_db()
    assert first.state != "dispatched" and not first.work_orders.exists()
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_a_new_draft_supersedes_the_old_one(w) -> None:  # type: ignore[no-untyped-def]
    W.ticket(w, 0)
    one = services.plan_day(actor=w.coordinator, day=w.day, time_budget_seconds=BUDGET)
    two = services.plan_day(actor=w.coordinator, day=w.day, time_budget_seconds=BUDGET)
    one.refresh_from_db()
    assert one.state == PlanState.SUPERSEDED and two.state == PlanState.DRAFT
    assert PlanItem.objects.filter(plan=two).count() == 1


def test_minutes_of_the_day_are_local_time(w) -> None:  # type: ignore[no-untyped-def]
    assert to_minute(w.day, W.at(w.day, 8, 30)) == 510
    assert timezone.localtime(day_origin(w.day)).hour == 0


def test_an_empty_day_gives_an_empty_plan(w) -> None:  # type: ignore[no-untyped-def]
    plan = services.plan_day(actor=w.coordinator, day=w.day, time_budget_seconds=BUDGET)
    assert plan.solved_at is not None and not plan.items.exists()
    assert plan.metrics["jobs"] == 0 and plan.metrics["technicians"] == 3
    assert plan.metrics["greedy"] is None and plan.metrics["feasible"]
