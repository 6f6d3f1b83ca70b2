"""Reads of the returns domain, all starting from the user's visible rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from aftersales.approvals.services import deadlines
from aftersales.core.errors import NotFound
from aftersales.core.visibility import get_visible, visible
from aftersales.returns.models import CLOSED_RETURN_STATES, CreditNote, ReturnRequest, ReturnRule


@dataclass
class ReturnFilters:
    state: str | None = None  # a state, "open" or "all" (default)
    overdue: bool = False
    customer_id: int | None = None
    dealer_id: int | None = None
    kind: str | None = None
    q: str | None = None
    credit_state: str | None = None  # returns with a credit note in this state (冲账)


def return_list(
    user: Any, f: ReturnFilters, now: dt.datetime | None = None
) -> QuerySet[ReturnRequest]:
    now = now or timezone.now()
    qs = visible(ReturnRequest, user).filter(archived_at__isnull=True)
    if f.state == "open":
        qs = qs.exclude(state__in=CLOSED_RETURN_STATES)
    elif f.state and f.state != "all":
        qs = qs.filter(state=f.state)
    if f.customer_id:
        qs = qs.filter(customer_id=f.customer_id)
    if f.dealer_id:
        qs = qs.filter(dealer_id=f.dealer_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.credit_state:
        notes = CreditNote.objects.filter(return_request=OuterRef("pk"), state=f.credit_state)
        qs = qs.filter(Exists(notes))
    if f.overdue:
        qs = qs.filter(pk__in=deadlines.overdue_ids(ReturnRequest, now))
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(customer__name__icontains=term)
            | Q(reason__icontains=term)
        )
    return qs.select_related("customer", "dealer", "category").order_by("-applied_at", "-id")


def return_detail(user: Any, pk: int) -> ReturnRequest:
    qs = ReturnRequest.objects.select_related(
        "customer", "dealer", "category", "applied_by", "received_by", "inspected_by", "decided_by"
    ).prefetch_related("lines__part", "credit_notes")
    try:
        found: ReturnRequest = get_visible(qs, user, pk=pk)
    except NotFound as exc:
        raise NotFound("退货单不存在或无权查看") from exc
    return found


def credit_note(user: Any, pk: int) -> CreditNote:
    qs = CreditNote.objects.select_related("return_request")
    found: CreditNote = get_visible(qs, user, pk=pk)
    return found


def rules(user: Any) -> QuerySet[ReturnRule]:
    return visible(ReturnRule, user).filter(archived_at__isnull=True).select_related("category")
