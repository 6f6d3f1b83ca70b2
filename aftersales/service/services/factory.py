"""返厂维修 (SPEC §3.3: a repair that needs the factory is back within 5–10 working days).

A coordinator (or a team leader, manager, administrator) sends a ticket's unit or part to
the factory: the ticket moves to 「返厂维修中」, a pause state, so its SLA clocks stand still
(the pause that waiting for parts uses, reason 「返厂维修」). The trip is recorded step by step
— sent → arrived at the factory → repaired and shipped back → received back — each step
one function here, checking the step's order and the actor's authority and writing the
audit row from → to in the same transaction. Receiving the unit back resumes the ticket
(「处理中」) and its clocks.

Two deadlines on the deadline engine, both rules an administrator edits
(``approvals.DeadlineRule``): the factory repairs within ``service.factory_repair``
(default 5 working days) of receiving the unit, and the whole round trip takes at most
``service.factory_round_trip`` (default 10 working days) from dispatch. A late step is
escalated once by ``deadlines.process_due``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.approvals import workflow
from aftersales.approvals.services import deadlines
from aftersales.core import audit
from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said
from aftersales.service.models import FactoryRepair, FactoryRepairState, Ticket
from aftersales.service.services.base import (
    lock_ticket,
    move,
    require_transition,
    require_visible,
)
from aftersales.service.transitions import FACTORY_ROLES, TRANSITIONS

S = FactoryRepairState
REPAIR_RULE = "service.factory_repair"
ROUND_TRIP_RULE = "service.factory_round_trip"
# deadline steps of a trip
REPAIR_STEP = "factory_repair"
ROUND_TRIP_STEP = "round_trip"

STEPS = workflow.table(
    workflow.t("arrive", "工厂已收到", [S.SENT], S.AT_FACTORY, FACTORY_ROLES),
    workflow.t("ship_back", "工厂修复发回", [S.AT_FACTORY], S.SHIPPED_BACK, FACTORY_ROLES),
    workflow.t("receive", "确认收回", [S.SHIPPED_BACK], S.RECEIVED, FACTORY_ROLES),
)
# every step of a trip in order, with the verb its audit row carries (the first is ``send``)
STEP_LABELS: dict[str, str] = {
    "send": "寄往工厂",
    **{action: tr.label for action, tr in STEPS.items()},
}


def _text(value: str, field: str, label: str, *, required: bool = True) -> str:
    limit = getattr(FactoryRepair._meta.get_field(field), "max_length", None) or 0
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(Said("请填写%(label)s", label=label), field=field)
    if len(text) > limit:
        raise ValidationFailed(
            Said("%(label)s不能超过%(limit)s个字符", label=label, limit=limit),
            code="too_long",
            field=field,
        )
    return text


def _owner(ticket: Ticket, actor: Any) -> Any:
    """Whom the deadlines name: the ticket's coordinator, else the person who sent it."""
    if ticket.coordinator_id:
        return ticket.coordinator
    return actor if getattr(actor, "org_kind", "") == "company" else None


def _lock(repair: FactoryRepair | int) -> FactoryRepair:
    pk = repair.pk if isinstance(repair, FactoryRepair) else repair
    locked: FactoryRepair = workflow.lock(FactoryRepair, pk)
    return locked


@transaction.atomic
def send(
    *,
    actor: Any,
    ticket: Ticket | int,
    reason: str,
    items: str,
    waybill: str,
    now: dt.datetime | None = None,
) -> FactoryRepair:
    """Send the unit or part to the factory: the ticket waits, its clocks paused; the round
    trip's deadline starts."""
    t = lock_ticket(ticket)
    if actor is not None:
        require_visible(t, actor)
    workflow.require_role(actor, FACTORY_ROLES, TRANSITIONS["send_to_factory"].label)
    values = {
        "reason": _text(reason, "reason", "返厂原因"),
        "items": _text(items, "items", "寄送物品"),
        "waybill": _text(waybill, "waybill", "承运/运单号"),
    }
    require_transition(t, "send_to_factory")
    now = now or timezone.now()
    # the why and the what stay on the trip (staff only); the ticket's own row and its pause
    # (「返厂维修」) say only where it is
    move(t, "send_to_factory", actor=actor, now=now)
    repair = FactoryRepair.objects.create(ticket=t, sent_at=now, state=S.SENT, **values)
    audit.record(
        repair,
        actor=actor,
        action="transition",
        verb="send",
        from_state="",
        to_state=S.SENT,
        reason=values["reason"],
        payload={"items": values["items"], "waybill": values["waybill"]},
        at=now,
    )
    deadlines.start(
        repair,
        step=ROUND_TRIP_STEP,
        rule_code=ROUND_TRIP_RULE,
        starts_at=now,
        owner=_owner(t, actor),
        owner_roles=("coordinator",),
    )
    return repair


@transaction.atomic
def arrive(
    *, actor: Any, repair: FactoryRepair | int, now: dt.datetime | None = None
) -> FactoryRepair:
    """The factory has the unit: its repair deadline starts."""
    r = _lock(repair)
    now = now or timezone.now()
    workflow.move(r, STEPS, "arrive", actor=actor, now=now, fields={"arrived_at": now})
    deadlines.start(
        r,
        step=REPAIR_STEP,
        rule_code=REPAIR_RULE,
        starts_at=now,
        owner=_owner(r.ticket, actor),
        owner_roles=("coordinator",),
    )
    return r


@transaction.atomic
def ship_back(
    *,
    actor: Any,
    repair: FactoryRepair | int,
    note: str,
    waybill: str,
    now: dt.datetime | None = None,
) -> FactoryRepair:
    """The factory repaired the unit and shipped it back: its repair deadline is done."""
    r = _lock(repair)
    workflow.require_visible(r, actor)
    workflow.require_role(actor, FACTORY_ROLES, STEPS["ship_back"].label)
    fields: dict[str, Any] = {
        "repair_note": _text(note, "repair_note", "工厂维修说明"),
        "return_waybill": _text(waybill, "return_waybill", "发回承运/运单号"),
    }
    now = now or timezone.now()
    fields["shipped_back_at"] = now
    workflow.move(
        r,
        STEPS,
        "ship_back",
        actor=actor,
        now=now,
        reason=fields["repair_note"],
        payload={"waybill": fields["return_waybill"]},
        fields=fields,
    )
    deadlines.complete(r, step=REPAIR_STEP, at=now)
    return r


@transaction.atomic
def receive(
    *, actor: Any, repair: FactoryRepair | int, note: str = "", now: dt.datetime | None = None
) -> FactoryRepair:
    """The unit is back: the round trip is done and the ticket resumes (「处理中」), its
    clocks running again."""
    pk = repair.pk if isinstance(repair, FactoryRepair) else repair
    ticket_id = FactoryRepair.objects.filter(pk=pk).values_list("ticket_id", flat=True).first()
    t = lock_ticket(ticket_id) if ticket_id else None  # the ticket first, as send() locks
    r = _lock(pk)
    text = _text(note, "repair_note", "收回说明", required=False)
    now = now or timezone.now()
    workflow.move(
        r, STEPS, "receive", actor=actor, now=now, reason=text, fields={"received_at": now}
    )
    deadlines.complete(r, step=ROUND_TRIP_STEP, at=now)
    assert t is not None
    move(t, "factory_returned", actor=actor, payload={"repair": r.pk}, now=now)
    return r
