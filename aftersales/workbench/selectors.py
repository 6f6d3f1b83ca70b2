"""What each workbench panel counts, always through the lists' own selectors (so a count is
exactly the rows its link shows) and therefore through the user's visibility.

Every count is one ``COUNT`` query on indexed columns (state, owner, due dates, foreign
keys); the few rows a panel lists are sliced in the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from aftersales.core.visibility import visible
from aftersales.service import selectors as service
from aftersales.service.models import Ticket, WorkOrder
from aftersales.service.models.work import LIVE_WO_STATES

# how many rows a panel lists under its figures
PANEL_ROWS = 5


# --- tickets --------------------------------------------------------------------------


def tickets(user: Any, now: dt.datetime, **filters: Any) -> QuerySet[Ticket]:
    """The queue's rows for ``filters`` (the same as /service/tickets/?…), unordered."""
    qs = visible(Ticket, user).filter(archived_at__isnull=True)
    return service.filter_tickets(qs, user, service.QueueFilters(state="open", **filters), now)


def ticket_count(user: Any, now: dt.datetime, **filters: Any) -> int:
    return tickets(user, now, **filters).count()


def soonest_breach(user: Any, now: dt.datetime, **filters: Any) -> list[Ticket]:
    """The first rows of the at-risk queue: soonest breach first."""
    f = service.QueueFilters(state="open", at_risk=True, **filters)
    return list(service.ticket_queue(user, f, now)[:PANEL_ROWS])


# --- callbacks, complaints -------------------------------------------------------------


def callback_count(
    user: Any, today: dt.date, *, by_today: bool = False, retry: bool = False
) -> int:
    f = service.CallbackFilters(by_today=by_today, retry=retry)
    return service.callbacks_due(user, f, today).count()


def complaints_awaiting_reply(user: Any, now: dt.datetime) -> int:
    from aftersales.quality import selectors as quality

    f = quality.ComplaintFilters(state="open", awaiting_reply=True)
    return quality.complaint_list(user, f, now).count()


# --- dispatch, approvals, dealer tasks --------------------------------------------------


def approvals_waiting(user: Any) -> int:
    from aftersales.approvals import selectors as approvals

    return approvals.inbox(user).count()


def dealer_tasks(user: Any, state: str) -> QuerySet[Any]:
    from aftersales.dealers.models import DealerTask
    from aftersales.dealers.models.task import OPEN_TASK_STATES

    qs = visible(DealerTask, user).filter(archived_at__isnull=True)
    if state == "open":
        return qs.filter(state__in=OPEN_TASK_STATES)
    return qs.filter(state=state)


def dealer_task_rows(user: Any) -> list[Any]:
    """The dealer's open tasks with their arrangement clock, oldest assignment first."""
    from aftersales.dealers import selectors as dealers

    rows = dealers.task_list(user, state="open")
    return sorted(rows, key=lambda t: (t.assigned_at, t.pk))[:PANEL_ROWS]


def plans_today(user: Any, today: dt.date) -> dict[str, int]:
    """Today's dispatch plans by state (draft / published)."""
    from aftersales.dispatch.models import DispatchPlan, PlanState

    qs = visible(DispatchPlan, user).filter(day=today, archived_at__isnull=True)
    return {
        "draft": qs.filter(state=PlanState.DRAFT).count(),
        "published": qs.filter(state=PlanState.PUBLISHED).count(),
    }


# --- technician -------------------------------------------------------------------------


def jobs_today(user: Any, today: dt.date) -> QuerySet[WorkOrder]:
    """My live work orders for today (booked today or earlier, or not booked), in the
    planned order."""
    from django.db.models import F, Q

    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
    return (
        WorkOrder.objects.filter(technician=user, state__in=LIVE_WO_STATES)
        .filter(Q(window_start__isnull=True) | Q(window_start__lt=end))
        .select_related("ticket__customer", "ticket__site")
        .order_by(
            F("planned_sequence").asc(nulls_last=True),
            F("window_start").asc(nulls_last=True),
            "dispatched_at",
        )
    )


def unfiled_reports(user: Any) -> int:
    return WorkOrder.objects.filter(service.unfiled_reports_q(user)).count()


def inspections_open(user: Any) -> int:
    from aftersales.maintenance import selectors as maintenance

    return maintenance.visit_list(user, maintenance.VisitFilters(state="open")).count()


# --- quality, warehouse, finance --------------------------------------------------------


def returns_in_state(user: Any, state: str, credit_state: str | None = None) -> int:
    from aftersales.returns import selectors as returns

    f = returns.ReturnFilters(state=state, credit_state=credit_state)
    return returns.return_list(user, f).count()


def warnings_in_state(user: Any, state: str) -> int:
    from aftersales.quality import selectors as quality

    return quality.warning_list(user, state).count()


def parts_requests_in_state(user: Any, state: str) -> int:
    from aftersales.parts import selectors as parts

    return parts.request_list(user, parts.RequestFilters(state=state)).count()


def loading_lists_in_state(user: Any, state: str) -> int:
    from aftersales.parts import selectors as parts

    return parts.loading_lists(user, state=state).count()


def shortages_open(user: Any) -> int:
    from aftersales.stock import selectors as stock

    return stock.shortages(user, "open").count()


def below_minimum(user: Any) -> int:
    from aftersales.stock.services import flags

    return len(flags.below_minimum(user))


def claims_in_state(user: Any, state: str) -> int:
    from aftersales.dealers import selectors as dealers

    return dealers.claim_list(user, state=state).count()


# --- sales ------------------------------------------------------------------------------


def warranty_expiring(user: Any, today: dt.date) -> int:
    from aftersales.installed_base.expiry import announced_units
    from aftersales.installed_base.models import Equipment

    ids = announced_units(user, today)
    return visible(Equipment, user).filter(archived_at__isnull=True, pk__in=ids).count()
