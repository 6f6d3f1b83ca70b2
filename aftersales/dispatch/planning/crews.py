"""Visits that need several engineers (a planned inspection done by two, 巡检至少 2 人).

The model states such a visit as a lead job (``crew`` = N) and N − 1 companion jobs at the
same place (``companion_of``). PyVRP routes one vehicle per client and has no synchronised
visits, so ``solve_crewed`` plans them in two solves within one budget:

1. the day without the companions: the lead is routed like any job (its skill, its window,
   never late when ``late_ok`` is off);
2. each lead served is pinned where it is (its technician, its start), and its companions
   are pinned at the same minute on other qualified technicians who can be there —
   nearest first, within their shift, clear of what is already pinned on them and leaving
   room for lunch; then the rest of the day is planned around those pins.

A visit whose crew cannot be formed is not planned: with ``NO_CREW`` and the reason (too few
qualified engineers on duty; or none free to join at that time), or with the reason the lead
itself could not be served. Its companions are reported with it. Pure: no ORM, no clock.
"""

from __future__ import annotations

from dataclasses import replace

from aftersales.core.said import Said
from aftersales.dispatch.planning.model import (
    FixedVisit,
    Job,
    Plan,
    PlanningProblem,
    Technician,
    Unassigned,
    UnassignedReason,
    clock,
    lunch_room_left,
)
from aftersales.dispatch.planning.solver import solve


def companions_of(problem: PlanningProblem) -> dict[str, list[Job]]:
    """lead job id → its companion jobs."""
    found: dict[str, list[Job]] = {}
    for job in problem.jobs:
        if job.companion_of is not None:
            found.setdefault(job.companion_of, []).append(job)
    return found


def qualified(tech: Technician, job: Job) -> bool:
    """Skill and capacity allow ``tech`` on ``job`` (a crew's pin is the lead's alone)."""
    return tech.can_do(replace(job, fixed_technician=None))


def solve_crewed(
    problem: PlanningProblem,
    time_budget_seconds: float = 30.0,
    seed: int = 0,
    *,
    cpu_aware: bool = True,
) -> Plan:
    crews = companions_of(problem)
    if not crews:
        return solve(problem, time_budget_seconds, seed, cpu_aware=cpu_aware)
    # where the problem itself fixes a visit (started work, the dispatcher's fixed visits)
    fixed = {v.job_id: (t.id, v.start) for t in problem.technicians for v in t.fixed_visits}
    refused: dict[str, Unassigned] = {}
    for lead_id, companions in crews.items():
        if lead_id in fixed:
            continue
        lead = problem.job(lead_id)
        need = 1 + len(companions)
        able = [t for t in problem.technicians if qualified(t, lead)]
        if len(able) < need:
            skill = (
                Said("具备%(required_skill)s技能的", required_skill=lead.required_skill)
                if lead.required_skill
                else ""
            )
            refused[lead_id] = Unassigned(
                lead_id,
                UnassignedReason.NO_CREW,
                Said(
                    "需 %(need)s 名%(skill)s工程师，当日在班仅 %(able)s 名",
                    need=need,
                    skill=skill,
                    able=len(able),
                ),
            )

    # 1. the leads, routed like any job (the companions left out, fixed ones too)
    companion_ids = {c.id for group in crews.values() for c in group}
    alone = replace(
        problem,
        jobs=tuple(j for j in problem.jobs if j.id not in companion_ids and j.id not in refused),
        technicians=_without(problem.technicians, companion_ids | set(refused)),
    )
    first = solve(alone, time_budget_seconds / 2, seed, cpu_aware=cpu_aware)
    lost = {u.job_id: u for u in first.unassigned}
    where = {v.job_id: (r.technician_id, v.start) for r in first.routes for v in r.visits}

    # 2. each crew pinned at its lead's start, the rest of the day around the pins
    pins: dict[str, list[FixedVisit]] = {t.id: list(t.fixed_visits) for t in problem.technicians}
    ours: set[str] = set()
    leads = sorted(
        (lead_id for lead_id in crews if lead_id in where), key=lambda j: (where[j][1], j)
    )
    for lead_id in leads:
        tech_id, planned = where[lead_id]
        lead = problem.job(lead_id)
        loose = [c for c in crews[lead_id] if c.id not in fixed]
        if not loose:
            continue  # the whole crew is fixed where it is
        crew = _crew(
            problem, lead, planned, tech_id, len(loose), pins, movable=lead_id not in fixed
        )
        if crew is None:
            refused[lead_id] = Unassigned(
                lead_id,
                UnassignedReason.NO_CREW,
                Said(
                    "需 %(v1)s 名工程师，%(clock)s–%(clock2)s 无其他合格工程师能同时到场",
                    v1=1 + len(crews[lead_id]),
                    clock=clock(lead.window.earliest),
                    clock2=clock(lead.window.latest),
                ),
            )
            continue
        start, members = crew
        if lead_id not in fixed:
            pins[tech_id].append(FixedVisit(lead_id, start))
            ours.add(lead_id)
        for companion, member in zip(loose, members, strict=True):
            pins[member].append(FixedVisit(companion.id, start))
            ours.add(companion.id)
    for lead_id in crews:
        if lead_id not in where and lead_id not in refused and lead_id in lost:
            refused[lead_id] = lost[lead_id]  # the lead itself could not be served
    out = set(refused) | {c.id for lead_id in refused for c in crews[lead_id]}
    second_problem = replace(
        problem,
        jobs=tuple(j for j in problem.jobs if j.id not in out),
        technicians=tuple(
            replace(
                t,
                fixed_visits=tuple(
                    sorted((v for v in pins[t.id] if v.job_id not in out), key=lambda v: v.start)
                ),
            )
            for t in problem.technicians
        ),
    )
    second = solve(second_problem, time_budget_seconds / 2, seed + 1, cpu_aware=cpu_aware)
    extra: list[Unassigned] = []
    for lead_id, reason in refused.items():
        extra.append(reason)
        extra.extend(
            Unassigned(
                c.id,
                reason.reason,
                Said("随同 %(lead_id)s：%(detail)s", lead_id=lead_id, detail=reason.detail),
            )
            for c in crews[lead_id]
        )
    # the crews' pins are this planning's own, not visits fixed by anyone: they stay movable
    routes = tuple(
        replace(
            r,
            visits=tuple(replace(v, fixed=False) if v.job_id in ours else v for v in r.visits),
        )
        for r in second.routes
    )
    return Plan(routes, (*second.unassigned, *extra), second.notes)


def _without(techs: tuple[Technician, ...], job_ids: set[str]) -> tuple[Technician, ...]:
    return tuple(
        replace(t, fixed_visits=tuple(v for v in t.fixed_visits if v.job_id not in job_ids))
        if any(v.job_id in job_ids for v in t.fixed_visits)
        else t
        for t in techs
    )


def _crew(
    problem: PlanningProblem,
    lead: Job,
    planned_start: int,
    lead_tech: str,
    count: int,
    pins: dict[str, list[FixedVisit]],
    *,
    movable: bool = True,
) -> tuple[int, list[str]] | None:
    """The earliest start, from the lead's planned one and inside its window (exactly the
    planned one when the lead is fixed, not ``movable``), at which
    ``count`` other qualified technicians can be at the lead's place with the lead's own
    technician, and who (nearest first); ``None`` when there is none."""
    latest = max(lead.window.latest, planned_start) if movable else planned_start
    others = [t for t in problem.technicians if t.id != lead_tech and qualified(t, lead)]
    leave = {t.id: max(t.shift.earliest, problem.now or 0) for t in others}
    starts = sorted(
        {planned_start}
        | {leave[t.id] + problem.travel(t.start_location, lead.location) for t in others}
    )
    lead_technician = problem.technician(lead_tech)
    for start in (s for s in starts if planned_start <= s <= latest):
        if start != planned_start and not _free(
            problem, lead_technician, lead, start, pins[lead_tech]
        ):
            continue
        able = sorted(
            (problem.travel(t.start_location, lead.location), t.id)
            for t in others
            if _free(problem, t, lead, start, pins[t.id])
        )
        if len(able) >= count:
            return start, [tech_id for _travel, tech_id in able[:count]]
    return None


def _free(
    problem: PlanningProblem, tech: Technician, job: Job, start: int, pinned: list[FixedVisit]
) -> bool:
    """Whether ``tech`` can serve ``job`` from ``start``: within his shift (from ``now``),
    clear of his pinned visits with the travel between, leaving room for lunch."""
    end = start + job.service_minutes
    leave = max(tech.shift.earliest, problem.now or 0)
    if leave + problem.travel(tech.start_location, job.location) > start:
        return False
    if end + problem.travel(job.location, tech.end_location) > tech.shift.latest:
        return False
    for pin in pinned:
        other = problem.job(pin.job_id)
        other_end = pin.start + other.service_minutes
        before = other_end + problem.travel(other.location, job.location) <= start
        after = end + problem.travel(job.location, other.location) <= pin.start
        if not (before or after):
            return False
    if tech.lunch is None:
        return True
    trial = replace(
        tech,
        fixed_visits=tuple(sorted([*pinned, FixedVisit(job.id, start)], key=lambda v: v.start)),
    )
    return lunch_room_left(problem, trial)
