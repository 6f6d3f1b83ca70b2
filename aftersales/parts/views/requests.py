"""Parts request screens: the list with filters and deadline colours, the new-request form,
the request page (facts, lines, deadlines, approval history, timeline, the step forms) and
the Excel export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from aftersales.approvals import workflow
from aftersales.approvals.services.deadlines import duration_text
from aftersales.approvals.web import (
    document_panels,
    flag,
    int_or_none,
    list_deadlines,
    or_404,
    post,
    run,
    timeline,
)
from aftersales.core.exports import xlsx
from aftersales.core.formrows import filled, posted_rows
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.customers.models import Customer
from aftersales.dealers.models import Dealer
from aftersales.parts import selectors
from aftersales.parts.models import (
    ChargeType,
    PartsRequest,
    PartsRequestState,
    Source,
    Supplier,
)
from aftersales.parts.services import fulfilment, requests, shipping
from aftersales.parts.transitions import REQUEST
from aftersales.parts.views.common import STATE_CSS, is_staff
from aftersales.warranty.rules import CAUSE_CHOICES

PAGE_SIZE = 20


def _filters(request: HttpRequest) -> selectors.RequestFilters:
    g = request.GET
    return selectors.RequestFilters(
        state=g.get("state") or "open",
        overdue=g.get("overdue") == "1",
        customer_id=int_or_none(g.get("customer_id")),
        dealer_id=int_or_none(g.get("dealer_id")),
        charge_type=g.get("charge_type") or None,
        q=(g.get("q") or "").strip() or None,
    )


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    now = timezone.now()
    page = Paginator(selectors.request_list(request.user, f, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    dls = list_deadlines(PartsRequest, page, now)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    ctx = {
        "page": page,
        "rows": [{"r": r, "dl": dls.get(r.pk), "css": STATE_CSS.get(r.state, "")} for r in page],
        "f": f,
        "query": urlencode(query),
        "states": [
            ("open", _("未完成")),
            ("all", _("全部")),
            *translated(PartsRequestState.choices),
        ],
        "charge_types": translated(ChargeType.choices),
        "customers": visible(Customer, request.user).order_by("name")[:500],
        "dealers": visible(Dealer, request.user).order_by("name")[:200]
        if is_staff(request.user)
        else [],
        "staff": is_staff(request.user),
    }
    return render(request, "parts/list.html", ctx)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    qs = selectors.request_list(request.user, _filters(request), now).prefetch_related(
        "lines__part"
    )[:5000]
    rows = list(qs)
    dls = list_deadlines(PartsRequest, rows, now)
    return xlsx(
        Said("补件单_%(localdate)s.xlsx", localdate=format(timezone.localdate(), "%Y%m%d")),
        "补件单",
        [
            "补件单号",
            "状态",
            "客户",
            "经销商",
            "原因",
            "补件明细",
            "收费类型",
            "金额(元)",
            "承诺交付",
            "责任部门",
            "申请时间",
            "时限",
            "超时",
        ],
        (
            [
                r.number,
                r.get_state_display(),
                r.customer.name,
                r.dealer.name if r.dealer else "",
                r.reason,
                "；".join(f"{ln.part.code}×{ln.quantity}" for ln in r.lines.all()),
                r.get_charge_type_display(),
                r.amount,
                r.committed_date,
                r.get_responsible_group_display(),
                r.requested_at,
                (dls.get(r.pk) or {}).get("label", ""),
                "是" if (dls.get(r.pk) or {}).get("overdue") else "",
            ]
            for r in rows
        ),
    )


LINE_FIELDS = ("part_code", "quantity")


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = posted_rows(request.POST, LINE_FIELDS, flags=("outsourced",), minimum=5)
    if request.method == "POST":
        lines = [
            requests.LineInput(
                part_code=str(row["part_code"]),
                quantity=row["quantity"],
                outsourced=bool(row["outsourced"]),
            )
            for _, row in filled(rows, LINE_FIELDS)
        ]
        data = requests.RequestInput(
            reason=post(request, "reason"),
            lines=lines,
            customer_id=int_or_none(post(request, "customer_id")),
            source=post(request, "source"),
            contact_name=post(request, "contact_name"),
            contact_phone=post(request, "contact_phone"),
        )
        created = run(request, lambda: requests.create(actor=user, data=data), "补件申请已提交")
        if created is not None:
            return redirect("parts:detail", created.pk)
    return render(
        request,
        "parts/new.html",
        {
            "customers": visible(Customer, user).order_by("name")[:500],
            "sources": translated(Source.choices),
            "staff": is_staff(user),
            "rows": rows,
            "form": request.POST,
        },
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    r = or_404(lambda: selectors.request_detail(request.user, pk))
    allowed = {tr.action for tr in workflow.allowed(r, REQUEST, request.user)}
    ctx = {
        "r": r,
        "css": STATE_CSS.get(r.state, ""),
        "allowed": allowed,
        "timeline": timeline(r, REQUEST, PartsRequestState, request.user),
        "causes": translated(CAUSE_CHOICES),
        "suppliers": [(Supplier.PARTS_GROUP, "补配组"), (Supplier.OUTSOURCED, "外协厂")],
        "staff": is_staff(request.user),
        "can_receive": is_staff(request.user)
        and (r.state == "in_production" or r.borrowings.filter(state="borrowed").exists()),
        "can_borrow": r.state == "in_production" and "team_leader" in request.user.role_codes,  # type: ignore[union-attr]
        "production_cycle": duration_text(requests.PRODUCTION_RULE),
        "production_preview": requests.production_preview(),
        **document_panels(r, request.user),
    }
    return render(request, "parts/detail.html", ctx)


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    r = or_404(lambda: selectors.request_detail(request.user, pk))
    user: Any = request.user
    calls: dict[str, tuple[Callable[[], Any], str | Callable[[Any], str | None]]] = {
        "analyse": (
            lambda: requests.analyse(
                actor=user,
                request=r,
                cause=post(request, "cause"),
                amount=post(request, "amount") or None,
                note=post(request, "note"),
            ),
            "原因分析已保存",
        ),
        "confirm": (
            lambda: requests.confirm(
                actor=user,
                request=r,
                committed_date=post(request, "committed_date"),
                note=post(request, "note"),
            ),
            lambda done: "已电话确认交付日期。" + requests.confirmation_notice_summary(done),
        ),
        "submit": (lambda: requests.submit(actor=user, request=r), "已提交售后主办审核"),
        "release": (
            lambda: requests.release(
                actor=user,
                request=r,
                group=post(request, "group"),
                confirm_late=flag(request, "confirm_late"),
            ),
            Said(
                "已下单，按%(duration_text)s生产周期跟踪",
                duration_text=duration_text(requests.PRODUCTION_RULE),
            ),
        ),
        "ship_from_stock": (
            lambda: shipping.finished_goods_list(
                actor=user, request_ids=[r.pk], note=post(request, "note")
            ),
            "已开成品装车单，请提交品质办主任审批",
        ),
        "borrow": (
            lambda: fulfilment.borrow(
                actor=user,
                request=r,
                pack_code=post(request, "pack_code"),
                pack_description=post(request, "pack_description"),
                storage_area=post(request, "storage_area"),
                reason=post(request, "reason"),
            ),
            "已开成品借用单并登记拆包台帐",
        ),
        "receive": (
            lambda: fulfilment.receive(
                actor=user,
                request=r,
                data=fulfilment.ReceiptInput(
                    supplier=post(request, "supplier"),
                    quantity=post(request, "quantity"),
                    package_intact=flag(request, "package_intact"),
                    label_customer_ok=flag(request, "label_customer_ok"),
                    label_part_ok=flag(request, "label_part_ok"),
                    label_quantity_ok=flag(request, "label_quantity_ok"),
                    inspector_stamp=flag(request, "inspector_stamp"),
                    incoming_inspection_passed=True
                    if flag(request, "incoming_inspection_passed")
                    else None,
                    storage_location=post(request, "storage_location"),
                ),
            ),
            lambda receipt: "入库检查合格，已入库" if receipt.accepted else None,
        ),
        "deliver": (lambda: requests.deliver(actor=user, request=r), "已确认交付"),
        "cancel": (
            lambda: requests.cancel(actor=user, request=r, reason=post(request, "reason")),
            "补件单已取消",
        ),
    }
    if action not in calls:
        raise Http404("未知操作")
    fn, message = calls[action]
    result = run(request, fn, message)
    if action == "receive" and result is not None and not result.accepted:
        from django.contrib import messages

        messages.warning(request, "入库检查不合格，未入库：" + "；".join(result.refusals))
    if action == "ship_from_stock" and result is not None:
        return redirect("parts:loading_list", result.pk)
    return redirect("parts:detail", pk)
