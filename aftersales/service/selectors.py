"""Reads of the service domain, all starting from the user's visible rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.visibility import get_visible, visible
from aftersales.service.models import Callback, SlaClock, Ticket, WorkOrder
from aftersales.service.models.ticket import OPEN_STATE_LIST, PAUSE_STATES
from aftersales.service.models.work import LIVE_WO_STATES

# an open ticket on the equipment the user may not open: only the fact is told (issue 8 #4)
HIDDEN_DUPLICATE_CODE = "duplicate_ticket_hidden"
HIDDEN_DUPLICATE_MESSAGE = "该设备已有未关闭的报修单，请联系售后主办了解"
DUPLICATES_SHOWN = 5
# a running clock due within this many minutes puts its ticket "at risk" (即将超时)
AT_RISK_MINUTES = 120
# tickets waiting for a technician (the dispatch board's "待派工")
AWAITING_DISPATCH = ("registered", "acknowledged", "reopened")


@dataclass
class QueueFilters:
    state: str | None = None  # a state, or "open" (default) / "all"
    severity: str | None = None
    mine: bool = False
    overdue: bool = False
    customer_id: int | None = None
    q: str | None = None
    unassigned: bool = False  # waiting for dispatch: no live work order
    at_risk: bool = False  # a running clock due within AT_RISK_MINUTES, ordered by it
    breached_today: bool = False  # a clock whose due time fell today and was not met in time
    awaiting_customer: bool = False  # a quote or a report waiting for the customer


def at_risk_q(now: dt.datetime) -> Q:
    """Tickets with a running, unmet clock due between now and AT_RISK_MINUTES from now."""
    clocks = SlaClock.objects.filter(
        ticket=OuterRef("pk"),
        met_at__isnull=True,
        status="running",
        due_at__gte=now,
        due_at__lt=now + dt.timedelta(minutes=AT_RISK_MINUTES),
    )
    return Q(Exists(clocks))


def breached_today_q(now: dt.datetime) -> Q:
    """Tickets with a clock due today (local day, up to now) not met by its due time."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    clocks = SlaClock.objects.filter(ticket=OuterRef("pk"), due_at__gte=start, due_at__lt=now)
    clocks = clocks.exclude(status="cancelled").filter(
        Q(met_at__isnull=True) | Q(met_at__gt=F("due_at"))
    )
    return Q(Exists(clocks))


def awaiting_customer_q() -> Q:
    """Tickets waiting for the customer's confirmation: a quote to accept or reject, or a
    service report sent for confirmation and not yet confirmed."""
    from aftersales.service.models import Quote, ServiceReport

    quotes = Quote.objects.filter(ticket=OuterRef("pk"), state=Quote.State.SENT)
    drafts = ServiceReport.objects.filter(
        ticket=OuterRef("pk"), filed_at__isnull=True, confirmed_by_link_at__isnull=True
    ).exclude(confirm_token="")
    return Q(Exists(quotes)) | Q(Exists(drafts))


def unfiled_reports_q(user: Any) -> Q:
    """Work orders of ``user`` he finished or left whose report is not filed (报告未提交)."""
    from aftersales.service.models import ServiceReport

    filed = ServiceReport.objects.filter(work_order=OuterRef("pk"), filed_at__isnull=False)
    return Q(technician=user, state__in=("done", "left")) & ~Q(Exists(filed))


def unassigned_q() -> Q:
    live = WorkOrder.objects.filter(ticket=OuterRef("pk"), state__in=LIVE_WO_STATES)
    return Q(state__in=AWAITING_DISPATCH) & ~Q(Exists(live))


def ticket_queue(user: Any, f: QueueFilters, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    """The agent workspace queue: newest first (the at-risk filter: soonest breach first),
    with the running clocks prefetched."""
    now = now or timezone.now()
    qs = filter_tickets(visible(Ticket, user).filter(archived_at__isnull=True), user, f, now)
    qs = qs.select_related("customer", "site", "equipment__model", "owner").prefetch_related(
        Prefetch("clocks", queryset=SlaClock.objects.order_by("due_at"))
    )
    if f.at_risk:
        open_due = Min(
            "clocks__due_at", filter=Q(clocks__met_at__isnull=True, clocks__status="running")
        )
        return qs.annotate(next_due_at=open_due).order_by("next_due_at", "id")
    return qs.order_by("-received_at", "-id")


def filter_tickets(
    qs: QuerySet[Ticket], user: Any, f: QueueFilters, now: dt.datetime
) -> QuerySet[Ticket]:
    """The queue's filters on ``qs`` (already the user's visible tickets); no ordering."""
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
        overdue = SlaClock.objects.filter(
            ticket=OuterRef("pk"),
            met_at__isnull=True,
            due_at__lt=now,
            status__in=["running", "breached"],
        )
        qs = qs.filter(Exists(overdue))
    if f.unassigned:
        qs = qs.filter(unassigned_q())
    if f.at_risk:
        qs = qs.filter(at_risk_q(now))
    if f.breached_today:
        qs = qs.filter(breached_today_q(now))
    if f.awaiting_customer:
        qs = qs.filter(awaiting_customer_q())
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(customer__name__icontains=term)
            | Q(contact_phone__icontains=term)
            | Q(equipment__serial_no__icontains=term)
        )
    return qs


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
        "paused": ticket.state in PAUSE_STATES,
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


@dataclass
class CallbackFilters:
    by_today: bool = False  # due today or earlier (待今日回访)
    retry: bool = False  # the customer was unreachable before: to call back (再次联系)


def callbacks_due(
    user: Any, f: CallbackFilters | None = None, today: dt.date | None = None
) -> QuerySet[Callback]:
    qs = visible(Callback, user).filter(state=Callback.State.DUE, archived_at__isnull=True)
    if f is not None and f.by_today:
        qs = qs.filter(due_date__lte=today or timezone.localdate())
    if f is not None and f.retry:
        qs = qs.filter(attempts__gt=0)
    return qs.select_related("customer", "ticket").order_by("due_date", "id")


def audit_history(obj: Any) -> Any:
    return audit.history(obj)


@dataclass
class FactoryRepairView:
    """One trip to the factory as ``user`` may see it: a customer or a dealer gets the
    customer-facing milestones (``approvals.audience``) and the round trip's due date only —
    no reason, note, waybill or name."""

    repair: Any
    external: bool
    events: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]


def factory_repairs(
    user: Any, ticket: Ticket, now: dt.datetime | None = None
) -> list[FactoryRepairView]:
    from django.utils.translation import gettext

    from aftersales.approvals import audience
    from aftersales.approvals.services import deadlines
    from aftersales.service.models import FactoryRepair
    from aftersales.service.services.factory import STEP_LABELS

    now = now or timezone.now()
    external = audience.is_external(user)
    out = []
    for r in visible(FactoryRepair, user).filter(ticket=ticket).order_by("sent_at", "id"):
        r.ticket = ticket
        history = list(audit.history(r).order_by("at", "id"))
        if external:
            events = [
                {"at": e.at, "who": e.actor_repr, "label": gettext(e.action), "reason": ""}
                for e in audience.for_user(r, history, user)
            ]
        else:
            events = [
                {
                    "at": e.at,
                    "who": e.actor_repr,
                    "label": gettext(STEP_LABELS.get(e.verb, "时限超时升级")),
                    "reason": e.reason,
                }
                for e in history
            ]
        rows = [
            {
                "step": d.step,
                "label": d.label,
                "due_at": d.due_at,
                "done_at": d.done_at,
                "escalated_at": d.escalated_at,
                "overdue": d.is_overdue(now),
                "colour": d.colour(now),
                "status": d.status_label(now),
            }
            for d in audience.deadlines_for(r, deadlines.of(r), user)
        ]
        out.append(FactoryRepairView(repair=r, external=external, events=events, deadlines=rows))
    return out
