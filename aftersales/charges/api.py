"""REST API of charges: payments against accepted quotes with their receipts (SK…), credit
notes, the receipt PDF, technician expense claims. Every record is looked up through the
user's visibility first (others' 404)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import paginate

from aftersales.charges import pdf, selectors
from aftersales.charges.api_schemas import (
    ExpenseIn,
    ExpenseOut,
    MoneyReceiptOut,
    PaymentIn,
    ReceiptCreditIn,
)
from aftersales.charges.services import expenses, payments
from aftersales.core.crud import Page

router = Router(tags=["收费与报销"])


@router.post(
    "/quotes/{int:pk}/payments", response={201: MoneyReceiptOut}, summary="按报价收款并开具收据"
)
def pay(request: HttpRequest, pk: int, payload: PaymentIn) -> Any:
    receipt = payments.record_payment(actor=request.user, quote_id=pk, **payload.dict())
    return 201, selectors.receipt_detail(request.user, receipt.pk)


@router.get("/receipts", response=list[MoneyReceiptOut], summary="收据列表")
@paginate(Page)
def list_receipts(request: HttpRequest, q: str | None = None, kind: str | None = None) -> Any:
    return selectors.receipt_list(request.user, q=(q or "")[:50] or None, kind=kind)


@router.get("/receipts/{int:pk}", response=MoneyReceiptOut, summary="收据")
def get_receipt(request: HttpRequest, pk: int) -> Any:
    return selectors.receipt_detail(request.user, pk)


@router.get("/receipts/{int:pk}/pdf", summary="收据 PDF")
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.receipt_detail(request.user, pk)
    response = HttpResponse(pdf.receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{receipt.number}.pdf"'
    return response


@router.post(
    "/receipts/{int:pk}/credit-note",
    response={201: MoneyReceiptOut},
    summary="开具红字收据（冲销）",
)
def credit_note(request: HttpRequest, pk: int, payload: ReceiptCreditIn) -> Any:
    note = payments.reverse_receipt(actor=request.user, receipt_id=pk, reason=payload.reason)
    return 201, selectors.receipt_detail(request.user, note.pk)


@router.post("/expense-claims", response={201: ExpenseOut}, summary="提交差旅报销单（草稿）")
def create_expense(request: HttpRequest, payload: ExpenseIn) -> Any:
    claim = expenses.create_claim(
        actor=request.user,
        work_order_id=payload.work_order_id,
        note=payload.note,
        lines=[expenses.LineInput(**ln.dict()) for ln in payload.lines],
    )
    return 201, selectors.expense_detail(request.user, claim.pk)


@router.get("/expense-claims", response=list[ExpenseOut], summary="差旅报销单列表")
@paginate(Page)
def list_expenses(request: HttpRequest, state: str | None = None) -> Any:
    return selectors.expense_list(request.user, state=state)


@router.get("/expense-claims/{int:pk}", response=ExpenseOut, summary="差旅报销单")
def get_expense(request: HttpRequest, pk: int) -> Any:
    return selectors.expense_detail(request.user, pk)


# the claim's actions: each one service call, then the claim as the user sees it
_ACTIONS = {"submit": expenses.submit, "reimburse": expenses.reimburse}


def _act(action: str) -> Any:
    def endpoint(request: HttpRequest, pk: int) -> Any:
        _ACTIONS[action](actor=request.user, claim_id=pk)
        return selectors.expense_detail(request.user, pk)

    endpoint.__name__ = f"expense_{action}"
    return endpoint


router.post("/expense-claims/{int:pk}/submit", response=ExpenseOut, summary="提交审批")(
    _act("submit")
)
router.post("/expense-claims/{int:pk}/reimburse", response=ExpenseOut, summary="财务报销")(
    _act("reimburse")
)
