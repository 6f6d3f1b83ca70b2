"""Targets that a person sets in motion on an open ticket (SPEC §3.3): the solution plan a
major incident owes within its time (default 2 h), and a normal fault that the coordinator
judges complex, whose resolution time becomes the policy's working days (default 3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.approvals.workflow import require_role
from aftersales.bizcalendar.rules import working_day_minutes
from aftersales.core import audit
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.core.said import Said
from aftersales.service.models import SlaClock, Ticket
from aftersales.service.models.ticket import OPEN_STATES
from aftersales.service.services import clocks
from aftersales.service.services.base import lock_ticket, require_visible
from aftersales.sla import rules as sla_rules
from aftersales.sla.models import Metric, Severity, SlaPolicy

PLAN_ROLES = ("coordinator", "team_leader", "manager", "admin")
COMPLEX_ROLES = ("coordinator", "manager", "admin")


def _open_ticket(actor: Any, ticket: Ticket | int) -> Ticket:
    locked = lock_ticket(ticket)
    if actor is not None:
        require_visible(locked, actor)
    if locked.state not in OPEN_STATES:
        raise Conflict("报修单已结束，不能再修改", code="ticket_closed")
    return locked


def _text(value: str, field: str, label: str) -> str:
    limit = getattr(Ticket._meta.get_field(field), "max_length", None) or 0
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(Said("请填写%(label)s", label=label), field=field)
    if len(text) > limit:
        raise ValidationFailed(
            Said("%(label)s不能超过%(limit)s个字符", label=label, limit=limit), field=field
        )
    return text


@transaction.atomic
def record_solution_plan(
    *, actor: Any, ticket: Ticket | int, plan: str, now: dt.datetime | None = None
) -> Ticket:
    """Record (or revise) the solution plan; the first one meets the plan clock."""
    require_role(actor, PLAN_ROLES, "提出解决方案")
    t = _open_ticket(actor, ticket)
    text = _text(plan, "solution_plan", "解决方案")
    before = {"solution_plan": t.solution_plan, "solution_plan_at": t.solution_plan_at}
    now = now or timezone.now()
    t.solution_plan = text
    if t.solution_plan_at is None:
        t.solution_plan_at = now
    t.save(update_fields=["solution_plan", "solution_plan_at", "updated_at"])
    clock = t.clocks.filter(metric=Metric.PLAN, met_at__isnull=True).first()
    if clock is not None and t.sla_policy_id is not None:
        clock.met_at = now
        clocks.refresh(clock, t, now)
    audit.record(
        t,
        actor=actor,
        action="action",
        verb="solution_plan",
        before=before,
        after={"solution_plan": t.solution_plan, "solution_plan_at": t.solution_plan_at},
    )
    return t


def complex_minutes(policy: SlaPolicy) -> int:
    """The resolution target of a complex fault: the policy's working days, in working
    minutes of the policy's calendar."""
    return sla_rules.days_to_minutes(
        Decimal(policy.complex_resolution_days),
        working_time=True,
        working_day_minutes=working_day_minutes(clocks.calendar_for(policy, True)),
    )


@transaction.atomic
def mark_complex(
    *, actor: Any, ticket: Ticket | int, reason: str, now: dt.datetime | None = None
) -> Ticket:
    """The coordinator judges a normal fault complex: its resolution clock becomes the
    policy's working days (counted in working time) from registration."""
    require_role(actor, COMPLEX_ROLES, "认定复杂故障")
    t = _open_ticket(actor, ticket)
    text = _text(reason, "complex_reason", "复杂故障说明")
    if t.severity != Severity.NORMAL:
        raise Conflict("只有一般故障可以认定为复杂故障", code="not_normal")
    if t.complex_at is not None:
        raise Conflict("该报修单已认定为复杂故障", code="already_complex")
    policy = t.sla_policy
    if policy is None:
        raise Conflict("报修单没有SLA政策，不能调整解决时限", code="no_policy")
    now = now or timezone.now()
    t.complex_reason, t.complex_at = text, now
    t.save(update_fields=["complex_reason", "complex_at", "updated_at"])
    clock = t.clocks.filter(metric=Metric.RESOLUTION).first()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {"complex_reason": text}
    if clock is not None and clock.status != SlaClock.Status.CANCELLED:
        before = {"target_minutes": clock.target_minutes, "due_at": clock.due_at}
        clock.target_minutes = complex_minutes(policy)
        clock.working_time = True
        state = clocks.evaluate(clock, t, now)
        if not state.breached:  # a new, later target: its warning and breach are still ahead
            clock.warned_at = clock.breach_notified_at = clock.manager_notified_at = None
        clocks.refresh(clock, t, now)
        after |= {"target_minutes": clock.target_minutes, "due_at": clock.due_at}
    audit.record(t, actor=actor, action="action", verb="mark_complex", before=before, after=after)
    return t
