"""Reads of the dealer domain, all starting from the user's visible rows (a dealer sees only
its own cards, another's are 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from aftersales.core.visibility import get_visible, visible
from aftersales.dealers.models import (
    OPEN_TASK_STATES,
    DealerRating,
    DealerTask,
    LedgerEntry,
    RatingPeriod,
    Season,
    SettlementNotice,
    StockingPlan,
    StockingPlanLine,
    WarrantyCard,
    WarrantyClaim,
)
from aftersales.dealers.services.cards import recognition


@dataclass
class CardFilters:
    state: str | None = None  # waiting / in_time / late
    dealer_id: int | None = None
    q: str | None = None


def _cards(user: Any) -> QuerySet[WarrantyCard]:
    return visible(WarrantyCard, user).select_related(
        "dealer",
        "customer",
        "equipment__model__category",
        "equipment__model__warranty_policy",
    )


def card_list(user: Any, f: CardFilters, today: dt.date | None = None) -> list[WarrantyCard]:
    """Cards with their recognition (``card.recognition``) computed for ``today``."""
    today = today or timezone.localdate()
    qs = _cards(user).filter(archived_at__isnull=True)
    if f.dealer_id:
        qs = qs.filter(dealer_id=f.dealer_id)
    if f.q:
        qs = qs.filter(
            Q(card_no__icontains=f.q)
            | Q(equipment__serial_no__icontains=f.q)
            | Q(customer__name__icontains=f.q)
        )
    rows = []
    for card in qs.order_by("-sale_date", "-id")[:2000]:
        card.recognition = recognition(card, today)  # type: ignore[attr-defined]
        if f.state and card.recognition.state.value != f.state:  # type: ignore[attr-defined]
            continue
        rows.append(card)
    return rows


def card_detail(user: Any, pk: int, today: dt.date | None = None) -> WarrantyCard:
    card = get_visible(_cards(user), user, pk=pk)
    card.recognition = recognition(card, today)  # type: ignore[attr-defined]
    return card


def _tasks(user: Any) -> QuerySet[DealerTask]:
    return visible(DealerTask, user).select_related("ticket", "dealer", "department")


def _with_clock(task: DealerTask, now: dt.datetime) -> DealerTask:
    from aftersales.approvals.services import deadlines
    from aftersales.dealers.services.tasks import STEP_ARRANGE, STEP_CHECK

    clocks = deadlines.of(task)
    arrange = next((d for d in clocks if d.step == STEP_ARRANGE), None)
    check = next((d for d in clocks if d.step == STEP_CHECK), None)
    task.arrange_due_at = arrange.due_at if arrange else None  # type: ignore[attr-defined]
    task.arrange_overdue = bool(arrange and arrange.is_overdue(now))  # type: ignore[attr-defined]
    task.check_due_at = check.due_at if check else None  # type: ignore[attr-defined]
    return task


def task_list(
    user: Any,
    *,
    state: str | None = None,
    dealer_id: int | None = None,
    department_id: int | None = None,
    ticket_id: int | None = None,
) -> list[DealerTask]:
    """The service tasks the user sees (a dealer its own, a department member his
    department's), with their clocks."""
    now = timezone.now()
    qs = _tasks(user).filter(archived_at__isnull=True)
    if state == "open":
        qs = qs.filter(state__in=OPEN_TASK_STATES)
    elif state:
        qs = qs.filter(state=state)
    if dealer_id:
        qs = qs.filter(dealer_id=dealer_id)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if ticket_id:
        qs = qs.filter(ticket_id=ticket_id)
    return [_with_clock(t, now) for t in qs.order_by("-assigned_at", "-id")[:500]]


def active_departments() -> QuerySet[Any]:
    """The departments a ticket can be given to (not archived), in code order."""
    from aftersales.accounts.models import Department

    return Department.objects.filter(archived_at__isnull=True).order_by("code")


def task_detail(user: Any, pk: int) -> DealerTask:
    return _with_clock(get_visible(_tasks(user), user, pk=pk), timezone.now())


def claim_list(
    user: Any, *, state: str | None = None, dealer_id: int | None = None
) -> QuerySet[WarrantyClaim]:
    qs = (
        visible(WarrantyClaim, user)
        .filter(archived_at__isnull=True)
        .select_related("ticket", "dealer")
        .prefetch_related("lines")
    )
    if state:
        qs = qs.filter(state=state)
    if dealer_id:
        qs = qs.filter(dealer_id=dealer_id)
    return qs.order_by("-created_at", "-id")


@dataclass
class ClaimTotals:
    """A dealer's accepted claim amounts so far: accepted and not yet on a notice, on a notice
    awaiting the dealer, and settled (deducted from its receivables)."""

    dealer_id: int
    dealer_name: str
    awaiting: Decimal
    in_settlement: Decimal
    settled: Decimal
    claims: int

    @property
    def accepted(self) -> Decimal:
        return self.awaiting + self.in_settlement + self.settled


def claim_totals(user: Any, *, dealer_id: int | None = None) -> list[ClaimTotals]:
    """The accepted amounts accumulated per dealer the user may see (rejected and not yet
    appraised claims count nothing)."""
    from aftersales.dealers.models import ClaimState

    zero = Decimal("0.00")

    def part(*states: str) -> Any:
        return Coalesce(Sum("accepted_amount", filter=Q(state__in=states)), zero)

    qs = visible(WarrantyClaim, user).filter(
        archived_at__isnull=True,
        state__in=[
            ClaimState.ACCEPTED,
            ClaimState.PARTLY,
            ClaimState.IN_SETTLEMENT,
            ClaimState.SETTLED,
        ],
    )
    if dealer_id:
        qs = qs.filter(dealer_id=dealer_id)
    rows = (
        qs.values("dealer_id", "dealer__name")
        .annotate(
            awaiting=part(ClaimState.ACCEPTED, ClaimState.PARTLY),
            in_settlement=part(ClaimState.IN_SETTLEMENT),
            settled=part(ClaimState.SETTLED),
            claims=Count("id"),
        )
        .order_by("dealer__name", "dealer_id")
    )
    return [
        ClaimTotals(
            dealer_id=r["dealer_id"],
            dealer_name=r["dealer__name"],
            awaiting=r["awaiting"],
            in_settlement=r["in_settlement"],
            settled=r["settled"],
            claims=r["claims"],
        )
        for r in rows
    ]


def claim_detail(user: Any, pk: int) -> WarrantyClaim:
    return get_visible(claim_list(user), user, pk=pk)


def notice_list(user: Any, *, dealer_id: int | None = None) -> QuerySet[SettlementNotice]:
    qs = visible(SettlementNotice, user).select_related("dealer").prefetch_related("claims")
    if dealer_id:
        qs = qs.filter(dealer_id=dealer_id)
    return qs.order_by("-issued_at", "-id")


def notice_detail(user: Any, pk: int) -> SettlementNotice:
    return get_visible(notice_list(user), user, pk=pk)


def ledger(user: Any, *, dealer_id: int | None = None) -> QuerySet[LedgerEntry]:
    qs = visible(LedgerEntry, user).select_related("dealer")
    if dealer_id:
        qs = qs.filter(dealer_id=dealer_id)
    return qs.order_by("dealer_id", "at", "id")


# ---- stocking plans -------------------------------------------------------------------


@dataclass
class PlanFilters:
    season_id: int | None = None
    dealer_id: int | None = None
    state: str | None = None
    late: bool = False


def _plans(user: Any) -> QuerySet[StockingPlan]:
    lines = (
        StockingPlanLine.objects.filter(archived_at__isnull=True)
        .select_related("part", "product_model")
        .order_by("id")
    )
    return (
        visible(StockingPlan, user)
        .select_related("dealer", "season")
        .prefetch_related(Prefetch("lines", queryset=lines, to_attr="active_lines"))
    )


def _with_lines(plan: StockingPlan, now: dt.datetime) -> StockingPlan:
    plan.flagged_late = plan.is_late(now)  # type: ignore[attr-defined]
    return plan


def plan_list(user: Any, f: PlanFilters, now: dt.datetime | None = None) -> list[StockingPlan]:
    """Plans with their lines and late flag (``flagged_late``) as of ``now``."""
    now = now or timezone.now()
    qs = _plans(user).filter(archived_at__isnull=True)
    if f.season_id:
        qs = qs.filter(season_id=f.season_id)
    if f.dealer_id:
        qs = qs.filter(dealer_id=f.dealer_id)
    if f.state:
        qs = qs.filter(state=f.state)
    rows = [_with_lines(p, now) for p in qs.order_by("-season__starts_on", "dealer__code")[:1000]]
    if f.late:
        rows = [p for p in rows if p.flagged_late]  # type: ignore[attr-defined]
    return rows


def plan_detail(user: Any, pk: int, now: dt.datetime | None = None) -> StockingPlan:
    plan = get_visible(_plans(user), user, pk=pk)
    return _with_lines(plan, now or timezone.now())


def seasons(user: Any) -> QuerySet[Season]:
    return visible(Season, user).filter(archived_at__isnull=True).order_by("-starts_on")


# ---- dealer ratings ---------------------------------------------------------------------


@dataclass
class RatingFilters:
    period_id: int | None = None
    dealer_id: int | None = None
    outcome: str | None = None


def rating_periods(user: Any) -> QuerySet[RatingPeriod]:
    """Frozen periods; a dealer sees those it was rated in."""
    qs = visible(RatingPeriod, user).filter(archived_at__isnull=True)
    if getattr(user, "org_kind", "company") != "company":
        qs = qs.filter(ratings__in=visible(DealerRating, user))
    return qs.distinct().order_by("-starts_on")


def rating_list(user: Any, f: RatingFilters) -> QuerySet[DealerRating]:
    qs = (
        visible(DealerRating, user)
        .filter(archived_at__isnull=True)
        .select_related("period", "dealer")
    )
    if f.period_id:
        qs = qs.filter(period_id=f.period_id)
    if f.dealer_id:
        qs = qs.filter(dealer_id=f.dealer_id)
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    return qs.order_by("-period__starts_on", "dealer__code", "id")


def rating_detail(user: Any, pk: int) -> DealerRating:
    return get_visible(rating_list(user, RatingFilters()), user, pk=pk)
