"""Charges screens: receipts (list, PDF, credit note), payment from a ticket's accepted
quote, technician expense claims (file, submit, reimburse, Excel for finance)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aftersales.approvals.web import document_panels, int_or_none, or_404, post, run
from aftersales.charges import pdf, selectors
from aftersales.charges.models import ExpenseLine, ExpenseState, PaymentMethod, ReceiptKind
from aftersales.charges.roles import COLLECT, REIMBURSE, REVERSE
from aftersales.charges.services import expenses, payments
from aftersales.core.exports import xlsx
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.service.models import WorkOrder


def _has(user: Any, roles: frozenset[str]) -> bool:
    return getattr(user, "org_kind", "company") == "company" and bool(
        user.is_superuser or user.role_codes & roles
    )


@login_required
def receipt_list(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:50]
    kind = (request.GET.get("kind") or "")[:10]
    rows = selectors.receipt_list(
        request.user, q=q or None, kind=kind if kind in ReceiptKind.values else None
    ).prefetch_related("credit_note")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "charges/receipts.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": translated(ReceiptKind.choices),
            "can_reverse": _has(request.user, REVERSE),
        },
    )


@login_required
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = or_404(lambda: selectors.receipt_detail(request.user, pk))
    response = HttpResponse(pdf.receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{receipt.number}.pdf"'
    return response


@login_required
@require_POST
def receipt_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    run(
        request,
        lambda: payments.reverse_receipt(
            actor=request.user, receipt_id=pk, reason=post(request, "reason")[:200]
        ),
        lambda note: Said("已开具红字收据 %(number)s", number=note.number),
    )
    return redirect("charges:receipts")


@login_required
@require_POST
def quote_pay(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = run(
        request,
        lambda: payments.record_payment(
            actor=request.user,
            quote_id=pk,
            amount=post(request, "amount")[:20],
            method=post(request, "method")[:10],
            payer_name=post(request, "payer_name")[:50],
            reference=post(request, "reference")[:64],
        ),
        lambda r: Said("已收款，收据 %(number)s", number=r.number),
    )
    ticket_id = int_or_none(post(request, "ticket_id"))
    if receipt is not None:
        return redirect(f"/service/tickets/{receipt.payment.ticket_id}/#quotes")
    return redirect(f"/service/tickets/{ticket_id}/#quotes" if ticket_id else "charges:receipts")


# ---- expense claims -----------------------------------------------------------------------

LINE_ROWS = 4


@login_required
def expense_list(request: HttpRequest) -> HttpResponse:
    state = (request.GET.get("state") or "")[:12]
    rows = selectors.expense_list(
        request.user, state=state if state in ExpenseState.values else None
    )
    user = request.user
    technician = "technician" in getattr(user, "role_codes", frozenset())
    if request.GET.get("format") == "xlsx":
        return xlsx(
            "差旅报销.xlsx",
            "差旅报销",
            ["报销单号", "报销人", "派工单", "状态", "日期", "类别", "地点", "金额", "说明"],
            (
                [
                    c.number,
                    str(c.technician),
                    c.work_order.number,
                    c.get_state_display(),
                    ln.spent_on,
                    ln.get_category_display(),
                    ln.place,
                    ln.amount,
                    ln.description,
                ]
                for c in rows
                for ln in c.line_list  # type: ignore[attr-defined]
            ),
        )
    return render(
        request,
        "charges/expenses.html",
        {
            "rows": rows,
            "state": state,
            "states": translated(ExpenseState.choices),
            "technician": technician,
            "work_orders": visible(WorkOrder, user)
            .filter(technician_id=user.pk)
            .order_by("-dispatched_at")[:30]
            if technician
            else [],
            "categories": translated(ExpenseLine.Category.choices),
            "line_rows": range(LINE_ROWS),
            "can_reimburse": _has(user, REIMBURSE),
        },
    )


@login_required
def expense_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = or_404(lambda: selectors.expense_detail(request.user, pk))
    start, end = expenses.trip_dates(claim.work_order, claim.created_at.date())
    return render(
        request,
        "charges/expense.html",
        {
            "c": claim,
            "trip_start": start,
            "trip_end": end,
            "own": claim.technician_id == request.user.pk,
            "can_reimburse": _has(request.user, REIMBURSE),
            **document_panels(claim, request.user),
        },
    )


@login_required
@require_POST
def expense_new(request: HttpRequest) -> HttpResponse:
    def go() -> Any:
        lines = []
        for i in range(LINE_ROWS):
            amount = post(request, f"amount_{i}")
            if not amount and not post(request, f"spent_on_{i}"):
                continue
            lines.append(
                expenses.LineInput(
                    spent_on=post(request, f"spent_on_{i}")[:10],
                    category=post(request, f"category_{i}")[:10],
                    amount=amount[:20],
                    place=post(request, f"place_{i}")[:100],
                    description=post(request, f"description_{i}")[:200],
                    receipt_image=request.FILES.get(f"receipt_{i}"),
                )
            )
        return expenses.create_claim(
            actor=request.user,
            work_order_id=int_or_none(post(request, "work_order_id")) or 0,
            note=post(request, "note")[:200],
            lines=lines,
        )

    claim = run(request, go, lambda c: Said("报销单 %(number)s 已保存", number=c.number))
    return redirect("charges:expense", claim.pk) if claim else redirect("charges:expenses")


@login_required
@require_POST
def expense_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    fn = {"submit": expenses.submit, "reimburse": expenses.reimburse}.get(action)
    if fn is None:
        return redirect("charges:expenses")
    or_404(lambda: selectors.expense_detail(request.user, pk))
    run(request, lambda: fn(actor=request.user, claim_id=pk), "已处理")
    return redirect("charges:expense", pk)


def collect_context(user: Any) -> dict[str, Any]:
    """For the ticket page's quotes panel: may this user take a payment, and how."""
    return {"can_collect": _has(user, COLLECT), "methods": translated(PaymentMethod.choices)}
