"""REST API of the parts requests (补件): thin endpoints over the services and selectors.
Every document is looked up through the user's visibility first (others' answer 404)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from aftersales.approvals import selectors as approval_selectors
from aftersales.approvals import workflow
from aftersales.approvals.api_common import deadline_rows, for_audience
from aftersales.approvals.services import deadlines
from aftersales.core.crud import Page
from aftersales.core.errors import ValidationFailed
from aftersales.core.visibility import get_visible
from aftersales.parts import selectors
from aftersales.parts.api_schemas import (
    AnalyseIn,
    AnalysisIn,
    AnalysisOut,
    BorrowIn,
    BorrowingOut,
    ClosingRunOut,
    DailyIn,
    FinishedGoodsIn,
    LoadingListOut,
    PartsConfirmIn,
    PartsReasonIn,
    PartsRequestDetailOut,
    PartsRequestOut,
    QaIn,
    ReceiptIn,
    ReceiptOut,
    ReleaseIn,
    RequestIn,
    SalesOrderIn,
    ShipIn,
)
from aftersales.parts.models import MonthlyAnalysis, PackBorrowing, PartsRequest
from aftersales.parts.services import analysis, closing, fulfilment, requests, shipping
from aftersales.parts.transitions import REQUEST

router = Router(tags=["补件"])


def _request(request: HttpRequest, pk: int) -> PartsRequest:
    return selectors.request_detail(request.user, pk)


def detail(request: HttpRequest, pk: int) -> PartsRequest:
    """The request as the user may see it, with its deadlines, approval history, timeline
    and the actions the table allows him."""
    r = selectors.request_detail(request.user, pk)
    now = timezone.now()
    r.deadlines = deadline_rows(deadlines.of(r), now)  # type: ignore[attr-defined]
    r.approvals = approval_selectors.history(r)  # type: ignore[attr-defined]
    for_audience(r, request.user)
    r.allowed_actions = [tr.action for tr in workflow.allowed(r, REQUEST, request.user)]  # type: ignore[attr-defined]
    return r


@router.post("/parts/requests", response={201: PartsRequestDetailOut}, summary="提交补件申请")
def create(request: HttpRequest, payload: RequestIn) -> Any:
    data = requests.RequestInput(
        **{**payload.dict(), "lines": [requests.LineInput(**ln.dict()) for ln in payload.lines]}
    )
    r = requests.create(actor=request.user, data=data)
    return 201, detail(request, r.pk)


@router.get("/parts/requests", response=list[PartsRequestOut], summary="补件单列表")
@paginate(Page)
def list_requests(
    request: HttpRequest,
    state: str | None = None,
    overdue: bool = False,
    customer_id: int | None = None,
    dealer_id: int | None = None,
    charge_type: str | None = None,
    q: str | None = None,
) -> Any:
    return selectors.request_list(
        request.user,
        selectors.RequestFilters(
            state=state,
            overdue=overdue,
            customer_id=customer_id,
            dealer_id=dealer_id,
            charge_type=charge_type,
            q=q,
        ),
    )


@router.get("/parts/requests/{int:pk}", response=PartsRequestDetailOut, summary="补件单详情")
def get_request(request: HttpRequest, pk: int) -> Any:
    return detail(request, pk)


@router.post(
    "/parts/requests/{int:pk}/analyse",
    response=PartsRequestDetailOut,
    summary="原因分析（免费/收费）",
)
def analyse(request: HttpRequest, pk: int, payload: AnalyseIn) -> Any:
    requests.analyse(
        actor=request.user,
        request=_request(request, pk),
        cause=payload.cause,
        amount=payload.amount,
        note=payload.note,
    )
    return detail(request, pk)


@router.post(
    "/parts/requests/{int:pk}/confirm",
    response=PartsRequestDetailOut,
    summary="电话确认交付日期（≤15天）",
)
def confirm(request: HttpRequest, pk: int, payload: PartsConfirmIn) -> Any:
    requests.confirm(
        actor=request.user,
        request=_request(request, pk),
        committed_date=payload.committed_date,
        note=payload.note,
    )
    return detail(request, pk)


@router.post(
    "/parts/requests/{int:pk}/submit", response=PartsRequestDetailOut, summary="提交审核审批"
)
def submit(request: HttpRequest, pk: int) -> Any:
    requests.submit(actor=request.user, request=_request(request, pk))
    return detail(request, pk)


@router.post(
    "/parts/requests/{int:pk}/release",
    response=PartsRequestDetailOut,
    summary="下单补配组/采购部（按生产周期跟踪）",
)
def release(request: HttpRequest, pk: int, payload: ReleaseIn) -> Any:
    requests.release(
        actor=request.user,
        request=_request(request, pk),
        group=payload.group,
        confirm_late=payload.confirm_late,
    )
    return detail(request, pk)


@router.post("/parts/requests/{int:pk}/deliver", response=PartsRequestDetailOut, summary="确认交付")
def deliver(request: HttpRequest, pk: int) -> Any:
    requests.deliver(actor=request.user, request=_request(request, pk))
    return detail(request, pk)


@router.post(
    "/parts/requests/{int:pk}/cancel", response=PartsRequestDetailOut, summary="取消补件单"
)
def cancel(request: HttpRequest, pk: int, payload: PartsReasonIn) -> Any:
    requests.cancel(actor=request.user, request=_request(request, pk), reason=payload.reason)
    return detail(request, pk)


@router.post(
    "/parts/requests/{int:pk}/borrow",
    response={201: BorrowingOut},
    summary="借用成品包（成品借用单）",
)
def borrow(request: HttpRequest, pk: int, payload: BorrowIn) -> Any:
    b = fulfilment.borrow(actor=request.user, request=_request(request, pk), **payload.dict())
    return 201, b


@router.post("/parts/requests/{int:pk}/receipts", response={201: ReceiptOut}, summary="入库检查")
def receive(request: HttpRequest, pk: int, payload: ReceiptIn) -> Any:
    receipt = fulfilment.receive(
        actor=request.user,
        request=_request(request, pk),
        data=fulfilment.ReceiptInput(**payload.dict()),
    )
    return 201, receipt


@router.get("/parts/borrowings", response=list[BorrowingOut], summary="拆包产品台帐")
@paginate(Page)
def list_borrowings(request: HttpRequest, state: str | None = None) -> Any:
    return selectors.borrowings(request.user, state)


@router.post("/parts/borrowings/{int:pk}/qa", response=BorrowingOut, summary="成品QA检验")
def borrowing_qa(request: HttpRequest, pk: int, payload: QaIn) -> Any:
    b = get_visible(PackBorrowing, request.user, pk=pk)
    return fulfilment.borrowing_qa(
        actor=request.user, borrowing=b, passed=payload.passed, note=payload.note
    )


@router.post(
    "/parts/borrowings/{int:pk}/return", response=BorrowingOut, summary="归还成品仓（台帐签名）"
)
def borrowing_return(request: HttpRequest, pk: int) -> Any:
    b = get_visible(PackBorrowing, request.user, pk=pk)
    return fulfilment.borrowing_return(actor=request.user, borrowing=b)


@router.get("/parts/loading-lists", response=list[LoadingListOut], summary="装车单列表")
@paginate(Page)
def list_loading_lists(request: HttpRequest, kind: str | None = None) -> Any:
    return selectors.loading_lists(request.user, kind)


@router.post(
    "/parts/loading-lists/finished-goods", response={201: LoadingListOut}, summary="开成品装车单"
)
def finished_goods(request: HttpRequest, payload: FinishedGoodsIn) -> Any:
    for pk in payload.request_ids:
        _request(request, pk)
    ll = shipping.finished_goods_list(actor=request.user, **payload.dict())
    return 201, ll


@router.post(
    "/parts/loading-lists/daily", response={201: LoadingListOut}, summary="开当日补件装车单"
)
def daily(request: HttpRequest, payload: DailyIn) -> Any:
    return 201, shipping.daily_list(actor=request.user, day=payload.day)


@router.get("/parts/loading-lists/{int:pk}", response=LoadingListOut, summary="装车单详情")
def get_loading_list(request: HttpRequest, pk: int) -> Any:
    return selectors.loading_list_detail(request.user, pk)


@router.post(
    "/parts/loading-lists/{int:pk}/submit", response=LoadingListOut, summary="成品装车单提交审批"
)
def loading_submit(request: HttpRequest, pk: int) -> Any:
    return shipping.submit(
        actor=request.user, loading_list=selectors.loading_list_detail(request.user, pk)
    )


@router.post(
    "/parts/loading-lists/{int:pk}/sales-order", response=LoadingListOut, summary="开销售单"
)
def loading_sales_order(request: HttpRequest, pk: int, payload: SalesOrderIn) -> Any:
    ll = selectors.loading_list_detail(request.user, pk)
    return shipping.sales_order(
        actor=request.user, loading_list=ll, sales_order_no=payload.sales_order_no
    )


@router.post(
    "/parts/loading-lists/{int:pk}/finance-review", response=LoadingListOut, summary="销售财务审核"
)
def loading_finance(request: HttpRequest, pk: int) -> Any:
    ll = selectors.loading_list_detail(request.user, pk)
    return shipping.finance_review(actor=request.user, loading_list=ll)


@router.post("/parts/loading-lists/{int:pk}/ship", response=LoadingListOut, summary="物流装车")
def loading_ship(request: HttpRequest, pk: int, payload: ShipIn) -> Any:
    ll = selectors.loading_list_detail(request.user, pk)
    return shipping.ship(
        actor=request.user,
        loading_list=ll,
        carrier=payload.carrier,
        tracking_no=payload.tracking_no,
    )


@router.post("/parts/loading-lists/{int:pk}/delivered", response=LoadingListOut, summary="跟踪到货")
def loading_delivered(request: HttpRequest, pk: int) -> Any:
    ll = selectors.loading_list_detail(request.user, pk)
    return shipping.delivered(actor=request.user, loading_list=ll)


@router.get("/parts/closing-runs", response=list[ClosingRunOut], summary="补件收尾列表")
@paginate(Page)
def list_closing(request: HttpRequest) -> Any:
    return selectors.closing_runs(request.user)


@router.post("/parts/closing-runs", response={201: ClosingRunOut}, summary="立即进行补件收尾")
def run_closing(request: HttpRequest) -> Any:
    return 201, closing.run(actor=request.user)


@router.get("/parts/closing-runs/{int:pk}", response=ClosingRunOut, summary="收尾单（欠补件明细）")
def get_closing(request: HttpRequest, pk: int) -> Any:
    return selectors.closing_detail(request.user, pk)


@router.get("/parts/analyses", response=list[AnalysisOut], summary="月度补件分析")
def list_analyses(request: HttpRequest) -> Any:
    return list(selectors.analyses(request.user)[:60])


@router.post("/parts/analyses", response={201: AnalysisOut}, summary="编制月度补件分析")
def prepare_analysis(request: HttpRequest, payload: AnalysisIn) -> Any:
    try:
        month = dt.date.fromisoformat(f"{payload.month.strip()}-01")
    except ValueError as exc:
        raise ValidationFailed("月份格式应为 YYYY-MM", field="month") from exc
    return 201, analysis.prepare(actor=request.user, month=month, summary=payload.summary)


@router.post("/parts/analyses/{int:pk}/submit", response=AnalysisOut, summary="提交审核")
def submit_analysis(request: HttpRequest, pk: int) -> Any:
    a = get_visible(MonthlyAnalysis, request.user, pk=pk)
    return analysis.submit(actor=request.user, analysis=a)
