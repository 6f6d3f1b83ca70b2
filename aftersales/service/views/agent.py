"""The agent workspace: the ticket queue with SLA time left, the ticket page (timeline, SLA
clocks, warranty, quotes, work orders, dispatch) and the ticket's action forms."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from aftersales.accounts.roles import ROLE_BY_CODE
from aftersales.approvals.services import deadlines
from aftersales.charges.views import collect_context
from aftersales.core import listfilters
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.core.i18n import translated
from aftersales.service import selectors
from aftersales.service.models import (
    Callback,
    FactoryRepair,
    Ticket,
    TicketState,
    TicketType,
    WorkOrderState,
)
from aftersales.service.models.work import LIVE_WO_STATES
from aftersales.service.services import (
    callbacks,
    clocks,
    dispatch,
    factory,
    intake,
    lifecycle,
    targets,
    warranty,
)
from aftersales.service.transitions import FACTORY_ROLES, allowed_actions
from aftersales.service.views import display
from aftersales.service.views.common import (
    DISPATCH_ROLES,
    OVERRIDE_ROLES,
    STAFF_ROLES,
    has_any,
    is_htmx,
    org_kind,
    roles_of,
    run,
    sla_view,
    text,
    ticket_or_404,
    visible_or_404,
)
from aftersales.sla.models import Severity

PAGE_SIZE = 20
CALLBACK_ROLES = frozenset({"agent", "coordinator", "manager", "admin"})
# Actions offered on the ticket page (dispatch, schedule and check-in have their own forms).
PAGE_ACTIONS = (
    "acknowledge",
    "start_work",
    "resume",
    "resolve",
    "resolve_remotely",
    "close",
    "reopen",
    "cancel",
)


QUEUE_STATES = ("open", "all", *TicketState.values)


def queue_filters(request: HttpRequest) -> selectors.QueueFilters:
    """The queue's filters from the query string; a value it does not know is a Chinese
    ``ValidationFailed`` (the list shows it, the export refuses with it)."""
    g = request.GET
    return selectors.QueueFilters(
        state=listfilters.choice(g, "state", "状态", QUEUE_STATES) or "open",
        severity=listfilters.choice(g, "severity", "严重程度", Severity.values),
        mine=listfilters.flag(g, "mine", "我负责的"),
        overdue=listfilters.flag(g, "overdue", "已超时"),
        unassigned=listfilters.flag(g, "unassigned", "待派工"),
        at_risk=listfilters.flag(g, "at_risk", "即将超时"),
        breached_today=listfilters.flag(g, "breached_today", "今日超时"),
        q=listfilters.search(g),
    )


def queue_query(filters: selectors.QueueFilters) -> str:
    """The filters as a query string (the pager's, the export's)."""
    query = {
        "state": filters.state if filters.state != "open" else "",
        "severity": filters.severity or "",
        "mine": "1" if filters.mine else "",
        "overdue": "1" if filters.overdue else "",
        "unassigned": "1" if filters.unassigned else "",
        "at_risk": "1" if filters.at_risk else "",
        "breached_today": "1" if filters.breached_today else "",
        "q": filters.q or "",
    }
    return urlencode({k: v for k, v in query.items() if v})


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if org_kind(user) == "customer":
        return redirect("service:portal")
    status = 200
    try:
        filters = queue_filters(request)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        filters, status = selectors.QueueFilters(state="open"), 400
    page = Paginator(selectors.ticket_queue(user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ctx = {
        "page": page,
        "rows": [
            {"t": t, "sla": sla_view(t), "css": display.STATE_CSS.get(t.state, "")} for t in page
        ],
        "f": filters,
        "query": queue_query(filters),
        "states": [("open", _("未关闭")), ("all", _("全部")), *translated(TicketState.choices)],
        "severities": translated(Severity.choices),
        "can_create": user.has_perm("service.add_ticket"),
        "callbacks_due": selectors.callbacks_due(user).count()
        if has_any(user, CALLBACK_ROLES)
        else 0,
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "rows":
        return render(request, "service/agent/_queue_rows.html", ctx, status=status)
    return render(request, "service/agent/queue.html", ctx, status=status)


def _staff_users() -> list[Any]:
    names = [ROLE_BY_CODE[r].name for r in sorted(STAFF_ROLES)]
    return list(
        get_user_model()
        .objects.filter(org_kind="company", is_active=True, groups__name__in=names)
        .distinct()
        .order_by("username")
    )


def _work_orders(ticket: Ticket) -> list[dict[str, Any]]:
    wos = (
        ticket.work_orders.select_related("technician", "report")
        .prefetch_related("offers__technician")
        .order_by("-dispatched_at")
    )
    rows = []
    for wo in wos:
        try:
            report = wo.report
        except ObjectDoesNotExist:
            report = None
        rows.append(
            {
                "wo": wo,
                "css": display.WO_STATE_CSS.get(wo.state, ""),
                "is_live": wo.state in LIVE_WO_STATES,
                "offers": list(wo.offers.all()),
                "report": report,
            }
        )
    return rows


@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if org_kind(user) == "customer":
        return redirect("service:portal_ticket", pk=pk)
    t = ticket_or_404(user, pk)
    roles = roles_of(user)
    allowed = {a.action: a for a in allowed_actions(t.state, roles)}
    work_orders = _work_orders(t)
    live = next((row["wo"] for row in work_orders if row["is_live"]), None)
    can_dispatch = has_any(user, DISPATCH_ROLES) or org_kind(user) == "dealer"
    record = warranty.current(t)
    ranked = dispatch.candidates(t) if can_dispatch and t.is_open else []
    ctx = {
        "t": t,
        "sla": sla_view(t),
        "clocks": sorted(clocks.clock_summary(t), key=lambda c: c["state"].due),
        "pauses": list(t.pauses.all()),
        "actions": [allowed[a] for a in PAGE_ACTIONS if a in allowed],
        "can_wait": "wait_customer" in allowed or "wait_parts" in allowed,
        "wait_parts": "wait_parts" in allowed,
        "warranty": record,
        "charge_labels": display.CHARGE_LABELS,
        "can_override": has_any(user, OVERRIDE_ROLES),
        "outcomes": display.OUTCOME_CHOICES,
        "quotes": list(
            t.quotes.prefetch_related("lines", "payments__receipts").order_by("-created_at")
        ),
        **collect_context(user),
        "can_quote": record is not None
        and has_any(user, STAFF_ROLES | {"technician"})
        and t.is_open,
        "work_orders": work_orders,
        "live": live,
        "can_dispatch": can_dispatch and "dispatch" in allowed and live is None,
        "can_reassign": has_any(user, DISPATCH_ROLES)
        and live is not None
        and live.state in (WorkOrderState.OFFERED, WorkOrderState.ACCEPTED),
        "can_schedule": "schedule" in allowed
        and live is not None
        and live.state in (WorkOrderState.OFFERED, WorkOrderState.ACCEPTED),
        "candidates": ranked,
        "remote_first": bool(
            t.equipment_id and t.equipment and t.equipment.model.category.remote_service
        ),
        "can_claim": t.owner_id is None and has_any(user, STAFF_ROLES) and t.is_open,
        "can_hand_over": t.is_open
        and (
            user.is_superuser
            or t.owner_id == user.pk
            or has_any(user, frozenset({"coordinator", "manager"}))
        ),
        "staff": _staff_users(),
        "callbacks": list(t.callbacks.order_by("-due_date")),
        "can_callback": has_any(user, CALLBACK_ROLES),
        "timeline": display.timeline_items(selectors.timeline(t)),
        "type_label": TicketType(t.type).label,
        "on_site_due": dispatch.on_site_due(t),
        "can_plan": t.is_open
        and t.severity == Severity.MAJOR
        and has_any(user, frozenset(targets.PLAN_ROLES)),
        "plan_max": Ticket._meta.get_field("solution_plan").max_length,
        "complex_max": Ticket._meta.get_field("complex_reason").max_length,
        "factory": selectors.factory_repairs(user, t),
        "can_send_factory": "send_to_factory" in allowed,
        "can_factory": has_any(user, FACTORY_ROLES),
        "factory_max": {
            f.name: f.max_length
            for f in FactoryRepair._meta.fields
            if f.get_internal_type() == "CharField"
        },
        "repair_days": _duration(factory.REPAIR_RULE),
        "round_trip_days": _duration(factory.ROUND_TRIP_RULE),
        "can_mark_complex": t.is_open
        and t.severity == Severity.NORMAL
        and t.complex_at is None
        and t.sla_policy_id is not None
        and has_any(user, frozenset(targets.COMPLEX_ROLES)),
    }
    from aftersales.dealers.views import ticket_task_context

    ctx |= ticket_task_context(user, t)
    return render(request, "service/agent/ticket.html", ctx)


def _hand_over(request: HttpRequest, user: Any, t: Ticket) -> Ticket:
    to_id = request.POST.get("to_user_id", "")
    to_user = get_user_model().objects.filter(pk=int(to_id)).first() if to_id.isdigit() else None
    if to_user is None:
        raise ValidationFailed("请选择接收人", field="to_user_id")
    return intake.ticket_hand_over(
        actor=user, ticket=t, to_user=to_user, reason=text(request, "reason")
    )


ACTION_MESSAGES = {
    "acknowledge": "已受理（首次响应）",
    "wait": "已暂停计时，等待中",
    "resume": "已恢复处理",
    "start_work": "已开始处理",
    "resolve": "已完工",
    "resolve_remotely": "已远程解决",
    "cancel": "报修单已取消",
    "reopen": "报修单已重开",
    "close": "报修单已关闭",
    "claim": "您已成为首问负责人",
    "hand_over": "已移交首问负责人",
    "solution_plan": "解决方案已记录",
    "complex": "已认定为复杂故障，解决时限已调整",
    "factory_send": "已寄往工厂维修，报修单暂停计时",
    "factory_arrive": "已记录工厂收到",
    "factory_ship_back": "已记录工厂修复发回",
    "factory_receive": "返厂件已收回，恢复处理",
}


def _duration(code: str) -> str:
    """A deadline rule's configured duration in the reader's language."""
    return deadlines.duration_said(code)


def _open_repair(user: Any, t: Ticket) -> FactoryRepair:
    repair = next(
        (v.repair for v in selectors.factory_repairs(user, t) if v.repair.state != "received"), None
    )
    if repair is None:
        raise Conflict("该报修单没有进行中的返厂维修", code="no_factory_repair")
    return repair


@require_POST
@login_required
def ticket_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One form per ticket action; each calls its service."""
    user = request.user
    t = ticket_or_404(user, pk)
    calls = {
        "acknowledge": lambda: lifecycle.acknowledge(
            actor=user, ticket=t, note=text(request, "note")
        ),
        "wait": lambda: lifecycle.wait(
            actor=user, ticket=t, for_=text(request, "for"), reason=text(request, "reason")
        ),
        "resume": lambda: lifecycle.resume(actor=user, ticket=t),
        "start_work": lambda: dispatch.start_work(actor=user, ticket=t),
        "resolve": lambda: lifecycle.resolve(actor=user, ticket=t),
        "resolve_remotely": lambda: lifecycle.resolve_remotely(
            actor=user, ticket=t, solution=text(request, "solution")
        ),
        "cancel": lambda: lifecycle.cancel(actor=user, ticket=t, reason=text(request, "reason")),
        "reopen": lambda: lifecycle.reopen(actor=user, ticket=t, cause=text(request, "cause")),
        "close": lambda: lifecycle.close(actor=user, ticket=t),
        "claim": lambda: intake.ticket_claim_ownership(actor=user, ticket=t),
        "hand_over": lambda: _hand_over(request, user, t),
        "solution_plan": lambda: targets.record_solution_plan(
            actor=user, ticket=t, plan=text(request, "plan")
        ),
        "complex": lambda: targets.mark_complex(
            actor=user, ticket=t, reason=text(request, "reason")
        ),
        "factory_send": lambda: factory.send(
            actor=user,
            ticket=t,
            reason=text(request, "reason"),
            items=text(request, "items"),
            waybill=text(request, "waybill"),
        ),
        "factory_arrive": lambda: factory.arrive(actor=user, repair=_open_repair(user, t)),
        "factory_ship_back": lambda: factory.ship_back(
            actor=user,
            repair=_open_repair(user, t),
            note=text(request, "note"),
            waybill=text(request, "waybill"),
        ),
        "factory_receive": lambda: factory.receive(
            actor=user, repair=_open_repair(user, t), note=text(request, "note")
        ),
    }
    if action not in calls:
        raise Http404("未知操作")
    back = reverse("service:ticket_detail", args=[t.pk])
    return run(request, calls[action], success=f"{t.number}：{ACTION_MESSAGES[action]}", back=back)


def _callback_and_back(request: HttpRequest, pk: int) -> tuple[Callback, str]:
    """The callback the user may record, and where to go afterwards (its ticket, else the
    callback worklist)."""
    cb = visible_or_404(Callback.objects.select_related("ticket"), request.user, pk=pk)
    if cb.ticket_id:
        return cb, reverse("service:ticket_detail", args=[cb.ticket_id])
    return cb, reverse("service:callback_list")


@require_POST
@login_required
def callback_result(request: HttpRequest, pk: int) -> HttpResponse:
    """回访登记 by an agent on the phone: satisfied closes the ticket, dissatisfied re-opens it."""
    user = request.user
    cb, back = _callback_and_back(request, pk)
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
            channel=text(request, "channel") or "phone",
        ),
        success="回访结果已登记",
        back=back,
    )


@require_POST
@login_required
def callback_unreachable(request: HttpRequest, pk: int) -> HttpResponse:
    """客户联系不上: counted, retried after the policy's interval, ended after its last try."""
    user = request.user
    cb, back = _callback_and_back(request, pk)
    return run(
        request,
        lambda: callbacks.record_unreachable(actor=user, callback=cb, note=text(request, "note")),
        success="已记录联系不上",
        back=back,
    )


def callback_filters(request: HttpRequest) -> selectors.CallbackFilters:
    g = request.GET
    return selectors.CallbackFilters(
        by_today=listfilters.choice(g, "due", "应回访日期", ("today",)) == "today",
        retry=listfilters.flag(g, "retry", "需再次联系"),
    )


def callback_query(f: selectors.CallbackFilters) -> str:
    return urlencode(
        {
            k: v
            for k, v in {
                "due": "today" if f.by_today else "",
                "retry": "1" if f.retry else "",
            }.items()
            if v
        }
    )


@login_required
def callback_list(request: HttpRequest) -> HttpResponse:
    """回访 worklist: callbacks due, oldest first (the result is recorded on the ticket page);
    ``?due=today`` those due by today, ``?retry=1`` the customers to call back."""
    user = request.user
    if not has_any(user, CALLBACK_ROLES):
        raise Http404("无权查看回访任务")
    status = 200
    try:
        f = callback_filters(request)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        f, status = selectors.CallbackFilters(), 400
    page = Paginator(selectors.callbacks_due(user, f).select_related("site"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "service/agent/callbacks.html",
        {"page": page, "today": timezone.localdate(), "f": f, "query": callback_query(f)},
        status=status,
    )
