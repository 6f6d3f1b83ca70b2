"""The planning model as JSON (stored with the plan) and back, and the pure ``Plan`` of a
stored plan. The travel matrix is not stored: it is rebuilt from the places and the travel
settings, which gives the same minutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from aftersales.dispatch.building import DayProblem, JobRef, tech_id_of, to_minute
from aftersales.dispatch.planning.model import (
    BreakSlot,
    FixedVisit,
    Job,
    LunchBreak,
    Place,
    Plan,
    PlanningProblem,
    Route,
    Technician,
    TimeWindow,
    Unassigned,
    UnassignedReason,
    Visit,
    WindowKind,
)
from aftersales.dispatch.planning.travel import TravelSettings, build_travel_matrix

JSON = dict[str, Any]


def _window(w: TimeWindow) -> list[int]:
    return [w.earliest, w.latest]


def _tw(pair: list[int]) -> TimeWindow:
    return TimeWindow(int(pair[0]), int(pair[1]))


def problem_to_json(day: DayProblem, travel: TravelSettings) -> JSON:
    problem = day.problem
    jobs = []
    for job in problem.jobs:
        ref = day.refs[job.id]
        jobs.append(
            {
                "id": job.id,
                "location": job.location,
                "service": job.service_minutes,
                "window": _window(job.window),
                "weight": job.weight,
                "skill": job.required_skill,
                "must_do": job.must_do,
                "kind": job.window_kind.value,
                "pin": job.fixed_technician,
                "crew": job.crew,
                "companion_of": job.companion_of,
                "late_ok": job.late_ok,
                "ticket": ref.ticket_id,
                "work_order": ref.work_order_id,
                "started": ref.started,
                "remote": ref.remote,
            }
        )
    techs = []
    for tech in problem.technicians:
        lunch = tech.lunch
        techs.append(
            {
                "id": tech.id,
                "start": tech.start_location,
                "end": tech.end_location,
                "shift": _window(tech.shift),
                "skills": sorted(tech.skills),
                "lunch": None
                if lunch is None
                else {
                    "window": _window(lunch.window),
                    "duration": lunch.duration,
                    "taken_start": lunch.taken_start,
                    "taken_location": lunch.taken_location,
                },
                "fixed": [
                    {"job": v.job_id, "start": v.start, "arrival": v.arrival, "started": v.started}
                    for v in tech.fixed_visits
                ],
            }
        )
    return {
        "now": problem.now,
        "travel": {
            "road_factor": travel.road_factor,
            "speed_kmh": travel.speed_kmh,
            "region_speed_kmh": dict(travel.region_speed_kmh),
            "minimum_minutes": travel.minimum_minutes,
            "highway_after_km": travel.highway_after_km,
            "highway_speed_kmh": travel.highway_speed_kmh,
        },
        "places": [[p.lat, p.lng, p.region] for p in problem.places],
        "jobs": jobs,
        "technicians": techs,
        "unplannable": [
            {
                "id": u.ref.job_id,
                "ticket": u.ref.ticket_id,
                "work_order": u.ref.work_order_id,
                "window": _window(u.window),
                "kind": u.window_kind.value,
                "must_do": u.must_do,
                "reason": u.reason,
            }
            for u in day.unplannable
        ],
        "notes": list(day.notes),
    }


def problem_from_json(data: JSON) -> PlanningProblem:
    travel = TravelSettings(**data["travel"])
    places = tuple(
        Place(float(lat), float(lng), str(region)) for lat, lng, region in data["places"]
    )
    jobs = tuple(
        Job(
            id=j["id"],
            location=j["location"],
            service_minutes=j["service"],
            window=_tw(j["window"]),
            weight=j["weight"],
            required_skill=j["skill"],
            must_do=j["must_do"],
            window_kind=WindowKind(j["kind"]),
            fixed_technician=j["pin"],
            crew=j.get("crew", 1),
            companion_of=j.get("companion_of"),
            late_ok=j.get("late_ok", True),
        )
        for j in data["jobs"]
    )
    techs = tuple(
        Technician(
            id=t["id"],
            start_location=t["start"],
            end_location=t["end"],
            shift=_tw(t["shift"]),
            skills=frozenset(t["skills"]),
            lunch=None
            if t["lunch"] is None
            else LunchBreak(
                _tw(t["lunch"]["window"]),
                t["lunch"]["duration"],
                t["lunch"]["taken_start"],
                t["lunch"]["taken_location"],
            ),
            fixed_visits=tuple(
                FixedVisit(v["job"], v["start"], v["arrival"], v["started"]) for v in t["fixed"]
            ),
        )
        for t in data["technicians"]
    )
    return PlanningProblem(
        jobs=jobs,
        technicians=techs,
        travel=build_travel_matrix(places, travel),
        places=places,
        now=data["now"],
    )


def refs_from_json(data: JSON) -> dict[str, JobRef]:
    return {
        j["id"]: JobRef(
            j["id"], j["ticket"], j["work_order"], j.get("started", False), j.get("remote", False)
        )
        for j in [*data["jobs"], *data["unplannable"]]
    }


def with_pin(data: JSON, job_id: str, tech_id: str) -> JSON:
    """The stored model with ``job_id`` pinned to ``tech_id`` (a dispatcher's choice)."""
    jobs = [{**j, "pin": tech_id} if j["id"] == job_id else j for j in data["jobs"]]
    return {**data, "jobs": jobs}


def as_remote_of(data: JSON, job_id: str, tech_id: str) -> JSON:
    """The stored model with remote work ``job_id`` done from ``tech_id``'s base (a
    dispatcher's move): at his start location, no longer a fixed block of anybody's day."""
    start = next(t["start"] for t in data["technicians"] if t["id"] == tech_id)
    jobs = [{**j, "location": start} if j["id"] == job_id else j for j in data["jobs"]]
    techs = [
        {**t, "fixed": [v for v in t["fixed"] if v["job"] != job_id]} for t in data["technicians"]
    ]
    return {**data, "jobs": jobs, "technicians": techs}


def without_lunch(data: JSON, tech_id: str, warning: str) -> JSON:
    """The stored model with ``tech_id``'s lunch break waived (a dispatcher's move that
    leaves no room for it), and the warning that says so."""
    techs = [{**t, "lunch": None} if t["id"] == tech_id else t for t in data["technicians"]]
    return {**data, "technicians": techs, "warnings": [*data.get("warnings", []), warning]}


def route_to_json(route: Route) -> JSON:
    lunch = route.lunch
    return {
        "departure": route.departure,
        "return": route.return_time,
        "travel": route.travel_minutes,
        "lunch": None
        if lunch is None
        else {
            "location": lunch.location,
            "start": lunch.start,
            "end": lunch.end,
            "after": lunch.after_visits,
        },
    }


def plan_of(problem: PlanningProblem, routes: JSON, items: Iterable[Any], day: dt.date) -> Plan:
    """The pure plan of stored items (``PlanItem`` rows in sequence order) and routes."""
    visits: dict[str, list[Visit]] = {}
    unassigned: list[Unassigned] = []
    for item in items:
        if item.job_id not in problem.jobs_by_id:
            continue
        if item.technician_id is None:
            try:
                reason = UnassignedReason(item.unassigned_reason)
            except ValueError:
                reason = UnassignedReason.FULLY_BOOKED
            unassigned.append(Unassigned(item.job_id, reason, item.unassigned_detail))
            continue
        job = problem.job(item.job_id)
        visits.setdefault(tech_id_of(item.technician_id), []).append(
            Visit(
                job_id=item.job_id,
                location=job.location,
                arrival=to_minute(day, item.planned_arrival),
                start=to_minute(day, item.planned_start),
                end=to_minute(day, item.planned_end),
                late_minutes=item.late_minutes,
                fixed=item.started,
            )
        )
    result = []
    for tech in problem.technicians:
        stored = routes.get(tech.id)
        if stored is None:
            continue
        lunch = stored["lunch"]
        result.append(
            Route(
                technician_id=tech.id,
                departure=stored["departure"],
                visits=tuple(visits.get(tech.id, [])),
                return_time=stored["return"],
                travel_minutes=stored["travel"],
                lunch=None
                if lunch is None
                else BreakSlot(lunch["location"], lunch["start"], lunch["end"], lunch["after"]),
            )
        )
    return Plan(tuple(result), tuple(unassigned))
