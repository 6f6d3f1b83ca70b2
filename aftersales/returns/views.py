"""Return screens: the list with filters and deadline colours, the application form (with
the product line's rule), the return page with every step's form, approval history,
deadlines and timeline, credit notes, and the Excel export."""

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

from aftersales.accounts.models import Department
from aftersales.approvals import workflow
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
from aftersales.installed_base.models import ProductCategory
from aftersales.parts.views.common import is_staff
from aftersales.returns import selectors
from aftersales.returns.models import (
    CreditState,
    Outcome,
    Packaging,
    ResolutionMethod,
    ReturnKind,
    ReturnRequest,
    ReturnRule,
    ReturnState,
    StockCause,
)
from aftersales.returns.services import applications, credit, handling, notices
from aftersales.returns.transitions import RETURN

STATE_CSS = {
    "applied": "st-new",
    "in_approval": "st-wait",
    "returned": "st-wait",
    "approved": "st-work",
    "awaiting_goods": "st-work",
    "received": "st-work",
    "inspected": "st-work",
    "decided": "st-work",
    "record_sent": "st-wait",
    "disputed": "st-alert",
    "accepted": "st-work",
    "closed": "st-done",
    "resolved_otherwise": "st-done",
    "refused": "st-off",
    "cancelled": "st-off",
}


def _filters(request: HttpRequest) -> selectors.ReturnFilters:
    g = request.GET
    return selectors.ReturnFilters(
        state=g.get("state") or "open",
        overdue=g.get("overdue") == "1",
        customer_id=int_or_none(g.get("customer_id")),
        dealer_id=int_or_none(g.get("dealer_id")),
        kind=g.get("kind") or None,
        q=(g.get("q") or "").strip() or None,
        credit_state=g.get("credit_state") if g.get("credit_state") in CreditState.values else None,
    )


@login_required
def return_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    now = timezone.now()
    page = Paginator(selectors.return_list(request.user, f, now), 20).get_page(
        request.GET.get("page")
    )
    dls = list_deadlines(ReturnRequest, page, now)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "returns/list.html",
        {
            "page": page,
            "rows": [
                {"r": r, "dl": dls.get(r.pk), "css": STATE_CSS.get(r.state, "")} for r in page
            ],
            "f": f,
            "query": urlencode(query),
            "states": [("open", _("未结案")), ("all", _("全部")), *translated(ReturnState.choices)],
            "kinds": translated(ReturnKind.choices),
            "customers": visible(Customer, request.user).order_by("name")[:500],
            "dealers": visible(Dealer, request.user).order_by("name")[:200]
            if is_staff(request.user)
            else [],
            "staff": is_staff(request.user),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = list(
        selectors.return_list(request.user, _filters(request), now).prefetch_related("lines")[:5000]
    )
    dls = list_deadlines(ReturnRequest, rows, now)
    return xlsx(
        Said("退货单_%(localdate)s.xlsx", localdate=format(timezone.localdate(), "%Y%m%d")),
        "退货单",
        [
            "退货单号",
            "类型",
            "状态",
            "客户",
            "经销商",
            "原因",
            "明细",
            "处理结果",
            "运费承担",
            "申请时间",
            "到厂时间",
            "时限",
            "超时",
        ],
        (
            [
                r.number,
                r.get_kind_display(),
                r.get_state_display(),
                r.customer.name,
                r.dealer.name if r.dealer else "",
                r.reason,
                "；".join(f"{ln.description}×{ln.quantity}" for ln in r.lines.all()),
                r.get_outcome_display(),
                r.get_freight_payer_display(),
                r.applied_at,
                r.received_at,
                (dls.get(r.pk) or {}).get("label", ""),
                "是" if (dls.get(r.pk) or {}).get("overdue") else "",
            ]
            for r in rows
        ),
    )


LINE_FIELDS = ("description", "part_code", "quantity")


@login_required
def return_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = posted_rows(request.POST, LINE_FIELDS, minimum=4)
    if request.method == "POST":
        lines = [
            applications.LineInput(
                description=str(row["description"]),
                part_code=str(row["part_code"]),
                quantity=row["quantity"],
            )
            for _, row in filled(rows, LINE_FIELDS)
        ]
        data = applications.ReturnInput(
            reason=post(request, "reason"),
            lines=lines,
            customer_id=int_or_none(post(request, "customer_id")),
            kind=post(request, "kind") or ReturnKind.CUSTOMER,
            category_id=int_or_none(post(request, "category_id")),
            sale_date=post(request, "sale_date") or None,
            has_receipt=flag(request, "has_receipt"),
            resaleable=flag(request, "resaleable"),
            conditions=request.POST.getlist("conditions"),
            stock_cause=post(request, "stock_cause"),
            restoration_labour=post(request, "restoration_labour") or None,
            contact_name=post(request, "contact_name"),
            contact_phone=post(request, "contact_phone"),
        )
        created = run(request, lambda: applications.apply(actor=user, data=data), "退货申请已提交")
        if created is not None:
            return redirect("returns:detail", created.pk)
    rules = list(ReturnRule.objects.active().select_related("category"))
    return render(
        request,
        "returns/new.html",
        {
            "customers": visible(Customer, user).order_by("name")[:500],
            "categories": ProductCategory.objects.active().order_by("code"),
            "rules": rules,
            "kinds": translated(ReturnKind.choices),
            "stock_causes": translated(StockCause.choices),
            "rows": rows,
            "form": request.POST,
        },
    )


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    r = or_404(lambda: selectors.return_detail(request.user, pk))
    return render(
        request,
        "returns/detail.html",
        {
            "r": r,
            "css": STATE_CSS.get(r.state, ""),
            "allowed": {tr.action for tr in workflow.allowed(r, RETURN, request.user)},
            "timeline": timeline(r, RETURN, ReturnState, request.user),
            "departments": Department.objects.active().order_by("code"),
            "methods": translated(ResolutionMethod.choices),
            "packagings": translated(Packaging.choices),
            "outcomes": translated(Outcome.choices),
            "staff": is_staff(request.user),
            "roles": request.user.role_codes,  # type: ignore[union-attr]
            "credit_notes": list(r.credit_notes.all()),
            "credit_panels": [(n, document_panels(n, request.user)) for n in r.credit_notes.all()],
            **document_panels(r, request.user),
        },
    )


@login_required
@require_POST
def return_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    r = or_404(lambda: selectors.return_detail(request.user, pk))
    user: Any = request.user
    calls: dict[str, tuple[Callable[[], Any], str | Callable[[Any], str | None]]] = {
        "submit": (
            lambda: applications.submit(
                actor=user,
                ret=r,
                department_ids=[
                    int(x) for x in request.POST.getlist("department_ids") if x.isdigit()
                ],
            ),
            "已受理并提交相关部门会签",
        ),
        "attempt": (
            lambda: applications.attempt(
                actor=user,
                ret=r,
                method=post(request, "method"),
                accepted=flag(request, "accepted"),
                note=post(request, "note"),
            ),
            "替代处理沟通已记录",
        ),
        "receive": (
            lambda: handling.receive(
                actor=user,
                ret=r,
                data=handling.ReceiptInput(
                    counts={ln.pk: post(request, f"count_{ln.pk}") or 0 for ln in r.lines.all()},
                    packaging=post(request, "packaging"),
                    packaging_note=post(request, "packaging_note"),
                    deliverer_name=post(request, "deliverer_name"),
                    deliverer_signed=flag(request, "deliverer_signed"),
                ),
            ),
            "退货已清点交接，请在48小时内检验",
        ),
        "inspect": (
            lambda: handling.inspect(
                actor=user,
                ret=r,
                result=post(request, "result"),
                defect_confirmed=flag(request, "defect_confirmed"),
            ),
            "检验记录已保存",
        ),
        "decide": (
            lambda: handling.decide(
                actor=user, ret=r, outcome=post(request, "outcome"), note=post(request, "note")
            ),
            "已裁定",
        ),
        "send_record": (
            lambda: handling.send_record(actor=user, ret=r),
            lambda done: "检验记录已送客户，等待2天内确认。" + notices.record_notice_summary(done),
        ),
        "confirm": (
            lambda: handling.respond(
                actor=user, ret=r, agree=True, comment=post(request, "comment")
            ),
            "已确认",
        ),
        "dispute": (
            lambda: handling.respond(
                actor=user, ret=r, agree=False, comment=post(request, "comment")
            ),
            "异议已提交",
        ),
        "handle": (
            lambda: handling.handle(actor=user, ret=r, note=post(request, "note")),
            "已结案",
        ),
        "cancel": (
            lambda: applications.cancel(actor=user, ret=r, reason=post(request, "reason")),
            "退货申请已取消",
        ),
        "credit": (
            lambda: credit.create(
                actor=user, ret=r, amount=post(request, "amount"), reason=post(request, "reason")
            ),
            "冲账申请已创建，请提交主管领导批准",
        ),
    }
    if action not in calls:
        raise Http404("未知操作")
    fn, message = calls[action]
    run(request, fn, message)
    return redirect("returns:detail", pk)


@login_required
@require_POST
def credit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    note = or_404(lambda: selectors.credit_note(request.user, pk))
    user: Any = request.user
    if action == "submit":
        run(request, lambda: credit.submit(actor=user, note=note), "已提交主管领导批准")
    elif action == "book":
        run(
            request,
            lambda: credit.book(actor=user, note=note, voucher_no=post(request, "voucher_no")),
            "已冲账，退货单结案",
        )
    else:
        raise Http404("未知操作")
    return redirect("returns:detail", note.return_request_id)
