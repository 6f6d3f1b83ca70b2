"""Complaint screens: the list with filters and deadline colours, the registration form (also
raised from a ticket or a callback), the complaint page with the form of every allowed step,
approvals, deadlines and timeline (a customer or dealer sees the customer-facing part only),
and the Excel export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

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
from aftersales.core.exports import xlsx
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.customers.models import Customer
from aftersales.dealers.models import Dealer
from aftersales.installed_base.models import Equipment
from aftersales.parts.views.common import is_staff
from aftersales.quality import selectors
from aftersales.quality.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintFinding,
    ComplaintState,
    CorrectiveAction,
    PersonIssue,
)
from aftersales.quality.services import complaints
from aftersales.quality.transitions import COMPLAINT

STATE_CSS = {
    "registered": "st-new",
    "investigated": "st-work",
    "in_approval": "st-wait",
    "returned": "st-wait",
    "approved": "st-work",
    "closed": "st-done",
    "cancelled": "st-off",
}
# the channels an agent picks; ticket / callback come from the record it was raised from
AGENT_CHANNELS = [
    (v, label)
    for v, label in translated(ComplaintChannel.choices)
    if v not in (ComplaintChannel.TICKET, ComplaintChannel.CALLBACK)
]


def _filters(request: HttpRequest) -> selectors.ComplaintFilters:
    g = request.GET
    return selectors.ComplaintFilters(
        state=g.get("state") or "open",
        category=g.get("category") or None,
        severity=g.get("severity") or None,
        overdue=g.get("overdue") == "1",
        customer_id=int_or_none(g.get("customer_id")),
        dealer_id=int_or_none(g.get("dealer_id")),
        q=(g.get("q") or "").strip()[:100] or None,
        awaiting_reply=g.get("awaiting_reply") == "1",
    )


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    now = timezone.now()
    page = Paginator(selectors.complaint_list(request.user, f, now), 20).get_page(
        request.GET.get("page")
    )
    dls = list_deadlines(Complaint, page, now)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    staff = is_staff(request.user)
    return render(
        request,
        "quality/list.html",
        {
            "page": page,
            "rows": [
                {"c": c, "dl": dls.get(c.pk), "css": STATE_CSS.get(c.state, "")} for c in page
            ],
            "f": f,
            "query": urlencode(query),
            "states": [
                ("open", _("未结案")),
                ("all", _("全部")),
                *translated(ComplaintState.choices),
            ],
            "categories": translated(ComplaintCategory.choices),
            "severities": translated(ComplaintFinding.choices) if staff else [],
            "customers": visible(Customer, request.user).order_by("name")[:500],
            "dealers": visible(Dealer, request.user).order_by("name")[:200] if staff else [],
            "staff": staff,
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    staff = is_staff(request.user)
    rows = list(selectors.complaint_list(request.user, _filters(request), now)[:5000])
    dls = list_deadlines(Complaint, rows, now)
    head = ["投诉单号", "状态", "渠道", "类别", "客户", "经销商", "投诉内容", "客户诉求"]
    head += ["登记时间", "答复时间", "结案时间", "时限", "超时"]
    if staff:
        head += ["调查结论", "责任部门", "原因分析"]
    out = []
    for c in rows:
        dl = dls.get(c.pk) or {}
        row: list[Any] = [
            c.number,
            c.get_state_display(),
            c.get_channel_display(),
            c.get_category_display(),
            c.customer.name if c.customer else "",
            c.dealer.name if c.dealer else "",
            c.description,
            c.demand,
            c.registered_at,
            c.replied_at,
            c.closed_at,
            dl.get("label", ""),
            "是" if dl.get("overdue") else "",
        ]
        if staff:
            row += [
                c.get_severity_display(),
                c.responsible_department.name if c.responsible_department else "",
                c.cause,
            ]
        out.append(row)
    return xlsx(
        Said("投诉单_%(localdate)s.xlsx", localdate=format(timezone.localdate(), "%Y%m%d")),
        "投诉单",
        head,
        out,
    )


def _staff_people() -> Any:
    return (
        get_user_model()
        .objects.filter(org_kind="company", is_active=True)
        .order_by("display_name", "username")[:300]
    )


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    source = request.POST if request.method == "POST" else request.GET
    ticket_id = int_or_none(source.get("ticket_id"))
    callback_id = int_or_none(source.get("callback_id"))
    if request.method == "POST":
        data = complaints.ComplaintInput(
            category=post(request, "category"),
            description=post(request, "description"),
            channel=post(request, "channel") or ComplaintChannel.PHONE,
            contact_name=post(request, "contact_name"),
            contact_phone=post(request, "contact_phone"),
            demand=post(request, "demand"),
            customer_id=int_or_none(post(request, "customer_id")),
            dealer_id=int_or_none(post(request, "dealer_id")),
            equipment_id=int_or_none(post(request, "equipment_id")),
            ticket_id=ticket_id,
            callback_id=callback_id,
            order_no=post(request, "order_no"),
            part_code=post(request, "part_code"),
            ship_date=post(request, "ship_date") or None,
            quantity=post(request, "quantity") or None,
            defective_quantity=post(request, "defective_quantity") or None,
            person_issue=post(request, "person_issue"),
            staff_member_id=int_or_none(post(request, "staff_member_id")),
        )
        created = run(request, lambda: complaints.register(actor=user, data=data), "投诉已登记")
        if created is not None:
            return redirect("quality:detail", created.pk)
    staff = is_staff(user)
    return render(
        request,
        "quality/new.html",
        {
            "form": request.POST,
            "ticket_id": ticket_id,
            "callback_id": callback_id,
            "customers": visible(Customer, user).order_by("name")[:500],
            "dealers": Dealer.objects.active().order_by("name")[:200] if staff else [],
            "equipment": visible(Equipment, user)
            .select_related("model", "site__customer")
            .order_by("site__customer__name", "serial_no")[:500],
            "channels": AGENT_CHANNELS,
            "categories": translated(ComplaintCategory.choices),
            "person_issues": translated(PersonIssue.choices),
            "people": _staff_people() if staff else [],
            "staff": staff,
        },
    )


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = or_404(lambda: selectors.complaint_detail(request.user, pk))
    staff = is_staff(request.user)
    return render(
        request,
        "quality/detail.html",
        {
            "c": c,
            "css": STATE_CSS.get(c.state, ""),
            "allowed": {tr.action for tr in workflow.allowed(c, COMPLAINT, request.user)},
            "may_reply": staff
            and c.replied_at is None
            and c.state not in ("closed", "cancelled")
            and bool(
                workflow.actor_roles(request.user) & {"agent", "coordinator", "quality_director"}
            ),
            "timeline": timeline(c, COMPLAINT, ComplaintState, request.user),
            "departments": Department.objects.active().order_by("code"),
            "severities": translated(ComplaintFinding.choices),
            "staff": staff,
            # the corrective action a serious complaint opened (internal, like the cause)
            "capas": list(CorrectiveAction.objects.filter(complaint=c).order_by("id"))
            if staff
            else [],
            **document_panels(c, request.user),
        },
    )


@login_required
@require_POST
def complaint_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    c = or_404(lambda: selectors.complaint_detail(request.user, pk))
    user: Any = request.user
    accountable = post(request, "person_accountable")
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "reply": (
            lambda: complaints.reply(
                actor=user,
                complaint=c,
                text=post(request, "text"),
                replied_at=post(request, "replied_at") or None,
            ),
            "答复已记录",
        ),
        "investigate": (
            lambda: complaints.investigate(
                actor=user,
                complaint=c,
                data=complaints.InvestigationInput(
                    cause=post(request, "cause"),
                    severity=post(request, "severity"),
                    responsible_department_id=int_or_none(
                        post(request, "responsible_department_id")
                    ),
                    production_batch=post(request, "production_batch"),
                    production_line=post(request, "production_line"),
                    production_people=post(request, "production_people"),
                    production_date=post(request, "production_date") or None,
                    person_accountable={"yes": True, "no": False}.get(accountable),
                ),
            ),
            "调查结果已记录",
        ),
        "feed_back": (
            lambda: complaints.feed_back(
                actor=user, complaint=c, feedback=post(request, "feedback")
            ),
            "已反馈并结案",
        ),
        "submit_handling": (
            lambda: complaints.submit_handling(
                actor=user,
                complaint=c,
                measures_production=post(request, "measures_production"),
                measures_technical=post(request, "measures_technical"),
                solution=post(request, "solution"),
                department_ids=[
                    int(x) for x in request.POST.getlist("department_ids") if x.isdigit()
                ],
            ),
            "投诉处理单已提交相关部门审批",
        ),
        "close": (
            lambda: complaints.close(actor=user, complaint=c, feedback=post(request, "feedback")),
            "已结案",
        ),
        "explain": (
            lambda: complaints.explain(
                actor=user,
                complaint=c,
                appraisal_result=post(request, "appraisal_result"),
                appraisal_basis=post(request, "appraisal_basis"),
                advice=post(request, "advice"),
            ),
            "已依鉴定结果答复并结案",
        ),
        "cancel": (
            lambda: complaints.cancel(actor=user, complaint=c, reason=post(request, "reason")),
            "投诉已撤销",
        ),
    }
    if action not in calls:
        raise Http404("未知操作")
    fn, message = calls[action]
    run(request, fn, message)
    return redirect("quality:detail", pk)
