"""Reads of the parts domain, all starting from the user's visible rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from aftersales.approvals.services import deadlines
from aftersales.core.errors import NotFound
from aftersales.core.visibility import get_visible, visible
from aftersales.parts.models import (
    ClosingRun,
    LoadingList,
    MonthlyAnalysis,
    PackBorrowing,
    PartsReceipt,
    PartsRequest,
    PartsRequestLine,
)

OPEN = "open"


@dataclass
class RequestFilters:
    state: str | None = None  # a state, "open" or "all" (default)
    overdue: bool = False
    customer_id: int | None = None
    dealer_id: int | None = None
    charge_type: str | None = None
    q: str | None = None


def request_list(
    user: Any, f: RequestFilters, now: dt.datetime | None = None
) -> QuerySet[PartsRequest]:
    now = now or timezone.now()
    qs = visible(PartsRequest, user).filter(archived_at__isnull=True)
    if f.state == OPEN:
        qs = qs.exclude(state__in=["delivered", "rejected", "cancelled"])
    elif f.state and f.state != "all":
        qs = qs.filter(state=f.state)
    if f.customer_id:
        qs = qs.filter(customer_id=f.customer_id)
    if f.dealer_id:
        qs = qs.filter(dealer_id=f.dealer_id)
    if f.charge_type:
        qs = qs.filter(charge_type=f.charge_type)
    if f.overdue:
        qs = qs.filter(pk__in=deadlines.overdue_ids(PartsRequest, now))
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(customer__name__icontains=term)
            | Q(reason__icontains=term)
            | Q(lines__part__code__iexact=term)
        ).distinct()
    return qs.select_related("customer", "dealer").order_by("-requested_at", "-id")


def request_detail(user: Any, pk: int) -> PartsRequest:
    qs = PartsRequest.objects.select_related(
        "customer", "dealer", "ticket", "requested_by", "analysed_by", "confirmed_by"
    ).prefetch_related(
        Prefetch("lines", queryset=PartsRequestLine.objects.select_related("part")),
        Prefetch("receipts", queryset=PartsReceipt.objects.select_related("checked_by")),
        Prefetch("borrowings", queryset=PackBorrowing.objects.select_related("borrowed_by")),
    )
    try:
        found: PartsRequest = get_visible(qs, user, pk=pk)
    except NotFound as exc:
        raise NotFound("补件单不存在或无权查看") from exc
    return found


def borrowings(user: Any, state: str | None = None) -> QuerySet[PackBorrowing]:
    qs = visible(PackBorrowing, user).select_related(
        "request__customer", "borrowed_by", "qa_by", "returned_by"
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-borrowed_at", "-id")


def loading_lists(
    user: Any, kind: str | None = None, state: str | None = None
) -> QuerySet[LoadingList]:
    qs = visible(LoadingList, user)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-day", "-id")


def loading_list_detail(user: Any, pk: int) -> LoadingList:
    qs = LoadingList.objects.prefetch_related(
        "items__request__customer", "items__request__lines__part"
    )
    found: LoadingList = get_visible(qs, user, pk=pk)
    return found


def closing_runs(user: Any) -> QuerySet[ClosingRun]:
    return visible(ClosingRun, user).order_by("-run_at", "-id")


def closing_detail(user: Any, pk: int) -> ClosingRun:
    qs = ClosingRun.objects.prefetch_related("items__request__customer")
    found: ClosingRun = get_visible(qs, user, pk=pk)
    return found


def analyses(user: Any) -> QuerySet[MonthlyAnalysis]:
    return visible(MonthlyAnalysis, user).order_by("-month")
