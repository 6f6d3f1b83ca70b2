"""Re-planning: what has started and what the dispatcher fixed never moves."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.model import (
    FixedVisit,
    Job,
    Plan,
    PlanningProblem,
    TimeWindow,
    Visit,
)
from aftersales.dispatch.planning.scenarios import field_day
from aftersales.dispatch.planning.solver import breach_weight, frozen_problem, replan, solve

NOW = 11 * 60


@pytest.fixture
def settings() -> SimpleNamespace:
    """Pure tests without pytest-django: the project-wide autouse fixture writes here."""
    return SimpleNamespace()


@pytest.fixture(scope="module")
def morning() -> tuple[PlanningProblem, Plan]:
    problem = field_day(30, seed=11, jobs_per_technician=2.5).problem
    return problem, solve(problem, time_budget_seconds=1.5, seed=0)


def started_before(plan: Plan, now: int) -> dict[str, tuple[str, Visit]]:
    """Visits whose trip had begun at ``now``: job id → (technician, visit)."""
    result = {}
    for route in plan.routes:
        leave = route.departure
        for index, visit in enumerate(route.visits):
            if route.lunch is not None and route.lunch.after_visits == index:
                leave = max(leave, route.lunch.end)
            if min(leave, visit.start) < now:
                result[visit.job_id] = (route.technician_id, visit)
            leave = visit.end
    return result


def urgent_job(problem: PlanningProblem, near: Job) -> Job:
    return Job(
        id="NEW-URGENT",
        location=near.location,
        service_minutes=45,
        window=TimeWindow(NOW, NOW + 120),
        weight=8,
        required_skill=near.required_skill,
    )


def test_started_visits_stay_exactly_in_place(morning: tuple[PlanningProblem, Plan]) -> None:
    problem, plan = morning
    started = started_before(plan, NOW)
    assert started, "the fixture day should have work under way at 11:00"
    today = replace(problem, jobs=(*problem.jobs, urgent_job(problem, problem.jobs[0])))
    new_plan = replan(plan, today, NOW, time_budget_seconds=1.5)

    report = check_plan(frozen_problem(plan, today, NOW), new_plan)
    assert report.feasible, report.violations
    for job_id, (tech_id, visit) in started.items():
        route = new_plan.route_of(tech_id)
        assert route is not None
        assert visit.job_id in route.job_ids
        moved = next(v for v in route.visits if v.job_id == job_id)
        assert (moved.arrival, moved.start, moved.end) == (visit.arrival, visit.start, visit.end)
    assert new_plan.visit("NEW-URGENT") is not None or any(
        u.job_id == "NEW-URGENT" for u in new_plan.unassigned
    )


def test_undisturbed_jobs_keep_their_technician(morning: tuple[PlanningProblem, Plan]) -> None:
    problem, plan = morning
    today = replace(problem, jobs=(*problem.jobs, urgent_job(problem, problem.jobs[3])))
    new_plan = replan(plan, today, NOW, time_budget_seconds=1.0, reassign=False)
    assert check_plan(frozen_problem(plan, today, NOW), new_plan).feasible
    before = plan.assignment()
    after = new_plan.assignment()
    # a job may give way to the new urgent one, but never goes to another technician
    assert all(after.get(job_id) in (tech_id, None) for job_id, tech_id in before.items())
    assert sum(1 for job_id in before if job_id in after) >= len(before) - 2


def test_reassignment_only_when_it_reduces_breaches(
    morning: tuple[PlanningProblem, Plan],
) -> None:
    problem, plan = morning
    today = replace(problem, jobs=(*problem.jobs, urgent_job(problem, problem.jobs[5])))
    local = replan(plan, today, NOW, time_budget_seconds=1.0, reassign=False)
    free = replan(plan, today, NOW, time_budget_seconds=2.0)
    frozen = frozen_problem(plan, today, NOW)
    assert check_plan(frozen, free).feasible
    if free.assignment() != local.assignment():
        assert breach_weight(frozen, free) <= breach_weight(frozen, local)


def test_dispatcher_fixed_visits_never_move(morning: tuple[PlanningProblem, Plan]) -> None:
    problem, plan = morning
    route = next(r for r in plan.routes if len(r.visits) >= 2)
    pinned = route.visits[-1]
    techs = tuple(
        replace(t, fixed_visits=(FixedVisit(pinned.job_id, pinned.start),))
        if t.id == route.technician_id
        else t
        for t in problem.technicians
    )
    fixed = replace(problem, technicians=techs)
    again = solve(fixed, time_budget_seconds=1.0, seed=3)
    report = check_plan(fixed, again)
    assert report.feasible, report.violations
    visit = again.visit(pinned.job_id)
    assert visit is not None and visit.fixed
    assert (again.assignment()[pinned.job_id], visit.start) == (route.technician_id, pinned.start)

    later = replan(again, fixed, NOW, time_budget_seconds=1.0, seed=4)
    assert check_plan(frozen_problem(again, fixed, NOW), later).feasible
    visit = later.visit(pinned.job_id)
    assert visit is not None
    assert (later.assignment()[pinned.job_id], visit.start) == (route.technician_id, pinned.start)


def test_absent_technician_work_is_redistributed(morning: tuple[PlanningProblem, Plan]) -> None:
    problem, plan = morning
    started = started_before(plan, NOW)
    busy = {tech for tech, _visit in started.values()}
    sick = next(r for r in plan.routes if r.visits and r.technician_id not in busy)
    today = replace(
        problem, technicians=tuple(t for t in problem.technicians if t.id != sick.technician_id)
    )
    new_plan = replan(plan, today, NOW, time_budget_seconds=1.5)
    report = check_plan(frozen_problem(plan, today, NOW), new_plan)
    assert report.feasible, report.violations
    assert new_plan.route_of(sick.technician_id) is None
    accounted = set(new_plan.assignment()) | {u.job_id for u in new_plan.unassigned}
    assert set(sick.job_ids) <= accounted


def test_cancelled_started_job_disappears(morning: tuple[PlanningProblem, Plan]) -> None:
    problem, plan = morning
    job_id = next(iter(started_before(plan, NOW)))
    today = replace(problem, jobs=tuple(j for j in problem.jobs if j.id != job_id))
    new_plan = replan(plan, today, NOW, time_budget_seconds=1.0)
    assert job_id not in new_plan.assignment()
    assert check_plan(frozen_problem(plan, today, NOW), new_plan).feasible


def test_frozen_problem_marks_trips_under_way(morning: tuple[PlanningProblem, Plan]) -> None:
    problem, plan = morning
    frozen = frozen_problem(plan, problem, NOW)
    marked = {v.job_id for t in frozen.technicians for v in t.fixed_visits if v.started}
    assert marked == set(started_before(plan, NOW))
    assert frozen.now == NOW
