"""Reads of the quality domain, all starting from the user's visible rows (a dealer sees its
own complaints, a customer his own, technicians none)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from aftersales.approvals.services import deadlines
from aftersales.core.errors import NotFound
from aftersales.core.visibility import get_visible, visible
from aftersales.quality.models import (
    CLOSED_COMPLAINT_STATES,
    OUTSTANDING_STATES,
    Complaint,
    CorrectiveAction,
    OldPart,
    QualityReview,
    QualityWarning,
    ReviewAction,
)


@dataclass
class ComplaintFilters:
    state: str | None = None  # a state, "open" or "all" (default)
    category: str | None = None
    severity: str | None = None
    overdue: bool = False
    customer_id: int | None = None
    dealer_id: int | None = None
    q: str | None = None
    awaiting_reply: bool = False  # no written reply / handling decision yet (待答复)


def complaint_list(
    user: Any, f: ComplaintFilters, now: dt.datetime | None = None
) -> QuerySet[Complaint]:
    now = now or timezone.now()
    qs = visible(Complaint, user).filter(archived_at__isnull=True)
    if f.state == "open":
        qs = qs.exclude(state__in=CLOSED_COMPLAINT_STATES)
    elif f.state and f.state != "all":
        qs = qs.filter(state=f.state)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.customer_id:
        qs = qs.filter(customer_id=f.customer_id)
    if f.dealer_id:
        qs = qs.filter(dealer_id=f.dealer_id)
    if f.overdue:
        qs = qs.filter(pk__in=deadlines.overdue_ids(Complaint, now))
    if f.awaiting_reply:
        qs = qs.filter(replied_at__isnull=True)
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(customer__name__icontains=term)
            | Q(dealer__name__icontains=term)
            | Q(description__icontains=term)
        )
    return qs.select_related("customer", "dealer", "part").order_by("-registered_at", "-id")


def complaint_detail(user: Any, pk: int) -> Complaint:
    qs = Complaint.objects.select_related(
        "customer",
        "dealer",
        "equipment__model",
        "ticket",
        "part",
        "staff_member",
        "responsible_department",
        "registered_by",
        "replied_by",
        "investigated_by",
        "closed_by",
    )
    try:
        found: Complaint = get_visible(qs, user, pk=pk)
    except NotFound as exc:
        raise NotFound("投诉单不存在或无权查看") from exc
    return found


# who sees the quality warnings (company roles of the quality loop; not field technicians)
WARNING_VIEWERS = frozenset(
    {"coordinator", "quality_director", "quality_centre_director", "manager", "admin", "agent"}
)


def _may_see_warnings(user: Any) -> bool:
    from aftersales.approvals.workflow import actor_roles

    return bool(getattr(user, "is_authenticated", False)) and bool(
        actor_roles(user) & WARNING_VIEWERS
    )


def warning_list(user: Any, state: str | None = None) -> QuerySet[QualityWarning]:
    if not _may_see_warnings(user):
        return QualityWarning.objects.none()
    qs = QualityWarning.objects.filter(archived_at__isnull=True)
    if state and state != "all":
        qs = qs.filter(state=state)
    return qs.select_related("product_model").order_by("-raised_at", "-id")


def warning_detail(user: Any, pk: int) -> QualityWarning:
    found = warning_list(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("质量预警不存在或无权查看")
    return found


def warning_trend(w: QualityWarning, months: int = 12) -> dict[str, list[Any]]:
    """Faults of the warning's key per month, for the 12 months up to its window's end."""
    from aftersales.quality import faults, rules

    firsts = rules.months_back(w.period_end, months)
    key = (w.product_model_id, w.component_code, w.cause_class)
    rows = faults.collect(firsts[0], w.period_end, key).get(key, [])
    counts = {m: 0 for m in firsts}
    for f in rows:
        local = timezone.localdate(f.occurred_at)
        counts[local.replace(day=1)] = counts.get(local.replace(day=1), 0) + 1
    return {"months": [f"{m:%Y-%m}" for m in firsts], "counts": [counts[m] for m in firsts]}


def capa_list(user: Any, state: str | None = None) -> QuerySet[CorrectiveAction]:
    """The quality office sees every CAPA, an owner his own; nobody else any."""
    qs = CorrectiveAction.objects.filter(archived_at__isnull=True)
    if not _may_see_warnings(user):
        if not getattr(user, "is_authenticated", False) or user.org_kind != "company":
            return qs.none()
        qs = qs.filter(owner_id=user.pk)
    if state and state != "all":
        qs = qs.filter(state=state)
    return qs.select_related("owner_department", "owner", "product_model").order_by(
        "-opened_at", "-id"
    )


def capa_detail(user: Any, pk: int) -> CorrectiveAction:
    found = capa_list(user).select_related("complaint", "warning").filter(pk=pk).first()
    if found is None:
        raise NotFound("纠正预防措施不存在或无权查看")
    return found


# ---------------------------------------------------------------- old parts


@dataclass
class OldPartFilters:
    state: str | None = None  # a state, "outstanding" (not back yet) or "all"
    overdue: bool = False
    dealer_id: int | None = None
    q: str | None = None


def old_part_list(
    user: Any, f: OldPartFilters | None = None, now: dt.datetime | None = None
) -> QuerySet[OldPart]:
    """Old parts the user may see: the company all (a technician those he replaced), a
    dealer its own, a customer none."""
    f = f or OldPartFilters()
    now = now or timezone.now()
    qs = visible(OldPart, user).filter(archived_at__isnull=True)
    if f.state == "outstanding":
        qs = qs.filter(state__in=OUTSTANDING_STATES)
    elif f.state and f.state != "all":
        qs = qs.filter(state=f.state)
    if f.overdue:
        qs = qs.filter(pk__in=deadlines.overdue_ids(OldPart, now), state__in=OUTSTANDING_STATES)
    if f.dealer_id:
        qs = qs.filter(dealer_id=f.dealer_id)
    if f.q:
        term = f.q.strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(part__code__icontains=term)
            | Q(part__name__icontains=term)
            | Q(ticket__number__icontains=term)
            | Q(source_note__icontains=term)
        )
    return qs.select_related("part", "ticket", "dealer", "equipment", "bin").order_by(
        "-registered_at", "-id"
    )


def old_part_detail(user: Any, pk: int) -> OldPart:
    qs = OldPart.objects.select_related(
        "part",
        "ticket",
        "report",
        "dealer",
        "equipment__model",
        "technician",
        "warehouse",
        "bin",
        "movement",
        "received_by",
        "appraised_by",
    )
    try:
        found: OldPart = get_visible(qs, user, pk=pk)
    except NotFound as exc:
        raise NotFound("旧件不存在或无权查看") from exc
    return found


def old_parts_for(
    *, ticket: Any = None, report: Any = None, include_archived: bool = False
) -> QuerySet[OldPart]:
    """The old parts of a ticket (a Ticket or its id) or of a service report — for the
    settlement of a warranty claim or repair (no user filter: the caller has checked who
    may settle)."""
    qs = OldPart.objects.all()
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if ticket is not None:
        qs = qs.filter(ticket_id=getattr(ticket, "pk", ticket))
    if report is not None:
        qs = qs.filter(report_id=getattr(report, "pk", report))
    if ticket is None and report is None:
        return qs.none()
    return qs.order_by("id")


def old_part_received(ticket: Any) -> bool:
    """True when the claim / repair settlement of ``ticket`` may be settled: its repair
    record is filed and every old part is back (or waived). See
    ``services.old_parts.settlement_check`` for the refusal with its reasons."""
    from aftersales.quality.services.old_parts import settlement_blockers

    return not settlement_blockers(ticket)


# ---------------------------------------------------------------- monthly quality review


def review_list(user: Any) -> QuerySet[QualityReview]:
    """The company's quality roles (as for the warnings) see every review, a company member
    the reviews that gave him an action; nobody else any."""
    qs = visible(QualityReview, user).filter(archived_at__isnull=True)
    if not _may_see_warnings(user):
        if not getattr(user, "is_authenticated", False) or user.org_kind != "company":
            return QualityReview.objects.none()
        qs = qs.filter(pk__in=ReviewAction.objects.filter(owner_id=user.pk).values("review_id"))
    return qs.order_by("-month")


def review_detail(user: Any, pk: int) -> QualityReview:
    found = review_list(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("月度质量评审不存在或无权查看")
    return found


def review_figures_of(review: QualityReview) -> dict[str, Any]:
    """Live while the review is being written; as closed once it is submitted."""
    from aftersales.quality import review_figures

    if review.is_editable or not review.figures:
        return review_figures.figures(review.month)
    return dict(review.figures)


def review_actions(review: QualityReview) -> QuerySet[ReviewAction]:
    return (
        ReviewAction.objects.filter(review=review, archived_at__isnull=True)
        .select_related("owner", "department", "done_by")
        .order_by("id")
    )


def review_action_detail(user: Any, review: QualityReview, pk: int) -> ReviewAction:
    found = review_actions(review).filter(pk=pk).first()
    if found is None:
        raise NotFound("改进措施不存在或无权查看")
    return found
