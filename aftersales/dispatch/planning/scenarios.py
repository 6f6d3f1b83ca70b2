"""Seeded generator of realistic field-service days across three regions.

A day has jobs in 华东 (Shanghai), 华北 (Beijing) and 华南 (Guangzhou): customers mostly in
the city, some in the suburbs, agricultural machines out in the country. Technicians work
08:00–18:00 from their service station (网点) with a one-hour lunch starting 11:30–13:00,
and know one to three of the six product categories. Windows follow the default SLA policy
(SPEC §3.3): major and urgent tickets must be reached within two hours of being reported,
normal ones within their working-day due time or a half-day appointment, low ones by a
two-hour appointment. Every job is must-do. The crew is sized so that the dispatcher's greedy
heuristic misses at least 10 % of the windows (unless a load is given).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from aftersales.dispatch.planning.greedy import greedy_plan
from aftersales.dispatch.planning.model import (
    SEVERITY_WEIGHTS,
    Job,
    LunchBreak,
    Place,
    PlanningProblem,
    Severity,
    Technician,
    TimeWindow,
    WindowKind,
)
from aftersales.dispatch.planning.travel import TravelSettings, build_travel_matrix

_T = TypeVar("_T")

REGION_CENTRES: Mapping[str, tuple[float, float]] = {
    "华东": (31.23, 121.47),
    "华北": (39.90, 116.40),
    "华南": (23.13, 113.26),
}
REGION_SHARE: Mapping[str, float] = {"华东": 0.4, "华北": 0.3, "华南": 0.3}
SKILLS = ("led", "hvac", "security", "agri", "window", "software")
SKILL_SHARE: Mapping[str, float] = {
    "led": 0.2,
    "hvac": 0.25,
    "security": 0.2,
    "agri": 0.1,
    "window": 0.15,
    "software": 0.1,
}
SERVICE_MINUTES: Mapping[str, tuple[int, int]] = {
    "led": (60, 120),
    "hvac": (45, 120),
    "security": (45, 90),
    "agri": (60, 150),
    "window": (30, 90),
    "software": (30, 60),
}
SEVERITY_SHARE: Mapping[Severity, float] = {
    Severity.MAJOR: 0.06,
    Severity.URGENT: 0.14,
    Severity.NORMAL: 0.5,
    Severity.LOW: 0.3,
}
FIELD_TRAVEL = TravelSettings(
    road_factor=1.35,
    speed_kmh=25.0,
    region_speed_kmh={"华东": 24.0, "华北": 25.0, "华南": 27.0},
    minimum_minutes=5,
)
SHIFT = TimeWindow(8 * 60, 18 * 60)
LUNCH = LunchBreak(TimeWindow(11 * 60 + 30, 13 * 60), 60)
GREEDY_MISS = 0.10
MAX_LOAD = 8.0


@dataclass(frozen=True)
class FieldDay:
    problem: PlanningProblem
    severity: Mapping[str, Severity]
    region: Mapping[str, str]
    seed: int
    jobs_per_technician: float


def field_day(
    jobs: int,
    seed: int = 0,
    *,
    jobs_per_technician: float | None = None,
    greedy_miss: float = GREEDY_MISS,
    travel: TravelSettings = FIELD_TRAVEL,
) -> FieldDay:
    """A seeded day of ``jobs`` jobs.

    With ``jobs_per_technician`` the crew is ``jobs / jobs_per_technician`` (per region).
    Without it, the crew shrinks step by step from three jobs per technician until the
    dispatcher's greedy heuristic (``greedy.greedy_plan``) misses at least ``greedy_miss``
    of the windows; the jobs stay the same at every step.
    """
    rng = random.Random(seed)
    counts = _split(jobs)
    places: list[Place] = []
    job_list: list[Job] = []
    severity: dict[str, Severity] = {}
    regions: dict[str, str] = {}
    needed: dict[str, list[str]] = {}
    for region, count in counts.items():
        needed[region] = []
        for _ in range(count):
            job = _job(f"J{len(job_list) + 1:05d}", region, len(places), rng, places, severity)
            job_list.append(job)
            regions[job.id] = region
            needed[region].append(job.required_skill or "")
    if jobs_per_technician is not None:
        return _with_crew(
            job_list, places, needed, jobs_per_technician, seed, travel, severity, regions
        )
    load = 3.0
    while True:
        day = _with_crew(job_list, places, needed, load, seed, travel, severity, regions)
        if load >= MAX_LOAD or _greedy_miss_share(day.problem) >= greedy_miss:
            return day
        load += 0.25


def _with_crew(
    jobs: list[Job],
    job_places: list[Place],
    needed: Mapping[str, list[str]],
    load: float,
    seed: int,
    travel: TravelSettings,
    severity: Mapping[str, Severity],
    job_regions: Mapping[str, str],
) -> FieldDay:
    rng = random.Random(f"crew-{seed}")
    places = list(job_places)
    regions = dict(job_regions)
    techs: list[Technician] = []
    for region, skills in needed.items():
        centre = REGION_CENTRES[region]
        crew = max(2, round(len(skills) / load))
        stations = [
            _place(centre, region, rng.uniform(2, 15), rng) for _ in range(max(1, crew // 6))
        ]
        for k, primary in enumerate(_primary_skills(skills, crew)):
            places.append(stations[k % len(stations)])
            tech_id = f"T{len(techs) + 1:04d}"
            techs.append(
                Technician(
                    id=tech_id,
                    start_location=len(places) - 1,
                    end_location=len(places) - 1,
                    shift=SHIFT,
                    skills=_skills(primary, rng),
                    lunch=LUNCH,
                )
            )
            regions[tech_id] = region
    problem = PlanningProblem(
        jobs=tuple(jobs),
        technicians=tuple(techs),
        travel=build_travel_matrix(places, travel),
        places=tuple(places),
    )
    return FieldDay(problem, dict(severity), regions, seed, load)


def _job(
    job_id: str,
    region: str,
    place: int,
    rng: random.Random,
    places: list[Place],
    severity: dict[str, Severity],
) -> Job:
    skill = _pick(SKILL_SHARE, rng)
    level = _pick(SEVERITY_SHARE, rng)
    places.append(_customer(REGION_CENTRES[region], region, skill, rng))
    window, kind = _window(level, rng)
    low, high = SERVICE_MINUTES[skill]
    severity[job_id] = level
    return Job(
        id=job_id,
        location=place,
        service_minutes=5 * round(rng.uniform(low, high) / 5),
        window=window,
        weight=SEVERITY_WEIGHTS[level],
        required_skill=skill,
        window_kind=kind,
    )


def _greedy_miss_share(problem: PlanningProblem) -> float:
    plan = greedy_plan(problem)
    on_time = {v.job_id for r in plan.routes for v in r.visits if v.late_minutes == 0}
    return 1 - len(on_time) / max(1, len(problem.jobs))


def _split(jobs: int) -> dict[str, int]:
    counts = {region: int(jobs * share) for region, share in REGION_SHARE.items()}
    leftover = jobs - sum(counts.values())
    for region in list(REGION_SHARE)[:leftover]:
        counts[region] += 1
    return counts


def _pick(shares: Mapping[_T, float], rng: random.Random) -> _T:
    keys = list(shares)
    return rng.choices(keys, weights=[shares[k] for k in keys])[0]


def _primary_skills(needed: list[str], crew: int) -> list[str]:
    """Primary skills of a crew in proportion to the jobs needing them (largest remainder,
    every needed skill at least once while the crew lasts)."""
    counts = {skill: needed.count(skill) for skill in SKILLS if skill in needed}
    quota = {skill: crew * n / len(needed) for skill, n in counts.items()}
    seats = {skill: max(1, int(q)) for skill, q in quota.items()}
    by_remainder = sorted(quota, key=lambda k: (seats[k] - quota[k], k))
    while sum(seats.values()) < crew:
        seats[by_remainder[(sum(seats.values())) % len(by_remainder)]] += 1
    while sum(seats.values()) > crew:
        skill = max(seats, key=lambda k: (seats[k] - quota[k], k))
        seats[skill] -= 1
    return [skill for skill in sorted(seats) for _ in range(seats[skill])]


def _skills(first: str, rng: random.Random) -> frozenset[str]:
    skills = {first}
    for chance in (0.7, 0.25):
        if rng.random() < chance:
            skills.add(_pick(SKILL_SHARE, rng))
    return frozenset(skills)


def _place(centre: tuple[float, float], region: str, km: float, rng: random.Random) -> Place:
    bearing = rng.uniform(0, 2 * math.pi)
    lat = centre[0] + km * math.cos(bearing) / 111.0
    lng = centre[1] + km * math.sin(bearing) / (111.0 * math.cos(math.radians(centre[0])))
    return Place(round(lat, 6), round(lng, 6), region)


def _customer(centre: tuple[float, float], region: str, skill: str, rng: random.Random) -> Place:
    if skill == "agri":
        return _place(centre, region, rng.uniform(15, 35), rng)
    if rng.random() < 0.65:
        return _place(centre, region, abs(rng.gauss(0, 8)), rng)
    return _place(centre, region, rng.uniform(10, 30), rng)


def _window(level: Severity, rng: random.Random) -> tuple[TimeWindow, WindowKind]:
    if level in (Severity.MAJOR, Severity.URGENT):
        reported = 5 * round(rng.uniform(7 * 60, 14 * 60 + 30) / 5)
        return TimeWindow(reported, reported + 120), WindowKind.SLA
    if level is Severity.NORMAL:
        if rng.random() < 0.5:
            morning = rng.random() < 0.5
            window = TimeWindow(8 * 60 + 30, 12 * 60) if morning else TimeWindow(13 * 60, 17 * 60)
            return window, WindowKind.APPOINTMENT
        due = 5 * round(rng.uniform(10 * 60, 17 * 60 + 30) / 5)
        return TimeWindow(8 * 60 + 30, due), WindowKind.SLA
    start = rng.choice([9 * 60, 10 * 60, 13 * 60 + 30, 14 * 60 + 30, 15 * 60 + 30])
    return TimeWindow(start, start + 120), WindowKind.APPOINTMENT
