"""Properties over random small days: every plan passes the independent checker, and the
optimiser never has more weighted breaches than the greedy baseline it starts from."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.greedy import greedy_plan
from aftersales.dispatch.planning.model import (
    FixedVisit,
    Job,
    LunchBreak,
    PlanningProblem,
    Technician,
    TimeWindow,
    TravelMatrix,
)
from aftersales.dispatch.planning.solver import breach_weight, solve

SKILLS = ("led", "hvac", "agri")


@pytest.fixture
def settings() -> SimpleNamespace:
    """Pure tests without pytest-django: the project-wide autouse fixture writes here."""
    return SimpleNamespace()


@st.composite
def days(draw: st.DrawFn, *, with_fixed: bool) -> PlanningProblem:
    n_tech = draw(st.integers(1, 3))
    n_jobs = draw(st.integers(1, 7))
    points = draw(
        st.lists(
            st.tuples(st.integers(0, 60), st.integers(0, 60)),
            min_size=n_tech + n_jobs,
            max_size=n_tech + n_jobs,
        )
    )
    matrix = [[abs(a[0] - b[0]) + abs(a[1] - b[1]) for b in points] for a in points]
    lunch = draw(st.booleans())
    techs = []
    for k in range(n_tech):
        skills = draw(st.sets(st.sampled_from(SKILLS), min_size=1))
        rule = LunchBreak(TimeWindow(690, 780), draw(st.sampled_from([30, 60]))) if lunch else None
        techs.append(Technician(f"T{k}", k, k, TimeWindow(480, 1080), frozenset(skills), rule))
    jobs = []
    for k in range(n_jobs):
        earliest = draw(st.integers(480, 960))
        width = draw(st.sampled_from([30, 60, 120, 240]))
        jobs.append(
            Job(
                id=f"J{k}",
                location=n_tech + k,
                service_minutes=draw(st.sampled_from([15, 30, 60, 90])),
                window=TimeWindow(earliest, earliest + width),
                weight=draw(st.sampled_from([1, 2, 4, 8])),
                required_skill=draw(st.sampled_from([*SKILLS, None])),
                must_do=draw(st.sampled_from([True, True, True, False])),
                fixed_technician=draw(st.sampled_from([None, None, None, "T0"])),
            )
        )
    travel = TravelMatrix.from_rows(matrix)
    if with_fixed and draw(st.booleans()):
        job = jobs[0]
        tech = techs[0]
        start = max(job.window.earliest, 480 + travel(tech.start_location, job.location))
        back = start + job.service_minutes + travel(job.location, tech.end_location)
        if back <= tech.shift.latest and (
            job.required_skill in tech.skills or not job.required_skill
        ):
            techs[0] = Technician(
                tech.id,
                tech.start_location,
                tech.end_location,
                tech.shift,
                tech.skills,
                tech.lunch,
                fixed_visits=(FixedVisit(job.id, start),),
            )
    return PlanningProblem(tuple(jobs), tuple(techs), travel)


@hypothesis_settings(
    max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(problem=days(with_fixed=True))
def test_solver_plans_always_pass_the_checker(problem: PlanningProblem) -> None:
    plan = solve(problem, time_budget_seconds=0.15, seed=1)
    report = check_plan(problem, plan)
    assert report.feasible, report.violations


@hypothesis_settings(max_examples=40, deadline=None, database=None)
@given(problem=days(with_fixed=False))
def test_greedy_plans_always_pass_the_checker(problem: PlanningProblem) -> None:
    report = check_plan(problem, greedy_plan(problem))
    assert report.feasible, report.violations


@hypothesis_settings(
    max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(problem=days(with_fixed=False))
def test_solver_never_breaches_more_than_greedy(problem: PlanningProblem) -> None:
    ours = solve(problem, time_budget_seconds=0.15, seed=2)
    assert breach_weight(problem, ours) <= breach_weight(problem, greedy_plan(problem))
