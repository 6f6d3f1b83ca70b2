"""Reads of the maintenance domain, all starting from the user's visible rows: a customer
sees his own plans and visits (and signed reports), a technician only the visits assigned
to him, company staff everything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from aftersales.core.visibility import get_visible, visible
from aftersales.installed_base.models import Equipment
from aftersales.maintenance import rules
from aftersales.maintenance.models import (
    OPEN_VISIT_STATES,
    InspectionResult,
    MaintenancePlan,
    MaintenanceVisit,
    VisitState,
)
from aftersales.maintenance.services.generation import working_day_test
from aftersales.maintenance.services.plans import schedule_of


def plan_list(
    user: Any, *, customer_id: int | None = None, kind: str | None = None, q: str | None = None
) -> QuerySet[MaintenancePlan]:
    qs = (
        visible(MaintenancePlan, user)
        .filter(archived_at__isnull=True)
        .select_related("customer", "site", "contract", "window")
        .annotate(
            overdue_count=Count(
                "visits",
                filter=Q(visits__overdue_at__isnull=False, visits__state__in=OPEN_VISIT_STATES),
            )
        )
    )
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(number__icontains=q) | Q(customer__name__icontains=q)
        )
    return qs.order_by("-created_at", "-id")


def plan_detail(user: Any, pk: int) -> MaintenancePlan:
    return get_visible(
        MaintenancePlan.objects.select_related("customer", "site", "contract", "window"),
        user,
        pk=pk,
    )


def preview(
    plan: MaintenancePlan, *, today: dt.date | None = None, count: int = 12
) -> list[rules.Occurrence]:
    """The plan's next occurrences on the calendar (the editor's preview)."""
    today = today or timezone.localdate()
    schedule = schedule_of(plan)
    if schedule is None:
        return []
    found = rules.occurrences(
        schedule, since=today, until=today + dt.timedelta(days=800), is_working=working_day_test()
    )
    return found[:count]


@dataclass
class VisitFilters:
    state: str | None = None  # a state, "open", "overdue" or all
    region_id: int | None = None
    plan_id: int | None = None
    customer_id: int | None = None
    month: str | None = None  # YYYY-MM


def visit_list(user: Any, f: VisitFilters | None = None) -> QuerySet[MaintenanceVisit]:
    f = f or VisitFilters()
    qs = (
        visible(MaintenanceVisit, user)
        .filter(archived_at__isnull=True)
        .select_related("plan", "customer", "region", "ticket")
    )
    if f.state == "open":
        qs = qs.filter(state__in=OPEN_VISIT_STATES)
    elif f.state == "overdue":
        qs = qs.filter(state__in=OPEN_VISIT_STATES, overdue_at__isnull=False)
    elif f.state and f.state != "all":
        qs = qs.filter(state=f.state)
    if f.region_id:
        qs = qs.filter(region_id=f.region_id)
    if f.plan_id:
        qs = qs.filter(plan_id=f.plan_id)
    if f.customer_id:
        qs = qs.filter(customer_id=f.customer_id)
    if f.month:
        start = month_start(f.month)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        qs = qs.filter(due_date__gte=start, due_date__lt=end)
    return qs.order_by("due_date", "id")


def month_start(text: str) -> dt.date:
    from aftersales.core.errors import ValidationFailed

    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise ValidationFailed("月份格式应为 YYYY-MM", field="month") from None


def visit_detail(user: Any, pk: int) -> MaintenanceVisit:
    return get_visible(
        MaintenanceVisit.objects.select_related("plan", "customer", "ticket", "checklist"),
        user,
        pk=pk,
    )


@dataclass
class CoverageRow:
    period: str
    planned: int
    done: int
    overdue: int
    cancelled: int


def coverage(
    user: Any, *, contract_id: int | None = None, plan_id: int | None = None
) -> list[CoverageRow]:
    """Planned vs done vs overdue per month (of the due date) for a contract or a plan."""
    qs = visible(MaintenanceVisit, user).filter(archived_at__isnull=True)
    if contract_id:
        qs = qs.filter(plan__contract_id=contract_id)
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    rows: dict[str, CoverageRow] = {}
    for due, state, overdue_at in qs.values_list("due_date", "state", "overdue_at"):
        key = f"{due:%Y-%m}"
        row = rows.setdefault(key, CoverageRow(key, 0, 0, 0, 0))
        if state == VisitState.CANCELLED:
            row.cancelled += 1
            continue
        row.planned += 1
        if state == VisitState.DONE:
            row.done += 1
        elif overdue_at is not None:
            row.overdue += 1
    return [rows[k] for k in sorted(rows)]


# --- the customer portal: his own sites' plans and signed reports, customer-facing facts only

# a visit's state in the customer's words (the internal 已生成工单 means "arranged" to him)
PORTAL_STATE_LABELS: dict[str, str] = {
    VisitState.PLANNED: "已计划",
    VisitState.RELEASED: "已安排",
    VisitState.IN_PROGRESS: "巡检中",
    VisitState.DONE: "已完成",
    VisitState.CANCELLED: "已取消",
}
PORTAL_NEXT_VISITS = 3


def portal_plans(user: Any) -> QuerySet[MaintenancePlan]:
    """The plans of the customer's own sites (a dealer: of the customers it serves), each
    with its open visits in date order as ``open_visits``."""
    open_visits = MaintenanceVisit.objects.filter(
        state__in=OPEN_VISIT_STATES, archived_at__isnull=True
    ).order_by("due_date", "id")
    return (
        visible(MaintenancePlan, user)
        .filter(archived_at__isnull=True)
        .select_related("customer", "site", "contract", "window")
        .prefetch_related(
            Prefetch("visits", queryset=open_visits, to_attr="open_visits"),
            Prefetch("equipment", queryset=Equipment.objects.select_related("model")),
        )
        .order_by("customer__name", "number", "id")
    )


def portal_plan(user: Any, pk: int) -> MaintenancePlan:
    return get_visible(portal_plans(user), user, pk=pk)


def portal_reports(user: Any, *, plan_id: int | None = None) -> QuerySet[MaintenanceVisit]:
    """The completed (signed) inspections the user may see, newest first, with the number of
    failed items as ``failed_count``."""
    qs = (
        visible(MaintenanceVisit, user)
        .filter(state=VisitState.DONE, archived_at__isnull=True)
        .select_related("plan", "plan__site", "customer", "checklist")
        .annotate(
            failed_count=Count("results", filter=Q(results__outcome=InspectionResult.Outcome.FAIL))
        )
    )
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    return qs.order_by("-completed_at", "-id")


def portal_visit(user: Any, pk: int) -> MaintenanceVisit:
    """One of the user's visits; its results (``report_results``) only once it is done —
    the customer sees the signed report, not the technician's work in progress."""
    visit = get_visible(
        MaintenanceVisit.objects.select_related("plan", "plan__site", "customer", "checklist"),
        user,
        pk=pk,
    )
    visit.report_results = (  # type: ignore[attr-defined]
        list(visit.results.select_related("item", "follow_up").order_by("item__seq"))
        if visit.state == VisitState.DONE
        else []
    )
    return visit
