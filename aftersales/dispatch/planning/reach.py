"""Who could physically reach a job in time — an independent check of a plan's misses.

The target "every major and urgent job that any technician can physically reach in time is
planned in time" is checked here without the solver, its timeline or its encoding: each
technician is taken where and when he is free (after his last started visit, at its site;
else at his start place at the start of his shift, or now), and a job counts as reachable
when he could drive straight there, start inside its window and still be back by the end
of his shift. Other jobs, lunch and the dispatcher's pins on not-started visits are
ignored: reachable here means *physically* reachable, so a miss listed may still be right
(the one technician who could reach it had a heavier job at the same time).
"""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.dispatch.planning.model import Job, Plan, PlanningProblem, Technician


@dataclass(frozen=True, slots=True)
class Reach:
    """``technician_id`` could start ``job_id`` at ``start`` (inside its window)."""

    job_id: str
    technician_id: str
    start: int


def free_at(problem: PlanningProblem, tech: Technician) -> tuple[int, int]:
    """(place, minute) from which the technician can take new work."""
    place, minute = tech.start_location, tech.shift.earliest
    if problem.now is not None:
        minute = max(minute, problem.now)
    for visit in sorted(tech.fixed_visits, key=lambda v: v.start):
        if visit.started:
            job = problem.job(visit.job_id)
            place, minute = job.location, max(minute, visit.start + job.service_minutes)
    return place, minute


def soonest_start(problem: PlanningProblem, job: Job) -> Reach | None:
    """The technician (skilled, allowed, on duty) who could start ``job`` earliest inside
    its window, straight from where he is free; ``None`` when nobody can."""
    best: Reach | None = None
    for tech in problem.technicians:
        if not tech.can_do(job):
            continue
        place, minute = free_at(problem, tech)
        start = max(minute + problem.travel(place, job.location), job.window.earliest)
        if start > job.window.latest:
            continue
        back = start + job.service_minutes + problem.travel(job.location, tech.end_location)
        if back > tech.shift.latest:
            continue
        if best is None or start < best.start:
            best = Reach(job.id, tech.id, start)
    return best


def reachable_misses(problem: PlanningProblem, plan: Plan, *, min_weight: int) -> list[Reach]:
    """The must-do jobs of at least ``min_weight`` that ``plan`` does not start inside
    their window although a technician could physically reach them in time."""
    on_time = {
        v.job_id
        for route in plan.routes
        for v in route.visits
        if v.job_id in problem.jobs_by_id and v.start <= problem.job(v.job_id).window.latest
    }
    misses: list[Reach] = []
    for job in problem.jobs:
        if not job.must_do or job.weight < min_weight or job.id in on_time:
            continue
        reach = soonest_start(problem, job)
        if reach is not None:
            misses.append(reach)
    return misses
