"""The search's phases: an unserved job stays in play after tier 1, the budget's stops."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from aftersales.dispatch.planning import solver
from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.greedy import greedy_plan
from aftersales.dispatch.planning.model import (
    Job,
    PlanningProblem,
    Technician,
    TimeWindow,
    TravelMatrix,
)
from aftersales.dispatch.planning.search import INFEASIBLE_COST, Budget


@pytest.fixture
def settings() -> SimpleNamespace:
    return SimpleNamespace()


def trap(*, late: bool) -> PlanningProblem:
    """The greedy dispatcher gives X to A (nearest), so Y — only A has its skill — is
    late; the optimum gives X to B and Y to A, both on time."""
    d = [
        [0, 30, 5, 10],
        [30, 0, 20, 30],
        [5, 20, 0, 10],
        [10, 30, 10, 0],
    ]
    return PlanningProblem(
        jobs=(
            Job("X", 2, 60, TimeWindow(0, 30), weight=2, required_skill="a"),
            Job("Y", 3, 30, TimeWindow(0, 40), weight=2, required_skill="b"),
        ),
        technicians=(
            Technician("A", 0, 0, TimeWindow(0, 300), frozenset({"a", "b"})),
            Technician("B", 1, 1, TimeWindow(0, 300), frozenset({"a"})),
        ),
        travel=TravelMatrix.from_rows(d),
        schedule_late_visits=late,
    )


@pytest.mark.parametrize("late", [False, True])
def test_an_unserved_job_is_still_served_after_tier_one(
    monkeypatch: pytest.MonkeyPatch, late: bool
) -> None:
    problem = trap(late=late)
    greedy = greedy_plan(problem)
    assert greedy.visit("Y") is None or greedy.visit("Y").late_minutes > 0  # type: ignore[union-attr]
    # tier 1 ends at once: only the polish (and the late phase) is left to serve Y on time
    monkeypatch.setattr(solver, "TIER_ONE_UNTIL", 0.0)
    plan = solver.solve(problem, time_budget_seconds=1.0, seed=0)
    report = check_plan(problem, plan)
    assert report.feasible, report.violations
    assert report.metrics.weighted_breaches == 0
    assert plan.assignment() == {"X": "B", "Y": "A"}


def test_the_late_phase_comes_last_and_keeps_the_on_time_visits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Z cannot be reached in its window by anyone: after the on-time phases it is planned
    late (late visits on), while X and Y stay on time."""
    base = trap(late=True)
    d = [[*row, 60] for row in base.travel.minutes.tolist()] + [[60, 60, 60, 60, 0]]
    problem = PlanningProblem(
        jobs=(*base.jobs, Job("Z", 4, 20, TimeWindow(0, 20), weight=1, required_skill="a")),
        technicians=base.technicians,
        travel=TravelMatrix.from_rows(d),
        schedule_late_visits=True,
    )
    monkeypatch.setattr(solver, "TIER_ONE_UNTIL", 0.0)
    monkeypatch.setattr(solver, "POLISH_UNTIL", 0.3)
    plan = solver.solve(problem, time_budget_seconds=1.0, seed=0)
    report = check_plan(problem, plan)
    assert report.feasible, report.violations
    z = plan.visit("Z")
    assert z is not None and z.late_minutes > 0
    assert report.metrics.weighted_breaches == 1  # Z only
    assert {v: plan.visit(v).late_minutes for v in "XY"} == {"X": 0, "Y": 0}  # type: ignore[union-attr]


def test_phase_stops_at_its_share_and_on_stagnation() -> None:
    # wall-clock margins of over a second: a loaded CI machine must not flip the outcome
    budget = Budget(2.0, cpu_aware=False)
    patient = budget.phase(1.0, patience=0.25, unit=10)
    assert not patient(1000)
    assert not patient(995)  # an improvement of travel only: not the first objective
    time.sleep(0.6)
    assert patient(991)  # 99 → still 99 for more than a quarter of the budget
    ending = budget.phase(0.9)
    assert not ending(0)  # ~0.6 s of 1.8 s gone
    time.sleep(1.3)
    assert ending(0)  # more than nine tenths of the budget is gone


def test_an_infeasible_all_required_attempt_gives_up_early() -> None:
    budget = Budget(0.2, cpu_aware=False)
    stop = budget.phase(1.0, give_up=0.4)
    assert not stop(INFEASIBLE_COST)
    time.sleep(0.09)
    assert not stop(123)  # feasible: go on
    assert stop(INFEASIBLE_COST)


def test_cpu_aware_budget_counts_cpu_seconds_with_a_wall_cap() -> None:
    budget = Budget(0.2, cpu_aware=True, wall_factor=2.0)
    time.sleep(0.25)  # idle: no CPU used, but more than the budget of wall-clock time
    assert 0.5 < budget.used() < 1.0
    time.sleep(0.2)
    assert budget.used() >= 1.0


def blocker() -> PlanningProblem:
    """The greedy dispatcher gives V (weight 2, due first) to A, the nearest; then only A
    could reach U (weight 4) in time, but not after V. The optimum: U on A, V on B."""
    d = [
        [0, 50, 10, 10],
        [50, 0, 50, 20],
        [10, 50, 0, 10],
        [10, 20, 10, 0],
    ]
    return PlanningProblem(
        jobs=(
            Job("U", 2, 60, TimeWindow(0, 30), weight=4),
            Job("V", 3, 60, TimeWindow(0, 25), weight=2),
        ),
        technicians=(
            Technician("A", 0, 0, TimeWindow(0, 400)),
            Technician("B", 1, 1, TimeWindow(0, 400)),
        ),
        travel=TravelMatrix.from_rows(d),
        schedule_late_visits=False,
    )


@pytest.mark.parametrize(
    "search",
    [
        solver.SearchSettings(tier_one_until=0.0, exchange=False),  # the rounds alone
        solver.SearchSettings(tier_one_until=0.0, rounds_patience=None),  # the exchange alone
    ],
    ids=["rounds", "exchange"],
)
def test_a_served_job_makes_way_for_a_heavier_one_after_tier_one(
    search: solver.SearchSettings,
) -> None:
    problem = blocker()
    greedy = greedy_plan(problem)
    assert greedy.assignment().get("V") == "A"
    assert check_plan(problem, greedy).metrics.weighted_breaches == 4  # U missed
    plan = solver.solve(problem, time_budget_seconds=1.0, seed=0, settings=search)
    report = check_plan(problem, plan)
    assert report.feasible, report.violations
    assert report.metrics.weighted_breaches == 0
    assert plan.assignment() == {"U": "A", "V": "B"}
