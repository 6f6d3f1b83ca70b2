"""The exchange repair: a heavier left-out job takes the place of a lighter served one."""

from __future__ import annotations

from dataclasses import replace

from pyvrp import Activity, ActivityType, Solution
from pyvrp import Route as PyvrpRoute

from aftersales.dispatch.planning.encoding import (
    ClientSpec,
    Encoding,
    default_prize_unit,
    encode,
)
from aftersales.dispatch.planning.exchange import exchange
from aftersales.dispatch.planning.model import (
    Job,
    LunchBreak,
    PlanningProblem,
    Technician,
    TimeWindow,
    TravelMatrix,
)
from aftersales.dispatch.planning.solver import _Setup

# places: 0 A's base, 1 B's base, 2 U's site, 3 V's site
D = [
    [0, 50, 10, 10],
    [50, 0, 50, 20],
    [10, 50, 0, 10],
    [10, 20, 10, 0],
]


def day(*, b_has_room: bool = True, lunch: LunchBreak | None = None) -> PlanningProblem:
    """Only A reaches U (weight 4) in time, and A cannot do both U and V (weight 2):
    V's 60-minute service blocks U's window and the reverse. B can take V when
    ``b_has_room``."""
    return PlanningProblem(
        jobs=(
            Job("U", 2, 60, TimeWindow(0, 20), weight=4),
            Job("V", 3, 60, TimeWindow(0, 60), weight=2),
        ),
        technicians=(
            Technician("A", 0, 0, TimeWindow(0, 400), lunch=lunch),
            Technician("B", 1, 1, TimeWindow(0, 400 if b_has_room else 50)),
        ),
        travel=TravelMatrix.from_rows(D),
        schedule_late_visits=False,
    )


def solution_of(
    problem: PlanningProblem, routes: dict[str, list[str]]
) -> tuple[Encoding, Solution]:
    """The prize model of ``problem`` (as the solver's first phase encodes it) and a
    solution with the given routes: technician id → job ids or ``lunch@<place>``."""
    setup = _Setup.of(problem)
    unit = default_prize_unit(problem, setup.segments, len(setup.candidates))
    specs: list[ClientSpec] = setup.specs(unit, hard=False)
    encoding = encode(problem, setup.segments, specs, prize_unit=unit)
    index = {job.id: k for k, job in enumerate(encoding.jobs)}
    for k, (place, _lunch) in enumerate(encoding.breaks):
        index[f"lunch@{place}"] = len(encoding.jobs) + k
    built = []
    for tech, names in routes.items():
        vehicle = next(
            k for k, group in enumerate(encoding.vehicle_segments) if group[0].technician.id == tech
        )
        activities = [Activity(ActivityType.CLIENT, index[name]) for name in names]
        built.append(PyvrpRoute(encoding.data, activities, vehicle))
    solution = Solution(encoding.data, built)
    assert solution.is_feasible()
    return encoding, solution


def served_by(encoding: Encoding, solution: Solution) -> dict[str, str]:
    served = {}
    for route in solution.routes():
        tech = encoding.vehicle_segments[route.vehicle_type()][0].technician.id
        for a in route:
            if a.is_client() and a.idx < len(encoding.jobs):
                served[encoding.jobs[a.idx].id] = tech
    return served


def test_the_heavier_job_takes_the_lighter_ones_place_and_the_lighter_moves_on() -> None:
    encoding, solution = solution_of(day(), {"A": ["V"]})
    better = exchange(encoding, solution)
    assert better.is_feasible()
    assert served_by(encoding, better) == {"U": "A", "V": "B"}


def test_the_lighter_job_is_left_out_when_nobody_else_can_take_it() -> None:
    encoding, solution = solution_of(day(b_has_room=False), {"A": ["V"]})
    better = exchange(encoding, solution)
    assert better.is_feasible()
    assert served_by(encoding, better) == {"U": "A"}  # 4 served instead of 2


def test_the_lunch_break_moves_to_make_room() -> None:
    """A takes lunch at his base first thing (00:00–00:30; it must start by 00:25); U
    (10 minutes, to be reached by 00:20) fits neither after that break nor before it
    (back at the base at 00:30, too late to start it) — only with the break moved to U's
    site (00:20–00:50)."""
    problem = day(lunch=LunchBreak(TimeWindow(0, 25), 30))
    short_u = replace(problem.jobs[0], service_minutes=10)
    problem = replace(problem, jobs=(short_u, problem.jobs[1]))
    encoding, solution = solution_of(problem, {"A": ["lunch@0"], "B": ["V"]})
    better = exchange(encoding, solution)
    assert better.is_feasible()
    assert served_by(encoding, better) == {"U": "A", "V": "B"}
    (route_a,) = [r for r in better.routes() if r.num_clients() == 2]
    names = [encoding.data.clients()[a.idx].name for a in route_a if a.is_client()]
    assert names == ["U", "lunch@2"]


def test_a_served_job_is_never_given_up_for_one_no_heavier() -> None:
    problem = day(b_has_room=False)
    problem = replace(problem, jobs=(replace(problem.jobs[0], weight=2), problem.jobs[1]))
    encoding, solution = solution_of(problem, {"A": ["V"]})
    assert served_by(encoding, exchange(encoding, solution)) == {"V": "A"}


def test_two_lighter_jobs_make_way_for_a_heavier_one_when_pairs_are_tried() -> None:
    """A's day is V1 then V2 (weight 1 each); U (weight 4) fits on A only without both.
    B can take V1 and then V2."""
    d = [
        [0, 50, 10, 10, 10],
        [50, 0, 50, 20, 50],
        [10, 50, 0, 10, 10],
        [10, 20, 10, 0, 10],
        [10, 50, 10, 10, 0],
    ]
    problem = PlanningProblem(
        jobs=(
            Job("U", 2, 60, TimeWindow(0, 20), weight=4),
            Job("V1", 3, 30, TimeWindow(0, 30), weight=1),
            Job("V2", 4, 30, TimeWindow(0, 75), weight=1),
        ),
        technicians=(
            Technician("A", 0, 0, TimeWindow(0, 400)),
            Technician("B", 1, 1, TimeWindow(0, 400)),
        ),
        travel=TravelMatrix.from_rows(d),
        schedule_late_visits=False,
    )
    encoding, solution = solution_of(problem, {"A": ["V1", "V2"]})
    assert served_by(encoding, exchange(encoding, solution)) == {"V1": "A", "V2": "A"}
    better = exchange(encoding, solution, pairs=True)
    assert better.is_feasible()
    assert served_by(encoding, better) == {"U": "A", "V1": "B", "V2": "B"}


def test_out_of_time_leaves_the_solution_as_it_was() -> None:
    encoding, solution = solution_of(day(), {"A": ["V"]})
    assert served_by(encoding, exchange(encoding, solution, lambda: True)) == {"V": "A"}
