"""The customer portal: submit a request for one's own sites and equipment, follow the
tickets, accept or reject quotes, confirm service reports, rate the service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from aftersales.core import listfilters
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.customers.models import Site
from aftersales.installed_base.models import Equipment
from aftersales.service import selectors
from aftersales.service.models import (
    Callback,
    Channel,
    Quote,
    ServiceReport,
    TicketState,
    TicketType,
)
from aftersales.service.services import callbacks, intake, lifecycle, reports, warranty
from aftersales.service.views import display
from aftersales.service.views.common import (
    flag,
    opt_int,
    org_kind,
    run,
    text,
    ticket_or_404,
    visible_or_404,
)
from aftersales.sla.models import Severity

PORTAL_TYPES = [
    TicketType.REPAIR,
    TicketType.CONSULTATION,
    TicketType.MAINTENANCE,
    TicketType.INSTALLATION,
]
PORTAL_SEVERITIES = [Severity.URGENT, Severity.NORMAL, Severity.LOW]
# The customer's view of progress: the steps a request passes through.
STEPS = [
    ("registered", "已提交"),
    ("acknowledged", "已受理"),
    ("dispatched", "已派工"),
    ("on_site", "工程师到场"),
    ("resolved", "已解决"),
    ("closed", "已关闭"),
]
STEP_OF = {
    TicketState.REGISTERED: 0,
    TicketState.ACKNOWLEDGED: 1,
    TicketState.DISPATCHED: 2,
    TicketState.SCHEDULED: 2,
    TicketState.ON_SITE: 3,
    TicketState.IN_PROGRESS: 3,
    TicketState.WAITING_CUSTOMER: 3,
    TicketState.WAITING_PARTS: 3,
    TicketState.AT_FACTORY: 3,
    TicketState.REOPENED: 1,
    TicketState.RESOLVED: 4,
    TicketState.CLOSED: 5,
}


def progress_steps(state: str) -> list[dict[str, Any]]:
    """The customer's view of where a ticket stands (portal, QR page, tracking link)."""
    step = STEP_OF.get(TicketState(state), -1)
    return [
        {"label": label, "done": i <= step, "current": i == step}
        for i, (_, label) in enumerate(STEPS)
    ]


def _customer_only(user: Any) -> None:
    if org_kind(user) != "customer":
        raise Http404("客户门户仅供客户使用")


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if org_kind(user) != "customer":
        return redirect("service:ticket_list")
    status, g = 200, request.GET
    try:
        f = selectors.QueueFilters(
            state=listfilters.choice(g, "state", "状态", ("open", "all")) or "all",
            awaiting_customer=listfilters.flag(g, "waiting", "待我确认"),
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        f, status = selectors.QueueFilters(state="all"), 400
    tickets = [
        {"t": t, "css": display.STATE_CSS.get(t.state, "")}
        for t in selectors.ticket_queue(user, f)[:100]
    ]
    return render(
        request,
        "service/portal/home.html",
        {
            "tickets": tickets,
            "f": f,
            "callbacks": list(selectors.callbacks_due(user).filter(ticket__isnull=False)),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def portal_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _customer_only(user)
    equipment = list(
        visible(Equipment, user)
        .filter(archived_at__isnull=True)
        .select_related("model", "site")
        .order_by("site__code", "serial_no")
    )
    sites = list(visible(Site, user).filter(archived_at__isnull=True).order_by("code"))
    values: dict[str, Any] = {
        "severity": Severity.NORMAL,
        "type": TicketType.REPAIR,
        "contact_name": user.display_name,
        "contact_phone": user.phone,
        "equipment_id": request.GET.get("equipment_id", ""),
    }
    error, duplicate = "", False
    if request.method == "POST":
        values = {
            name: text(request, name)
            for name in (
                "equipment_id",
                "site_id",
                "type",
                "severity",
                "contact_name",
                "contact_phone",
                "description",
                "environment",
                "customer_request",
                "different_fault_reason",
            )
        }
        values["allow_duplicate"] = flag(request, "allow_duplicate")
        try:
            ticket = intake.ticket_create(
                actor=user,
                data=intake.TicketInput(
                    description=values["description"],
                    contact_name=values["contact_name"],
                    contact_phone=values["contact_phone"],
                    channel=Channel.PORTAL,
                    customer_id=user.customer_id,
                    site_id=opt_int(values["site_id"], "项目", "site_id"),
                    equipment_id=opt_int(values["equipment_id"], "设备", "equipment_id"),
                    type=values["type"] if values["type"] in PORTAL_TYPES else "invalid",
                    severity=values["severity"]
                    if values["severity"] in PORTAL_SEVERITIES
                    else "invalid",
                    environment=values["environment"],
                    customer_request=values["customer_request"],
                    allow_duplicate=values["allow_duplicate"],
                    different_fault_reason=values["different_fault_reason"],
                ),
            )
        except DomainError as exc:
            error, duplicate = exc.message, exc.code == "duplicate_ticket"
        else:
            messages.success(
                request,
                Said("报修已提交，单号 %(number)s。我们会尽快与您联系。", number=ticket.number),
            )
            return redirect("service:portal_ticket", pk=ticket.pk)
    return render(
        request,
        "service/portal/new.html",
        {
            "v": values,
            "error": error,
            "duplicate_error": duplicate,
            "equipment": equipment,
            "sites": sites,
            "types": [(t.value, t.label) for t in PORTAL_TYPES],
            "severities": [(s.value, s.label) for s in PORTAL_SEVERITIES],
        },
        status=422 if error else 200,
    )


@login_required
def portal_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if org_kind(user) != "customer":
        return redirect("service:ticket_detail", pk=pk)
    t = ticket_or_404(user, pk)
    wos = list(
        t.work_orders.exclude(state__in=["reassigned", "declined", "cancelled"])
        .select_related("technician")
        .order_by("-dispatched_at")
    )
    return render(
        request,
        "service/portal/ticket.html",
        {
            "t": t,
            "css": display.STATE_CSS.get(t.state, ""),
            "steps": progress_steps(t.state),
            "work_orders": wos,
            "warranty": warranty.current(t),
            "quotes": list(
                visible(Quote, user)
                .filter(ticket=t)
                .prefetch_related("lines")
                .order_by("-created_at")
            ),
            "reports": list(
                visible(ServiceReport, user)
                .filter(ticket=t, filed_at__isnull=False)
                .select_related("work_order__technician")
                .prefetch_related("parts__part")
            ),
            "drafts": list(
                visible(ServiceReport, user)
                .filter(ticket=t, filed_at__isnull=True)
                .exclude(confirm_token="")
                .filter(confirmed_by_link_at__isnull=True)
            ),
            "callbacks": list(visible(Callback, user).filter(ticket=t, state=Callback.State.DUE)),
            "timeline": [i for i in display.timeline_items(selectors.timeline(t)) if i.change],
            "factory": selectors.factory_repairs(user, t),
            "can_cancel": t.state
            in (
                "registered",
                "acknowledged",
                "dispatched",
                "scheduled",
                "waiting_customer",
                "reopened",
            ),
            "ratings": [5, 4, 3, 2, 1],
        },
    )


def _back(pk: int) -> str:
    return reverse("service:portal_ticket", args=[pk])


@require_POST
@login_required
def portal_quote(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _customer_only(user)
    quote = visible_or_404(Quote.objects.select_related("ticket"), user, pk=pk)
    accept = request.POST.get("accept") == "1"
    return run(
        request,
        lambda: warranty.quote_decide(
            quote=quote,
            accept=accept,
            by_name=text(request, "by_name") or user.display_name or user.username,
            actor=user,
            via="portal",
        ),
        success="您已接受报价，我们将安排工程师" if accept else "您已拒绝报价",
        back=_back(quote.ticket_id),
    )


@require_POST
@login_required
def portal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer confirms a report the technician sent for confirmation."""
    user: Any = request.user
    _customer_only(user)
    report = visible_or_404(ServiceReport.objects.all(), user, pk=pk)
    return run(
        request,
        lambda: reports.confirm_by_link(
            token=report.confirm_token,
            name=text(request, "name") or user.display_name or user.username,
            opinion=text(request, "opinion"),
        ),
        success="服务报告已确认，谢谢！",
        back=_back(report.ticket_id),
    )


@require_POST
@login_required
def portal_rate(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _customer_only(user)
    cb = visible_or_404(Callback.objects.all(), user, pk=pk)
    back = _back(cb.ticket_id) if cb.ticket_id else reverse("service:portal")
    return run(
        request,
        lambda: callbacks.record_result(
            actor=user,
            callback=cb,
            attitude=request.POST.get("attitude"),
            quality=request.POST.get("quality"),
            solved=request.POST.get("solved") == "1",
            score=request.POST.get("score"),
            comment=text(request, "comment"),
            dissatisfaction_cause=text(request, "dissatisfaction_cause"),
            channel="portal",
        ),
        success="感谢您的评价！",
        back=back,
    )


@require_POST
@login_required
def portal_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _customer_only(user)
    t = ticket_or_404(user, pk)
    return run(
        request,
        lambda: lifecycle.cancel(actor=user, ticket=t, reason=text(request, "reason")),
        success="报修已取消",
        back=_back(t.pk),
    )
