"""A plan that passes the project's own checker, and the checker's findings in plain Chinese.

``repair`` takes a solved (or re-planned) plan and, while the independent checker finds a
violation that a movable visit causes, takes that visit out of its route (it becomes
unassigned, with the reason) and re-times the route with the solver's timeline. Only what
cannot be changed — recorded facts, the dispatcher's fixed visits — can keep a plan
invalid; such a plan is stored with its reasons and cannot be published.

``explain`` turns the checker's messages into sentences for the dispatcher: ticket numbers
and technicians' names instead of the model's ids (T…, W…, U…).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from aftersales.dispatch.editing import EditRefused, retime
from aftersales.dispatch.planning.checker import Violation, check_plan
from aftersales.dispatch.planning.model import (
    Plan,
    PlanningProblem,
    Route,
    Unassigned,
    UnassignedReason,
)
from aftersales.dispatch.planning.timeline import JobStop, time_route

REMOVED_DETAIL = "该行程未通过校验（{why}），已移出方案"
PHRASES: Mapping[str, str] = {
    "travel_time": "路程时间不足",
    "shift_end": "返回晚于班次结束",
    "shift_start": "出发早于班次开始",
    "before_now": "行程早于当前时刻",
    "lunch_missing": "无法安排午休",
    "lunch_window": "午休不在时间窗内",
    "lunch_travel": "午休前路程时间不足",
    "window_early": "早于时间窗开工",
    "window_late": "晚于时间窗开工",
    "skill": "工程师不具备所需技能",
    "pinned": "已指定其他工程师",
    "capacity": "超出备件容量",
    "crew": "所需工程师人数不齐",
}
_ID = re.compile(r"\b([TWU])(\d+)\b")


def repair(problem: PlanningProblem, plan: Plan) -> tuple[Plan, list[Violation]]:
    """``plan`` with the visits that break the checker's rules taken out; returns the plan
    and the violations that remain (only those of things that cannot move)."""
    for _ in range(len(problem.jobs) + 1):
        report = check_plan(problem, plan)
        if report.feasible:
            return plan, []
        victim = _victim(problem, plan, report.violations)
        if victim is None:
            return plan, list(report.violations)
        job_id, code = victim
        plan = _without(problem, plan, job_id, PHRASES.get(code, "行程校验未通过"))
    return plan, list(check_plan(problem, plan).violations)


def _movable(problem: PlanningProblem, tech_id: str) -> set[str]:
    tech = problem.technicians_by_id.get(tech_id)
    fixed = {v.job_id for v in tech.fixed_visits} if tech is not None else set()
    return {job.id for job in problem.jobs if job.id not in fixed}


def _victim(
    problem: PlanningProblem, plan: Plan, violations: tuple[Violation, ...]
) -> tuple[str, str] | None:
    """The visit to take out: the one a violation names, else the lightest movable
    visit of a route with a violation."""
    for v in violations:
        if v.job_id is None or v.technician_id is None:
            continue
        if v.job_id in _movable(problem, v.technician_id):
            return v.job_id, v.code
    for v in violations:
        if v.technician_id is None:
            continue
        route = plan.route_of(v.technician_id)
        if route is None:
            continue
        movable = _movable(problem, v.technician_id)
        candidates = [visit.job_id for visit in route.visits if visit.job_id in movable]
        if candidates:
            lightest = min(reversed(candidates), key=lambda job_id: problem.job(job_id).weight)
            return lightest, v.code
    return None


def _without(problem: PlanningProblem, plan: Plan, job_id: str, why: str) -> Plan:
    routes = []
    for route in plan.routes:
        if job_id in route.job_ids:
            route = _retimed(problem, route, [j for j in route.job_ids if j != job_id])
        routes.append(route)
    detail = REMOVED_DETAIL.format(why=why)[:200]
    unassigned = (*plan.unassigned, Unassigned(job_id, UnassignedReason.FULLY_BOOKED, detail))
    return replace(plan, routes=tuple(routes), unassigned=unassigned)


def _retimed(problem: PlanningProblem, route: Route, job_ids: list[str]) -> Route:
    tech = problem.technician(route.technician_id)
    try:
        return retime(problem, tech, job_ids)
    except EditRefused:
        fixed = {v.job_id: v for v in tech.fixed_visits}
        stops = [JobStop(problem.job(j), fixed.get(j)) for j in job_ids]
        return time_route(problem, tech, stops, not_before=problem.now).route


def explain(
    text: str,
    *,
    tickets: Mapping[str, str],
    names: Mapping[str, str],
) -> str:
    """``text`` with the model's ids replaced: a job id (T…, W…) by its ticket number
    (``tickets``: job id → number), a technician id (U…) by his name."""

    def name(match: re.Match[str]) -> str:
        token = match.group(0)
        if match.group(1) == "U":
            return names.get(token, "工程师")
        return tickets.get(token, "工单")

    return _ID.sub(name, text)
