"""REST API of 智能派工: create a plan (solve a day), read it, move a visit, publish,
re-plan. Thin endpoints over ``services`` and ``selectors``; planners only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from aftersales.core.errors import ValidationFailed
from aftersales.core.models import Region
from aftersales.core.schemas import In
from aftersales.dispatch import selectors, services
from aftersales.dispatch.models import DispatchPlan

router = Router(tags=["智能派工"])


class PlanIn(In):
    day: dt.date
    region_id: int | None = None
    time_budget_seconds: float | None = Field(None, gt=0, le=600)
    background: bool | None = Field(None, description="不填：工单多时自动转后台求解")


class ReplanIn(In):
    now: dt.datetime | None = Field(None, description="不填为当前时刻")
    time_budget_seconds: float | None = Field(None, gt=0, le=600)


class MoveIn(In):
    technician_id: int
    job_id: str | None = None
    work_order_id: int | None = None
    ticket_id: int | None = None
    position: int | None = Field(None, ge=0, description="从 0 起的顺序；不填则放在代价最小处")


class ItemOut(Schema):
    job_id: str
    ticket_id: int
    ticket_number: str = Field(..., alias="ticket.number")
    work_order_id: int | None
    technician_id: int | None
    sequence: int
    planned_arrival: dt.datetime | None
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None
    window_start: dt.datetime
    window_end: dt.datetime
    window_kind: str
    must_do: bool
    late_minutes: int
    fixed: bool
    started: bool
    edited_by_dispatcher: bool
    unassigned_reason: str
    unassigned_label: str
    unassigned_detail: str


class PlanOut(Schema):
    id: int
    day: dt.date
    region_id: int | None
    state: str
    state_label: str
    as_of: dt.datetime
    solved_at: dt.datetime | None
    time_budget_seconds: float
    replan_of_id: int | None
    published_at: dt.datetime | None
    error: str
    metrics: dict[str, Any]
    routes: dict[str, Any]
    items: list[ItemOut]


def _out(plan: DispatchPlan) -> dict[str, Any]:
    from aftersales.dispatch.storing import reason_label

    items = []
    for item in selectors.items_of(plan):
        item.unassigned_label = (  # type: ignore[attr-defined]
            reason_label(item.unassigned_reason) if item.unassigned_reason else ""
        )
        items.append(item)
    return {
        "id": plan.pk,
        "day": plan.day,
        "region_id": plan.region_id,
        "state": plan.state,
        "state_label": plan.get_state_display(),
        "as_of": plan.as_of,
        "solved_at": plan.solved_at,
        "time_budget_seconds": float(plan.time_budget_seconds),
        "replan_of_id": plan.replan_of_id,
        "published_at": plan.published_at,
        "error": plan.error,
        "metrics": plan.metrics,
        "routes": plan.routes,
        "items": items,
    }


def _region(pk: int | None) -> Region | None:
    if pk is None:
        return None
    region = Region.objects.active().filter(pk=pk).first()
    if region is None:
        raise ValidationFailed("片区不存在", field="region_id")
    return region


@router.post("/dispatch/plans", response={201: PlanOut}, summary="生成派工方案（求解某日）")
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    plan = services.plan_day(
        actor=request.user,
        day=payload.day,
        region=_region(payload.region_id),
        time_budget_seconds=payload.time_budget_seconds,
        background=payload.background,
    )
    return Status(201, _out(plan))


@router.get("/dispatch/plans/{int:pk}", response=PlanOut, summary="派工方案详情")
def get_plan(request: HttpRequest, pk: int) -> Any:
    return _out(selectors.plan_for(request.user, pk))


@router.post(
    "/dispatch/plans/{int:pk}/moves", response=PlanOut, summary="调整工单（改工程师或顺序）"
)
def move_item(request: HttpRequest, pk: int, payload: MoveIn) -> Any:
    plan = selectors.plan_for(request.user, pk)
    services.move_item(
        actor=request.user,
        plan=plan,
        technician=payload.technician_id,
        position=payload.position,
        job_id=payload.job_id,
        work_order=payload.work_order_id,
        ticket=payload.ticket_id,
    )
    plan.refresh_from_db()
    return _out(plan)


@router.post("/dispatch/plans/{int:pk}/publish", response=PlanOut, summary="发布方案（派工）")
def publish(request: HttpRequest, pk: int) -> Any:
    plan = services.publish(actor=request.user, plan=selectors.plan_for(request.user, pk))
    return _out(plan)


@router.post("/dispatch/plans/{int:pk}/replan", response={201: PlanOut}, summary="重新规划当日剩余")
def replan(request: HttpRequest, pk: int, payload: ReplanIn) -> Any:
    plan = services.replan(
        actor=request.user,
        plan=selectors.plan_for(request.user, pk),
        now=payload.now,
        time_budget_seconds=payload.time_budget_seconds,
    )
    return Status(201, _out(plan))
