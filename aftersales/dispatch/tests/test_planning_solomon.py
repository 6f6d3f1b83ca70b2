"""Solomon reader (read in place from the shared data folder) and one solved instance."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import pyvrp

from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.solomon import (
    SCALE,
    best_known,
    data_root,
    dimacs_matrix,
    family_of,
    instance_paths,
    read_instance,
    to_problem,
)
from aftersales.dispatch.planning.solver import solve

ROOT = data_root()
pytestmark = pytest.mark.skipif(not ROOT.exists(), reason="shared Solomon data not present")


@pytest.fixture
def settings() -> SimpleNamespace:
    """Pure tests without pytest-django: the project-wide autouse fixture writes here."""
    return SimpleNamespace()


def test_all_56_instances_and_best_known_values() -> None:
    paths = instance_paths()
    assert len(paths) == 56
    assert [p.stem for p in paths[:2]] == ["C101", "C102"]
    assert {family_of(p.stem) for p in paths} == {"C1", "C2", "R1", "R2", "RC1", "RC2"}
    assert set(best_known()) == {p.stem for p in paths}


def test_reader_fields() -> None:
    instance = read_instance(ROOT / "instances" / "C101.txt")
    assert (instance.name, instance.vehicles, instance.capacity) == ("C101", 25, 200)
    assert len(instance.coords) == 101
    assert instance.coords[0] == (40.0, 50.0)
    assert (instance.ready[1], instance.due[1], instance.service[1]) == (912, 967, 90)
    assert instance.due[0] == 1236


@pytest.mark.parametrize("name", ["C101", "R211", "RC105"])
def test_dimacs_matrix_equals_pyvrp_reader(name: str) -> None:
    ours = dimacs_matrix(read_instance(ROOT / "instances" / f"{name}.txt").coords)
    data = pyvrp.read(ROOT / "instances_vrplib" / f"{name}.vrp", round_func="dimacs")
    assert np.array_equal(ours, data.distance_matrix(0))


def test_problem_mapping() -> None:
    problem = to_problem(read_instance(ROOT / "instances" / "R101.txt"))
    assert len(problem.jobs) == 100 and len(problem.technicians) == 25
    assert problem.hard_windows and not problem.schedule_late_visits
    job = problem.job("1")
    assert job.service_minutes == 10 * SCALE
    assert job.demand == 10 * SCALE


def test_c101_reaches_best_known_quickly() -> None:
    problem = to_problem(read_instance(ROOT / "instances" / "C101.txt"))
    plan = solve(problem, time_budget_seconds=1.0)
    report = check_plan(problem, plan)
    assert report.feasible, report.violations[:3]
    assert not plan.unassigned and report.metrics.late_visits == 0
    assert report.metrics.total_travel / SCALE <= best_known()["C101"] * 1.01
