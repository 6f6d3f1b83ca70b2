"""The dispatch board (派工台): open tickets waiting for a technician, and today's live work
orders per technician with re-assignment; and the equipment's service history."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from aftersales.accounts.roles import ROLE_BY_CODE
from aftersales.core.i18n import translated
from aftersales.core.visibility import visible
from aftersales.installed_base.models import Equipment
from aftersales.service import selectors
from aftersales.service.models import TicketState, WorkOrder, WorkOrderState
from aftersales.service.models.work import LIVE_WO_STATES
from aftersales.service.views import display
from aftersales.service.views.common import (
    DISPATCH_ROLES,
    deny,
    has_any,
    is_htmx,
    sla_view,
    visible_or_404,
)

AWAITING = (TicketState.REGISTERED, TicketState.ACKNOWLEDGED, TicketState.REOPENED)
BOARD_LIMIT = 200


def _technicians() -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=ROLE_BY_CODE["technician"].name)
        .order_by("username")
    )


@login_required
def dispatch_board(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_any(user, DISPATCH_ROLES):
        raise deny()
    waiting = list(
        selectors.ticket_queue(user, selectors.QueueFilters(state="open"))
        .filter(state__in=AWAITING)
        .exclude(work_orders__state__in=LIVE_WO_STATES)[:BOARD_LIMIT]
    )
    awaiting: list[dict[str, Any]] = [{"t": t, "sla": sla_view(t)} for t in waiting]
    awaiting.sort(key=lambda row: row["sla"]["minutes_left"] if row["sla"] else 10**9)
    today = timezone.localdate()
    live = list(
        visible(WorkOrder, user)
        .filter(state__in=LIVE_WO_STATES)
        .select_related("ticket__customer", "ticket__site", "technician")
        .prefetch_related("offers__technician", "ticket__clocks")
        .order_by("window_start", "dispatched_at")[:BOARD_LIMIT]
    )
    lanes: dict[str, dict[str, Any]] = {}
    for wo in live:
        row = {
            "wo": wo,
            "css": display.WO_STATE_CSS.get(wo.state, ""),
            "sla": sla_view(wo.ticket),
            "today": wo.window_start is None or timezone.localdate(wo.window_start) <= today,
        }
        if wo.technician is not None:
            key, name = f"u{wo.technician_id}", str(wo.technician)
        else:
            key, name = "offers", "待接单（多人邀约）"
        lanes.setdefault(key, {"name": name, "orders": []})["orders"].append(row)
    technicians = _technicians()
    for tech in technicians:
        lanes.setdefault(f"u{tech.pk}", {"name": str(tech), "orders": []})
    ctx = {
        "awaiting": awaiting,
        "lanes": sorted(
            lanes.values(), key=lambda lane: (lane["name"] != "待接单（多人邀约）", lane["name"])
        ),
        "technicians": technicians,
        "today": today,
        "wo_states": translated(WorkOrderState.choices),
    }
    return render(request, "service/board/board.html", ctx)


@login_required
def equipment_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every ticket of the equipment with its reports, parts changed and technicians."""
    eq = visible_or_404(
        Equipment.objects.select_related("model", "site__customer"), request.user, pk=pk
    )
    tickets = list(selectors.history_for_equipment(request.user, eq.pk)[:100])
    rows = []
    for t in tickets:
        reports = [r for r in t.reports.all() if r.archived_at is None]
        rows.append(
            {
                "t": t,
                "css": display.STATE_CSS.get(t.state, ""),
                "reports": reports,
                "parts": [p for r in reports for p in r.parts.all()],
                "technicians": sorted(
                    {str(wo.technician) for wo in t.work_orders.all() if wo.technician}
                ),
            }
        )
    ctx = {"eq": eq, "rows": rows}
    if is_htmx(request):
        return render(request, "service/history/_equipment_history.html", ctx)
    return render(request, "service/history/equipment_history.html", ctx)
