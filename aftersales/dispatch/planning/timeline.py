"""Timing of a technician's ordered stops: as early as possible, waiting where a window
or a fixed start demands it. Used by the solver, the greedy baseline and re-planning (the
checker keeps its own arithmetic on purpose)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from aftersales.core.said import Said
from aftersales.dispatch.planning.model import (
    BreakSlot,
    FixedVisit,
    Job,
    LunchBreak,
    PlanningProblem,
    Route,
    Technician,
    Visit,
)


@dataclass(frozen=True, slots=True)
class JobStop:
    job: Job
    fixed: FixedVisit | None = None

    @property
    def location(self) -> int:
        return self.job.location


@dataclass(frozen=True, slots=True)
class BreakStop:
    location: int
    lunch: LunchBreak

    @property
    def taken(self) -> bool:
        return self.lunch.taken_start is not None


Stop = JobStop | BreakStop


@dataclass(frozen=True, slots=True)
class Timing:
    route: Route
    feasible: bool
    issue: str = ""


def lunch_required(tech: Technician, departure: int, return_time: int, used: bool) -> bool:
    """Whether a used route must contain the break: it cannot be taken before leaving
    (``departure ≥ earliest + duration``) nor after coming back (``return ≤ latest``)."""
    if tech.lunch is None or not used:
        return False
    window = tech.lunch.window
    return departure < window.earliest + tech.lunch.duration and return_time > window.latest


def time_route(
    problem: PlanningProblem, tech: Technician, stops: Sequence[Stop], *, not_before: int | None
) -> Timing:
    """Times ``stops`` for ``tech``: leave at the start of the shift (or ``not_before``),
    arrive as early as possible, wait for windows and fixed starts; the departure is then
    delayed so the technician does not wait at the first customer."""
    travel = problem.travel
    floor = tech.shift.earliest if not_before is None else max(tech.shift.earliest, not_before)
    clock = floor
    place = tech.start_location
    visits: list[Visit] = []
    lunch: BreakSlot | None = None
    travelled = 0
    issue = ""
    departure = floor
    for position, stop in enumerate(stops):
        pinned = isinstance(stop, JobStop) and stop.fixed is not None
        taken_break = isinstance(stop, BreakStop) and stop.taken
        if not (pinned or taken_break) and not_before is not None:
            clock = max(clock, not_before)
        leg = travel(place, stop.location)
        travelled += leg
        arrival = clock + leg
        if isinstance(stop, JobStop):
            job = stop.job
            if stop.fixed is not None:
                if arrival > stop.fixed.start and not stop.fixed.started and not issue:
                    issue = Said("到达 %(id)s 晚于固定开始时间", id=job.id)
                if stop.fixed.arrival is not None:
                    arrival = stop.fixed.arrival
                start = stop.fixed.start
            else:
                start = max(arrival, job.window.earliest)
            if position == 0 and stop.fixed is not None:
                departure = arrival - leg
            visits.append(
                Visit(
                    job_id=job.id,
                    location=job.location,
                    arrival=arrival,
                    start=start,
                    end=start + job.service_minutes,
                    late_minutes=max(0, start - job.window.latest),
                    fixed=stop.fixed is not None,
                )
            )
            clock = start + job.service_minutes
        else:
            if stop.lunch.taken_start is not None:
                start = stop.lunch.taken_start
            else:
                start = max(arrival, stop.lunch.window.earliest)
                if start > stop.lunch.window.latest and not issue:
                    issue = "午休无法在时间窗内开始"
            lunch = BreakSlot(stop.location, start, start + stop.lunch.duration, len(visits))
            clock = start + stop.lunch.duration
        place = stop.location
    leg_home = travel(place, tech.end_location)
    travelled += leg_home
    return_time = clock + leg_home
    if visits and return_time > tech.shift.latest and not issue:
        issue = "超出班次结束时间"
    if stops and isinstance(stops[0], JobStop) and stops[0].fixed is None:
        wait = visits[0].start - visits[0].arrival
        departure += wait
        visits[0] = replace(visits[0], arrival=visits[0].start)
    route = Route(
        technician_id=tech.id,
        departure=departure,
        visits=tuple(visits),
        return_time=return_time if stops else departure,
        travel_minutes=travelled if stops else 0,
        lunch=lunch,
    )
    return Timing(route=route, feasible=not issue, issue=issue)


def lateness_key(problem: PlanningProblem, route: Route) -> tuple[int, int, int, int]:
    """How a route ranks, best first: the weight of must-do visits started late (an SLA
    breach is never traded for fewer late minutes elsewhere), then the weighted late
    minutes, the travel and the return time."""
    breaches = late = 0
    for visit in route.visits:
        if visit.late_minutes:
            job = problem.job(visit.job_id)
            breaches += job.weight if job.must_do else 0
            late += job.weight * visit.late_minutes
    return breaches, late, route.travel_minutes, route.return_time


def insert_lunch(
    problem: PlanningProblem, tech: Technician, stops: Sequence[Stop], *, not_before: int | None
) -> Timing | None:
    """Best placement of the break into ``stops`` (by ``lateness_key``: fewest weighted
    breaches, then fewest weighted late minutes, least travel and the earliest return — no
    idle morning before an early lunch), taken at the place of the stop before or after it
    (with travel obeying the triangle inequality, a break elsewhere is never better);
    ``None`` when nothing works."""
    if tech.lunch is None:
        return None
    best: tuple[tuple[int, int, int, int], Timing] | None = None
    past = [
        i
        for i, s in enumerate(stops)
        if (isinstance(s, JobStop) and s.fixed is not None and s.fixed.started)
        or (isinstance(s, BreakStop) and s.taken)
    ]
    first = past[-1] + 1 if past else 0
    for position in range(first, len(stops) + 1):
        before = tech.start_location if position == 0 else stops[position - 1].location
        after = tech.end_location if position == len(stops) else stops[position].location
        for place in dict.fromkeys((before, after)):
            candidate = [*stops[:position], BreakStop(place, tech.lunch), *stops[position:]]
            timing = time_route(problem, tech, candidate, not_before=not_before)
            if not timing.feasible:
                continue
            key = lateness_key(problem, timing.route)
            if best is None or key < best[0]:
                best = (key, timing)
    return None if best is None else best[1]
