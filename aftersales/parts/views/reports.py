"""The closing-run report (欠补件明细, with overdue by group) and the monthly parts analysis
with its chart; both go through review and approval on their pages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from aftersales.approvals.web import document_panels, or_404, post, run, timeline
from aftersales.core.errors import ValidationFailed
from aftersales.core.exports import xlsx
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.parts import selectors
from aftersales.parts.models import Group, MonthlyAnalysis, ReviewState
from aftersales.parts.services import analysis, closing
from aftersales.parts.transitions import REVIEW
from aftersales.parts.views.common import require_staff


@login_required
def closing_runs(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    runs = list(selectors.closing_runs(request.user)[:100])
    return render(request, "parts/closing_runs.html", {"runs": runs})


@login_required
@require_POST
def closing_run_now(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    created = run(
        request, lambda: closing.run(actor=request.user), "已完成补件收尾统计，已提交品质办主任审批"
    )
    if created is not None:
        return redirect("parts:closing_run", created.pk)
    return redirect("parts:closing_runs")


@login_required
def closing_run(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    c = or_404(lambda: selectors.closing_detail(request.user, pk))
    items = list(c.items.select_related("request__customer").order_by("responsible_group", "id"))
    for i in items:
        i.group_label = (
            Group(i.responsible_group).label if i.responsible_group in Group.values else ""
        )  # type: ignore[attr-defined]
    by_group = Counter(
        Group(i.responsible_group).label if i.responsible_group else "未指定"
        for i in items
        if i.overdue
    )
    if request.GET.get("format") == "xlsx":
        return xlsx(
            Said("补件收尾_%(number)s.xlsx", number=c.number),
            "欠补件明细",
            [
                "补件单号",
                "客户",
                "责任部门",
                "收尾时状态",
                "承诺交付",
                "生产到期",
                "宽限内到位",
                "逾期",
            ],
            (
                [
                    i.request.number,
                    i.request.customer.name,
                    Group(i.responsible_group).label if i.responsible_group else "",
                    i.state_at_run,
                    i.committed_date,
                    i.production_due_at,
                    i.settled_at,
                    "逾期" if i.overdue else "",
                ]
                for i in items
            ),
        )
    return render(
        request,
        "parts/closing_run.html",
        {
            "c": c,
            "items": items,
            "by_group": sorted(by_group.items()),
            "now": timezone.now(),
            "timeline": timeline(c, REVIEW, ReviewState, request.user),
            **document_panels(c, request.user),
        },
    )


@login_required
def analyses(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    rows = list(selectors.analyses(request.user)[:36])
    return render(
        request,
        "parts/analyses.html",
        {"rows": rows, "this_month": f"{timezone.localdate():%Y-%m}"},
    )


@login_required
@require_POST
def analysis_prepare(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)

    def prepare() -> MonthlyAnalysis:
        try:
            month = dt.date.fromisoformat(f"{post(request, 'month')}-01")
        except ValueError as exc:
            raise ValidationFailed("月份格式应为 YYYY-MM", field="month") from exc
        return analysis.prepare(actor=request.user, month=month, summary=post(request, "summary"))

    a = run(request, prepare, "月度补件分析已统计")
    if a is not None:
        return redirect("parts:analysis", a.pk)
    return redirect("parts:analyses")


@login_required
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    a = or_404(lambda: get_visible(MonthlyAnalysis, request.user, pk=pk))
    f: dict[str, Any] = a.figures or {}
    chart = {
        "causes": [{"name": k, "value": v} for k, v in (f.get("by_cause") or {}).items()],
        "charge": [
            {"name": "免费补件", "value": f.get("free", 0)},
            {"name": "收费补件", "value": f.get("charged", 0)},
        ],
        "groups": list((f.get("overdue_by_group") or {}).items()),
        "parts": [[p["code"], p["quantity"]] for p in f.get("top_parts", [])],
    }
    return render(
        request,
        "parts/analysis.html",
        {
            "a": a,
            "f": f,
            "chart": chart,
            "timeline": timeline(a, REVIEW, ReviewState, request.user),
            **document_panels(a, request.user),
        },
    )


@login_required
@require_POST
def analysis_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_staff(request.user)
    a = or_404(lambda: get_visible(MonthlyAnalysis, request.user, pk=pk))
    if action == "recompute":
        run(
            request,
            lambda: analysis.prepare(
                actor=request.user, month=a.month, summary=post(request, "summary")
            ),
            "已重新统计并保存总结",
        )
    elif action == "submit":
        run(request, lambda: analysis.submit(actor=request.user, analysis=a), "已提交售后主办审核")
    else:
        raise Http404("未知操作")
    return redirect("parts:analysis", pk)
