"""A visit that needs several engineers, a skill and the customer's visiting hours: planned
on that many qualified technicians starting together inside the window, or left out with
the reason — never one engineer alone, never outside the hours (pure, no database)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.crews import solve_crewed
from aftersales.dispatch.planning.model import (
    Job,
    LunchBreak,
    PlanningProblem,
    Technician,
    TimeWindow,
    TravelMatrix,
    UnassignedReason,
)
from aftersales.dispatch.planning.solver import solve

BUDGET = 0.6
HOURS = TimeWindow(540, 600)  # the customer's visiting hours, 09:00–10:00
SHIFT = TimeWindow(480, 1050)


@pytest.fixture
def settings() -> SimpleNamespace:
    return SimpleNamespace()


# places: 0 base north, 1 base south, 2 the customer's plant room, 3 another site
TRAVEL = TravelMatrix.from_rows(
    [
        [0, 40, 30, 20],
        [40, 0, 20, 30],
        [30, 20, 0, 25],
        [20, 30, 25, 0],
    ]
)


def inspection(crew: int = 2, window: TimeWindow = HOURS, **kw) -> list[Job]:  # type: ignore[no-untyped-def]
    lead = Job(
        "T1",
        location=2,
        service_minutes=120,
        window=window,
        required_skill="hvac",
        crew=crew,
        late_ok=False,
        **kw,
    )
    companions = [
        Job(
            f"T1+{k}",
            location=2,
            service_minutes=120,
            window=window,
            required_skill="hvac",
            must_do=False,
            companion_of="T1",
            late_ok=False,
        )
        for k in range(2, crew + 1)
    ]
    return [lead, *companions]


def tech(tid: str, skills: set[str], base: int = 0, shift: TimeWindow = SHIFT) -> Technician:
    lunch = LunchBreak(TimeWindow(690, 780), 30)
    return Technician(tid, base, base, shift, frozenset(skills), lunch=lunch)


def day(jobs: list[Job], techs: list[Technician]) -> PlanningProblem:
    return PlanningProblem(jobs=tuple(jobs), technicians=tuple(techs), travel=TRAVEL)


def test_two_qualified_engineers_start_together_inside_the_window() -> None:
    other = Job("T2", location=3, service_minutes=60, window=TimeWindow(480, 900))
    problem = day(
        [*inspection(), other],
        [tech("U1", {"hvac"}), tech("U2", {"hvac", "led"}, base=1), tech("U3", {"led"})],
    )
    plan = solve_crewed(problem, BUDGET)
    report = check_plan(problem, plan)
    assert report.feasible, report.violations
    assignment = plan.assignment()
    assert {assignment["T1"], assignment["T1+2"]} == {"U1", "U2"}  # U3 lacks the skill
    lead, companion = plan.visit("T1"), plan.visit("T1+2")
    assert lead is not None and companion is not None
    assert lead.start == companion.start and 540 <= lead.start <= 600
    assert "T2" in assignment and not plan.unassigned


def test_the_plain_solver_would_send_one_engineer_alone() -> None:
    """What the crew planning changes: without it the companion is just another job, and
    the checker's crew rule refuses the plan."""
    # open from the start of the shift: each engineer would start when he gets there
    problem = day(
        [*inspection(window=TimeWindow(480, 720))],
        [tech("U1", {"hvac"}), tech("U2", {"hvac"}, base=1)],
    )
    plain = solve(problem, BUDGET)
    crewed = solve_crewed(problem, BUDGET)
    assert any(v.code == "crew" for v in check_plan(problem, plain).violations)
    assert check_plan(problem, crewed).feasible
    lead, companion = crewed.visit("T1"), crewed.visit("T1+2")
    assert lead is not None and companion is not None and lead.start == companion.start


def test_too_few_qualified_engineers_on_duty_leave_it_unplanned_with_the_reason() -> None:
    problem = day([*inspection()], [tech("U1", {"hvac"}), tech("U3", {"led"}, base=1)])
    plan = solve_crewed(problem, BUDGET)
    assert check_plan(problem, plan).feasible
    assert not plan.assignment()
    reasons = {u.job_id: u for u in plan.unassigned}
    assert reasons["T1"].reason is UnassignedReason.NO_CREW
    assert "需 2 名具备hvac技能的工程师，当日在班仅 1 名" in reasons["T1"].detail
    assert reasons["T1+2"].reason is UnassignedReason.NO_CREW


def test_a_second_engineer_who_cannot_be_there_in_the_window_leaves_it_unplanned() -> None:
    # U2 starts his shift at 11:00, after the customer's hours (09:00–10:00)
    problem = day(
        [*inspection()],
        [tech("U1", {"hvac"}), tech("U2", {"hvac"}, base=1, shift=TimeWindow(660, 1050))],
    )
    plan = solve_crewed(problem, BUDGET)
    assert check_plan(problem, plan).feasible
    assert not plan.assignment()  # not U1 alone
    reason = {u.job_id: u for u in plan.unassigned}["T1"]
    assert reason.reason is UnassignedReason.NO_CREW and "同时到场" in reason.detail


def test_a_visit_outside_the_customers_hours_is_never_planned_late() -> None:
    # the hours end at 08:10, nobody can arrive before 08:30: left out, not planned late
    hours = TimeWindow(480, 490)
    problem = day([*inspection(window=hours)], [tech("U1", {"hvac"}), tech("U2", {"hvac"})])
    plan = solve_crewed(problem, BUDGET)
    assert not plan.assignment()
    assert {u.job_id for u in plan.unassigned} == {"T1", "T1+2"}
    # an ordinary must-do job with the same window is planned late
    ordinary = day(
        [Job("T9", location=2, service_minutes=60, window=hours)], [tech("U1", {"hvac"})]
    )
    late = solve(ordinary, BUDGET).visit("T9")
    assert late is not None and late.late_minutes > 0


def test_three_engineers_on_three_technicians() -> None:
    problem = day(
        [*inspection(crew=3, window=TimeWindow(540, 720))],
        [tech("U1", {"hvac"}), tech("U2", {"hvac"}, base=1), tech("U4", {"hvac"}, base=1)],
    )
    plan = solve_crewed(problem, BUDGET)
    assert check_plan(problem, plan).feasible
    a = plan.assignment()
    assert len({a["T1"], a["T1+2"], a["T1+3"]}) == 3
