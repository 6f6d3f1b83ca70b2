"""The borrowing ledger (拆包产品台帐) with QA and return to stock, the loading lists (list,
printable page, their steps) and the daily loading list."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aftersales.approvals.web import document_panels, flag, or_404, post, run, timeline
from aftersales.core.i18n import translated
from aftersales.core.visibility import get_visible
from aftersales.parts import selectors
from aftersales.parts.models import BorrowingState, LoadingListState, PackBorrowing
from aftersales.parts.services import fulfilment, shipping
from aftersales.parts.transitions import LOADING_LIST
from aftersales.parts.views.common import require_staff


@login_required
def borrowings(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    state = request.GET.get("state") or None
    return render(
        request,
        "parts/borrowings.html",
        {
            "rows": list(selectors.borrowings(request.user, state)[:500]),
            "state": state,
            "states": translated(BorrowingState.choices),
            "roles": request.user.role_codes,  # type: ignore[union-attr]
        },
    )


@login_required
def borrowing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    return redirect(f"{reverse('parts:borrowings')}#b{pk}")


@login_required
@require_POST
def borrowing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_staff(request.user)
    b = or_404(lambda: get_visible(PackBorrowing, request.user, pk=pk))
    user: Any = request.user
    if action == "qa":
        run(
            request,
            lambda: fulfilment.borrowing_qa(
                actor=user, borrowing=b, passed=flag(request, "passed"), note=post(request, "note")
            ),
            "成品QA检验结果已记录",
        )
    elif action == "return":
        run(
            request,
            lambda: fulfilment.borrowing_return(actor=user, borrowing=b),
            "成品包已归还成品仓，台帐已签名",
        )
    else:
        raise Http404("未知操作")
    return redirect(f"{reverse('parts:borrowings')}#b{pk}")


@login_required
def loading_lists(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    kind = request.GET.get("kind") or None
    state = (
        request.GET.get("state") if request.GET.get("state") in LoadingListState.values else None
    )
    return render(
        request,
        "parts/loading_lists.html",
        {
            "rows": list(selectors.loading_lists(request.user, kind, state)[:300]),
            "kind": kind,
            "state": state,
        },
    )


@login_required
@require_POST
def daily_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    ll = run(
        request,
        lambda: shipping.daily_list(actor=request.user, day=post(request, "day") or None),
        "已生成当日补件装车单",
    )
    if ll is not None:
        return redirect("parts:loading_list", ll.pk)
    return redirect("parts:loading_lists")


def _with_bins(ll: Any, items: list[Any]) -> list[Any]:
    """Each line gets ``bins``: where its part lies (the oldest lot's bin first), for the
    pick-up — in the finished-goods store for a finished-goods list, else (or when there is
    none) the after-sales store."""
    from aftersales.stock.selectors import bins_holding
    from aftersales.stock.services.intake import after_sales_store, finished_goods_store

    fg = finished_goods_store() if ll.kind == "finished_goods" else None
    store = fg or after_sales_store()
    lines = [ln for i in items for ln in i.request.lines.all()]
    where = bins_holding(store, {ln.part_id for ln in lines}) if store else {}
    for ln in lines:
        ln.bins = where.get(ln.part_id, [])
    return items


@login_required
def loading_list(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    ll = or_404(lambda: selectors.loading_list_detail(request.user, pk))
    items = list(
        ll.items.select_related("request__customer")
        .prefetch_related("request__lines__part")
        .order_by("seq")
    )
    return render(
        request,
        "parts/loading_list.html",
        {
            "ll": ll,
            "items": _with_bins(ll, items),
            "timeline": timeline(ll, LOADING_LIST, LoadingListState, request.user),
            "print": request.GET.get("print") == "1",
            **document_panels(ll, request.user),
        },
    )


@login_required
@require_POST
def loading_list_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_staff(request.user)
    ll = or_404(lambda: selectors.loading_list_detail(request.user, pk))
    user: Any = request.user
    calls = {
        "submit": (lambda: shipping.submit(actor=user, loading_list=ll), "已提交品质办主任审批"),
        "sales_order": (
            lambda: shipping.sales_order(
                actor=user, loading_list=ll, sales_order_no=post(request, "sales_order_no")
            ),
            "销售单已登记",
        ),
        "finance_review": (
            lambda: shipping.finance_review(actor=user, loading_list=ll),
            "销售财务已审核",
        ),
        "ship": (
            lambda: shipping.ship(
                actor=user,
                loading_list=ll,
                carrier=post(request, "carrier"),
                tracking_no=post(request, "tracking_no"),
            ),
            "已装车发货",
        ),
        "delivered": (lambda: shipping.delivered(actor=user, loading_list=ll), "已确认到货"),
    }
    if action not in calls:
        raise Http404("未知操作")
    fn, message = calls[action]
    run(request, fn, message)
    return redirect("parts:loading_list", pk)
