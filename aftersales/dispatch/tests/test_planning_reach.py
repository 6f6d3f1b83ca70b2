"""The independent reachability check (planning.reach): what a plan missed that someone
could physically have reached in time."""

from __future__ import annotations

from aftersales.dispatch.planning.model import (
    FixedVisit,
    Job,
    Plan,
    PlanningProblem,
    Route,
    Technician,
    TimeWindow,
    TravelMatrix,
    Visit,
)
from aftersales.dispatch.planning.reach import free_at, reachable_misses

# places: 0 A's base, 1 B's base, 2 the urgent job, 3 a job A has started
D = [
    [0, 100, 30, 10],
    [100, 0, 90, 100],
    [30, 90, 0, 40],
    [10, 100, 40, 0],
]


def day(*, now: int | None = None, a_started: bool = False) -> PlanningProblem:
    fixed = (FixedVisit("S", 470, arrival=470, started=True),) if a_started else ()
    return PlanningProblem(
        jobs=(
            Job("U", 2, 60, TimeWindow(480, 600), weight=4, required_skill="led"),
            Job("S", 3, 120, TimeWindow(0, 1440), weight=2),
            Job("N", 2, 60, TimeWindow(480, 500), weight=2, required_skill="led"),
        ),
        technicians=(
            Technician("A", 0, 0, TimeWindow(480, 1080), frozenset({"led"}), fixed_visits=fixed),
            Technician("B", 1, 1, TimeWindow(480, 1080), frozenset({"hvac"})),
        ),
        travel=TravelMatrix.from_rows(D),
        now=now,
    )


EMPTY = Plan(routes=(), unassigned=())


def test_a_missed_job_the_skilled_technician_could_reach_is_listed() -> None:
    (miss,) = reachable_misses(day(), EMPTY, min_weight=4)  # N (weight 2) is not asked for
    assert (miss.job_id, miss.technician_id, miss.start) == ("U", "A", 510)


def test_nobody_skilled_reaching_it_in_time_is_no_miss() -> None:
    # at 09:40 A reaches U at 10:10 > its 10:00 deadline; B could, but lacks the skill
    assert reachable_misses(day(now=580), EMPTY, min_weight=4) == []


def test_a_technician_is_free_only_after_his_started_visit() -> None:
    problem = day(a_started=True)
    assert free_at(problem, problem.technician("A")) == (3, 590)  # S 07:50–09:50 at place 3
    assert reachable_misses(problem, EMPTY, min_weight=4) == []  # 09:50 + 40 min > 10:00


def test_a_job_planned_in_time_is_no_miss_and_a_late_one_is() -> None:
    def plan(start: int) -> Plan:
        visit = Visit("U", 2, start, start, start + 60, max(0, start - 600))
        return Plan(routes=(Route("A", start - 30, (visit,), start + 90, 60),))

    problem = day()
    assert reachable_misses(problem, plan(510), min_weight=4) == []
    assert [m.job_id for m in reachable_misses(problem, plan(620), min_weight=4)] == ["U"]
