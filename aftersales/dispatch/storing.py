"""A solved or edited plan into rows: ``PlanItem`` per job, and the plan's metrics (checked
by the independent checker, with the greedy dispatcher's numbers for comparison)."""

from __future__ import annotations

from typing import Any

from aftersales.dispatch import snapshot
from aftersales.dispatch.building import (
    NO_LOCATION,
    NO_LOCATION_LABEL,
    REMOTE_FIRST,
    REMOTE_FIRST_LABEL,
    technician_names,
    to_instant,
    user_id_of,
)
from aftersales.dispatch.models import DispatchPlan, PlanItem
from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.model import Plan, PlanningProblem, UnassignedReason
from aftersales.dispatch.validity import explain
from aftersales.service.models import Ticket


def reason_label(code: str) -> str:
    if code == NO_LOCATION:
        return NO_LOCATION_LABEL
    if code == REMOTE_FIRST:
        return REMOTE_FIRST_LABEL
    try:
        return UnassignedReason(code).label
    except ValueError:
        return code


def plan_metrics(problem: PlanningProblem, plan: Plan) -> dict[str, Any]:
    report = check_plan(problem, plan)
    m = report.metrics
    return {
        "weighted_breaches": m.weighted_breaches,
        "breached_jobs": m.breached_jobs,
        "late_visits": m.late_visits,
        "unassigned_must_do": m.unassigned_must_do,
        "visits": m.visits,
        "total_travel": m.total_travel,
        "must_do_jobs": m.must_do_jobs,
        "on_time_rate": round(m.on_time_rate, 4),
        "feasible": report.feasible,
        "violations": [v.message for v in report.violations[:10]],
    }


def metrics_of(
    plan: DispatchPlan,
    problem: PlanningProblem,
    data: dict[str, Any],
    result: Plan,
    *,
    greedy: dict[str, Any] | None,
) -> dict[str, Any]:
    refs = snapshot.refs_from_json(data)
    numbers = dict(
        Ticket.objects.filter(pk__in={r.ticket_id for r in refs.values()}).values_list(
            "id", "number"
        )
    )
    unassigned = [
        {
            "job_id": u.job_id,
            "ticket_id": refs[u.job_id].ticket_id,
            "number": numbers.get(refs[u.job_id].ticket_id, ""),
            "reason": u.reason.value,
            "label": u.label,
            "detail": u.detail,
        }
        for u in result.unassigned
    ]
    unassigned += [
        {
            "job_id": u["id"],
            "ticket_id": u["ticket"],
            "number": numbers.get(u["ticket"], ""),
            "reason": u.get("reason", NO_LOCATION),
            "label": reason_label(u.get("reason", NO_LOCATION)),
            "detail": "",
        }
        for u in data["unplannable"]
    ]
    tickets = {job_id: numbers.get(ref.ticket_id, "") for job_id, ref in refs.items()}
    names = technician_names(t.id for t in problem.technicians)

    def plain(text: str) -> str:
        return explain(text, tickets=tickets, names=names)

    metrics = plan_metrics(problem, result)
    report = check_plan(problem, result)
    metrics["violations"] = [
        plain(f"{v.technician_id}：{v.message}" if v.technician_id else v.message)
        for v in report.violations[:10]
    ]
    for row in unassigned:
        row["detail"] = plain(str(row["detail"]))
    return {
        **metrics,
        "jobs": len(problem.jobs) + len(data["unplannable"]),
        "technicians": len(problem.technicians),
        "unplannable": len(data["unplannable"]),
        "unassigned": unassigned,
        "greedy": greedy,
        "notes": [plain(note) for note in [*data.get("notes", []), *result.notes]],
        "warnings": [plain(w) for w in data.get("warnings", [])],
    }


def _window_fields(plan: DispatchPlan, job: dict[str, Any]) -> dict[str, Any]:
    earliest, latest = job["window"]
    return {
        "window_start": to_instant(plan.day, earliest),
        "window_end": to_instant(plan.day, latest),
        "window_kind": job["kind"],
        "must_do": job["must_do"],
    }


def write_items(
    plan: DispatchPlan,
    problem: PlanningProblem,
    data: dict[str, Any],
    result: Plan,
    *,
    edited: set[str],
    only: set[str] | None = None,
) -> None:
    """All items of a freshly solved plan (``only`` = ``None``), or the items of the routes
    of the technicians in ``only`` after an edit. ``edited``: jobs the dispatcher placed."""
    refs = snapshot.refs_from_json(data)
    jobs = {j["id"]: j for j in data["jobs"]}
    if only is not None:
        _update_routes(plan, result, only, edited)
        return
    rows: list[PlanItem] = []
    for route in result.routes:
        for sequence, visit in enumerate(route.visits):
            ref = refs[visit.job_id]
            rows.append(
                PlanItem(
                    plan=plan,
                    job_id=visit.job_id,
                    ticket_id=ref.ticket_id,
                    work_order_id=ref.work_order_id,
                    technician_id=user_id_of(route.technician_id),
                    sequence=sequence,
                    planned_arrival=to_instant(plan.day, visit.arrival),
                    planned_start=to_instant(plan.day, visit.start),
                    planned_end=to_instant(plan.day, visit.end),
                    late_minutes=visit.late_minutes,
                    fixed=visit.fixed,
                    started=ref.started,
                    remote=ref.remote,
                    edited_by_dispatcher=visit.job_id in edited,
                    **_window_fields(plan, jobs[visit.job_id]),
                )
            )
    for unassigned in result.unassigned:
        ref = refs[unassigned.job_id]
        rows.append(
            PlanItem(
                plan=plan,
                job_id=unassigned.job_id,
                ticket_id=ref.ticket_id,
                work_order_id=ref.work_order_id,
                unassigned_reason=unassigned.reason.value,
                unassigned_detail=unassigned.detail[:200],
                **_window_fields(plan, jobs[unassigned.job_id]),
            )
        )
    for job in data["unplannable"]:
        rows.append(
            PlanItem(
                plan=plan,
                job_id=job["id"],
                ticket_id=job["ticket"],
                work_order_id=job["work_order"],
                unassigned_reason=job.get("reason", NO_LOCATION),
                **_window_fields(plan, job),
            )
        )
    PlanItem.objects.bulk_create(rows)


def _update_routes(plan: DispatchPlan, result: Plan, only: set[str], edited: set[str]) -> None:
    routes = [r for r in result.routes if r.technician_id in only]
    wanted = {v.job_id for r in routes for v in r.visits}
    items = {i.job_id: i for i in plan.items.filter(job_id__in=wanted)}
    changed: list[PlanItem] = []
    for route in routes:
        for sequence, visit in enumerate(route.visits):
            item = items[visit.job_id]
            item.technician_id = user_id_of(route.technician_id)
            item.sequence = sequence
            item.planned_arrival = to_instant(plan.day, visit.arrival)
            item.planned_start = to_instant(plan.day, visit.start)
            item.planned_end = to_instant(plan.day, visit.end)
            item.late_minutes = visit.late_minutes
            if visit.job_id in edited:
                item.edited_by_dispatcher = True
                item.fixed = True
            item.unassigned_reason = ""
            item.unassigned_detail = ""
            changed.append(item)
    PlanItem.objects.bulk_update(
        changed,
        [
            "technician",
            "sequence",
            "planned_arrival",
            "planned_start",
            "planned_end",
            "late_minutes",
            "edited_by_dispatcher",
            "fixed",
            "unassigned_reason",
            "unassigned_detail",
        ],
    )
