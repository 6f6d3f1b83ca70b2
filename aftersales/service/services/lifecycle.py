"""The ticket's own transitions: acknowledge, wait / resume, resolve (on site or remotely),
cancel, reopen and close after the callback."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.core.said import Said
from aftersales.service import notices
from aftersales.service.models import (
    Callback,
    ServiceReport,
    Ticket,
    TicketState,
    TicketType,
    WorkOrder,
    WorkOrderState,
)
from aftersales.service.services import callbacks
from aftersales.service.services.base import (
    lock_ticket,
    move,
    move_work_order,
    require_transition,
)
from aftersales.service.transitions import TRANSITIONS


@transaction.atomic
def acknowledge(*, actor: Any, ticket: Ticket, note: str = "") -> Ticket:
    """First response (首次响应): the request is confirmed with the customer."""
    ticket = lock_ticket(ticket)
    fields = {}
    if ticket.owner_id is None and getattr(actor, "org_kind", "") == "company":
        fields["owner"] = actor
    return move(ticket, "acknowledge", actor=actor, reason=note, fields=fields)


@transaction.atomic
def wait(*, actor: Any, ticket: Ticket, for_: str, reason: str) -> Ticket:
    """Waiting for the customer or for parts: the SLA clocks pause (reason recorded)."""
    ticket = lock_ticket(ticket)
    if not reason.strip():
        raise ValidationFailed("请填写等待原因", field="reason")
    action = {"customer": "wait_customer", "parts": "wait_parts"}.get(for_)
    if action is None:
        raise ValidationFailed("等待类型无效", field="for")
    move(ticket, action, actor=actor, reason=reason)
    ticket.pauses.filter(ended_at__isnull=True).update(note=reason[:200])
    return ticket


@transaction.atomic
def resume(*, actor: Any, ticket: Ticket) -> Ticket:
    ticket = lock_ticket(ticket)
    return move(ticket, "resume", actor=actor)


def _last_visit(ticket: Ticket) -> WorkOrder | None:
    return (
        ticket.work_orders.exclude(
            state__in=[WorkOrderState.REASSIGNED, WorkOrderState.CANCELLED, WorkOrderState.DECLINED]
        )
        .order_by("-dispatched_at")
        .first()
    )


@transaction.atomic
def resolve(*, actor: Any, ticket: Ticket) -> Ticket:
    """Finished: needs the filed, complete service report of the visit."""
    ticket = lock_ticket(ticket)
    require_transition(ticket, "resolve")
    wo = _last_visit(ticket)
    report = ServiceReport.objects.filter(work_order=wo).first() if wo else None
    if report is None:
        raise Conflict("请先填写服务报告", code="report_missing")
    missing = report.missing_fields()
    if missing:
        raise Conflict(
            Said("服务报告不完整，缺少：%(join)s", join="、".join(missing)),
            code="report_incomplete",
            details=missing,
        )
    if report.filed_at is None:
        raise Conflict("服务报告尚未提交", code="report_not_filed")
    now = timezone.now()
    move(ticket, "resolve", actor=actor, fields={"resolved_at": now, "remote": report.remote})
    if wo is not None and wo.state in (WorkOrderState.ON_SITE, WorkOrderState.LEFT):
        move_work_order(
            wo,
            WorkOrderState.DONE,
            actor=actor,
            verb="done_with_ticket",
            payload={"ticket": ticket.number},
            fields={"check_out_at": wo.check_out_at or now},
        )
    callbacks.create_for_ticket(ticket)
    notices.completed(ticket)
    return ticket


def inspection_blocker(ticket: Ticket, *, by_phone: bool = False) -> str:
    """Why a completed inspection cannot finish its ticket now ("" when it can): a site
    inspection's ticket is finished once its technician is on site, a phone one's while it
    waits for a technician (it is done remotely, like 远程解决)."""
    if ticket.type != TicketType.INSPECTION:
        return "不是巡检排查工单"
    if ticket.state in TRANSITIONS["resolve"].sources:
        return ""
    if by_phone and ticket.state in TRANSITIONS["resolve_remotely"].sources:
        return ""
    if ticket.state in (TicketState.DISPATCHED, TicketState.SCHEDULED):
        return "工程师尚未到场签到，不能完成巡检"
    return Said("工单当前状态为「%(label)s」，不能完成巡检", label=TicketState(ticket.state).label)


@transaction.atomic
def resolve_inspection(
    *, actor: Any, ticket: Ticket, summary: str, by_phone: bool = False
) -> Ticket:
    """A planned inspection's ticket (巡检排查) finished by the completed inspection: its
    checklist results and the customer's signed inspection report stand for the service
    report. On site: 完工 (the visit's work order done); by phone: 远程解决. The callback
    and the customer's notice follow as for any resolved ticket."""
    ticket = lock_ticket(ticket)
    blocked = inspection_blocker(ticket, by_phone=by_phone)
    if blocked:
        raise Conflict(blocked, code="inspection_not_resolvable")
    now = timezone.now()
    if ticket.state in TRANSITIONS["resolve"].sources:
        move(
            ticket,
            "resolve",
            actor=actor,
            reason=summary,
            payload={"by": "inspection"},
            fields={"resolved_at": now, "remote": False},
        )
        wo = _last_visit(ticket)
        if wo is not None and wo.state in (WorkOrderState.ON_SITE, WorkOrderState.LEFT):
            move_work_order(
                wo,
                WorkOrderState.DONE,
                actor=actor,
                verb="done_with_ticket",
                payload={"ticket": ticket.number},
                fields={"check_out_at": wo.check_out_at or now},
            )
    else:
        move(
            ticket,
            "resolve_remotely",
            actor=actor,
            reason=summary,
            payload={"by": "inspection"},
            fields={"resolved_at": now, "remote": True},
        )
    callbacks.create_for_ticket(ticket)
    notices.completed(ticket)
    return ticket


@transaction.atomic
def resolve_remotely(*, actor: Any, ticket: Ticket, solution: str) -> Ticket:
    """Remote service first: resolved by phone / remote desktop / video without dispatch."""
    ticket = lock_ticket(ticket)
    if len(solution.strip()) < 4:
        raise ValidationFailed("请填写远程解决的处理措施", field="solution")
    move(
        ticket,
        "resolve_remotely",
        actor=actor,
        reason=solution,
        fields={"resolved_at": timezone.now(), "remote": True},
    )
    callbacks.create_for_ticket(ticket)
    notices.completed(ticket)
    return ticket


@transaction.atomic
def cancel(*, actor: Any, ticket: Ticket, reason: str) -> Ticket:
    ticket = lock_ticket(ticket)
    if not reason.strip():
        raise ValidationFailed("取消必须填写原因", field="reason")
    move(ticket, "cancel", actor=actor, reason=reason, fields={"cancel_reason": reason[:200]})
    open_orders = list(
        ticket.work_orders.select_for_update().filter(
            state__in=[WorkOrderState.OFFERED, WorkOrderState.ACCEPTED]
        )
    )
    for wo in open_orders:
        move_work_order(
            wo, WorkOrderState.CANCELLED, actor=actor, verb="cancelled_with_ticket", reason=reason
        )
    return ticket


def _coordinator_for(ticket: Ticket) -> Any:
    if ticket.coordinator_id:
        return ticket.coordinator
    return (
        get_user_model()
        .objects.filter(groups__name="售后主办", is_active=True)
        .order_by("id")
        .first()
    )


@transaction.atomic
def reopen(*, actor: Any, ticket: Ticket, cause: str) -> Ticket:
    """Dissatisfied: the ticket re-opens under the coordinator, who follows it to the end."""
    ticket = lock_ticket(ticket)
    if not cause.strip():
        raise ValidationFailed("重开必须记录原因", field="cause")
    coordinator = _coordinator_for(ticket)
    move(
        ticket,
        "reopen",
        actor=actor,
        reason=cause,
        fields={
            "coordinator": coordinator,
            "reopen_count": ticket.reopen_count + 1,
            "resolved_at": None,
            "closed_at": None,
        },
    )
    notices.reopened(ticket, cause)
    return ticket


@transaction.atomic
def close(*, actor: Any, ticket: Ticket) -> Ticket:
    """Closed after a satisfied callback, or after a callback that ended unreachable (客户
    联系不上, every allowed attempt made — the close says so)."""
    ticket = lock_ticket(ticket)
    require_transition(ticket, "close")
    ended = (Callback.State.DONE, Callback.State.UNREACHABLE)
    last = ticket.callbacks.filter(state__in=ended).order_by("-done_at").first()
    unreachable = last is not None and last.state == Callback.State.UNREACHABLE
    if last is None or not (last.satisfied or unreachable):
        raise Conflict("回访完成且客户满意（或多次联系不上）后才能关闭", code="callback_required")
    return move(
        ticket,
        "close",
        actor=actor,
        fields={"closed_at": timezone.now()},
        reason=Said("回访联系不上（%(attempts)s次）", attempts=last.attempts)
        if unreachable
        else "",
    )
