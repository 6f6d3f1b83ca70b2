"""Dealer-domain screens: warranty cards (register a sale, bulk by Excel, the company's
received date, recognition with its reason) and the Excel export."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aftersales.approvals.web import int_or_none, or_404, post, run
from aftersales.core.errors import ValidationFailed
from aftersales.core.exports import xlsx
from aftersales.core.visibility import visible
from aftersales.dealers import selectors
from aftersales.dealers.models import Dealer
from aftersales.dealers.rules import CARD_STATE_LABELS
from aftersales.dealers.services import cards

CARD_CSS = {"waiting": "st-wait", "in_time": "st-done", "late": "st-alert"}


def _card_filters(request: HttpRequest) -> selectors.CardFilters:
    g = request.GET
    return selectors.CardFilters(
        state=(g.get("state") or "")[:10] or None,
        dealer_id=int_or_none(g.get("dealer_id")),
        q=(g.get("q") or "").strip()[:50] or None,
    )


def _css(card: Any) -> str:
    return CARD_CSS[card.recognition.state]


def _company(user: Any) -> bool:
    return getattr(user, "org_kind", "company") == "company"


@login_required
def card_list(request: HttpRequest) -> HttpResponse:
    f = _card_filters(request)
    rows = selectors.card_list(request.user, f)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    company = _company(request.user)
    return render(
        request,
        "dealers/cards.html",
        {
            "page": page,
            "rows": [{"c": c, "css": _css(c)} for c in page],
            "f": f,
            "query": query,
            "states": [(s.value, label) for s, label in CARD_STATE_LABELS.items()],
            "company": company,
            "can_receive": company and request.user.has_perm("dealers.change_warrantycard"),
            "can_register": request.user.has_perm("dealers.add_warrantycard"),
            "dealers": visible(Dealer, request.user).filter(archived_at__isnull=True)
            if company
            else [],
            "today": dt.date.today(),
        },
    )


@login_required
@require_POST
def card_register(request: HttpRequest) -> HttpResponse:
    def go() -> Any:
        try:
            sale = dt.date.fromisoformat(post(request, "sale_date"))
        except ValueError:
            raise ValidationFailed("销售日期格式应为 YYYY-MM-DD", field="sale_date") from None
        return cards.register_card(
            actor=request.user,
            data=cards.CardInput(
                customer_code=post(request, "customer_code")[:30],
                serial_no=post(request, "serial_no")[:50],
                model_code=post(request, "model_code")[:50],
                sale_date=sale,
                card_no=post(request, "card_no")[:50],
                dealer_id=int_or_none(post(request, "dealer_id")),
            ),
        )

    run(request, go, "三包回执卡已登记")
    return redirect("dealers:cards")


@login_required
@require_POST
def card_import(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages

    upload = request.FILES.get("file")
    if upload is None or (upload.size or 0) > 5 * 1024 * 1024:
        messages.error(request, "请选择不超过 5 MB 的 Excel 文件")
        return redirect("dealers:cards")
    result = cards.import_cards(
        actor=request.user, fileobj=upload, dealer_id=int_or_none(post(request, "dealer_id"))
    )
    if result.errors:
        for e in result.errors[:20]:
            messages.error(request, e)
    else:
        messages.success(request, f"已登记 {len(result.created)} 张三包回执卡")
    return redirect("dealers:cards")


@login_required
def card_template(request: HttpRequest) -> HttpResponse:
    return xlsx("三包回执卡导入模板.xlsx", "三包回执卡", cards.CARD_HEADERS, [])


@login_required
@require_POST
def card_receive(request: HttpRequest, pk: int) -> HttpResponse:
    or_404(lambda: selectors.card_detail(request.user, pk))

    def go() -> Any:
        try:
            day = dt.date.fromisoformat(post(request, "received_date"))
        except ValueError:
            raise ValidationFailed("收卡日期格式应为 YYYY-MM-DD", field="received_date") from None
        return cards.receive_card(actor=request.user, card_id=pk, received_date=day)

    run(request, go, "收卡日期已登记")
    return redirect("dealers:cards")


@login_required
def card_export(request: HttpRequest) -> HttpResponse:
    rows = selectors.card_list(request.user, _card_filters(request))
    return xlsx(
        "三包回执卡.xlsx",
        "三包回执卡",
        ["三包卡号", "经销商", "客户", "型号", "出厂编号", "销售日期", "收卡日期", "认定", "说明"],
        (
            [
                c.card_no,
                c.dealer.name,
                c.customer.name,
                c.equipment.model.code,
                c.equipment.serial_no,
                c.sale_date,
                c.received_date,
                c.recognition.label,  # type: ignore[attr-defined]
                c.recognition.reason,  # type: ignore[attr-defined]
            ]
            for c in rows
        ),
    )
