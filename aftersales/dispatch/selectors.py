"""Reads of dispatch plans for the screen and the API: only planners (主办, 组长, 主管,
管理员) see plans; the view of a plan as technician rows, unassigned jobs, KPIs against the
greedy baseline and the route plot's coordinates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from aftersales.bizcalendar.rules import periods_on
from aftersales.bizcalendar.selectors import business_calendar
from aftersales.core.errors import NotFound
from aftersales.core.models import Region
from aftersales.core.said import Said
from aftersales.dispatch import snapshot
from aftersales.dispatch.building import technician_names, to_minute
from aftersales.dispatch.models import DispatchPlan, PlanItem, PlanState
from aftersales.dispatch.planning.model import clock
from aftersales.dispatch.services import is_planner
from aftersales.dispatch.storing import reason_label
from aftersales.installed_base.models import ProductCategory

COLOURS = [
    "#0b5cad",
    "#d9822b",
    "#1e8e3e",
    "#8e24aa",
    "#c62828",
    "#00838f",
    "#6d4c41",
    "#3949ab",
    "#7cb342",
    "#f4511e",
]


def plans(user: Any) -> QuerySet[DispatchPlan]:
    if not is_planner(user):
        return DispatchPlan.objects.none()
    return DispatchPlan.objects.select_related("region", "created_by", "published_by")


def plan_for(user: Any, pk: int) -> DispatchPlan:
    plan = plans(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound("派工方案不存在或无权查看")
    return plan


def current_plan(user: Any, day: dt.date, region: Region | None) -> DispatchPlan | None:
    """The newest plan of the day and region that is not superseded."""
    return (
        plans(user)
        .filter(day=day, region=region)
        .exclude(state=PlanState.SUPERSEDED)
        .order_by("-created_at", "-id")
        .first()
    )


def items_of(plan: DispatchPlan) -> QuerySet[PlanItem]:
    return plan.items.select_related(
        "ticket__customer",
        "ticket__site",
        "ticket__equipment__model__category",
        "technician",
        "work_order",
    ).order_by("technician_id", "sequence", "id")


@dataclass
class Row:
    tech_id: str
    user_id: int
    name: str
    colour: str
    skills: list[str]
    shift: tuple[int, int]
    lunch: tuple[int, int] | None
    travel: int
    visits: list[dict[str, Any]] = field(default_factory=list)
    drives: list[tuple[int, int]] = field(default_factory=list)
    shift_style: str = ""
    lunch_style: str = ""
    drive_styles: list[str] = field(default_factory=list)


@dataclass
class PlanView:
    plan: DispatchPlan
    rows: list[Row]
    unassigned: list[dict[str, Any]]
    items: list[PlanItem]
    axis: tuple[int, int]
    ticks: list[dict[str, Any]]
    chart: dict[str, Any]
    kpis: list[dict[str, Any]]
    technicians: list[tuple[int, str]]


def _style(axis: tuple[int, int], start: int, end: int) -> str:
    span = axis[1] - axis[0]
    left = (start - axis[0]) / span * 100
    width = max(0.4, (end - start) / span * 100)
    return f"left:{left:.2f}%;width:{width:.2f}%"


def _kpis(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    greedy = metrics.get("greedy") or {}
    rows = [
        ("weighted_breaches", "加权超时（SLA/预约）"),
        ("breached_jobs", "超时工单数"),
        ("unassigned_must_do", "未安排的必做工单"),
        ("visits", "安排上门"),
        ("total_travel", "总行驶（分钟）"),
    ]
    result = []
    for key, label in rows:
        ours, base = metrics.get(key), greedy.get(key)
        change = ""
        if isinstance(ours, int) and isinstance(base, int) and base:
            change = f"{(ours - base) / base * 100:+.0f}%"
        result.append({"key": key, "label": label, "ours": ours, "greedy": base, "change": change})
    return result


def plan_view(plan: DispatchPlan) -> PlanView:
    """Everything the screen draws, computed from the stored plan (no solver call)."""
    items = list(items_of(plan))
    data = plan.problem
    problem = snapshot.problem_from_json(data) if data else None
    names = technician_names(t["id"] for t in data.get("technicians", []))
    skill_names = dict(ProductCategory.objects.values_list("code", "name"))
    rows: list[Row] = []
    by_tech: dict[str, Row] = {}
    for index, tech in enumerate(problem.technicians if problem else ()):
        stored = plan.routes.get(tech.id) or {}
        lunch = stored.get("lunch")
        row = Row(
            tech_id=tech.id,
            user_id=int(tech.id[1:]),
            name=names.get(tech.id, tech.id),
            colour=COLOURS[index % len(COLOURS)],
            skills=sorted(skill_names.get(code, code) for code in tech.skills),
            shift=(tech.shift.earliest, tech.shift.latest),
            lunch=(lunch["start"], lunch["end"]) if lunch else None,
            travel=int(stored.get("travel", 0)),
        )
        rows.append(row)
        by_tech[tech.id] = row
    unassigned = []
    places = data.get("places", [])
    jobs = {j["id"]: j for j in data.get("jobs", [])}
    for item in items:
        if item.technician_id is None:
            unassigned.append({"item": item, "label": reason_label(item.unassigned_reason)})
            continue
        lane = by_tech.get(f"U{item.technician_id}")
        if lane is None or item.planned_start is None:
            continue
        assert item.planned_arrival is not None and item.planned_end is not None
        start = to_minute(plan.day, item.planned_start)
        end = to_minute(plan.day, item.planned_end)
        arrival = to_minute(plan.day, item.planned_arrival)
        lane.visits.append(
            {
                "item": item,
                "start": start,
                "end": end,
                "arrival": arrival,
                "label": f"{clock(start)}–{clock(end)}",
                "window": f"{clock(to_minute(plan.day, item.window_start))}–"
                f"{clock(to_minute(plan.day, item.window_end))}",
            }
        )
    if problem is not None:
        for row in rows:
            place = problem.technician(row.tech_id).start_location
            for visit in row.visits:
                job = problem.jobs_by_id.get(visit["item"].job_id)
                if job is None:
                    continue
                leg = problem.travel(place, job.location)
                if leg:
                    row.drives.append((visit["arrival"] - leg, visit["arrival"]))
                place = job.location
    lo = min([r.shift[0] for r in rows] + [v["arrival"] for r in rows for v in r.visits] or [480])
    hi = max([r.shift[1] for r in rows] + [v["end"] for r in rows for v in r.visits] or [1080])
    axis = (lo // 60 * 60, -(-hi // 60) * 60)
    if axis[1] <= axis[0]:
        axis = (axis[0], axis[0] + 60)
    span = axis[1] - axis[0]
    ticks = [
        {"label": clock(m), "left": f"{(m - axis[0]) / span * 100:.2f}%"}
        for m in range(axis[0], axis[1] + 1, 60)
    ]
    for row in rows:
        row.shift_style = _style(axis, *row.shift)
        row.lunch_style = _style(axis, *row.lunch) if row.lunch else ""
        row.drive_styles = [_style(axis, a, b) for a, b in row.drives]
        for visit in row.visits:
            visit["style"] = _style(axis, visit["start"], visit["end"])
    chart = _chart(rows, unassigned, places, jobs, data)
    return PlanView(
        plan=plan,
        rows=rows,
        unassigned=unassigned,
        items=items,
        axis=axis,
        ticks=ticks,
        chart=chart,
        kpis=_kpis(plan.metrics or {}),
        technicians=[(r.user_id, r.name) for r in rows],
    )


def _chart(
    rows: list[Row],
    unassigned: list[dict[str, Any]],
    places: list[Any],
    jobs: dict[str, Any],
    data: dict[str, Any],
) -> dict[str, Any]:
    """Routes in longitude / latitude (no map tiles): base → visits → base per technician,
    and the unassigned jobs."""
    techs = {t["id"]: t for t in data.get("technicians", [])}

    def point(index: int, label: str) -> list[Any]:
        lat, lng, _region = places[index]
        return [round(lng, 5), round(lat, 5), label]

    routes = []
    for row in rows:
        tech = techs[row.tech_id]
        home = point(tech["start"], Said("%(name)s 驻地", name=row.name))
        stops = [
            point(jobs[v["item"].job_id]["location"], f"{v['item'].ticket.number} {v['label']}")
            for v in row.visits
            if v["item"].job_id in jobs
        ]
        routes.append(
            {
                "name": row.name,
                "colour": row.colour,
                "home": home,
                "points": [home, *stops, point(tech["end"], Said("%(name)s 驻地", name=row.name))],
            }
        )
    loose = [
        point(jobs[u["item"].job_id]["location"], f"{u['item'].ticket.number} {u['label']}")
        for u in unassigned
        if u["item"].job_id in jobs
    ]
    return {"routes": routes, "unassigned": loose}


def default_day(now: dt.datetime) -> dt.date:
    """The day the screen opens on: today until the end of today's working hours (the
    calendar's; its normal day when today has none), then tomorrow."""
    cal = business_calendar()
    today = now.date()
    periods = periods_on(cal, today) or cal.normal_day
    end = max((p.end_minute for p in periods), default=18 * 60)
    if now.hour * 60 + now.minute < end:
        return today
    return today + dt.timedelta(days=1)
