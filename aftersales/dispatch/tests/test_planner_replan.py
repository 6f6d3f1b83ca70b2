"""Re-planning a published day: started work and the dispatcher's fixed visits never move,
new work is fitted around them; and a big day solved by a real background worker."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales import testing as t
from aftersales.core.errors import Conflict
from aftersales.core.models import AuditEvent
from aftersales.dispatch import services, snapshot
from aftersales.dispatch.models import DispatchPlan, PlanState
from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.tests import world as W
from aftersales.service.models import WorkOrder
from aftersales.service.services import dispatch

BUDGET = 1.0


def feasible(plan: DispatchPlan) -> bool:
    problem = snapshot.problem_from_json(plan.problem)
    items = plan.items.order_by("technician_id", "sequence")
    report = check_plan(problem, snapshot.plan_of(problem, plan.routes, items, plan.day))
    assert report.feasible, report.violations
    return True


def published_morning() -> dict:  # type: ignore[type-arg]
    """A published plan whose first visit started (late), one visit fixed by the
    dispatcher, and new urgent work at 10:00."""
    w = W.build()
    tickets = [W.ticket(w, i, severity=s) for i, s in enumerate(["urgent", "normal", "urgent"])]
    tickets.append(W.ticket(w, 4, severity="normal"))
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    # the dispatcher fixes one LED visit on tech_b, then publishes
    moved = services.move_item(
        actor=w.coordinator, plan=plan, ticket=tickets[3], technician=w.tech_b
    )
    services.publish(actor=w.coordinator, plan=plan)
    moved.refresh_from_db()
    # the first visit of the morning has started: accepted and checked in
    first = plan.items.filter(technician__isnull=False).order_by("planned_start").first()
    assert first is not None and first.work_order is not None and first != moved
    dispatch.accept(actor=first.technician, work_order=first.work_order)
    dispatch.check_in(actor=first.technician, work_order=first.work_order)
    # the check-in happened on the planning day (the test runs on another day), 25 minutes
    # later than planned: the rest of that route is judged on the real arrival
    checked_in = first.planned_start + dt.timedelta(minutes=25)
    WorkOrder.objects.filter(pk=first.work_order_id).update(check_in_at=checked_in)
    late_comer = W.ticket(w, 5, severity="urgent", hour=10)
    return {
        "w": w,
        "plan": plan,
        "first": first,
        "checked_in": checked_in,
        "moved": moved,
        "late_comer": late_comer,
    }


def assert_kept(s: dict, new: DispatchPlan) -> None:  # type: ignore[type-arg]
    w, first, moved = s["w"], s["first"], s["moved"]
    assert new.replan_of == s["plan"] and new.state == PlanState.DRAFT and feasible(new)
    started = new.items.get(job_id=f"W{first.work_order_id}")
    assert started.started and started.fixed and started.technician == first.technician
    assert started.planned_start == s["checked_in"]
    kept = new.items.get(ticket=moved.ticket)
    assert kept.fixed and kept.technician == w.tech_b
    assert kept.planned_start == moved.planned_start
    assert new.items.filter(ticket=s["late_comer"]).exists()
    # nothing is planned before now except what had begun
    for item in new.items.filter(technician__isnull=False, fixed=False):
        assert item.planned_start >= W.at(w.day, 10, 30)


@pytest.mark.django_db
def test_replan_keeps_started_and_fixed_visits_and_fits_new_work() -> None:
    s = published_morning()
    w = s["w"]
    new = services.replan(actor=w.coordinator, plan=s["plan"], now=W.at(w.day, 10, 30))
    assert_kept(s, new)
    assert AuditEvent.objects.filter(verb="replan", object_id=str(new.pk)).exists()
    # the started visit cannot be moved by hand either
    with pytest.raises(Conflict):
        services.move_item(
            actor=w.coordinator,
            plan=new,
            job_id=f"W{s['first'].work_order_id}",
            technician=w.tech_a,
        )


@pytest.mark.django_db
def test_a_background_replan_keeps_them_too() -> None:
    s = published_morning()
    w = s["w"]
    new = services.replan(
        actor=w.coordinator, plan=s["plan"], now=W.at(w.day, 10, 30), background=True
    )
    assert new.solving
    assert services.solve_pending(plan_id=new.pk)
    new.refresh_from_db()
    assert_kept(s, new)


@pytest.mark.django_db(transaction=True)
def test_a_big_day_is_solved_by_a_background_worker() -> None:
    w = W.build()
    for i in range(len(W.SITES)):
        W.ticket(w, i, severity="normal")
    plan = services.plan_day(
        actor=w.coordinator,
        day=w.day,
        region=w.region,
        time_budget_seconds=BUDGET,
        background=True,
    )
    assert plan.solving and not plan.items.exists()
    t.run_workers(1, queues="dispatch")
    plan.refresh_from_db()
    assert plan.solved_at is not None and plan.items.count() == len(W.SITES)
    assert feasible(plan) and plan.metrics["jobs"] == len(W.SITES)
    assert AuditEvent.objects.filter(verb="solve", object_id=str(plan.pk)).exists()
    # a second run of the job leaves the solved plan alone
    assert services.solve_pending(plan_id=plan.pk) is False
