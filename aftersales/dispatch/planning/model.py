"""The dispatch planning model: plain frozen values, no ORM, no clock.

Times are whole minutes counted from the start of the planning day (0 = 00:00), so an
appointment 09:00–11:00 is ``TimeWindow(540, 660)``. The model itself is unit-agnostic
integer time: the Solomon benchmark uses tenths of its own time unit instead.

Places are indices into the problem's travel matrix (``PlanningProblem.travel``); the
optional ``PlanningProblem.places`` gives their coordinates for display and for building
the matrix (``travel.build_travel_matrix``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import numpy as np
import numpy.typing as npt

from aftersales.sla.rules import Severity

SEVERITY_WEIGHTS: Mapping[Severity, int] = {
    Severity.MAJOR: 8,
    Severity.URGENT: 4,
    Severity.NORMAL: 2,
    Severity.LOW: 1,
}


class WindowKind(StrEnum):
    """Where a job's time window comes from: a customer appointment or an SLA due time."""

    APPOINTMENT = "appointment"
    SLA = "sla"


class UnassignedReason(StrEnum):
    NO_SKILL = "no_skill"
    TECHNICIAN_ABSENT = "technician_absent"
    OVER_CAPACITY = "over_capacity"
    WINDOW_UNREACHABLE = "window_unreachable"
    FULLY_BOOKED = "fully_booked"
    OPTIONAL_DEFERRED = "optional_deferred"
    NO_CREW = "no_crew"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS: Mapping[UnassignedReason, str] = {
    UnassignedReason.NO_SKILL: "无具备该技能的工程师",
    UnassignedReason.TECHNICIAN_ABSENT: "指定工程师不在班",
    UnassignedReason.OVER_CAPACITY: "超出工程师可携带的备件容量",
    UnassignedReason.WINDOW_UNREACHABLE: "在时间窗内无法到达",
    UnassignedReason.FULLY_BOOKED: "工程师当日已排满，无法安排",
    UnassignedReason.OPTIONAL_DEFERRED: "非必做工单，顺延至以后安排",
    UnassignedReason.NO_CREW: "凑不齐所需人数的合格工程师",
}


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Closed interval of minutes ``[earliest, latest]``."""

    earliest: int
    latest: int

    def __post_init__(self) -> None:
        if self.latest < self.earliest:
            raise ValueError(f"time window ends before it starts: {self}")

    def contains(self, minute: int) -> bool:
        return self.earliest <= minute <= self.latest


@dataclass(frozen=True, slots=True)
class Place:
    """Coordinates of a matrix index (WGS-84 degrees) and the region whose speed applies."""

    lat: float
    lng: float
    region: str = ""


@dataclass(frozen=True, slots=True)
class Job:
    """One visit to plan.

    ``window`` bounds the start of service (the technician must arrive by ``latest``;
    arriving before ``earliest`` means waiting). A must-do job not started inside its window
    is an SLA breach (or a missed appointment) weighing ``weight``; an optional job can be
    deferred without a breach. ``fixed_technician`` pins the job to one technician while
    leaving its time and position free.

    A visit that needs several engineers (``crew``, e.g. an inspection done by two) is the
    lead job plus ``crew - 1`` companion jobs (``companion_of`` = the lead's id) at the same
    place: served together, by different qualified technicians starting at the same minute,
    or not at all (``planning.crews``). ``late_ok``: whether a late visit may be planned (a
    customer's visiting hours are not: outside them nobody lets the engineers in).
    """

    id: str
    location: int
    service_minutes: int
    window: TimeWindow
    weight: int = SEVERITY_WEIGHTS[Severity.NORMAL]
    required_skill: str | None = None
    must_do: bool = True
    window_kind: WindowKind = WindowKind.SLA
    demand: int = 0
    fixed_technician: str | None = None
    crew: int = 1
    companion_of: str | None = None
    late_ok: bool = True


@dataclass(frozen=True, slots=True)
class FixedVisit:
    """A visit kept exactly where it is: on this technician, in this order, starting at
    ``start``. ``started`` marks work already under way (or done); ``arrival`` keeps the
    recorded arrival of such a visit."""

    job_id: str
    start: int
    arrival: int | None = None
    started: bool = False


@dataclass(frozen=True, slots=True)
class LunchBreak:
    """A break of ``duration`` minutes starting inside ``window``. It is taken where the
    technician is (at a customer's site or at the base), never while driving.

    ``taken_start`` / ``taken_location`` record a break already begun; re-planning keeps it.
    """

    window: TimeWindow
    duration: int
    taken_start: int | None = None
    taken_location: int | None = None


@dataclass(frozen=True, slots=True)
class Technician:
    """A technician's day: leave ``start_location`` no earlier than ``shift.earliest``, be
    back at ``end_location`` by ``shift.latest``."""

    id: str
    start_location: int
    end_location: int
    shift: TimeWindow
    skills: frozenset[str] = frozenset()
    lunch: LunchBreak | None = None
    capacity: int | None = None
    fixed_visits: tuple[FixedVisit, ...] = ()

    def can_do(self, job: Job) -> bool:
        """Skill, pin and capacity allow this technician to take ``job``."""
        if job.required_skill is not None and job.required_skill not in self.skills:
            return False
        if job.fixed_technician is not None and job.fixed_technician != self.id:
            return False
        return self.capacity is None or job.demand <= self.capacity


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Travel minutes between places: ``minutes[i, j]`` from place ``i`` to place ``j``."""

    minutes: npt.NDArray[np.int64]

    def __post_init__(self) -> None:
        matrix = np.array(self.minutes, dtype=np.int64, copy=True)
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ValueError("travel matrix must be square")
        if (matrix < 0).any():
            raise ValueError("travel times must not be negative")
        matrix.setflags(write=False)
        object.__setattr__(self, "minutes", matrix)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[int]]) -> TravelMatrix:
        return cls(np.asarray(rows, dtype=np.int64))

    @property
    def size(self) -> int:
        return int(self.minutes.shape[0])

    def __call__(self, origin: int, destination: int) -> int:
        return int(self.minutes[origin, destination])


@dataclass(frozen=True, eq=False)
class PlanningProblem:
    """A day (or the rest of a day, from ``now``) to plan.

    ``now``: nothing that is not fixed may start before it, and nobody leaves before it.
    ``hard_windows``: every must-do job must be served inside its window (benchmark mode;
    the solver never plans a late visit). ``schedule_late_visits``: a must-do job that
    cannot be reached in its window is still planned, late, when a technician has room.
    ``optional_value``: travel minutes worth spending per weight unit of an optional job.
    """

    jobs: tuple[Job, ...]
    technicians: tuple[Technician, ...]
    travel: TravelMatrix
    places: tuple[Place, ...] = ()
    now: int | None = None
    hard_windows: bool = False
    schedule_late_visits: bool = True
    optional_value: int = 60

    def __post_init__(self) -> None:
        job_ids = [job.id for job in self.jobs]
        if len(set(job_ids)) != len(job_ids):
            raise ValueError("duplicate job id")
        tech_ids = [tech.id for tech in self.technicians]
        if len(set(tech_ids)) != len(tech_ids):
            raise ValueError("duplicate technician id")
        size = self.travel.size
        for job in self.jobs:
            if not 0 <= job.location < size:
                raise ValueError(f"job {job.id}: location outside the travel matrix")
        for tech in self.technicians:
            if not (0 <= tech.start_location < size and 0 <= tech.end_location < size):
                raise ValueError(f"technician {tech.id}: location outside the travel matrix")
            for visit in tech.fixed_visits:
                if visit.job_id not in self.jobs_by_id:
                    raise ValueError(f"technician {tech.id}: unknown fixed job {visit.job_id}")

    @cached_property
    def jobs_by_id(self) -> Mapping[str, Job]:
        return {job.id: job for job in self.jobs}

    @cached_property
    def technicians_by_id(self) -> Mapping[str, Technician]:
        return {tech.id: tech for tech in self.technicians}

    @cached_property
    def fixed_job_ids(self) -> frozenset[str]:
        return frozenset(v.job_id for t in self.technicians for v in t.fixed_visits)

    def job(self, job_id: str) -> Job:
        return self.jobs_by_id[job_id]

    def technician(self, technician_id: str) -> Technician:
        return self.technicians_by_id[technician_id]


@dataclass(frozen=True, slots=True)
class Visit:
    job_id: str
    location: int
    arrival: int
    start: int
    end: int
    late_minutes: int = 0
    fixed: bool = False


@dataclass(frozen=True, slots=True)
class BreakSlot:
    """The lunch break as planned: at ``location``, after the first ``after_visits``
    visits of the route."""

    location: int
    start: int
    end: int
    after_visits: int


@dataclass(frozen=True, slots=True)
class Route:
    """One technician's day. ``departure`` leaves ``start_location``; ``return_time``
    arrives at the end location. An unused technician has no visits and travels 0."""

    technician_id: str
    departure: int
    visits: tuple[Visit, ...]
    return_time: int
    travel_minutes: int
    lunch: BreakSlot | None = None

    @property
    def job_ids(self) -> tuple[str, ...]:
        return tuple(v.job_id for v in self.visits)


@dataclass(frozen=True, slots=True)
class Unassigned:
    job_id: str
    reason: UnassignedReason
    detail: str = ""

    @property
    def label(self) -> str:
        return self.reason.label


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def total_travel(self) -> int:
        return sum(route.travel_minutes for route in self.routes)

    def route_of(self, technician_id: str) -> Route | None:
        return next((r for r in self.routes if r.technician_id == technician_id), None)

    def assignment(self) -> dict[str, str]:
        """job id → technician id for every planned visit."""
        return {v.job_id: r.technician_id for r in self.routes for v in r.visits}

    def visit(self, job_id: str) -> Visit | None:
        return next((v for r in self.routes for v in r.visits if v.job_id == job_id), None)


def clock(minute: int) -> str:
    """``630`` → ``"10:30"`` (minutes past midnight, may exceed a day)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def lunch_room_left(problem: PlanningProblem, tech: Technician) -> bool:
    """Whether the technician's fixed visits leave any start in the lunch window with the
    whole break free of them (travel aside). When they do not, the break is waived: no plan
    could keep it, and dropping other visits would not make room."""
    rule = tech.lunch
    if rule is None:
        return False
    stops: list[tuple[int, int, int]] = []  # (start, end, location) of the fixed visits
    for fixed in tech.fixed_visits:
        job = problem.jobs_by_id.get(fixed.job_id)
        if job is not None:
            stops.append((fixed.start, fixed.start + job.service_minutes, job.location))
    if not any(
        all(start + rule.duration <= begin or start >= end for begin, end, _ in stops)
        for start in range(rule.window.earliest, rule.window.latest + 1)
    ):
        return False
    return _break_fits_between_fixed(problem, tech, sorted(stops))


def _break_fits_between_fixed(
    problem: PlanningProblem, tech: Technician, stops: Sequence[tuple[int, int, int]]
) -> bool:
    """Whether some gap between the fixed visits (the shift's start and end around them)
    holds the break with the travel across the gap, starting in the window and not before
    ``now``: else no plan can keep it (the facts of the day leave no room), and it is
    waived — e.g. the last started visit is so far from the end location that getting back
    by the end of the shift leaves no 90 minutes."""
    rule = tech.lunch
    assert rule is not None
    place, free_from = tech.start_location, tech.shift.earliest
    gaps = []
    for start, end, location in stops:
        gaps.append((place, free_from, location, start))
        place, free_from = location, max(free_from, end)
    gaps.append((place, free_from, tech.end_location, tech.shift.latest))
    for origin, begin, target, due in gaps:
        earliest = max(begin, rule.window.earliest)
        if problem.now is not None:
            earliest = max(earliest, problem.now)
        if earliest <= rule.window.latest and (
            earliest + rule.duration + problem.travel(origin, target) <= due
        ):
            return True
    return False
