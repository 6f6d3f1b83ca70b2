"""智能派工 and planned maintenance on real rows: an inspection that needs two engineers, the
暖通 skill and the customer's visiting hours is planned on two qualified technicians starting
together inside the hours — or left unplanned with the reason; the published work order
names the second engineer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aftersales.dispatch import services, snapshot
from aftersales.dispatch.building import companion_id, job_id_of
from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.tests import world as W
from aftersales.maintenance.models import MaintenanceVisit
from aftersales.maintenance.services import generation, plans
from aftersales.notifications.models import Notification
from aftersales.service.models import WorkOrder
from aftersales.staff.models import DutyShift

pytestmark = pytest.mark.django_db
BUDGET = 1.0


@pytest.fixture
def w():  # type: ignore[no-untyped-def]
    return W.build()


def inspection_on_the_day(w: Any, **kw: Any) -> MaintenanceVisit:
    """A monthly 暖通 inspection of 虹桥商务区 due on the planning day, released."""
    site = w.equipment[2].site
    values: dict[str, Any] = {
        "name": "暖通机房月度巡检",
        "kind": "routine",
        "customer_id": w.customer.pk,
        "site_id": site.pk,
        "recurrence": "monthly",
        "start_date": w.day,
        "equipment_ids": [w.equipment[2].pk],
        "min_engineers": 2,
        "skill_id": w.categories["hvac"].pk,
        "duration_minutes": 90,
        "visit_from": dt.time(9, 30),
        "visit_until": dt.time(10, 30),
        "contact_name": "王经理",
        "contact_phone": "13800138000",
        "lead_days": 30,
        "release_days": 0,
    }
    values.update(kw)
    plan = plans.plan_create(
        actor=w.coordinator, data=plans.PlanInput(**values), today=timezone.localdate()
    )
    generation.release_due(today=w.day)
    visit = MaintenanceVisit.objects.get(plan=plan, due_date=w.day)
    assert visit.ticket is not None
    return visit


def local(instant: dt.datetime | None) -> dt.time:
    assert instant is not None
    return timezone.localtime(instant).time()


def test_two_qualified_engineers_inside_the_customers_hours(w) -> None:  # type: ignore[no-untyped-def]
    visit = inspection_on_the_day(w)
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    lead_id = job_id_of(visit.ticket_id)
    problem = snapshot.problem_from_json(plan.problem)
    lead = problem.job(lead_id)
    assert (lead.crew, lead.required_skill, lead.service_minutes) == (2, "hvac", 90)
    assert (lead.window.earliest, lead.window.latest, lead.late_ok) == (570, 630, False)
    items = {i.job_id: i for i in plan.items.filter(ticket_id=visit.ticket_id)}
    assert set(items) == {lead_id, companion_id(lead_id, 2)}
    a, b = items[lead_id], items[companion_id(lead_id, 2)]
    # tech_a has no 暖通 skill: the two others go, starting together inside 09:30–10:30
    assert {a.technician_id, b.technician_id} == {w.tech_b.pk, w.tech_c.pk}
    assert a.planned_start == b.planned_start
    assert dt.time(9, 30) <= local(a.planned_start) <= dt.time(10, 30)
    pure = snapshot.plan_of(
        problem, plan.routes, plan.items.order_by("technician_id", "sequence"), plan.day
    )
    assert check_plan(problem, pure).feasible

    services.publish(actor=w.coordinator, plan=plan)
    [wo] = WorkOrder.objects.filter(ticket_id=visit.ticket_id)
    assert wo.technician_id == a.technician_id
    other = w.tech_c if a.technician_id == w.tech_b.pk else w.tech_b
    assert f"同行工程师：{other}" in wo.note
    # the second engineer is told when, where and with whom
    [told] = Notification.objects.filter(recipient=other, subject__startswith="【随同上门】")
    assert visit.ticket.number in told.subject and str(wo.technician) in told.body


def test_one_qualified_engineer_on_duty_leaves_the_visit_unplanned_with_the_reason(w) -> None:  # type: ignore[no-untyped-def]
    visit = inspection_on_the_day(w)
    # tech_c is off duty (rostered the next day): tech_b is the only 暖通 engineer
    DutyShift.objects.filter(user=w.tech_c).update(
        starts_at=W.at(w.day + dt.timedelta(days=1), 8, 30),
        ends_at=W.at(w.day + dt.timedelta(days=1), 17, 30),
    )
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    items = list(plan.items.filter(ticket_id=visit.ticket_id))
    assert len(items) == 2 and all(i.technician_id is None for i in items)
    lead = next(i for i in items if "+" not in i.job_id)
    assert lead.unassigned_reason == "no_crew"
    assert "需 2 名具备hvac技能的工程师，当日在班仅 1 名" in lead.unassigned_detail
    row = next(u for u in plan.metrics["unassigned"] if u["job_id"] == lead.job_id)
    assert row["label"] == "凑不齐所需人数的合格工程师"


def test_hours_nobody_can_reach_leave_it_unplanned_not_late(w) -> None:  # type: ignore[no-untyped-def]
    # the shifts start at 08:30: 08:00–08:20 is out of reach, and it is never planned late
    visit = inspection_on_the_day(w, visit_from=dt.time(8, 0), visit_until=dt.time(8, 20))
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    items = list(plan.items.filter(ticket_id=visit.ticket_id))
    assert items and all(i.technician_id is None for i in items)
    assert all(i.unassigned_reason for i in items)


def test_a_replan_keeps_the_two_engineers_together(w) -> None:  # type: ignore[no-untyped-def]
    # hours wide open from the start of the shifts: each engineer alone would start when he
    # gets there, at different minutes
    visit = inspection_on_the_day(w, visit_from=dt.time(8, 30), visit_until=dt.time(11, 0))
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    services.publish(actor=w.coordinator, plan=plan)
    W.ticket(w, 0, severity="urgent", hour=7)  # new work before the day starts
    new = services.replan(
        actor=w.coordinator, plan=plan, now=W.at(w.day, 8, 0), time_budget_seconds=BUDGET
    )
    lead_id = job_id_of(visit.ticket_id)
    items = {i.job_id: i for i in new.items.filter(ticket_id=visit.ticket_id)}
    a, b = items[lead_id], items[companion_id(lead_id, 2)]
    assert {a.technician_id, b.technician_id} == {w.tech_b.pk, w.tech_c.pk}
    assert a.planned_start == b.planned_start
    assert dt.time(8, 30) <= local(a.planned_start) <= dt.time(11, 0)
    assert not a.fixed and not b.fixed  # the crew's pins are the planner's, not fixed


def test_a_move_that_splits_the_crew_cannot_be_published(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.core.errors import Conflict

    visit = inspection_on_the_day(w)
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    lead_id = job_id_of(visit.ticket_id)
    companion = plan.items.get(job_id=companion_id(lead_id, 2))
    # the dispatcher puts the lead (moved by its ticket) on the companion's technician
    moved = services.move_item(
        actor=w.coordinator, plan=plan, ticket=visit.ticket, technician=companion.technician
    )
    assert moved.job_id == lead_id
    with pytest.raises(Conflict) as refused:
        services.publish(actor=w.coordinator, plan=plan)
    assert "2 名工程师" in refused.value.message and visit.ticket.number in refused.value.message
    assert not WorkOrder.objects.filter(ticket_id=visit.ticket_id).exists()


def test_the_second_engineer_sees_the_visit_and_is_proposed_as_co_engineer(w) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from aftersales.maintenance.services import inspections
    from aftersales.service.services import dispatch

    visit = inspection_on_the_day(w)
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    url = f"/maintenance/visits/{visit.pk}/"
    lead_item = plan.items.get(job_id=job_id_of(visit.ticket_id))
    lead = lead_item.technician
    other = w.tech_c if lead.pk == w.tech_b.pk else w.tech_b
    companion = Client()
    companion.force_login(other)
    assert companion.get(url).status_code == 404  # a draft plan assigns nobody
    services.publish(actor=w.coordinator, plan=plan)
    assert companion.get(url).status_code == 200
    outsider = Client()
    outsider.force_login(w.tech_a)
    assert outsider.get(url).status_code == 404
    wo = WorkOrder.objects.get(ticket_id=visit.ticket_id)
    dispatch.accept(actor=lead, work_order=wo)
    dispatch.check_in(actor=lead, work_order=wo)
    inspections.start(actor=lead, visit=visit)
    mine = Client()
    mine.force_login(lead)
    page = mine.get(url).content.decode()
    assert f'value="{other.pk}" selected' in page
