"""Old-part screens: the list (filters, return deadline colours, Excel export), registration
by hand, the old part's page with the form of every allowed step and its history, and the
printable tag that goes with the part."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.approvals import audience, workflow
from aftersales.approvals.web import int_or_none, list_deadlines, or_404, post, run, timeline
from aftersales.core.exports import xlsx
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.quality import selectors
from aftersales.quality.models import Disposition, OldPart, OldPartSource, OldPartState
from aftersales.quality.services import old_parts
from aftersales.quality.transitions import OLD_PART, OLD_PART_REGISTRARS

STATE_CSS = {
    "pending": "st-new",
    "shipped": "st-wait",
    "received": "st-work",
    "restocked": "st-done",
    "scrapped": "st-done",
    "supplier_claim": "st-work",
    "claim_closed": "st-done",
    "waived": "st-off",
}


def _filters(request: HttpRequest) -> selectors.OldPartFilters:
    g = request.GET
    return selectors.OldPartFilters(
        state=g.get("state") or "outstanding",
        overdue=g.get("overdue") == "1",
        dealer_id=int_or_none(g.get("dealer_id")),
        q=(g.get("q") or "").strip()[:100] or None,
    )


@login_required
def old_part_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    now = timezone.now()
    page = Paginator(selectors.old_part_list(request.user, f, now), 20).get_page(
        request.GET.get("page")
    )
    dls = list_deadlines(OldPart, page, now)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "quality/old_parts.html",
        {
            "page": page,
            "rows": [
                {"o": o, "dl": dls.get(o.pk), "css": STATE_CSS.get(o.state, "")} for o in page
            ],
            "f": f,
            "query": urlencode(query),
            "states": [
                ("outstanding", _("未返回")),
                ("all", _("全部")),
                *translated(OldPartState.choices),
            ],
            "may_register": bool(workflow.actor_roles(request.user) & OLD_PART_REGISTRARS),
            "sources": [(OldPartSource.MANUAL.value, _("手工登记")), ("return", _("退货/返修"))],
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = list(selectors.old_part_list(request.user, _filters(request), now)[:5000])
    dls = list_deadlines(OldPart, rows, now)
    head = ["旧件标签号", "状态", "来源", "配件编码", "配件名称", "数量", "报修单", "经销商"]
    head += ["应返回日期", "寄回时间", "运单号", "入库时间", "库位", "鉴定结论", "时限", "超时"]
    out = []
    for o in rows:
        dl = dls.get(o.pk) or {}
        out.append(
            [
                o.number,
                o.get_state_display(),
                o.get_source_display(),
                o.part.code,
                o.part.name,
                o.quantity,
                o.ticket.number if o.ticket else o.source_note,
                o.dealer.name if o.dealer else "",
                o.due_date,
                o.shipped_at,
                o.waybill,
                o.received_at,
                o.bin.code if o.bin else "",
                o.get_disposition_display(),
                dl.get("label", ""),
                "是" if dl.get("overdue") else "",
            ]
        )
    return xlsx(
        Said("旧件_%(localdate)s.xlsx", localdate=format(timezone.localdate(), "%Y%m%d")),
        "旧件",
        head,
        out,
    )


@login_required
@require_POST
def old_part_new(request: HttpRequest) -> HttpResponse:
    data = old_parts.OldPartInput(
        part_code=post(request, "part_code"),
        quantity=post(request, "quantity") or 1,
        source=post(request, "source") or OldPartSource.MANUAL,
        ticket_number=post(request, "ticket_number"),
        source_note=post(request, "source_note"),
        fault=post(request, "fault"),
        due_date=post(request, "due_date") or None,
    )
    made = run(request, lambda: old_parts.register(actor=request.user, data=data), "旧件已登记")
    return redirect("quality:old_part", made.pk) if made else redirect("quality:old_parts")


def _allowed(o: OldPart, user: Any) -> set[str]:
    allowed = {tr.action for tr in workflow.allowed(o, OLD_PART, user)}
    if o.state == OldPartState.RECEIVED and old_parts.may_appraise(user):
        allowed.add("appraise")
    return allowed - {"restock", "scrap", "claim"}


@login_required
def old_part_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from aftersales.stock.models import Bin, Warehouse

    o = or_404(lambda: selectors.old_part_detail(request.user, pk))
    allowed = _allowed(o, request.user)
    return render(
        request,
        "quality/old_part.html",
        {
            "o": o,
            "css": STATE_CSS.get(o.state, ""),
            "allowed": allowed,
            "external": audience.is_external(request.user),
            "dispositions": translated(Disposition.choices),
            "warehouses": Warehouse.objects.filter(archived_at__isnull=True)
            .exclude(kind="van")
            .order_by("code")
            if "receive" in allowed
            else [],
            "bins": Bin.objects.filter(archived_at__isnull=True, warehouse__archived_at=None)
            .select_related("warehouse")
            .order_by("warehouse__code", "zone", "shelf", "level")[:500]
            if "receive" in allowed
            else [],
            "timeline": timeline(o, OLD_PART, OldPartState, request.user),
        },
    )


@login_required
def old_part_tag(request: HttpRequest, pk: int) -> HttpResponse:
    o = or_404(lambda: selectors.old_part_detail(request.user, pk))
    return render(request, "quality/old_part_tag.html", {"o": o})


@login_required
@require_POST
def old_part_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    o = or_404(lambda: selectors.old_part_detail(request.user, pk))
    user: Any = request.user
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "ship": (
            lambda: old_parts.ship(actor=user, old_part=o, waybill=post(request, "waybill")),
            "已登记寄回",
        ),
        "receive": (
            lambda: old_parts.receive(
                actor=user,
                old_part=o,
                warehouse_id=int_or_none(post(request, "warehouse_id")),
                bin_id=int_or_none(post(request, "bin_id")),
            ),
            "旧件已入库，待技术鉴定",
        ),
        "appraise": (
            lambda: old_parts.appraise(
                actor=user,
                old_part=o,
                data=old_parts.AppraisalInput(
                    disposition=post(request, "disposition"),
                    appraisal=post(request, "appraisal"),
                    supplier=post(request, "supplier"),
                    supplier_email=post(request, "supplier_email"),
                    unit_cost=post(request, "unit_cost") or None,
                ),
            ),
            "鉴定结论已记录",
        ),
        "close_claim": (
            lambda: old_parts.close_claim(actor=user, old_part=o, result=post(request, "result")),
            "供应商索赔已完结",
        ),
        "waive": (
            lambda: old_parts.waive(actor=user, old_part=o, reason=post(request, "reason")),
            "已免返回",
        ),
    }
    if action not in calls:
        raise Http404("未知操作")
    fn, message = calls[action]
    run(request, fn, message)
    return redirect("quality:old_part", pk)
