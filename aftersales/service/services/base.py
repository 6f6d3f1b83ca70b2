"""The one transition path: lock, check the table and the actor, move, write the event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import InvalidTransition, NotFound, PermissionDenied
from aftersales.core.said import Said
from aftersales.core.visibility import visibility_q
from aftersales.service.models import Ticket, TicketState, WorkOrder
from aftersales.service.transitions import TRANSITIONS, Transition


def lock_ticket(ticket: Ticket | int) -> Ticket:
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    try:
        return Ticket.objects.select_for_update().get(pk=pk)
    except Ticket.DoesNotExist as exc:
        raise NotFound("报修单不存在") from exc


def require_visible(ticket: Ticket, actor: Any) -> None:
    q = visibility_q(Ticket, actor)
    if q is not None and not Ticket.objects.filter(q, pk=ticket.pk).exists():
        raise NotFound("报修单不存在或无权查看")


def check_actor(transition: Transition, actor: Any, ticket: Ticket) -> None:
    if actor is None:  # the system itself (jobs)
        return
    if getattr(actor, "is_superuser", False):
        return
    roles = actor.role_codes
    kind = getattr(actor, "org_kind", "company")
    if kind == "customer":
        roles = roles | {"customer"}
    if kind == "dealer":
        roles = roles | {"dealer"}
    if not roles & transition.roles:
        raise PermissionDenied(Said("您的角色不能执行「%(label)s」", label=transition.label))
    if (
        roles & transition.roles == {"technician"}
        and not ticket.work_orders.filter(technician=actor).exists()
    ):
        raise PermissionDenied("只能处理派给自己的工单")


def require_transition(ticket: Ticket, action: str) -> None:
    """Refuse early when the table does not allow ``action`` from the ticket's state."""
    transition = TRANSITIONS[action]
    if ticket.state not in transition.sources:
        current = TicketState(ticket.state).label
        raise InvalidTransition(
            Said(
                "报修单当前状态为「%(current)s」，不能执行「%(label)s」",
                current=current,
                label=transition.label,
            )
        )


def move(
    ticket: Ticket,
    action: str,
    *,
    actor: Any,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Apply one transition to a locked ticket (call inside ``transaction.atomic``);
    ``now`` is the instant of the change (default: the clock's)."""
    assert transaction.get_connection().in_atomic_block, "move() needs a transaction"
    transition = TRANSITIONS[action]
    if actor is not None:
        require_visible(ticket, actor)
    require_transition(ticket, action)
    check_actor(transition, actor, ticket)
    before = ticket.state
    ticket.state = transition.target
    changed = ["state", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(ticket, name, value)
        changed.append(name)
    ticket.save(update_fields=changed)
    audit.record(
        ticket,
        actor=actor,
        action="transition",
        verb=action,
        from_state=before,
        to_state=ticket.state,
        reason=reason,
        payload=payload or {},
        at=now or timezone.now(),
    )
    from aftersales.service.services import clocks

    clocks.on_state_change(ticket, before, ticket.state, now=now)
    return ticket


def move_work_order(
    wo: WorkOrder,
    target: str,
    *,
    actor: Any,
    verb: str,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
) -> WorkOrder:
    """Set a locked work order's state and write its audit row (from → to) in one place."""
    before = wo.state
    wo.state = target
    changed = ["state", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(wo, name, value)
        changed.append(name)
    wo.save(update_fields=changed)
    audit.record(
        wo,
        actor=actor,
        action="transition",
        verb=verb,
        from_state=before,
        to_state=target,
        reason=reason,
        payload=payload or {},
    )
    return wo
