"""Translation of a planning problem into PyVRP data, and of PyVRP routes back into stops.

How the day is expressed in PyVRP (0.14):

* **Segments.** Fixed visits (and a lunch break already begun) are not optimised. They cut a
  technician's day into segments — from the base (or the end of one fixed item) to the
  next fixed item (or back to the base) — and each segment is one PyVRP vehicle whose
  start/end depots and time window are the segment's. Fixed visits therefore cannot move.
  Identical technicians without fixed items share one vehicle type.
* **Skills, pins, parts capacity** are load dimensions: a job needing skill *k* delivers
  one unit in dimension *k*, and only technicians with the skill have capacity there. A job
  pinned to a technician delivers one unit in each of the dimensions (bit *d*, value of
  the technician's code bit *d*), which only that technician can carry (binary code, so
  ``2·⌈log2 n⌉`` dimensions for *n* pinned technicians).
* **Lunch** is an optional break client at every job site and base (same location, so no
  detour when taken next to a visit), with the break's window and duration. A lunch
  dimension of capacity one allows one break per vehicle; the vehicle's fixed cost equals
  the break's prize, so a technician who works pays a large cost unless the break fits,
  and an idle one pays nothing.
* **SLA breaches** come first through prizes: a must-do job is an optional client whose
  prize (weight × a unit larger than any possible total travel) is lost when it is not
  served inside its window; total travel is the PyVRP distance.
* **Late visits** (``ClientSpec.group``): a job may be offered as several clients — on
  time, and late up to 15, 30, 60 … minutes, each with a smaller prize — of which a
  mutually exclusive client group lets at most one be served: the lost prize then grows
  with the weighted lateness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import numpy as np
from pyvrp import (
    Activity,
    ActivityType,
    Client,
    ClientGroup,
    Depot,
    Location,
    ProblemData,
    Solution,
    VehicleType,
)
from pyvrp import Route as PyvrpRoute

from aftersales.dispatch.planning.model import (
    Job,
    LunchBreak,
    PlanningProblem,
    Technician,
)
from aftersales.dispatch.planning.timeline import BreakStop, JobStop, Stop

UNBOUNDED = int(np.iinfo(np.int64).max)


@dataclass(frozen=True, slots=True)
class FixedItem:
    stop: Stop
    location: int
    start: int
    end: int
    started: bool


@dataclass(frozen=True, slots=True)
class Segment:
    """Free time of a technician between two fixed items (``after_fixed`` of them come
    before it): leave ``start_location`` at ``earliest``, reach ``end_location`` by
    ``latest``."""

    technician: Technician
    after_fixed: int
    start_location: int
    end_location: int
    earliest: int
    latest: int
    lunch: LunchBreak | None


@dataclass(frozen=True, slots=True)
class ClientSpec:
    job: Job
    tw_early: int
    tw_late: int
    prize: int
    required: bool
    group: str | None = None


def fixed_items(problem: PlanningProblem, tech: Technician) -> list[FixedItem]:
    items: list[FixedItem] = []
    for visit in tech.fixed_visits:
        job = problem.job(visit.job_id)
        end = visit.start + job.service_minutes
        items.append(FixedItem(JobStop(job, visit), job.location, visit.start, end, visit.started))
    lunch = tech.lunch
    if lunch is not None and lunch.taken_start is not None:
        place = tech.start_location if lunch.taken_location is None else lunch.taken_location
        end = lunch.taken_start + lunch.duration
        items.append(FixedItem(BreakStop(place, lunch), place, lunch.taken_start, end, True))
    items.sort(key=lambda item: item.start)
    return items


def segments_of(problem: PlanningProblem, tech: Technician) -> list[Segment]:
    """The technician's free segments that are still open at ``problem.now``."""
    items = fixed_items(problem, tech)
    now = problem.now
    bounds: list[tuple[int, int, int, int, int]] = []
    place, free_from = tech.start_location, tech.shift.earliest
    for index, item in enumerate([*items, None]):
        if item is None:
            target, due = tech.end_location, tech.shift.latest
        else:
            target, due = item.location, item.start
        earliest = free_from if now is None else max(free_from, now)
        reachable = earliest + problem.travel(place, target) <= due
        if reachable and not (item is not None and item.started):
            bounds.append((index, place, target, earliest, due))
        if item is not None:
            place, free_from = item.location, item.end
    lunch_at = _lunch_segment(tech, bounds)
    return [
        Segment(
            tech, index, start, end, earliest, latest, tech.lunch if index == lunch_at else None
        )
        for index, start, end, earliest, latest in bounds
    ]


def _lunch_segment(tech: Technician, bounds: Sequence[tuple[int, int, int, int, int]]) -> int:
    lunch = tech.lunch
    if lunch is None or lunch.taken_start is not None:
        return -1
    best, best_overlap = -1, lunch.duration - 1
    for index, _start, _end, earliest, latest in bounds:
        overlap = min(latest, lunch.window.latest + lunch.duration) - max(
            earliest, lunch.window.earliest
        )
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    return best


@dataclass(frozen=True)
class Encoding:
    data: ProblemData
    jobs: tuple[Job, ...]
    breaks: tuple[tuple[int, LunchBreak], ...]
    vehicle_segments: tuple[tuple[Segment, ...], ...]
    prize_unit: int
    break_prize: int
    lunch_dims: tuple[int, ...] = ()
    specs: tuple[ClientSpec, ...] = ()

    def penalty_floors(self) -> tuple[list[float], list[float]]:
        """Floors and ceilings of the penalties (loads…, time warp, distance): a unit of
        excess always costs more than the largest prize it could buy."""
        clients = self.data.clients()
        top = max((c.prize for c in clients[: len(self.jobs)]), default=0)
        breaks = self.break_prize if self.breaks else 0
        floors = [
            max(0.1, 1.25 * (breaks if dim in self.lunch_dims else top))
            for dim in range(self.data.num_load_dimensions)
        ]
        floors += [0.1, 0.1]
        ceilings = [max(100_000.0, 4 * floor) for floor in floors[:-2]]
        ceilings += [max(100_000.0, 5.0 * max(top, breaks)), 100_000.0]
        return floors, ceilings

    def decode(self, solution: Solution) -> dict[tuple[str, int], list[Stop]]:
        """(technician id, segment position) → stops PyVRP planned in that segment."""
        taken = [0] * len(self.vehicle_segments)
        result: dict[tuple[str, int], list[Stop]] = {}
        for route in solution.routes():
            vehicle_type = route.vehicle_type()
            segment = self.vehicle_segments[vehicle_type][taken[vehicle_type]]
            taken[vehicle_type] += 1
            stops: list[Stop] = []
            for activity in route:
                if not activity.is_client():
                    continue
                index = activity.idx
                if index < len(self.jobs):
                    stops.append(JobStop(self.jobs[index]))
                else:
                    place, lunch = self.breaks[index - len(self.jobs)]
                    stops.append(BreakStop(place, lunch))
            result[(segment.technician.id, segment.after_fixed)] = stops
        return result

    def served_jobs(self, solution: Solution) -> set[str]:
        return set(self.served_specs(solution))

    def served_specs(self, solution: Solution) -> dict[str, ClientSpec]:
        """job id → the client (of possibly several per job) the solution serves."""
        return {
            self.specs[a.idx].job.id: self.specs[a.idx]
            for route in solution.routes()
            for a in route
            if a.is_client() and a.idx < len(self.jobs)
        }

    def warm_start(self, solution: Solution, source: Encoding | None = None) -> Solution:
        """The same routes, as a solution of this encoding's data; ``source`` is the
        encoding ``solution`` belongs to (default: one with the same client order). A job
        maps to its first client here; the lunch breaks are the same in both."""
        source = source or self
        first: dict[str, int] = {}
        same: dict[tuple[str, int], int] = {}
        for index, spec in enumerate(self.specs):
            first.setdefault(spec.job.id, index)
            same.setdefault((spec.job.id, spec.tw_late), index)
        routes = []
        for route in solution.routes():
            activities = []
            for a in route:
                if not a.is_client():
                    continue
                target: int | None
                if a.idx < len(source.jobs):
                    was = source.specs[a.idx]
                    target = same.get((was.job.id, was.tw_late), first.get(was.job.id))
                    if target is None:
                        continue
                else:
                    target = len(self.jobs) + a.idx - len(source.jobs)
                activities.append(Activity(ActivityType.CLIENT, target))
            if activities:
                routes.append(PyvrpRoute(self.data, activities, route.vehicle_type()))
        return Solution(self.data, routes)


def encode(
    problem: PlanningProblem,
    segments: Sequence[Segment],
    clients: Sequence[ClientSpec],
    *,
    prize_unit: int | None = None,
    break_prize: int | None = None,
) -> Encoding:
    jobs = [spec.job for spec in clients]
    lunches = sorted(
        {s.lunch for s in segments if s.lunch is not None},
        key=lambda x: (x.window.earliest, x.window.latest, x.duration),
    )
    job_places = sorted({job.location for job in jobs})
    breaks: list[tuple[int, LunchBreak]] = []
    for lunch in lunches:
        own = {p for s in segments if s.lunch == lunch for p in (s.start_location, s.end_location)}
        breaks.extend((place, lunch) for place in sorted(own.union(job_places)))
    places = sorted(
        {p for s in segments for p in (s.start_location, s.end_location)}.union(job_places)
    )
    location_of = {place: index for index, place in enumerate(places)}
    matrix = problem.travel.minutes[np.ix_(places, places)].astype(np.int64)

    dims = _Dimensions(problem, segments, jobs, lunches)
    unit = prize_unit or default_prize_unit(problem, segments, len(jobs))
    max_weight = max((job.weight for job in jobs), default=1)
    if break_prize is None:
        break_prize = 2 * unit * max_weight

    group_keys = sorted({spec.group for spec in clients if spec.group is not None})
    group_of = {key: index for index, key in enumerate(group_keys)}
    pyvrp_clients = [
        Client(
            location=location_of[spec.job.location],
            delivery=dims.job_demand(spec.job),
            pickup=[0] * dims.count,
            service_duration=spec.job.service_minutes,
            tw_early=spec.tw_early,
            tw_late=spec.tw_late,
            prize=spec.prize,
            required=spec.required and spec.group is None,
            group=None if spec.group is None else group_of[spec.group],
            name=spec.job.id,
        )
        for spec in clients
    ]
    required_groups = {spec.group for spec in clients if spec.group is not None and spec.required}
    groups = [ClientGroup(required=key in required_groups, name=key) for key in group_keys]
    for index, spec in enumerate(clients):
        if spec.group is not None:
            groups[group_of[spec.group]].add_client(index)
    pyvrp_clients.extend(
        Client(
            location=location_of[place],
            delivery=dims.break_demand(lunch),
            pickup=[0] * dims.count,
            service_duration=lunch.duration,
            tw_early=lunch.window.earliest,
            tw_late=lunch.window.latest,
            prize=break_prize,
            required=False,
            name=f"lunch@{place}",
        )
        for place, lunch in breaks
    )
    depot_places = sorted({p for s in segments for p in (s.start_location, s.end_location)})
    depot_of = {place: index for index, place in enumerate(depot_places)}
    depots = [Depot(location=location_of[p], name=f"base@{p}") for p in depot_places]

    vehicle_groups = _vehicle_groups(segments, mergeable=not dims.pinned)
    vehicle_types = [
        VehicleType(
            num_available=len(group),
            capacity=dims.capacity(group[0]),
            start_depot=depot_of[group[0].start_location],
            end_depot=depot_of[group[0].end_location],
            fixed_cost=break_prize if group[0].lunch is not None else 0,
            tw_early=group[0].earliest,
            tw_late=group[0].latest,
            name=",".join(f"{s.technician.id}#{s.after_fixed}" for s in group),
        )
        for group in vehicle_groups
    ]
    locations = [_location(problem, place) for place in places]
    # one profile; the same matrix is distance (the travel objective) and duration
    matrices: list[Any] = [matrix]
    data = ProblemData(
        locations, pyvrp_clients, depots, vehicle_types, matrices, matrices, groups=groups
    )
    lunch_dims = tuple(dims.lunch_at + k for k in range(len(lunches)))
    return Encoding(
        data,
        tuple(jobs),
        tuple(breaks),
        tuple(vehicle_groups),
        unit,
        break_prize,
        lunch_dims,
        tuple(clients),
    )


def default_prize_unit(problem: PlanningProblem, segments: Sequence[Segment], jobs: int) -> int:
    """A prize per weight unit larger than any total travel of a plan plus every optional
    job's prize together: no saving in travel and no optional visit ever pays for an SLA
    breach. (Every job and every vehicle's return leg is reached by one edge no longer
    than the longest segment.)"""
    places = sorted(
        {p for s in segments for p in (s.start_location, s.end_location)}
        | {job.location for job in problem.jobs}
    )
    span = max((s.latest - s.earliest for s in segments), default=0)
    matrix = problem.travel.minutes[np.ix_(places, places)]
    usable = matrix[matrix <= span]
    longest = int(usable.max()) if usable.size else 0
    optional = sum(job.weight for job in problem.jobs if not job.must_do)
    return (jobs + 2 * len(segments)) * max(longest, 1) + optional * problem.optional_value + 1


def _location(problem: PlanningProblem, place: int) -> Location:
    if place < len(problem.places):
        where = problem.places[place]
        return Location(x=where.lng, y=where.lat, name=str(place))
    return Location(x=float(place), y=0.0, name=str(place))


def _vehicle_groups(segments: Sequence[Segment], *, mergeable: bool) -> list[tuple[Segment, ...]]:
    if not mergeable:
        return [(s,) for s in segments]

    def key(s: Segment) -> tuple[object, ...]:
        tech = s.technician
        lone = bool(tech.fixed_visits) or (tech.lunch is not None and tech.lunch.taken_start)
        return (
            tech.id if lone else "",
            s.start_location,
            s.end_location,
            s.earliest,
            s.latest,
            repr(s.lunch),
            tech.capacity if tech.capacity is not None else -1,
            tuple(sorted(tech.skills)),
        )

    ordered = sorted(segments, key=lambda s: (repr(key(s)), s.technician.id, s.after_fixed))
    return [tuple(group) for _, group in groupby(ordered, key=lambda s: repr(key(s)))]


class _Dimensions:
    """Layout of the load dimensions: parts capacity, skills, lunch groups, pin bits."""

    def __init__(
        self,
        problem: PlanningProblem,
        segments: Sequence[Segment],
        jobs: Sequence[Job],
        lunches: Sequence[LunchBreak],
    ) -> None:
        techs = {s.technician.id: s.technician for s in segments}
        self.fixed_demand = {
            t.id: sum(problem.job(v.job_id).demand for v in t.fixed_visits) for t in techs.values()
        }
        self.with_capacity = any(job.demand for job in jobs) or any(
            t.capacity is not None for t in techs.values()
        )
        self.skills = sorted({job.required_skill for job in jobs if job.required_skill})
        self.lunches = list(lunches)
        targets = sorted({job.fixed_technician for job in jobs if job.fixed_technician})
        self.pinned = bool(targets)
        self.code = {tech_id: index for index, tech_id in enumerate(targets)}
        self.bits = max(1, (len(targets) - 1).bit_length()) if targets else 0
        self.plenty = sum(job.demand for job in jobs) + len(jobs) + 1
        self.skill_at = int(self.with_capacity)
        self.lunch_at = self.skill_at + len(self.skills)
        self.pin_at = self.lunch_at + len(self.lunches)
        self.count = self.pin_at + 2 * self.bits

    def job_demand(self, job: Job) -> list[int]:
        demand = [0] * self.count
        if self.with_capacity:
            demand[0] = job.demand
        if job.required_skill:
            demand[self.skill_at + self.skills.index(job.required_skill)] = 1
        if job.fixed_technician:
            code = self.code[job.fixed_technician]
            for bit in range(self.bits):
                demand[self.pin_at + 2 * bit + ((code >> bit) & 1)] = 1
        return demand

    def break_demand(self, lunch: LunchBreak) -> list[int]:
        demand = [0] * self.count
        demand[self.lunch_at + self.lunches.index(lunch)] = 1
        return demand

    def capacity(self, segment: Segment) -> list[int]:
        tech = segment.technician
        capacity = [0] * self.count
        if self.with_capacity:
            if tech.capacity is None:
                capacity[0] = self.plenty
            else:
                capacity[0] = max(0, tech.capacity - self.fixed_demand[tech.id])
        for offset, skill in enumerate(self.skills):
            capacity[self.skill_at + offset] = self.plenty if skill in tech.skills else 0
        if segment.lunch is not None:
            capacity[self.lunch_at + self.lunches.index(segment.lunch)] = 1
        if tech.id in self.code:
            code = self.code[tech.id]
            for bit in range(self.bits):
                capacity[self.pin_at + 2 * bit + ((code >> bit) & 1)] = self.plenty
        return capacity
