"""The dispatcher's edit of a plan (pure): move one job to a technician at a position,
re-time the routes it leaves and enters with the solver's own timeline, and say in Chinese
why a move is refused."""

from __future__ import annotations

from dataclasses import replace

from aftersales.core.said import Said
from aftersales.dispatch.planning.model import (
    Plan,
    PlanningProblem,
    Route,
    Technician,
)
from aftersales.dispatch.planning.timeline import (
    BreakStop,
    JobStop,
    Stop,
    insert_lunch,
    lateness_key,
    lunch_required,
    time_route,
)


class EditRefused(ValueError):
    """The move cannot be made; the message is for the dispatcher."""


class LunchConflict(EditRefused):
    """The day works except that the lunch break no longer fits (the planner service
    then lets the dispatcher's move stand, without that technician's break, and warns)."""

    def __init__(self, technician_id: str) -> None:
        super().__init__("调整后无法在午休时段内安排午休")
        self.technician_id = technician_id


_NOW = object()


def retime(
    problem: PlanningProblem, tech: Technician, job_ids: list[str], not_before: object = _NOW
) -> Route:
    """``tech`` doing ``job_ids`` in this order: timed as early as possible (not before
    ``problem.now`` unless ``not_before`` says otherwise), lunch placed where it costs
    least. Raises ``EditRefused`` when the day does not work (shift end, a fixed start
    missed, no room for lunch)."""
    floor = problem.now if not_before is _NOW else not_before
    assert floor is None or isinstance(floor, int)
    fixed = {v.job_id: v for v in tech.fixed_visits}
    stops: list[Stop] = [JobStop(problem.job(j), fixed.get(j)) for j in job_ids]
    lunch = tech.lunch
    if lunch is not None and lunch.taken_start is not None:
        place = tech.start_location if lunch.taken_location is None else lunch.taken_location
        before = sum(
            1
            for s in stops
            if isinstance(s, JobStop) and s.fixed is not None and s.fixed.start < lunch.taken_start
        )
        stops.insert(before, BreakStop(place, lunch))
    timing = time_route(problem, tech, stops, not_before=floor)
    route = timing.route
    if (
        lunch is not None
        and lunch.taken_start is None
        and lunch_required(tech, route.departure, route.return_time, bool(stops))
    ):
        fitted = insert_lunch(problem, tech, stops, not_before=floor)
        if fitted is None:
            if timing.issue:
                raise EditRefused(timing.issue)
            raise LunchConflict(tech.id)
        if (
            timing.feasible
            and lateness_key(problem, fitted.route)[0] > lateness_key(problem, route)[0]
        ):
            # the break would make a visit miss its window: the visit comes first
            raise LunchConflict(tech.id)
        return fitted.route
    if not timing.feasible:
        raise EditRefused(timing.issue)
    return route


def started_count(tech: Technician, job_ids: list[str]) -> int:
    """How many leading visits of the route have begun (nothing may go before them)."""
    started = {v.job_id for v in tech.fixed_visits if v.started}
    count = 0
    for job_id in job_ids:
        if job_id not in started:
            break
        count += 1
    return count


def _cost(problem: PlanningProblem, route: Route) -> tuple[int, int]:
    late = sum(problem.job(v.job_id).weight * v.late_minutes for v in route.visits)
    return late, route.travel_minutes


def move(
    problem: PlanningProblem, plan: Plan, job_id: str, tech_id: str, position: int | None
) -> Plan:
    """``plan`` with ``job_id`` on ``tech_id`` at ``position`` (0 = first visit; ``None`` =
    where it costs least: fewest weighted late minutes, then least travel)."""
    tech = problem.technicians_by_id.get(tech_id)
    if tech is None:
        raise EditRefused("该工程师当日不在班，不能安排")
    job = problem.job(job_id)
    if job.required_skill is not None and job.required_skill not in tech.skills:
        raise EditRefused(
            Said(
                "该工程师不具备所需技能（%(required_skill)s），不能安排此工单",
                required_skill=job.required_skill,
            )
        )
    if job_id in {v.job_id for t in problem.technicians for v in t.fixed_visits if v.started}:
        raise EditRefused("该工单已开始，不能调整")
    routes = {r.technician_id: r for r in plan.routes}
    source = next((r for r in plan.routes if job_id in r.job_ids), None)
    target_jobs = [j for j in (routes[tech_id].job_ids if tech_id in routes else ()) if j != job_id]
    first = started_count(tech, target_jobs)
    if position is None:
        best: tuple[tuple[int, int], Route] | None = None
        refusal: EditRefused | None = None
        for index in range(first, len(target_jobs) + 1):
            try:
                candidate = retime(
                    problem, tech, [*target_jobs[:index], job_id, *target_jobs[index:]]
                )
            except EditRefused as exc:
                if refusal is None or isinstance(exc, LunchConflict):
                    refusal = exc
                continue
            key = _cost(problem, candidate)
            if best is None or key < best[0]:
                best = (key, candidate)
        if best is None:
            raise refusal or EditRefused("该工程师当日无法安排此工单")
        new_target = best[1]
    else:
        index = min(max(position, first), len(target_jobs))
        new_target = retime(problem, tech, [*target_jobs[:index], job_id, *target_jobs[index:]])
    changed = {tech_id: new_target}
    if source is not None and source.technician_id != tech_id:
        source_tech = problem.technician(source.technician_id)
        remaining = [j for j in source.job_ids if j != job_id]
        changed[source.technician_id] = retime(problem, source_tech, remaining)
    new_routes = tuple(changed.get(r.technician_id, r) for r in plan.routes)
    missing = [r for t, r in changed.items() if t not in routes]
    unassigned = tuple(u for u in plan.unassigned if u.job_id != job_id)
    return replace(plan, routes=new_routes + tuple(missing), unassigned=unassigned)


def realign(problem: PlanningProblem, previous: Plan, started_as: dict[str, str]) -> Plan:
    """``previous`` on today's facts, before re-planning it: a visit that has started since
    (``started_as``: its job id in ``previous`` → the started job's id) takes its recorded
    place and times, and the rest of each route follows as early as possible after it. So
    what counts as "under way" at ``now`` is judged on when the technician really arrived,
    not on when the plan expected him."""
    routes: list[Route] = []
    for route in previous.routes:
        tech = problem.technicians_by_id.get(route.technician_id)
        if tech is None:
            continue
        started = [v.job_id for v in sorted(tech.fixed_visits, key=lambda v: v.start) if v.started]
        rest: list[str] = []
        for visit in route.visits:
            job_id = started_as.get(visit.job_id, visit.job_id)
            if job_id in problem.jobs_by_id and job_id not in started and job_id not in rest:
                rest.append(job_id)
        try:
            routes.append(retime(problem, tech, [*started, *rest], not_before=None))
        except EditRefused:
            routes.append(route)
    return replace(previous, routes=tuple(routes))
