"""Independent feasibility check of a plan against its problem.

Deliberately shares no code with the solver, the timeline or the baseline: it re-derives
every leg from the travel matrix and every rule from the model's fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from aftersales.core.said import Said
from aftersales.dispatch.planning.model import (
    Plan,
    PlanningProblem,
    Route,
    Technician,
    Visit,
    lunch_room_left,
)


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    message: str
    technician_id: str | None = None
    job_id: str | None = None


@dataclass(frozen=True, slots=True)
class PlanMetrics:
    weighted_breaches: int
    breached_jobs: int
    late_visits: int
    unassigned_must_do: int
    visits: int
    total_travel: int
    must_do_jobs: int

    @property
    def on_time_rate(self) -> float:
        if not self.must_do_jobs:
            return 1.0
        return 1 - self.breached_jobs / self.must_do_jobs


@dataclass(frozen=True, slots=True)
class CheckReport:
    violations: tuple[Violation, ...]
    metrics: PlanMetrics

    @property
    def feasible(self) -> bool:
        return not self.violations


def check_plan(problem: PlanningProblem, plan: Plan) -> CheckReport:
    violations: list[Violation] = []
    jobs = {job.id: job for job in problem.jobs}
    techs = {tech.id: tech for tech in problem.technicians}

    seen = Counter(v.job_id for r in plan.routes for v in r.visits)
    seen.update(u.job_id for u in plan.unassigned)
    for job_id, count in seen.items():
        if job_id not in jobs:
            violations.append(
                Violation("unknown_job", Said("未知工单 %(job_id)s", job_id=job_id), job_id=job_id)
            )
        elif count > 1:
            violations.append(
                Violation(
                    "duplicate_job",
                    Said("工单 %(job_id)s 出现 %(count)s 次", job_id=job_id, count=count),
                    job_id=job_id,
                )
            )
    for job_id in jobs:
        if job_id not in seen:
            violations.append(
                Violation(
                    "missing_job",
                    Said("工单 %(job_id)s 未出现在计划中", job_id=job_id),
                    job_id=job_id,
                )
            )
    for item in plan.unassigned:
        if not item.label:
            violations.append(Violation("no_reason", "未分配工单缺少原因", job_id=item.job_id))

    route_count = Counter(r.technician_id for r in plan.routes)
    for tech_id, count in route_count.items():
        if tech_id not in techs:
            violations.append(
                Violation(
                    "unknown_technician", Said("未知工程师 %(tech_id)s", tech_id=tech_id), tech_id
                )
            )
        elif count > 1:
            violations.append(
                Violation(
                    "duplicate_route",
                    Said("%(tech_id)s 有 %(count)s 条路线", tech_id=tech_id, count=count),
                    tech_id,
                )
            )

    travel_total = 0
    for route in plan.routes:
        tech = techs.get(route.technician_id)
        if tech is None:
            continue
        travelled, found = _check_route(problem, tech, route)
        travel_total += travelled
        violations.extend(found)

    planned = {v.job_id: (r.technician_id, v) for r in plan.routes for v in r.visits}
    for tech in problem.technicians:
        violations.extend(_check_fixed(tech, planned, plan.route_of(tech.id)))

    violations.extend(_check_crews(problem, planned))

    on_time = {
        job_id
        for job_id, (_tech, visit) in planned.items()
        if job_id in jobs and visit.start <= jobs[job_id].window.latest
    }
    must_do = [job for job in problem.jobs if job.must_do]
    breached = [job for job in must_do if job.id not in on_time]
    metrics = PlanMetrics(
        weighted_breaches=sum(job.weight for job in breached),
        breached_jobs=len(breached),
        late_visits=sum(
            1 for job_id, (_t, v) in planned.items() if job_id in jobs and job_id not in on_time
        ),
        unassigned_must_do=sum(1 for job in must_do if job.id not in planned),
        visits=len(planned),
        total_travel=travel_total,
        must_do_jobs=len(must_do),
    )
    return CheckReport(tuple(violations), metrics)


def _check_crews(
    problem: PlanningProblem, planned: dict[str, tuple[str, Visit]]
) -> list[Violation]:
    """A visit that needs several engineers: its lead and every companion on different
    technicians starting at the same minute — or none of them planned."""
    found: list[Violation] = []
    crews: dict[str, list[str]] = {}
    for job in problem.jobs:
        if job.companion_of is not None:
            crews.setdefault(job.companion_of, []).append(job.id)
    for lead_id, companions in crews.items():
        if lead_id not in planned:
            found.extend(
                Violation(
                    "crew",
                    Said("%(lead_id)s 未安排，随同的工程师不应出发", lead_id=lead_id),
                    job_id=c,
                )
                for c in companions
                if c in planned
            )
            continue
        lead_tech, lead_visit = planned[lead_id]
        techs = {lead_tech}
        for c in companions:
            if c not in planned:
                found.append(
                    Violation(
                        "crew",
                        Said(
                            "%(lead_id)s 需 %(v2)s 名工程师，人员不齐",
                            lead_id=lead_id,
                            v2=1 + len(companions),
                        ),
                        job_id=lead_id,
                    )
                )
                break
            tech, visit = planned[c]
            if tech in techs or visit.start != lead_visit.start:
                found.append(
                    Violation(
                        "crew",
                        Said(
                            "%(lead_id)s 的 %(v2)s 名工程师须为不同的人并同时开工",
                            lead_id=lead_id,
                            v2=1 + len(companions),
                        ),
                        job_id=c,
                    )
                )
            techs.add(tech)
    return found


def _check_route(
    problem: PlanningProblem, tech: Technician, route: Route
) -> tuple[int, list[Violation]]:
    found: list[Violation] = []
    matrix = problem.travel.minutes
    fixed_ids = {v.job_id for v in tech.fixed_visits}
    started = {v.job_id for v in tech.fixed_visits if v.started}

    def flag(code: str, message: str, job_id: str | None = None) -> None:
        found.append(Violation(code, message, tech.id, job_id))

    if not route.visits:
        if route.travel_minutes:
            flag("travel_mismatch", "空路线却有行驶时间")
        return 0, found

    first_started = route.visits[0].job_id in started
    if route.departure < tech.shift.earliest and not first_started:
        flag("shift_start", "出发早于班次开始")
    if problem.now is not None and route.departure < problem.now and not first_started:
        flag("before_now", "出发早于当前时刻")

    place, clock = tech.start_location, route.departure
    travelled = 0
    demand = 0
    lunch = route.lunch
    if lunch is not None and not 0 <= lunch.after_visits <= len(route.visits):
        flag("lunch_position", "午休位置无效")
        lunch = None
    for index in range(len(route.visits) + 1):
        if lunch is not None and lunch.after_visits == index:
            leg = int(matrix[place, lunch.location])
            travelled += leg
            if lunch.start < clock + leg:
                flag("lunch_travel", "午休开始早于到达午休地点")
            place, clock = lunch.location, lunch.end
        if index == len(route.visits):
            break
        visit = route.visits[index]
        job = problem.jobs_by_id.get(visit.job_id)
        if job is None:
            continue
        fixed = visit.job_id in fixed_ids
        if visit.location != job.location:
            flag("location", Said("%(id)s 地点与工单不符", id=job.id), job.id)
        leg = int(matrix[place, job.location])
        travelled += leg
        if visit.arrival < clock + leg and visit.job_id not in started:
            # (a started visit's arrival is a recorded fact, not a plan to check)
            flag("travel_time", Said("到达 %(id)s 早于行驶所需时间", id=job.id), job.id)
        if not fixed and problem.now is not None and visit.arrival - leg < problem.now:
            flag("before_now", Said("%(id)s 的行程早于当前时刻", id=job.id), job.id)
        if visit.start < visit.arrival:
            flag("start_before_arrival", Said("%(id)s 开工早于到达", id=job.id), job.id)
        if visit.start < job.window.earliest and not fixed:
            flag("window_early", Said("%(id)s 早于时间窗开工", id=job.id), job.id)
        late = max(0, visit.start - job.window.latest)
        if late != visit.late_minutes:
            flag("late_mismatch", Said("%(id)s 迟到分钟数不符", id=job.id), job.id)
        if late and problem.hard_windows:
            flag("window_late", Said("%(id)s 晚于时间窗开工", id=job.id), job.id)
        if visit.end != visit.start + job.service_minutes:
            flag("service_time", Said("%(id)s 服务时长不符", id=job.id), job.id)
        if job.required_skill is not None and job.required_skill not in tech.skills:
            flag(
                "skill",
                Said(
                    "%(id)s 不具备 %(required_skill)s 技能",
                    id=tech.id,
                    required_skill=job.required_skill,
                ),
                job.id,
            )
        if job.fixed_technician is not None and job.fixed_technician != tech.id:
            flag(
                "pinned",
                Said(
                    "%(id)s 指定由 %(fixed_technician)s 处理",
                    id=job.id,
                    fixed_technician=job.fixed_technician,
                ),
                job.id,
            )
        demand += job.demand
        place, clock = job.location, visit.end

    leg = int(matrix[place, tech.end_location])
    travelled += leg
    if route.return_time < clock + leg:
        flag("travel_time", "返回时间早于行驶所需时间")
    if route.return_time > tech.shift.latest:
        flag("shift_end", "返回晚于班次结束")
    if route.travel_minutes != travelled:
        flag(
            "travel_mismatch",
            Said(
                "行驶时间 %(travel_minutes)s ≠ 矩阵合计 %(travelled)s",
                travel_minutes=route.travel_minutes,
                travelled=travelled,
            ),
        )
    if tech.capacity is not None and demand > tech.capacity:
        flag(
            "capacity",
            Said("装载 %(demand)s 超过容量 %(capacity)s", demand=demand, capacity=tech.capacity),
        )
    found.extend(_check_lunch(problem, tech, route))
    return travelled, found


def _check_lunch(problem: PlanningProblem, tech: Technician, route: Route) -> list[Violation]:
    rule = tech.lunch
    slot = route.lunch
    if rule is None:
        if slot is None:
            return []
        return [Violation("lunch_unexpected", "该工程师没有午休安排", tech.id)]
    if slot is None:
        can_before = route.departure >= rule.window.earliest + rule.duration
        can_after = route.return_time <= rule.window.latest
        blocked = rule.taken_start is None and not lunch_room_left(problem, tech)
        if rule.taken_start is not None or not (can_before or can_after or blocked):
            return [Violation("lunch_missing", "缺少午休", tech.id)]
        return []
    found = []
    if rule.taken_start is not None:
        if slot.start != rule.taken_start:
            found.append(Violation("lunch_moved", "已开始的午休被移动", tech.id))
    elif not rule.window.earliest <= slot.start <= rule.window.latest:
        found.append(Violation("lunch_window", "午休不在时间窗内", tech.id))
    if slot.end - slot.start != rule.duration:
        found.append(Violation("lunch_duration", "午休时长不符", tech.id))
    return found


def _check_fixed(
    tech: Technician,
    planned: Mapping[str, tuple[str, Visit]],
    route: Route | None,
) -> list[Violation]:
    found: list[Violation] = []
    order = [] if route is None else [v.job_id for v in route.visits]
    positions = []
    for fixed in tech.fixed_visits:
        where = planned.get(fixed.job_id)
        if where is None or where[0] != tech.id or route is None:
            found.append(
                Violation(
                    "fixed_moved", Said("固定工单 %(job_id)s 被移走", job_id=fixed.job_id), tech.id
                )
            )
            continue
        visit = route.visits[order.index(fixed.job_id)]
        if visit.start != fixed.start or (
            fixed.arrival is not None and visit.arrival != fixed.arrival
        ):
            found.append(
                Violation(
                    "fixed_moved",
                    Said("固定工单 %(job_id)s 时间被改", job_id=fixed.job_id),
                    tech.id,
                )
            )
        positions.append(order.index(fixed.job_id))
    if positions != sorted(positions):
        found.append(Violation("fixed_order", "固定工单顺序被改", tech.id))
    return found
