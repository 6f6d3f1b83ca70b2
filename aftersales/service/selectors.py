"""Reads of the service domain, all starting from the user's visible rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.visibility import get_visible, visible
from aftersales.service.models import Callback, SlaClock, Ticket, WorkOrder
from aftersales.service.models.ticket import OPEN_STATE_LIST

# an open ticket on the equipment the user may not open: only the fact is told (issue 8 #4)
HIDDEN_DUPLICATE_CODE = "duplicate_ticket_hidden"
HIDDEN_DUPLICATE_MESSAGE = "该设备已有未关闭的报修单，请联系售后主办了解"
DUPLICATES_SHOWN = 5


@dataclass
class QueueFilters:
    state: str | None = None  # a state, or "open" (default) / "all"
    severity: str | None = None
    mine: bool = False
    overdue: bool = False
    customer_id: int | None = None
    q: str | None = None


def ticket_queue(user: Any, f: QueueFilters) -> QuerySet[Ticket]:
    """The agent workspace queue: newest first, with the running clocks prefetched."""
    qs = visible(Ticket, user).filter(archived_at__isnull=True)
    if f.state in (None, "", "open"):
        qs = qs.filter(state__in=OPEN_STATE_LIST)
    elif f.state != "all":
        qs = qs.filter(state=f.state)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.mine:
        qs = qs.filter(Q(owner=user) | Q(coordinator=user))
    if f.customer_id:
        qs = qs.filter(customer_id=f.customer_id)
    if f.overdue:
        now = timezone.now()
        qs = qs.filter(
            clocks__met_at__isnull=True,
            clocks__due_at__lt=now,
            clocks__status__in=["running", "breached"],
        ).distinct()
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(customer__name__icontains=term)
            | Q(contact_phone__icontains=term)
            | Q(equipment__serial_no__icontains=term)
        )
    return (
        qs.select_related("customer", "site", "equipment__model", "owner")
        .prefetch_related(Prefetch("clocks", queryset=SlaClock.objects.order_by("due_at")))
        .order_by("-received_at", "-id")
    )


@dataclass(frozen=True)
class DuplicateCheck:
    """The open tickets of one piece of equipment as one user may know them."""

    tickets: list[Ticket]  # those he may open, newest first
    hidden: bool  # open tickets he may not open exist: he learns nothing else about them

    @property
    def exists(self) -> bool:
        return bool(self.tickets) or self.hidden

    def notice(self) -> dict[str, str] | None:
        if not self.hidden:
            return None
        return {"code": HIDDEN_DUPLICATE_CODE, "message": HIDDEN_DUPLICATE_MESSAGE}


def open_tickets_on(equipment_id: int) -> QuerySet[Ticket]:
    """Every open ticket of the equipment, whoever may see it (the duplicate guard itself)."""
    return Ticket.objects.filter(equipment_id=equipment_id, state__in=OPEN_STATE_LIST)


def duplicate_check(user: Any, equipment_id: int | None) -> DuplicateCheck:
    """The duplicate check through the user's visibility: a technician or a dealer is told
    only that another open ticket exists, never its number, contact or description."""
    if equipment_id is None:
        return DuplicateCheck([], hidden=False)
    return duplicate_check_of(user, open_tickets_on(equipment_id))


def duplicate_check_of(user: Any, open_ones: QuerySet[Ticket] | list[Ticket]) -> DuplicateCheck:
    """``open_ones`` (a query, or the guard's list of same-fault tickets) as ``user`` may
    know them."""
    if not isinstance(open_ones, QuerySet):
        open_ones = Ticket.objects.filter(pk__in=[t.pk for t in open_ones])
    seen = visible(open_ones, user)
    tickets = list(
        seen.select_related("customer")
        .prefetch_related("clocks")
        .order_by("-received_at", "-id")[:DUPLICATES_SHOWN]
    )
    hidden = open_ones.exclude(pk__in=seen.values("pk")).exists()
    return DuplicateCheck(tickets, hidden=hidden)


def next_due(ticket: Ticket, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The open clock closest to its due time, with minutes left and a colour class."""
    now = now or timezone.now()
    clocks = getattr(ticket, "_clocks_list", None)
    if clocks is None:
        clocks = ticket.clocks.all()
    open_clocks = [c for c in clocks if c.met_at is None and c.status != "cancelled"]
    if not open_clocks or ticket.state in ("resolved", "closed", "cancelled"):
        return None
    c = min(open_clocks, key=lambda c: c.due_at)
    left = int((c.due_at - now).total_seconds() // 60)
    share = 1 - left / c.target_minutes if c.target_minutes else 1
    colour = "sla-bad" if left < 0 else "sla-warn" if share >= 0.75 else "sla-ok"
    return {
        "metric": c.get_metric_display(),
        "due_at": c.due_at,
        "minutes_left": left,
        "colour": colour,
        "paused": ticket.state in ("waiting_customer", "waiting_parts"),
    }


def ticket_detail(user: Any, pk: int) -> Ticket:
    return get_visible(
        Ticket.objects.prefetch_related(
            "clocks", "work_orders", Prefetch("warranty_records", to_attr="prefetched_warranty")
        ).select_related(
            "customer",
            "site",
            "equipment__model__category",
            "owner",
            "coordinator",
            "sla_policy",
            "contract",
        ),
        user,
        pk=pk,
    )


def timeline(ticket: Ticket) -> list[Any]:
    """The ticket's events and those of its work orders, reports, quotes and callbacks."""
    from django.contrib.contenttypes.models import ContentType

    from aftersales.core.models import AuditEvent
    from aftersales.service.models import Quote, ServiceReport

    parts: list[tuple[Any, list[int]]] = [(Ticket, [ticket.pk])]
    parts.append((WorkOrder, list(ticket.work_orders.values_list("pk", flat=True))))
    parts.append((ServiceReport, list(ticket.reports.values_list("pk", flat=True))))
    parts.append((Quote, list(ticket.quotes.values_list("pk", flat=True))))
    parts.append((Callback, list(ticket.callbacks.values_list("pk", flat=True))))
    q = Q()
    for model, ids in parts:
        if ids:
            q |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[str(i) for i in ids],
            )
    return list(AuditEvent.objects.filter(q).select_related("actor").order_by("at", "id"))


def history_for_equipment(user: Any, equipment_id: int) -> QuerySet[Ticket]:
    return (
        visible(Ticket, user)
        .filter(equipment_id=equipment_id)
        .prefetch_related("reports__parts__part", "work_orders__technician")
        .order_by("-received_at")
    )


def callbacks_due(user: Any) -> QuerySet[Callback]:
    return (
        visible(Callback, user)
        .filter(state=Callback.State.DUE, archived_at__isnull=True)
        .select_related("customer", "ticket")
        .order_by("due_date", "id")
    )


def audit_history(obj: Any) -> Any:
    return audit.history(obj)
