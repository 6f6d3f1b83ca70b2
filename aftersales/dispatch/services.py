"""The planner service (智能派工): plan a day, re-plan it, let the dispatcher move visits,
publish the plan through the service flow.

Solving runs **inline** with the screen's small budget (``PlannerSettings``: 5 s) when the
day has at most ``inline_max_jobs`` jobs (60), and otherwise in a procrastinate job on the
queue ``dispatch`` with the background budget (30 s): the plan is stored at once (empty,
"计算中") and the job fills it in. The solve never runs inside a database transaction.

Every write is audited on the plan (``plan_day``, ``solve``, ``move_item``, ``replan``,
``publish``); publishing dispatches, re-assigns and schedules the work orders only through
``aftersales.service.services.dispatch`` (which audit the tickets and work orders), all in
one transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from aftersales.core.models import Region
from aftersales.core.said import Said
from aftersales.dispatch import editing, snapshot, validity
from aftersales.dispatch.building import (
    JobRef,
    build_day,
    job_id_of,
    tech_id_of,
    technician_names,
    to_minute,
)
from aftersales.dispatch.conf import planner_config
from aftersales.dispatch.models import DispatchPlan, PlanItem, PlanState
from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.crews import solve_crewed
from aftersales.dispatch.planning.greedy import greedy_plan
from aftersales.dispatch.planning.solver import frozen_problem
from aftersales.dispatch.planning.solver import replan as solver_replan
from aftersales.dispatch.storing import metrics_of, plan_metrics, write_items
from aftersales.service.models import Ticket, WorkOrder
from aftersales.service.notices import crew_member_planned

PLANNER_ROLES = frozenset({"coordinator", "team_leader", "manager", "admin"})


def is_planner(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.role_codes & PLANNER_ROLES)
    )


def require_planner(actor: Any) -> None:
    if not is_planner(actor):
        raise PermissionDenied("无权使用智能派工")


def lock_plan(plan: DispatchPlan | int) -> DispatchPlan:
    pk = plan.pk if isinstance(plan, DispatchPlan) else plan
    try:
        return DispatchPlan.objects.select_for_update().get(pk=pk)
    except DispatchPlan.DoesNotExist as exc:
        raise NotFound("派工方案不存在") from exc


def plan_day(
    *,
    actor: Any,
    day: dt.date,
    region: Region | None = None,
    time_budget_seconds: float | None = None,
    background: bool | None = None,
    now: dt.datetime | None = None,
    seed: int = 0,
) -> DispatchPlan:
    """Propose the visits of ``day`` (from ``now`` on, if it is today): a draft plan.
    Older drafts of the same day and region are superseded."""
    require_planner(actor)
    now = now or timezone.now()
    if day < timezone.localdate(now):
        raise ValidationFailed("不能为已过去的日期生成方案", field="day")
    config = planner_config()
    built = build_day(day=day, region=region, now=now, config=config)
    if background is None:
        background = len(built.problem.jobs) > config.inline_max_jobs
    budget = time_budget_seconds or (
        config.background_budget_seconds if background else config.screen_budget_seconds
    )
    if budget <= 0 or budget > 600:
        raise ValidationFailed("求解时限须在 0–600 秒之间", field="time_budget_seconds")
    background = _background(background, budget)
    data = snapshot.problem_to_json(built, config.travel)
    if background:
        with transaction.atomic():
            plan = _create(actor, day, region, now, budget, seed, data, replan_of=None)
            from aftersales.dispatch.tasks import solve_plan

            solve_plan.defer(plan_id=plan.pk)
        return plan
    # inline: a request waits, so the budget is wall-clock (the background job's is CPU)
    result = solve_crewed(built.problem, time_budget_seconds=budget, seed=seed, cpu_aware=False)
    with transaction.atomic():
        plan = _create(actor, day, region, now, budget, seed, data, replan_of=None)
        _store(plan, data, result, previous=None)
    return plan


def _background(background: bool, budget: float) -> bool:
    """A solve longer than ``DISPATCH_INLINE_MAX_SECONDS`` never holds a web request (and a
    worker of the web server): whatever the caller asked, it goes to the ``dispatch`` queue."""
    return background or budget > float(settings.DISPATCH_INLINE_MAX_SECONDS)


def _create(
    actor: Any,
    day: dt.date,
    region: Region | None,
    now: dt.datetime,
    budget: float,
    seed: int,
    data: dict[str, Any],
    replan_of: DispatchPlan | None,
) -> DispatchPlan:
    DispatchPlan.objects.filter(day=day, region=region, state=PlanState.DRAFT).update(
        state=PlanState.SUPERSEDED, updated_at=timezone.now()
    )
    plan = DispatchPlan.objects.create(
        day=day,
        region=region,
        created_by=actor,
        as_of=now,
        time_budget_seconds=Decimal(str(round(budget, 1))),
        seed=seed,
        problem=data,
        replan_of=replan_of,
    )
    audit.record(
        plan,
        actor=actor,
        action="create",
        verb="replan" if replan_of else "plan_day",
        after=audit.snapshot(plan),
        payload={
            "jobs": len(data["jobs"]),
            "technicians": len(data["technicians"]),
            "replan_of": replan_of.pk if replan_of else None,
        },
    )
    return plan


def _store(
    plan: DispatchPlan,
    data: dict[str, Any],
    result: Any,
    previous: DispatchPlan | None,
) -> None:
    """Write the solved plan's items, routes and metrics (inside a transaction)."""
    problem = snapshot.problem_from_json(data)
    greedy = None
    if not problem.fixed_job_ids and problem.jobs:
        greedy = plan_metrics(problem, greedy_plan(problem))
    edited: set[str] = set()
    if previous is not None:
        edited = set(
            previous.items.filter(edited_by_dispatcher=True).values_list("job_id", flat=True)
        )
    # never store a plan that fails the checker when taking visits out can make it pass
    result, _remaining = validity.repair(problem, result)
    write_items(plan, problem, data, result, edited=edited)
    plan.routes = {r.technician_id: snapshot.route_to_json(r) for r in result.routes}
    plan.metrics = metrics_of(plan, problem, data, result, greedy=greedy)
    plan.solved_at = timezone.now()
    plan.save(update_fields=["routes", "metrics", "solved_at", "updated_at"])


def solve_pending(*, plan_id: int) -> bool:
    """The background solve of a stored plan (idempotent: a solved plan is left alone)."""
    plan = DispatchPlan.objects.filter(pk=plan_id).first()
    if plan is None or plan.solved_at is not None or plan.error:
        return False
    previous = plan.replan_of
    problem = snapshot.problem_from_json(plan.problem)
    budget = float(plan.time_budget_seconds)
    try:
        if previous is not None:
            result = solver_replan(
                editing.realign(
                    problem,
                    _pure_plan(previous),
                    _started_as(snapshot.refs_from_json(plan.problem)),
                ),
                problem,
                problem.now or 0,
                time_budget_seconds=budget,
                seed=plan.seed,
            )
        else:
            result = solve_crewed(problem, time_budget_seconds=budget, seed=plan.seed)
    except Exception as exc:
        DispatchPlan.objects.filter(pk=plan.pk).update(
            error=Said("求解失败：%(exc)s", exc=exc)[:300]
        )
        raise
    with transaction.atomic():
        plan = lock_plan(plan.pk)
        if plan.solved_at is not None:
            return False
        _store(plan, plan.problem, result, previous)
        audit.record(plan, actor=None, action="action", verb="solve", payload=plan.metrics)
    return True


def _started_as(refs: dict[str, JobRef]) -> dict[str, str]:
    """Job id a ticket had in an earlier plan → the id of its visit started since."""
    return {job_id_of(ref.ticket_id): ref.job_id for ref in refs.values() if ref.started}


def _pure_plan(plan: DispatchPlan) -> Any:
    problem = snapshot.problem_from_json(plan.problem)
    items = plan.items.order_by("technician_id", "sequence", "id")
    return snapshot.plan_of(problem, plan.routes, items, plan.day)


def replan(
    *,
    actor: Any,
    plan: DispatchPlan,
    now: dt.datetime | None = None,
    time_budget_seconds: float | None = None,
    background: bool | None = None,
) -> DispatchPlan:
    """Re-plan the rest of the day from ``now``: a new draft. Visits started (到场 /
    完成, or under way at ``now`` in ``plan``) and the visits fixed in ``plan`` stay exactly
    where they are; routes that still work keep their jobs; only what is affected moves."""
    require_planner(actor)
    if plan.solved_at is None or plan.state == PlanState.SUPERSEDED:
        raise Conflict("只能基于已求解的当前方案重新规划")
    now = now or timezone.now()
    if plan.day < timezone.localdate(now):
        raise ValidationFailed("该方案的日期已过去", field="day")
    config = planner_config()
    fixed = {
        item.job_id: (tech_id_of(item.technician_id), to_minute(plan.day, item.planned_start))
        for item in plan.items.filter(fixed=True, started=False, technician__isnull=False)
        if item.technician_id is not None and item.planned_start is not None
    }
    built = build_day(day=plan.day, region=plan.region, now=now, config=config, fixed=fixed)
    now_minute = built.problem.now if built.problem.now is not None else 0
    previous = editing.realign(built.problem, _pure_plan(plan), _started_as(built.refs))
    # what is under way at ``now`` in the plan becomes a started visit: stored as solved
    built.problem = frozen_problem(previous, built.problem, now_minute)
    if background is None:
        background = len(built.problem.jobs) > config.inline_max_jobs
    budget = time_budget_seconds or (
        config.background_budget_seconds if background else config.screen_budget_seconds
    )
    background = _background(background, budget)
    data = snapshot.problem_to_json(built, config.travel)
    if background:
        with transaction.atomic():
            new = _create(actor, plan.day, plan.region, now, budget, 0, data, replan_of=plan)
            from aftersales.dispatch.tasks import solve_plan

            solve_plan.defer(plan_id=new.pk)
        return new
    result = solver_replan(
        previous, built.problem, now_minute, time_budget_seconds=budget, seed=0, cpu_aware=False
    )
    with transaction.atomic():
        new = _create(actor, plan.day, plan.region, now, budget, 0, data, replan_of=plan)
        _store(new, data, result, previous=plan)
    return new


def _item(
    plan: DispatchPlan,
    *,
    job_id: str | None,
    work_order: WorkOrder | int | None,
    ticket: Ticket | int | None,
) -> PlanItem:
    items = plan.items.select_related("ticket")
    if job_id:
        items = items.filter(job_id=job_id)
    elif work_order is not None:
        items = items.filter(work_order=work_order)
    elif ticket is not None:
        # a visit that needs several engineers: the ticket's lead job (T…, before T…+2)
        items = items.filter(ticket=ticket, started=False).order_by("job_id")
    else:
        raise ValidationFailed("请指定要调整的工单", field="job_id")
    item = items.first()
    if item is None:
        raise NotFound("该工单不在此方案中")
    return item


@transaction.atomic
def move_item(
    *,
    actor: Any,
    plan: DispatchPlan | int,
    technician: Any,
    position: int | None = None,
    work_order: WorkOrder | int | None = None,
    ticket: Ticket | int | None = None,
    job_id: str | None = None,
) -> PlanItem:
    """The dispatcher puts one job on ``technician`` at ``position`` (0 = first visit;
    ``None``: where it costs least). Both routes are re-timed with the solver's timeline and
    the plan is checked again; a technician without the skill, off duty, or whose day would
    no longer work is refused. The moved visit is marked as the dispatcher's (kept on
    re-plan)."""
    require_planner(actor)
    plan = lock_plan(plan)
    if not plan.editable:
        raise Conflict("只有已求解的草稿方案可以调整")
    item = _item(plan, job_id=job_id, work_order=work_order, ticket=ticket)
    if item.started:
        raise Conflict("该工单已开始，不能调整")
    problem = snapshot.problem_from_json(plan.problem)
    if item.job_id not in problem.jobs_by_id:
        raise Conflict("该工单现场缺少坐标，无法安排，请先补充现场坐标")
    if not hasattr(technician, "pk"):
        technician = get_user_model().objects.filter(pk=int(technician)).first()
        if technician is None:
            raise NotFound("工程师不存在", field="technician")
    tech_id = tech_id_of(technician.pk)
    if tech_id not in problem.technicians_by_id:
        raise ValidationFailed("该工程师当日不在班或不在本片区，不能安排", field="technician")
    job = problem.job(item.job_id)
    tech = problem.technician(tech_id)
    if job.required_skill is not None and job.required_skill not in tech.skills:
        equipment = item.ticket.equipment
        name = equipment.model.category.name if equipment is not None else ""
        raise ValidationFailed(
            Said(
                "工程师%(technician)s不具备「%(v3)s」技能，不能安排此工单",
                technician=technician,
                v3=name or job.required_skill,
            ),
            code="no_skill",
            field="technician",
        )
    before = {"technician": item.technician_id, "sequence": item.sequence}
    current = _pure_plan(plan)
    data = snapshot.with_pin(plan.problem, item.job_id, tech_id)
    if item.remote:  # remote work goes with the technician: done from his base
        data = snapshot.as_remote_of(data, item.job_id, tech_id)
    moved, data = _moved(data, current, item, tech_id, position)
    pinned = snapshot.problem_from_json(data)
    changed = {
        r.technician_id
        for r in moved.routes
        if item.job_id in r.job_ids or r != current.route_of(r.technician_id)
    }
    write_items(plan, pinned, data, moved, only=changed, edited={item.job_id})
    plan.problem = data
    routes = dict(plan.routes)
    routes.update({r.technician_id: snapshot.route_to_json(r) for r in moved.routes})
    plan.routes = routes
    plan.metrics = metrics_of(plan, pinned, data, moved, greedy=plan.metrics.get("greedy"))
    plan.save(update_fields=["problem", "routes", "metrics", "updated_at"])
    item.refresh_from_db()
    audit.record(
        plan,
        actor=actor,
        action="update",
        verb="move_item",
        before=before,
        after={"technician": item.technician_id, "sequence": item.sequence},
        payload={"ticket": item.ticket.number, "job_id": item.job_id, "position": position},
    )
    return item


def _moved(
    data: dict[str, Any], current: Any, item: PlanItem, tech_id: str, position: int | None
) -> tuple[Any, dict[str, Any]]:
    """The plan after the move, and the stored model it holds for: a move that only
    leaves no room for a technician's lunch break stands, without that break, with a
    warning; anything else that does not work is refused."""
    for _ in range(3):
        pinned = snapshot.problem_from_json(data)
        try:
            return editing.move(pinned, current, item.job_id, tech_id, position), data
        except editing.LunchConflict as exc:
            who = exc.technician_id
            if not any(t["id"] == who and t["lunch"] for t in data["technicians"]):
                break
            name = technician_names([who]).get(who, "工程师")
            warning = Said(
                "调整%(number)s后%(name)s当天无法安排午休，请与工程师确认",
                number=item.ticket.number,
                name=name,
            )
            data = snapshot.without_lunch(data, who, warning)
        except editing.EditRefused as exc:
            raise ValidationFailed(
                Said("无法调整：%(exc)s", exc=exc), code="infeasible", field="position"
            ) from exc
    raise ValidationFailed("无法调整：调整后无法安排午休", code="infeasible", field="position")


SCHEDULE_SOURCES = ("dispatched", "scheduled")


def _require_valid(plan: DispatchPlan) -> None:
    """A plan that fails the project's checker is never published."""
    problem = snapshot.problem_from_json(plan.problem)
    report = check_plan(problem, _pure_plan(plan))
    if report.feasible:
        return
    names = technician_names(t.id for t in problem.technicians)
    refs = snapshot.refs_from_json(plan.problem)
    numbers = dict(
        Ticket.objects.filter(pk__in={r.ticket_id for r in refs.values()}).values_list(
            "id", "number"
        )
    )
    tickets = {job_id: numbers.get(ref.ticket_id, "") for job_id, ref in refs.items()}
    reasons = "；".join(
        validity.explain(
            f"{v.technician_id}：{v.message}" if v.technician_id else v.message,
            tickets=tickets,
            names=names,
        )
        for v in report.violations[:5]
    )
    raise Conflict(
        Said("方案未通过校验，不能发布：%(reasons)s。请调整或重新规划", reasons=reasons),
        code="plan_invalid",
    )


def published_summary(plan: DispatchPlan) -> str:
    """What publishing ``plan`` changed, in one sentence."""
    counts = plan.metrics.get("published") or {}
    text: str = Said(
        "方案已发布：新派工 %(get)s 单，改派 %(get2)s 单，维持原工程师 %(get3)s 单",
        get=counts.get("dispatched", 0),
        get2=counts.get("reassigned", 0),
        get3=counts.get("unchanged", 0),
    )
    if counts.get("scheduled"):
        text += Said("（其中更新预约时间 %(scheduled)s 单）", scheduled=counts["scheduled"])
    return text


def _plan_window(item: PlanItem, minutes: int) -> tuple[dt.datetime, dt.datetime]:
    """The appointment window published for a visit: from the planned arrival (rounded
    down to a quarter hour) for ``minutes``; a customer's own appointment is kept."""
    if item.window_kind == "appointment":
        return item.window_start, item.window_end
    assert item.planned_arrival is not None
    local = timezone.localtime(item.planned_arrival)
    start = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    return start, start + dt.timedelta(minutes=minutes)


@transaction.atomic
def publish(*, actor: Any, plan: DispatchPlan | int) -> DispatchPlan:
    """Dispatch the plan: a ticket waiting for a technician is dispatched to the planned
    one with the plan's appointment window; a work order planned for another technician is
    re-assigned (改派, reason: the plan); one that stays gets the plan's window
    (预约). One transaction: a stale plan (a work order has moved on meanwhile) publishes
    nothing."""
    from aftersales.service.services import dispatch as service_dispatch

    require_planner(actor)
    plan = lock_plan(plan)
    if not plan.editable:
        raise Conflict("只有已求解的草稿方案可以发布")
    _require_valid(plan)
    config = planner_config()
    done: dict[str, list[str]] = {
        "dispatched": [],
        "reassigned": [],
        "unchanged": [],
        "scheduled": [],
    }
    items = (
        plan.items.filter(technician__isnull=False, started=False)
        .select_related("ticket", "technician")
        .order_by("technician_id", "sequence")
    )
    # the further engineers of a visit that needs several go with the lead's work order
    # (named on it); the lead records them as co-engineers when the visit is done
    crew: dict[str, list[PlanItem]] = {}
    for item in items:
        if "+" in item.job_id:
            crew.setdefault(item.job_id.split("+", 1)[0], []).append(item)
    for item in items:
        assert item.technician_id is not None
        if "+" in item.job_id:
            continue
        start, end = _plan_window(item, config.appointment_window_minutes)
        note: str = Said("智能派工方案#%(pk)s", pk=plan.pk)
        if item.job_id in crew:
            note += "，同行工程师：" + "、".join(str(c.technician) for c in crew[item.job_id])
        try:
            wo = item.work_order
            if wo is None:
                new = service_dispatch.dispatch(
                    actor=actor,
                    ticket=item.ticket,
                    technician_ids=[item.technician_id],
                    remote=item.remote,
                    note=note,
                    window_start=start,
                    window_end=end,
                    confirm_late=True,  # the published plan shows its breaches
                )
                done["dispatched"].append(item.ticket.number)
            else:
                wo = WorkOrder.objects.select_related("ticket").get(pk=wo.pk)
                if wo.state not in ("offered", "accepted"):
                    raise Conflict(
                        Said(
                            "派工单%(number)s当前为「%(get_state_display)s」",
                            number=wo.number,
                            get_state_display=wo.get_state_display(),
                        )
                    )
                new = wo
                if wo.technician_id != item.technician_id:
                    new = service_dispatch.reassign(
                        actor=actor,
                        work_order=wo,
                        technician_ids=[item.technician_id],
                        reason=Said("%(note)s调整", note=note),
                    )
                    done["reassigned"].append(item.ticket.number)
                else:
                    done["unchanged"].append(item.ticket.number)
                if item.window_kind != "appointment" and (new.window_start, new.window_end) != (
                    start,
                    end,
                ):
                    new.ticket.refresh_from_db(fields=["state"])
                    if new.ticket.state in SCHEDULE_SOURCES:
                        # the plan the dispatcher applies shows its breaches: confirmed
                        new = service_dispatch.schedule(
                            actor=actor, work_order=new, start=start, end=end, confirm_late=True
                        )
                        done["scheduled"].append(item.ticket.number)
        except PermissionDenied:
            raise
        except DomainError as exc:
            raise Conflict(
                Said(
                    "%(number)s：%(message)s。方案已过期，请重新规划",
                    number=item.ticket.number,
                    message=exc.message,
                ),
                code="plan_stale",
            ) from exc
        if item.work_order_id != new.pk:
            item.work_order = new
            item.save(update_fields=["work_order"])
        for member in crew.get(item.job_id, []):
            assert member.planned_start is not None
            crew_member_planned(new, member.technician, member.planned_start)
        if new.planned_sequence != item.sequence:
            # the technician's "my jobs" list follows the planned order of the day
            WorkOrder.objects.filter(pk=new.pk).update(planned_sequence=item.sequence)
    DispatchPlan.objects.filter(
        day=plan.day, region=plan.region, state=PlanState.PUBLISHED
    ).exclude(pk=plan.pk).update(state=PlanState.SUPERSEDED, updated_at=timezone.now())
    plan.state = PlanState.PUBLISHED
    plan.published_at = timezone.now()
    plan.published_by = actor
    plan.metrics = {**plan.metrics, "published": {k: len(v) for k, v in done.items()}}
    plan.save(update_fields=["state", "published_at", "published_by", "metrics", "updated_at"])
    audit.record(
        plan,
        actor=actor,
        action="transition",
        verb="publish",
        from_state=PlanState.DRAFT,
        to_state=PlanState.PUBLISHED,
        payload=done,
    )
    return plan
