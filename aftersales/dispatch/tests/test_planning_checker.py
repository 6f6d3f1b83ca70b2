"""The independent checker: accepts a hand-made valid plan, flags each kind of fault."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.model import (
    BreakSlot,
    FixedVisit,
    Job,
    LunchBreak,
    Plan,
    PlanningProblem,
    Route,
    Technician,
    TimeWindow,
    TravelMatrix,
    Unassigned,
    UnassignedReason,
    Visit,
)

# places: 0 = base, 1..3 = customers
MATRIX = [
    [0, 10, 20, 30],
    [10, 0, 15, 25],
    [20, 15, 0, 12],
    [30, 25, 12, 0],
]


@pytest.fixture
def settings() -> SimpleNamespace:
    """Pure tests without pytest-django: the project-wide autouse fixture writes here."""
    return SimpleNamespace()


def problem(**changes: object) -> PlanningProblem:
    jobs = (
        Job("A", 1, 30, TimeWindow(480, 540), weight=8, required_skill="led"),
        Job("B", 2, 60, TimeWindow(480, 720), weight=4),
        Job("C", 3, 30, TimeWindow(840, 900), weight=2, required_skill="hvac"),
    )
    tech = Technician(
        "T1",
        0,
        0,
        TimeWindow(480, 1080),
        frozenset({"led"}),
        LunchBreak(TimeWindow(690, 780), 60),
    )
    base = PlanningProblem(jobs, (tech,), TravelMatrix.from_rows(MATRIX))
    return replace(base, **changes)  # type: ignore[arg-type]


def valid_plan() -> Plan:
    visits = (
        Visit("A", 1, 490, 490, 520),
        Visit("B", 2, 535, 535, 595),
    )
    route = Route(
        "T1",
        departure=480,
        visits=visits,
        return_time=775,
        travel_minutes=45,
        lunch=BreakSlot(location=2, start=695, end=755, after_visits=2),
    )
    unassigned = (Unassigned("C", UnassignedReason.NO_SKILL),)
    return Plan((route,), unassigned)


def codes(plan: Plan, prob: PlanningProblem | None = None) -> set[str]:
    return {v.code for v in check_plan(prob or problem(), plan).violations}


def with_route(plan: Plan, **changes: object) -> Plan:
    return replace(plan, routes=(replace(plan.routes[0], **changes),))  # type: ignore[arg-type]


def with_visit(plan: Plan, index: int, **changes: object) -> Plan:
    visits = list(plan.routes[0].visits)
    visits[index] = replace(visits[index], **changes)  # type: ignore[arg-type]
    return with_route(plan, visits=tuple(visits))


def test_valid_plan_passes_with_metrics() -> None:
    report = check_plan(problem(), valid_plan())
    assert report.feasible, report.violations
    assert report.metrics.total_travel == 45
    assert report.metrics.weighted_breaches == 2  # C is not served
    assert report.metrics.unassigned_must_do == 1
    assert report.metrics.on_time_rate == pytest.approx(2 / 3)


def test_late_visit_is_a_breach_not_a_violation() -> None:
    late = with_visit(valid_plan(), 0, arrival=550, start=550, end=580, late_minutes=10)
    late = with_visit(late, 1, arrival=595, start=595, end=655)
    late = with_route(late, departure=540)
    report = check_plan(problem(), late)
    assert report.feasible, report.violations
    assert report.metrics.weighted_breaches == 8 + 2
    assert report.metrics.late_visits == 1
    assert "window_late" in codes(late, problem(hard_windows=True))


def test_travel_faster_than_matrix_is_flagged() -> None:
    assert "travel_time" in codes(with_visit(valid_plan(), 1, arrival=525))


def test_reported_travel_must_match_matrix() -> None:
    assert "travel_mismatch" in codes(with_route(valid_plan(), travel_minutes=40))


def test_missing_skill_is_flagged() -> None:
    tech = replace(problem().technicians[0], skills=frozenset())
    assert "skill" in codes(valid_plan(), problem(technicians=(tech,)))


def test_job_twice_and_job_missing_are_flagged() -> None:
    plan = valid_plan()
    twice = replace(
        plan, unassigned=(*plan.unassigned, Unassigned("A", UnassignedReason.FULLY_BOOKED))
    )
    assert "duplicate_job" in codes(twice)
    assert "missing_job" in codes(replace(plan, unassigned=()))


def test_shift_end_and_service_time() -> None:
    assert "shift_end" in codes(with_route(valid_plan(), return_time=1100))
    assert "service_time" in codes(with_visit(valid_plan(), 0, end=515))
    assert "start_before_arrival" in codes(with_visit(valid_plan(), 0, start=485))


def test_lunch_rules() -> None:
    # back after the latest lunch start without a break
    assert "lunch_missing" in codes(with_route(valid_plan(), lunch=None, return_time=800))
    slot = BreakSlot(location=2, start=790, end=850, after_visits=2)
    assert "lunch_window" in codes(with_route(valid_plan(), lunch=slot, return_time=870))
    short = BreakSlot(location=2, start=695, end=725, after_visits=2)
    assert "lunch_duration" in codes(with_route(valid_plan(), lunch=short, return_time=745))
    # a day that ends before the lunch window needs no break
    early = with_route(
        valid_plan(),
        visits=valid_plan().routes[0].visits[:1],
        lunch=None,
        return_time=530,
        travel_minutes=20,
    )
    early = replace(
        early, unassigned=(*early.unassigned, Unassigned("B", UnassignedReason.FULLY_BOOKED))
    )
    assert check_plan(problem(), early).feasible


def test_fixed_visit_must_not_move() -> None:
    tech = replace(problem().technicians[0], fixed_visits=(FixedVisit("B", 535),))
    prob = problem(technicians=(tech,))
    assert check_plan(prob, valid_plan()).feasible
    moved = with_visit(valid_plan(), 1, arrival=540, start=540, end=600)
    moved = with_route(moved, return_time=780, lunch=BreakSlot(2, 700, 760, 2))
    assert "fixed_moved" in codes(moved, prob)


def test_now_forbids_new_trips_in_the_past() -> None:
    assert "before_now" in codes(valid_plan(), problem(now=500))


def test_pinned_job_on_other_technician_is_flagged() -> None:
    prob = problem()
    jobs = (replace(prob.jobs[0], fixed_technician="T9"), *prob.jobs[1:])
    assert "pinned" in codes(valid_plan(), replace(prob, jobs=jobs))
