"""Stock screens: stock by location (with units and value), warehouses, movement documents
and their detail. Company staff see every store; a technician sees his van; others 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aftersales.approvals.web import run
from aftersales.core import limits
from aftersales.core.errors import NotFound
from aftersales.parts.views.common import is_staff
from aftersales.stock import selectors
from aftersales.stock.models import MovementKind, ShortageState, WarehouseKind
from aftersales.stock.services import consumption


def _may_see(user: Any) -> None:
    if not (is_staff(user) or (user.org_kind == "company" and "technician" in user.role_codes)):
        raise Http404("库存仅对公司员工可见")


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or 0 < number <= limits.INT_MAX else None


def _query(request: HttpRequest) -> str:
    return urlencode({k: v for k, v in request.GET.items() if k != "page" and v})


@login_required
def stock_list(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    g = request.GET
    f = selectors.LevelFilters(
        warehouse_id=_int(g.get("warehouse_id")),
        kind=g.get("kind") if g.get("kind") in WarehouseKind.values else None,
        q=(g.get("q") or "").strip()[:50] or None,
    )
    qs = selectors.levels(request.user, f)
    page = Paginator(qs, 50).get_page(g.get("page"))
    return render(
        request,
        "stock/list.html",
        {
            "page": page,
            "f": f,
            "totals": selectors.totals(qs),
            "query": _query(request),
            "warehouses": selectors.warehouses(request.user),
            "kinds": WarehouseKind.choices,
        },
    )


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    g = request.GET
    f = selectors.MovementFilters(
        kind=g.get("kind") if g.get("kind") in MovementKind.values else None,
        warehouse_id=_int(g.get("warehouse_id")),
        part_id=_int(g.get("part_id")),
        lot_id=_int(g.get("lot_id")),
        q=(g.get("q") or "").strip()[:50] or None,
    )
    page = Paginator(selectors.movements(request.user, f), 30).get_page(g.get("page"))
    return render(
        request,
        "stock/movements.html",
        {
            "page": page,
            "f": f,
            "query": _query(request),
            "warehouses": selectors.warehouses(request.user),
            "kinds": MovementKind.choices,
        },
    )


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    try:
        doc = selectors.movement(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    lines = list(doc.lines.all())
    return render(
        request,
        "stock/movement.html",
        {"m": doc, "lines": lines, "total": sum((ln.amount for ln in lines), start=0)},
    )


@login_required
def shortage_list(request: HttpRequest) -> HttpResponse:
    _may_see(request.user)
    state = request.GET.get("state") or "open"
    if state not in ("open", "all", *ShortageState.values):
        state = "open"
    page = Paginator(selectors.shortages(request.user, state), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "stock/shortages.html",
        {
            "page": page,
            "state": state,
            "states": [("open", "待补货"), ("all", "全部"), ("replenished", "已补货")],
            "query": _query(request),
            "may_replenish": request.user.has_perm("stock.add_movement"),
        },
    )


@login_required
@require_POST
def shortage_replenish(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see(request.user)
    run(
        request,
        lambda: consumption.replenish(actor=request.user, shortage=pk),
        lambda s: f"已补货：调拨单 {s.replenishment.number}",
    )
    return redirect("stock:shortages")
