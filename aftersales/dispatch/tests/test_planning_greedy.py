"""The dispatcher's greedy baseline."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.greedy import greedy_plan
from aftersales.dispatch.planning.model import (
    FixedVisit,
    Job,
    PlanningProblem,
    Technician,
    TimeWindow,
    TravelMatrix,
    UnassignedReason,
)
from aftersales.dispatch.planning.scenarios import field_day

# 0 = base of N (north), 1 = base of S (south), 2 = near N, 3 = near S
MATRIX = [
    [0, 60, 10, 55],
    [60, 0, 55, 10],
    [10, 55, 0, 50],
    [55, 10, 50, 0],
]


@pytest.fixture
def settings() -> SimpleNamespace:
    """Pure tests without pytest-django: the project-wide autouse fixture writes here."""
    return SimpleNamespace()


def two_bases(*jobs: Job) -> PlanningProblem:
    techs = (
        Technician("N", 0, 0, TimeWindow(480, 1080), frozenset({"led", "hvac"})),
        Technician("S", 1, 1, TimeWindow(480, 1080), frozenset({"led"})),
    )
    return PlanningProblem(tuple(jobs), techs, TravelMatrix.from_rows(MATRIX))


def test_each_job_goes_to_the_nearest_qualified_technician() -> None:
    problem = two_bases(
        Job("near-n", 2, 30, TimeWindow(480, 600)),
        Job("near-s", 3, 30, TimeWindow(480, 600)),
        Job("hvac-near-s", 3, 30, TimeWindow(480, 900), required_skill="hvac"),
    )
    plan = greedy_plan(problem)
    assert plan.assignment() == {"near-n": "N", "near-s": "S", "hvac-near-s": "N"}
    assert check_plan(problem, plan).feasible


def test_due_time_order_and_late_fallback() -> None:
    # both jobs sit next to S; the earlier due one is served first and on time, the
    # second cannot be reached in its window by anyone and goes to whoever is there soonest
    problem = two_bases(
        Job("late-due", 3, 120, TimeWindow(480, 520)),
        Job("early-due", 3, 120, TimeWindow(480, 500)),
    )
    plan = greedy_plan(problem)
    first = plan.visit("early-due")
    second = plan.visit("late-due")
    assert first is not None and first.late_minutes == 0
    assert plan.assignment()["early-due"] == "S"
    # S is busy until 610, N arrives at 535: N goes, 15 minutes late
    assert second is not None and second.late_minutes == 15
    assert plan.assignment()["late-due"] == "N"
    assert check_plan(problem, plan).feasible


def test_nobody_qualified_is_reported() -> None:
    problem = two_bases(Job("agri", 2, 30, TimeWindow(480, 600), required_skill="agri"))
    plan = greedy_plan(problem)
    assert [(u.job_id, u.reason) for u in plan.unassigned] == [("agri", UnassignedReason.NO_SKILL)]


def test_fixed_visits_are_not_supported() -> None:
    problem = two_bases(Job("x", 2, 30, TimeWindow(480, 600)))
    tech = replace(problem.technicians[0], fixed_visits=(FixedVisit("x", 500),))
    with pytest.raises(ValueError, match="fresh days"):
        greedy_plan(replace(problem, technicians=(tech, problem.technicians[1])))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_greedy_plans_of_field_days_are_feasible(seed: int) -> None:
    day = field_day(60, seed)
    report = check_plan(day.problem, greedy_plan(day.problem))
    assert report.feasible, report.violations[:5]
    # the generator loads the day until the baseline misses at least 10 % of windows
    assert report.metrics.breached_jobs >= 0.10 * len(day.problem.jobs)
