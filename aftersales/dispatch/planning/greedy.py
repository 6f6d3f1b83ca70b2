"""The classic dispatcher's heuristic, as a baseline for the optimiser.

Jobs are taken in due-time order (latest allowed arrival first, heavier severity first on a
tie). Each goes to the nearest qualified technician — nearest from where that technician
is when free — among those who can still reach it in its window; when nobody can, to the
one who gets there soonest (a late visit). A job goes at the end of the chosen
technician's day; nobody re-sequences. Lunch is taken where the technician is, as soon as
the window opens or before a job that would run past the latest lunch start.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aftersales.core.said import Said
from aftersales.dispatch.planning.model import (
    Job,
    Plan,
    PlanningProblem,
    Technician,
    Unassigned,
    UnassignedReason,
    clock,
)
from aftersales.dispatch.planning.timeline import BreakStop, JobStop, Stop, time_route


@dataclass
class _Day:
    tech: Technician
    place: int
    free: int
    lunch_due: bool
    load: int = 0
    stops: list[Stop] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Offer:
    day: _Day
    leg: int
    start: int
    lunch_first: bool


def greedy_plan(problem: PlanningProblem) -> Plan:
    """Plan ``problem`` the way a dispatcher would by hand (no fixed visits supported)."""
    if problem.fixed_job_ids:
        raise ValueError("the greedy baseline plans fresh days only (no fixed visits)")
    days = [
        _Day(
            tech,
            tech.start_location,
            tech.shift.earliest if problem.now is None else max(tech.shift.earliest, problem.now),
            tech.lunch is not None,
        )
        for tech in problem.technicians
    ]
    unassigned: list[Unassigned] = []
    order = sorted(
        problem.jobs, key=lambda j: (j.window.latest, -j.weight, j.window.earliest, j.id)
    )
    for job in order:
        offers = [offer for day in days if (offer := _offer(problem, day, job)) is not None]
        if not offers:
            unassigned.append(_why_not(problem, job))
            continue
        on_time = [o for o in offers if o.start <= job.window.latest]
        if on_time:
            chosen = min(on_time, key=lambda o: (o.leg, o.start, o.day.tech.id))
        else:
            chosen = min(offers, key=lambda o: (o.start, o.leg, o.day.tech.id))
        _take(chosen, job)

    routes = []
    for day in days:
        stops = list(day.stops)
        if day.lunch_due and stops and day.tech.lunch is not None:
            timing = time_route(problem, day.tech, stops, not_before=problem.now)
            if timing.route.return_time > day.tech.lunch.window.latest:
                stops.append(BreakStop(day.place, day.tech.lunch))
        routes.append(time_route(problem, day.tech, stops, not_before=problem.now).route)
    return Plan(tuple(routes), tuple(unassigned))


def _offer(problem: PlanningProblem, day: _Day, job: Job) -> _Offer | None:
    tech = day.tech
    if job.required_skill is not None and job.required_skill not in tech.skills:
        return None
    if job.fixed_technician is not None and job.fixed_technician != tech.id:
        return None
    if tech.capacity is not None and day.load + job.demand > tech.capacity:
        return None
    leg = problem.travel(day.place, job.location)
    free = day.free
    lunch_first = False
    lunch = tech.lunch
    if day.lunch_due and lunch is not None:
        end = max(free + leg, job.window.earliest) + job.service_minutes
        if free >= lunch.window.earliest or end > lunch.window.latest:
            lunch_first = True
            free = max(free, lunch.window.earliest) + lunch.duration
    start = max(free + leg, job.window.earliest)
    finish = start + job.service_minutes
    pending = lunch.duration if day.lunch_due and not lunch_first and lunch else 0
    if finish + pending + problem.travel(job.location, tech.end_location) > tech.shift.latest:
        return None
    return _Offer(day, leg, start, lunch_first)


def _take(offer: _Offer, job: Job) -> None:
    day = offer.day
    if offer.lunch_first and day.tech.lunch is not None:
        day.stops.append(BreakStop(day.place, day.tech.lunch))
        day.lunch_due = False
    day.stops.append(JobStop(job))
    day.place = job.location
    day.free = offer.start + job.service_minutes
    day.load += job.demand


def _why_not(problem: PlanningProblem, job: Job) -> Unassigned:
    if not any(
        job.required_skill is None or job.required_skill in t.skills for t in problem.technicians
    ):
        return Unassigned(
            job.id,
            UnassignedReason.NO_SKILL,
            Said("所需技能：%(required_skill)s", required_skill=job.required_skill),
        )
    if job.fixed_technician is not None and job.fixed_technician not in problem.technicians_by_id:
        return Unassigned(job.id, UnassignedReason.TECHNICIAN_ABSENT)
    return Unassigned(
        job.id,
        UnassignedReason.FULLY_BOOKED,
        Said("截止 %(clock)s 前无人有空", clock=clock(job.window.latest)),
    )
