"""The monthly quality review screens: the list (opening a finished month), the review page
(the month's figures, conclusions, improvement actions with their deadlines, closing and
its approval) and its Excel workbook."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from aftersales.accounts.models import Department
from aftersales.approvals import workflow
from aftersales.approvals.web import (
    document_panels,
    int_or_none,
    list_deadlines,
    or_404,
    post,
    run,
    timeline,
)
from aftersales.core.exports import download, safe
from aftersales.core.said import Said
from aftersales.quality import selectors
from aftersales.quality.models import QualityReview, ReviewAction, ReviewState
from aftersales.quality.services import reviews
from aftersales.quality.transitions import REVIEW, REVIEWERS

STATE_CSS = {"open": "st-work", "in_approval": "st-wait", "returned": "st-new", "closed": "st-done"}


def _previous_month() -> str:
    first = timezone.localdate().replace(day=1)
    return f"{(first - dt.timedelta(days=1)):%Y-%m}"


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.review_list(request.user)[:60])
    return render(
        request,
        "quality/reviews.html",
        {
            "rows": [{"r": r, "css": STATE_CSS.get(r.state, "")} for r in rows],
            "may_open": bool(workflow.actor_roles(request.user) & REVIEWERS),
            "last_month": _previous_month(),
        },
    )


@login_required
@require_POST
def review_new(request: HttpRequest) -> HttpResponse:
    made = run(
        request,
        lambda: reviews.open_review(actor=request.user, month=post(request, "month")),
        _("月度质量评审已开启"),
    )
    return redirect("quality:review", made.pk) if made is not None else redirect("quality:reviews")


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    r = or_404(lambda: selectors.review_detail(request.user, pk))
    actions = list(selectors.review_actions(r))
    dls = list_deadlines(ReviewAction, actions, timezone.now())
    roles = workflow.actor_roles(request.user)
    f = selectors.review_figures_of(r)
    c = f["complaints"]
    chart = {
        "category": [[_(row["label"]), row["count"]] for row in c["by_category"]],
        "product": [[row["code"] or _(row["label"]), row["count"]] for row in c["by_product"][:10]],
    }
    return render(
        request,
        "quality/review.html",
        {
            "r": r,
            "f": f,
            "chart": chart,
            "css": STATE_CSS.get(r.state, ""),
            "actions": [
                {
                    "a": a,
                    "dl": dls.get(a.pk),
                    "may_finish": a.state == "open"
                    and (a.owner_id == request.user.pk or bool(roles & REVIEWERS)),
                }
                for a in actions
            ],
            "may_edit": r.is_editable and bool(roles & REVIEWERS),
            "allowed": {tr.action for tr in workflow.allowed(r, REVIEW, request.user)},
            "departments": Department.objects.active().order_by("code"),
            "people": get_user_model()
            .objects.filter(org_kind="company", is_active=True)
            .order_by("display_name", "username")[:300],
            "timeline": timeline(r, REVIEW, ReviewState, request.user),
            **document_panels(r, request.user),
        },
    )


@login_required
@require_POST
def review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    r = or_404(lambda: selectors.review_detail(request.user, pk))
    user: Any = request.user

    def on_action(fn: Callable[[ReviewAction], Any]) -> Callable[[], Any]:
        def call() -> Any:
            a = selectors.review_action_detail(
                user, r, int_or_none(post(request, "action_id")) or 0
            )
            return fn(a)

        return call

    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "conclusions": (
            lambda: reviews.record_conclusions(
                actor=user, review=r, conclusions=post(request, "conclusions")
            ),
            _("评审结论已保存"),
        ),
        "add_action": (
            lambda: reviews.add_action(
                actor=user,
                review=r,
                description=post(request, "description"),
                owner_id=int_or_none(post(request, "owner_id")),
                department_id=int_or_none(post(request, "department_id")),
                due_date=post(request, "due_date"),
            ),
            _("改进措施已登记"),
        ),
        "action_done": (
            on_action(
                lambda a: reviews.complete_action(
                    actor=user, action=a, note=post(request, "done_note")
                )
            ),
            _("改进措施已完成"),
        ),
        "action_cancel": (
            on_action(
                lambda a: reviews.cancel_action(
                    actor=user, action=a, reason=post(request, "reason")
                )
            ),
            _("改进措施已撤销"),
        ),
        "close": (
            lambda: reviews.close_review(actor=user, review=r),
            _("评审已结束，已提交品管中心总监审批"),
        ),
    }
    if action not in calls:
        raise Http404(_("未知操作"))
    fn, message = calls[action]
    run(request, fn, message)
    return redirect("quality:review", pk)


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title[:31])
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe(ws, v) for v in row])
    for col, width in zip("ABCDEFGH", (16, 28, 16, 16, 16, 12, 12, 12), strict=False):
        ws.column_dimensions[col].width = width


def workbook(r: QualityReview, f: dict[str, Any], actions: list[ReviewAction]) -> bytes:
    """The review as a workbook: the summary with the conclusions, one sheet per block;
    every cell through the formula-safe writer (stored text never runs as a formula)."""
    c, o = f["complaints"], f["old_parts"]
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    summary: list[list[Any]] = [
        ["月份", f["month"]],
        ["评审编号", r.number],
        ["状态", r.get_state_display()],
        ["投诉（不含撤销）", c["total"]],
        ["撤销的投诉", c["cancelled"]],
        ["月末前已结案", c["closed"]],
        ["首次答复超时", c["reply_late"]],
        ["重复维修", len(f["repeat_repairs"])],
        ["月末逾期的纠正预防措施", len(f["overdue_capas"])],
        ["质量预警", len(f["warnings"])],
        ["本月应返回旧件", o["due"]],
        ["按期返回", o["back_on_time"]],
        ["逾期返回", o["back_late"]],
        ["免返回", o["waived"]],
        ["月末仍未返回", o["out_at_month_end"]],
        ["月末全部逾期未返旧件", o["overdue_at_month_end"]],
        ["评审结论", r.conclusions],
    ]
    _sheet(wb, "概况", ["项目", "数值"], summary)
    by: list[list[Any]] = []
    for name, key in (
        ("投诉类别", "by_category"),
        ("调查结论", "by_severity"),
        ("投诉方", "by_complainant"),
        ("产品", "by_product"),
        ("责任部门", "by_department"),
    ):
        by += [[name, row["label"], row["count"]] for row in c[key]]
    by += [["旧件鉴定", row["label"], row["count"]] for row in o["appraised"]]
    _sheet(wb, "分类统计", ["维度", "分类", "数量"], by)
    _sheet(
        wb,
        "人员投诉",
        ["投诉单号", "被投诉人员", "问题", "考核结果"],
        [[p["complaint"], p["person"], p["issue"], p["outcome"]] for p in c["person_complaints"]],
    )
    _sheet(
        wb,
        "重复维修",
        ["报修单号", "原报修单", "设备序列号", "产品型号", "报告提交时间"],
        [
            [x["ticket"], x["repeat_of"], x["serial_no"], x["product_model"], x["filed_at"][:16]]
            for x in f["repeat_repairs"]
        ],
    )
    _sheet(
        wb,
        "逾期纠正预防措施",
        ["编号", "标题", "完成期限", "责任部门"],
        [[x["number"], x["title"], x["due"], x["department"]] for x in f["overdue_capas"]],
    )
    _sheet(
        wb,
        "质量预警",
        ["预警编号", "产品型号", "故障部件", "原因分类", "统计周期", "故障次数"],
        [
            [
                x["number"],
                x["product_model"],
                x["component"],
                x["cause"],
                x["window"],
                x["fault_count"],
            ]
            for x in f["warnings"]
        ],
    )
    _sheet(
        wb,
        "改进措施",
        ["编号", "改进措施", "负责人", "责任部门", "完成期限", "状态", "完成情况"],
        [
            [
                a.number,
                a.description,
                str(a.owner),
                a.department.name if a.department else "",
                a.due_date.isoformat(),
                a.get_state_display(),
                a.done_note,
            ]
            for a in actions
        ],
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@login_required
def review_export(request: HttpRequest, pk: int) -> HttpResponse:
    r = or_404(lambda: selectors.review_detail(request.user, pk))
    f = selectors.review_figures_of(r)
    content = workbook(r, f, list(selectors.review_actions(r)))
    return download(content, Said("月度质量评审_%(month)s.xlsx", month=format(r.month, "%Y-%m")))
