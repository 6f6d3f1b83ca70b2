"""REST API of returns (退货) and credit notes: thin endpoints over the services and
selectors. Every document is looked up through the user's visibility first (others' 404)."""

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
from aftersales.returns import selectors
from aftersales.returns.api_schemas import (
    AttemptIn,
    BookIn,
    CreditIn,
    CreditOut,
    InspectIn,
    NoteIn,
    ReceiveIn,
    RespondIn,
    ReturnDecideIn,
    ReturnDetailOut,
    ReturnIn,
    ReturnOut,
    ReturnReasonIn,
    RuleOut,
    SubmitIn,
)
from aftersales.returns.models import ReturnRequest
from aftersales.returns.services import applications, credit, handling
from aftersales.returns.transitions import RETURN

router = Router(tags=["退货"])


def _ret(request: HttpRequest, pk: int) -> ReturnRequest:
    return selectors.return_detail(request.user, pk)


def detail(request: HttpRequest, pk: int) -> ReturnRequest:
    """The return as the user may see it, with its deadlines, the approval history of the
    return and of its credit notes, the timeline and the actions the table allows him."""
    r = selectors.return_detail(request.user, pk)
    now = timezone.now()
    notes = list(r.credit_notes.all())
    r.deadlines = deadline_rows(deadlines.of(r), now)  # type: ignore[attr-defined]
    r.approvals = approval_selectors.history(r) + [  # type: ignore[attr-defined]
        a for n in notes for a in approval_selectors.history(n)
    ]
    for_audience(r, request.user)
    r.allowed_actions = [tr.action for tr in workflow.allowed(r, RETURN, request.user)]  # type: ignore[attr-defined]
    return r


@router.post("/returns", response={201: ReturnDetailOut}, summary="提交退货申请")
def create(request: HttpRequest, payload: ReturnIn) -> Any:
    data = applications.ReturnInput(
        **{**payload.dict(), "lines": [applications.LineInput(**ln.dict()) for ln in payload.lines]}
    )
    return 201, detail(request, applications.apply(actor=request.user, data=data).pk)


@router.get("/returns", response=list[ReturnOut], summary="退货单列表")
@paginate(Page)
def list_returns(
    request: HttpRequest,
    state: str | None = None,
    overdue: bool = False,
    customer_id: int | None = None,
    dealer_id: int | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> Any:
    return selectors.return_list(
        request.user,
        selectors.ReturnFilters(
            state=state,
            overdue=overdue,
            customer_id=customer_id,
            dealer_id=dealer_id,
            kind=kind,
            q=q,
        ),
    )


@router.get("/returns/{int:pk}", response=ReturnDetailOut, summary="退货单详情")
def get_return(request: HttpRequest, pk: int) -> Any:
    return detail(request, pk)


@router.post("/returns/{int:pk}/submit", response=ReturnDetailOut, summary="受理并提交部门会签")
def submit(request: HttpRequest, pk: int, payload: SubmitIn) -> Any:
    applications.submit(
        actor=request.user, ret=_ret(request, pk), department_ids=payload.department_ids
    )
    return detail(request, pk)


@router.post("/returns/{int:pk}/attempt", response=ReturnDetailOut, summary="记录补件/折价替代处理")
def attempt(request: HttpRequest, pk: int, payload: AttemptIn) -> Any:
    applications.attempt(actor=request.user, ret=_ret(request, pk), **payload.dict())
    return detail(request, pk)


@router.post("/returns/{int:pk}/receive", response=ReturnDetailOut, summary="退货清点交接")
def receive(request: HttpRequest, pk: int, payload: ReceiveIn) -> Any:
    handling.receive(
        actor=request.user, ret=_ret(request, pk), data=handling.ReceiptInput(**payload.dict())
    )
    return detail(request, pk)


@router.post("/returns/{int:pk}/inspect", response=ReturnDetailOut, summary="QA检验（48小时内）")
def inspect(request: HttpRequest, pk: int, payload: InspectIn) -> Any:
    handling.inspect(actor=request.user, ret=_ret(request, pk), **payload.dict())
    return detail(request, pk)


@router.post("/returns/{int:pk}/decide", response=ReturnDetailOut, summary="品质办主任裁定")
def decide(request: HttpRequest, pk: int, payload: ReturnDecideIn) -> Any:
    handling.decide(actor=request.user, ret=_ret(request, pk), **payload.dict())
    return detail(request, pk)


@router.post(
    "/returns/{int:pk}/send-record", response=ReturnDetailOut, summary="检验记录送客户（3天内）"
)
def send_record(request: HttpRequest, pk: int) -> Any:
    handling.send_record(actor=request.user, ret=_ret(request, pk))
    return detail(request, pk)


@router.post("/returns/{int:pk}/respond", response=ReturnDetailOut, summary="客户确认或提出异议")
def respond(request: HttpRequest, pk: int, payload: RespondIn) -> Any:
    handling.respond(actor=request.user, ret=_ret(request, pk), **payload.dict())
    return detail(request, pk)


@router.post("/returns/{int:pk}/handle", response=ReturnDetailOut, summary="返修/换货完成结案")
def handle(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    handling.handle(actor=request.user, ret=_ret(request, pk), note=payload.note)
    return detail(request, pk)


@router.post("/returns/{int:pk}/cancel", response=ReturnDetailOut, summary="取消退货申请")
def cancel(request: HttpRequest, pk: int, payload: ReturnReasonIn) -> Any:
    applications.cancel(actor=request.user, ret=_ret(request, pk), reason=payload.reason)
    return detail(request, pk)


@router.post("/returns/{int:pk}/credit-notes", response={201: CreditOut}, summary="冲账申请")
def create_credit(request: HttpRequest, pk: int, payload: CreditIn) -> Any:
    return 201, credit.create(actor=request.user, ret=_ret(request, pk), **payload.dict())


@router.post("/credit-notes/{int:pk}/submit", response=CreditOut, summary="冲账申请提交主管领导")
def submit_credit(request: HttpRequest, pk: int) -> Any:
    return credit.submit(actor=request.user, note=selectors.credit_note(request.user, pk))


@router.post("/credit-notes/{int:pk}/book", response=CreditOut, summary="财务冲账")
def book_credit(request: HttpRequest, pk: int, payload: BookIn) -> Any:
    return credit.book(
        actor=request.user,
        note=selectors.credit_note(request.user, pk),
        voucher_no=payload.voucher_no,
    )


@router.get("/return-rules", response=list[RuleOut], summary="退货规则（按产品线）")
def list_rules(request: HttpRequest) -> Any:
    return list(selectors.rules(request.user))
