"""The monthly parts analysis (001 4.12): volumes, causes, free vs charged, overdue by
group, reviewed by 售后主办 and confirmed by 品质办主任 or 品管中心总监."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from aftersales.approvals import rules, workflow
from aftersales.approvals.services import engine
from aftersales.core import audit
from aftersales.core.errors import ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.parts.models import (
    ChargeType,
    ClosingItem,
    Group,
    MonthlyAnalysis,
    PartsRequest,
    PartsRequestLine,
    ReviewState,
)
from aftersales.parts.transitions import ANALYSIS_ROLES, REVIEW
from aftersales.warranty.rules import CauseClass


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    start = dt.datetime.combine(first, dt.time(0, 0), tzinfo=tz)
    return start, dt.datetime.combine(nxt, dt.time(0, 0), tzinfo=tz)


def figures(month: dt.date) -> dict[str, Any]:
    """The month's numbers (JSON-ready: money as strings)."""
    start, end = month_bounds(month)
    reqs = PartsRequest.objects.filter(requested_at__gte=start, requested_at__lt=end)
    lines = PartsRequestLine.objects.filter(request__in=reqs)
    by_cause = dict(reqs.exclude(cause="").values_list("cause").annotate(n=Count("id")))
    by_charge = dict(
        reqs.exclude(charge_type="").values_list("charge_type").annotate(n=Count("id"))
    )
    charged = reqs.filter(charge_type=ChargeType.CHARGED).aggregate(s=Sum("amount"))["s"]
    delivered = reqs.filter(delivered_at__isnull=False)
    on_time = sum(
        1
        for r in delivered.only("delivered_at", "committed_date")
        if r.committed_date
        and r.delivered_at
        and r.delivered_at <= rules.end_of_day(r.committed_date, timezone.get_current_timezone())
    )
    overdue_items = ClosingItem.objects.filter(
        overdue=True, run__run_at__gte=start, run__run_at__lt=end
    )
    by_group = dict(overdue_items.values_list("responsible_group").annotate(n=Count("id")))
    top = (
        lines.values("part__code", "part__name")
        .annotate(qty=Sum("quantity"), n=Count("request", distinct=True))
        .order_by("-qty", "part__code")[:10]
    )
    return {
        "month": f"{month:%Y-%m}",
        "requests": reqs.count(),
        "quantity": lines.aggregate(q=Sum("quantity"))["q"] or 0,
        "by_cause": {CauseClass(k).label: v for k, v in sorted(by_cause.items())},
        "free": by_charge.get(ChargeType.FREE, 0),
        "charged": by_charge.get(ChargeType.CHARGED, 0),
        "charged_amount": str((charged or Decimal("0")).quantize(Decimal("0.01"))),
        "delivered": delivered.count(),
        "delivered_on_time": on_time,
        "overdue": overdue_items.count(),
        "overdue_by_group": {
            (Group(k).label if k in Group.values else k or "未指定"): v
            for k, v in sorted(by_group.items(), key=lambda kv: kv[0] or "")
        },
        "cancelled_or_rejected": reqs.filter(Q(state="cancelled") | Q(state="rejected")).count(),
        "top_parts": [
            {
                "code": t["part__code"],
                "name": t["part__name"],
                "quantity": t["qty"],
                "requests": t["n"],
            }
            for t in top
        ],
    }


def prepare(
    *, actor: Any, month: dt.date, summary: str = "", now: dt.datetime | None = None
) -> MonthlyAnalysis:
    """Compute (or recompute, while still a draft or returned) the month's analysis."""
    now = now or timezone.now()
    workflow.require_role(actor, ANALYSIS_ROLES, "编制月度补件分析")
    first = month.replace(day=1)
    if first > timezone.localdate(now):
        raise ValidationFailed("不能分析未来的月份", field="month")
    data = figures(first)
    with transaction.atomic():
        existing = MonthlyAnalysis.objects.select_for_update().filter(month=first).first()
        if existing is None:
            analysis = MonthlyAnalysis.objects.create(
                number=next_number("FX", on=now),
                month=first,
                figures=data,
                summary=(summary or "").strip(),
                prepared_by=actor if getattr(actor, "pk", None) else None,
                prepared_at=now,
            )
            audit.record(
                analysis, actor=actor, action="create", after=audit.snapshot(analysis), at=now
            )
            return analysis
        if existing.state not in (ReviewState.DRAFT, ReviewState.RETURNED):
            raise ValidationFailed(
                Said(
                    "%(existing)s已%(get_state_display)s，不能重新统计",
                    existing=existing,
                    get_state_display=existing.get_state_display(),
                ),
                field="month",
            )
        before = audit.snapshot(existing)
        existing.figures = data
        if summary:
            existing.summary = summary.strip()
        existing.prepared_at = now
        existing.save(update_fields=["figures", "summary", "prepared_at", "updated_at"])
        old, new = audit.diff(before, audit.snapshot(existing))
        audit.record(existing, actor=actor, action="update", before=old, after=new, at=now)
        return existing


def submit(
    *, actor: Any, analysis: MonthlyAnalysis | int, now: dt.datetime | None = None
) -> MonthlyAnalysis:
    now = now or timezone.now()
    pk = analysis.pk if isinstance(analysis, MonthlyAnalysis) else int(analysis)
    with transaction.atomic():
        locked: MonthlyAnalysis = workflow.lock(MonthlyAnalysis, pk)
        if not locked.summary.strip():
            raise ValidationFailed("请填写分析总结后再提交审核", field="summary")
        workflow.move(locked, REVIEW, "submit", actor=actor, now=now)
        engine.submit(
            actor=actor,
            document=locked,
            flow_code="parts_analysis",
            title=Said(
                "%(month)s 补件%(get)s单",
                month=format(locked.month, "%Y\u5e74%m\u6708"),
                get=locked.figures.get("requests", 0),
            ),
            now=now,
        )
    return locked


def previous_month(now: dt.datetime) -> dt.date:
    first = timezone.localdate(now).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)
