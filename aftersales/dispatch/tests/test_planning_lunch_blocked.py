"""A fixed visit that fills the whole lunch window waives the break: the plan passes the
checker and no other visit is dropped in a vain attempt to make room (found by the
property test over random days)."""

from __future__ import annotations

import numpy as np

from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.model import (
    FixedVisit,
    Job,
    LunchBreak,
    PlanningProblem,
    Technician,
    TimeWindow,
    TravelMatrix,
    WindowKind,
    lunch_room_left,
)
from aftersales.dispatch.planning.solver import solve

LUNCH = LunchBreak(TimeWindow(690, 780), 30, None, None)


def _job(job_id: str, location: int, minutes: int, earliest: int, latest: int) -> Job:
    return Job(
        id=job_id,
        location=location,
        service_minutes=minutes,
        window=TimeWindow(earliest, latest),
        weight=1,
        required_skill="led",
        must_do=True,
        window_kind=WindowKind.SLA,
    )


def _tech(tech_id: str, location: int, fixed: tuple[FixedVisit, ...] = ()) -> Technician:
    return Technician(
        id=tech_id,
        start_location=location,
        end_location=location,
        shift=TimeWindow(480, 1080),
        skills=frozenset({"led"}),
        lunch=LUNCH,
        fixed_visits=fixed,
    )


def _problem(fixed_start: int, minutes: int) -> PlanningProblem:
    return PlanningProblem(
        jobs=(
            _job("J0", 3, minutes, fixed_start, fixed_start + 30),
            _job("J1", 4, 15, 480, 510),
            _job("J2", 5, 15, 480, 510),
        ),
        technicians=(
            _tech("T0", 0, (FixedVisit("J0", fixed_start),)),
            _tech("T1", 1),
            _tech("T2", 2),
        ),
        travel=TravelMatrix(np.zeros((6, 6), dtype=int)),
    )


def test_a_fixed_visit_over_the_whole_lunch_window_waives_the_break() -> None:
    problem = _problem(691, 90)  # 11:31–13:01: no 30 minutes free between 11:30 and 13:00
    assert not lunch_room_left(problem, problem.technicians[0])
    plan = solve(problem, time_budget_seconds=0.3, seed=1)
    report = check_plan(problem, plan)
    assert report.feasible, report.violations
    assert {v.job_id for r in plan.routes for v in r.visits} == {"J0", "J1", "J2"}


def test_a_fixed_visit_that_leaves_room_still_requires_the_break() -> None:
    problem = _problem(691, 40)  # ends 12:11: the break fits after it
    assert lunch_room_left(problem, problem.technicians[0])
    plan = solve(problem, time_budget_seconds=0.3, seed=1)
    assert check_plan(problem, plan).feasible
    t0 = next(r for r in plan.routes if r.technician_id == "T0")
    assert t0.lunch is not None and t0.lunch.start >= 691 + 40


def _far_problem(way_home: int, now: int | None = 660) -> PlanningProblem:
    """T0 checked in at 10:30 at a site ``way_home`` minutes from his base (a started visit
    of 30 minutes); lunch 90 minutes starting 11:30–12:30, shift until 17:30."""
    travel = np.zeros((3, 3), dtype=int)
    travel[1, 0] = travel[0, 1] = way_home
    lunch = LunchBreak(TimeWindow(690, 750), 90, None, None)
    tech = Technician(
        id="T0",
        start_location=0,
        end_location=0,
        shift=TimeWindow(510, 1050),
        skills=frozenset({"led"}),
        lunch=lunch,
        fixed_visits=(FixedVisit("J0", 630, arrival=630, started=True),),
    )
    return PlanningProblem(
        jobs=(_job("J0", 1, 30, 600, 660),),
        technicians=(tech,),
        travel=TravelMatrix(travel),
        now=now,
    )


def test_a_break_that_no_longer_fits_before_the_way_home_is_waived() -> None:
    # free at 11:00 (now) at the site: 90 minutes of lunch + 320 minutes home = 18:50 > 17:30
    problem = _far_problem(320)
    assert not lunch_room_left(problem, problem.technicians[0])
    plan = solve(problem, time_budget_seconds=0.3, seed=1)
    report = check_plan(problem, plan)
    assert report.feasible, report.violations
    # 200 minutes home: 11:00 + 90 + 200 = 15:50, the break fits and is still required
    problem = _far_problem(200)
    assert lunch_room_left(problem, problem.technicians[0])
    plan = solve(problem, time_budget_seconds=0.3, seed=1)
    assert check_plan(problem, plan).feasible
    assert all(r.lunch is not None for r in plan.routes)


def test_a_lunch_window_already_past_is_waived() -> None:
    problem = _far_problem(10, now=760)  # 12:40: no start left in 11:30–12:30
    assert not lunch_room_left(problem, problem.technicians[0])
    assert lunch_room_left(_far_problem(10, now=700), problem.technicians[0])
