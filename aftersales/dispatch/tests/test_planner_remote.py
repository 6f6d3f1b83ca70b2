"""A category served remotely first (远程服务, e.g. software): a waiting ticket that allows
it (the customer did not ask for a visit) is planned as remote work — a block of the
configured remote service time at a skilled technician's base, no trip — and published as a
remote work order; one the customer wants on site is planned as a trip. The ticket page
ranks technicians without distance and says so."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from aftersales import testing as t
from aftersales.dispatch import services, snapshot
from aftersales.dispatch.building import REMOTE_FIRST, REMOTE_FIRST_LABEL
from aftersales.dispatch.models import PlannerSettings
from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.tests import world as W
from aftersales.service import ranking
from aftersales.service.models import Ticket
from aftersales.service.services import dispatch, intake

BUDGET = 0.5


def test_ranking_a_remote_job_ignores_distance_and_says_so(settings) -> None:  # type: ignore[no-untyped-def]
    near = ranking.CandidateFacts(1, "近", frozenset({"software"}), 1, True, 3, 8, 31.2, 121.5)
    far = ranking.CandidateFacts(2, "远", frozenset({"software"}), 1, True, 0, 8, 39.9, 116.4)
    on_site = ranking.JobFacts("software", 1, lat=31.21, lng=121.49)
    remote = ranking.JobFacts("software", 1, lat=31.21, lng=121.49, remote=True)
    assert [c.facts.name for c in ranking.rank(on_site, [near, far])] == ["近", "远"]
    ranked = ranking.rank(remote, [near, far])
    assert [c.facts.name for c in ranked] == ["远", "近"]  # fewer open jobs wins
    assert all("可远程服务，不计路程" in c.reasons for c in ranked)
    assert not any("公里" in r for c in ranked for r in c.reasons)


def _remote_hvac(w) -> None:  # type: ignore[no-untyped-def]
    hvac = w.categories["hvac"]
    hvac.remote_service = True
    hvac.save(update_fields=["remote_service"])


def _far_ticket(w, *, request: str = "") -> Ticket:  # type: ignore[no-untyped-def]
    """An hvac ticket at a site in Beijing, some 1 000 km from every technician."""
    site = t.site(w.customer, name="北京分部", lat=Decimal("39.9042"), lng=Decimal("116.4074"))
    eq = t.equipment(site, w.equipment[2].model, acceptance_date=w.day - dt.timedelta(days=60))
    return intake.ticket_create(
        actor=w.agent,
        data=intake.TicketInput(
            description="控制软件无法登录",
            contact_name="李工",
            contact_phone="13900139000",
            channel="phone",
            equipment_id=eq.pk,
            severity="urgent",
            received_at=W.at(w.day, 8),
            customer_request=request,
            allow_duplicate=True,
            different_fault_reason="另一处故障",
        ),
    )


def _route_of(plan, job_id: str):  # type: ignore[no-untyped-def]
    result = services._pure_plan(plan)
    return next(r for r in result.routes if job_id in [v.job_id for v in r.visits])


@pytest.mark.django_db
def test_a_far_software_ticket_is_planned_as_remote_work_without_travel() -> None:
    w = W.build()
    _remote_hvac(w)
    far = _far_ticket(w)
    led = W.ticket(w, 0, severity="urgent")
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    item = plan.items.get(ticket=far)
    assert item.technician in (w.tech_b, w.tech_c)  # the hvac skill
    assert item.remote and not item.unassigned_reason
    assert item.planned_end - item.planned_start == dt.timedelta(minutes=45)
    assert item.late_minutes == 0  # in its SLA window
    assert item.planned_start >= W.at(w.day, 8, 30)  # inside his shift
    # no travel: done at his base, where he is before and after
    problem = snapshot.problem_from_json(plan.problem)
    route = _route_of(plan, item.job_id)
    tech = problem.technician(route.technician_id)
    job = problem.jobs_by_id[item.job_id]
    assert job.location == tech.start_location
    before = [v for v in route.visits if v.end <= item_minute(item.planned_start, w)]
    assert not before  # first thing of his day: from his base, back at his base
    after = [v for v in route.visits if v.job_id != item.job_id]
    for visit in after[:1]:
        leg = problem.travel(job.location, problem.jobs_by_id[visit.job_id].location)
        assert visit.arrival >= item_minute(item.planned_end, w) + leg
    assert check_plan(problem, services._pure_plan(plan)).feasible
    assert plan.metrics["feasible"]
    assert plan.items.get(ticket=led).technician is not None
    # the plan page says 远程 on its row
    from django.test import Client

    client = Client()
    client.force_login(w.coordinator)
    body = client.get(reverse("dispatch:body", args=[plan.pk])).content.decode()
    assert 'data-testid="remote-tag"' in body
    # published: a remote work order for that technician
    services.publish(actor=w.coordinator, plan=plan)
    wo = far.work_orders.get()
    assert wo.remote and wo.technician == item.technician
    assert not led.work_orders.get().remote


def item_minute(instant: dt.datetime, w) -> int:  # type: ignore[no-untyped-def]
    return int((instant - W.at(w.day, 0)).total_seconds() // 60)


@pytest.mark.django_db
def test_the_remote_service_time_is_the_administrators_setting() -> None:
    w = W.build()
    _remote_hvac(w)
    PlannerSettings.objects.create(remote_service_minutes=30)
    far = _far_ticket(w)
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    item = plan.items.get(ticket=far)
    assert item.remote
    assert item.planned_end - item.planned_start == dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_an_on_site_request_of_a_remote_category_is_a_trip() -> None:
    w = W.build()
    _remote_hvac(w)
    near = W.ticket(w, 2, severity="urgent")  # hvac, 虹桥
    Ticket.objects.filter(pk=near.pk).update(customer_request="请派工程师上门检修")
    far = _far_ticket(w, request="要求现场处理")
    on_site = W.ticket(w, 3, severity="urgent")  # hvac, dispatched on site already
    dispatch.dispatch(actor=w.coordinator, ticket=on_site, technician_ids=[w.tech_c.pk])
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    problem = snapshot.problem_from_json(plan.problem)
    trip = plan.items.get(ticket=near)
    assert trip.technician is not None and not trip.remote
    route = _route_of(plan, trip.job_id)
    tech = problem.technician(route.technician_id)
    assert problem.jobs_by_id[trip.job_id].location != tech.start_location
    # 1 000 km on site: left unplanned with a plain reason, not made remote
    unplanned = plan.items.get(ticket=far)
    assert unplanned.technician is None and not unplanned.remote
    assert unplanned.unassigned_reason == "window_unreachable"
    assert not plan.items.get(ticket=on_site).remote
    services.publish(actor=w.coordinator, plan=plan)
    assert not near.work_orders.get().remote


@pytest.mark.django_db
def test_remote_work_nobody_can_take_stays_listed() -> None:
    w = W.build()
    _remote_hvac(w)
    PlannerSettings.objects.create(remote_service_minutes=600)  # longer than any shift
    far = _far_ticket(w)
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    item = plan.items.get(ticket=far)
    assert item.technician is None and item.unassigned_reason == REMOTE_FIRST
    [row] = [u for u in plan.metrics["unassigned"] if u["ticket_id"] == far.pk]
    assert row["label"] == REMOTE_FIRST_LABEL
    services.publish(actor=w.coordinator, plan=plan)
    assert not far.work_orders.exists()


@pytest.mark.django_db
def test_the_ticket_page_ranks_a_remote_ticket_without_distance() -> None:
    w = W.build()
    _remote_hvac(w)
    far = _far_ticket(w)
    ranked = dispatch.candidates(far)
    assert ranked and all("可远程服务，不计路程" in c.reasons for c in ranked)


@pytest.mark.django_db
def test_remote_work_moved_to_another_technician_is_done_from_his_base() -> None:
    w = W.build()
    _remote_hvac(w)
    far = _far_ticket(w)
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=BUDGET
    )
    item = plan.items.get(ticket=far)
    other = w.tech_c if item.technician == w.tech_b else w.tech_b
    services.move_item(
        actor=w.coordinator, plan=plan, technician=other, job_id=item.job_id, position=0
    )
    plan.refresh_from_db()
    item.refresh_from_db()
    assert item.technician == other and item.remote
    problem = snapshot.problem_from_json(plan.problem)
    tech = problem.technician(f"U{other.pk}")
    assert problem.jobs_by_id[item.job_id].location == tech.start_location
    assert check_plan(problem, services._pure_plan(plan)).feasible
    services.publish(actor=w.coordinator, plan=plan)
    wo = far.work_orders.get()
    assert wo.remote and wo.technician == other
