"""REST API of the quality loop (complaints, warnings, old parts, CAPA, monthly reviews):
thin endpoints over the services and selectors. Every document is looked up through the
user's visibility first (others' 404).

The steps of a document share one shape — load it as the user may see it, run one service
with the typed body, answer the document again — and are registered by ``step`` from one
table per document; each keeps its own input schema (the endpoint's annotation, so OpenAPI
shows it), its summary and its operation id."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from aftersales.approvals import audience, workflow
from aftersales.approvals import selectors as approval_selectors
from aftersales.approvals.api_common import deadline_rows, for_audience
from aftersales.approvals.services import deadlines
from aftersales.core.crud import Page
from aftersales.quality import selectors
from aftersales.quality.api_schemas import (
    CapaCancelIn,
    CapaDetailOut,
    CapaIn,
    CapaOut,
    CapaPlanIn,
    CapaSubmitIn,
    CapaVerifyIn,
    ComplaintCancelIn,
    ComplaintDetailOut,
    ComplaintExplainIn,
    ComplaintFeedbackIn,
    ComplaintHandlingIn,
    ComplaintIn,
    ComplaintInvestigateIn,
    ComplaintOut,
    ComplaintReplyIn,
    OldPartAppraiseIn,
    OldPartCloseClaimIn,
    OldPartDetailOut,
    OldPartIn,
    OldPartOut,
    OldPartReceiveIn,
    OldPartShipIn,
    OldPartWaiveIn,
    QualityWarningDetailOut,
    QualityWarningOut,
    ReviewActionCancelIn,
    ReviewActionDoneIn,
    ReviewActionIn,
    ReviewConclusionsIn,
    ReviewDetailOut,
    ReviewIn,
    ReviewOut,
    SettlementCheckOut,
    WarningChecksOut,
    WarningCloseIn,
)
from aftersales.quality.models import Complaint, ProactiveCheck, WarningFault
from aftersales.quality.services import capa, complaints, old_parts, reviews, warnings
from aftersales.quality.transitions import CAPA, COMPLAINT, OLD_PART, REVIEW

router = Router(tags=["质量"])

Loader = Callable[[HttpRequest, int], Any]
Call = Callable[[Any, Any, Any], object]  # (actor, document, body) → the service's result


def step(
    path: str,
    body: Any,
    *,
    name: str,
    summary: str,
    response: Any,
    load: Loader,
    call: Call,
    answer: Loader,
) -> None:
    """POST ``path`` (``…/{int:pk}/…``): ``load`` the document (404 when the user may not see
    it), ``call`` the service with the request's user, the document and the body of schema
    ``body`` (``None``: no body), then ``answer`` with the document as the user sees it.
    ``name`` is the endpoint's function name (its OpenAPI operation id)."""

    def bare(request: HttpRequest, pk: int) -> Any:
        call(request.user, load(request, pk), None)
        return answer(request, pk)

    def with_body(request: HttpRequest, pk: int, payload: body) -> Any:  # type: ignore[valid-type]
        call(request.user, load(request, pk), payload)
        return answer(request, pk)

    endpoint: Callable[..., Any] = bare if body is None else with_body
    endpoint.__name__ = endpoint.__qualname__ = name
    router.post(path, response=response, summary=summary)(endpoint)


def _get(request: HttpRequest, pk: int) -> Complaint:
    return selectors.complaint_detail(request.user, pk)


def detail(request: HttpRequest, pk: int) -> Complaint:
    """The complaint as the user may see it: a customer or dealer gets no internal block,
    no approval steps, only the customer-facing timeline and deadline."""
    c = selectors.complaint_detail(request.user, pk)
    c.deadlines = deadline_rows(deadlines.of(c), timezone.now())  # type: ignore[attr-defined]
    c.approvals = approval_selectors.history(c)  # type: ignore[attr-defined]
    for_audience(c, request.user)
    c.internal = None if audience.is_external(request.user) else c  # type: ignore[attr-defined]
    c.allowed_actions = [tr.action for tr in workflow.allowed(c, COMPLAINT, request.user)]  # type: ignore[attr-defined]
    return c


@router.post("/complaints", response={201: ComplaintDetailOut}, summary="登记投诉")
def create(request: HttpRequest, payload: ComplaintIn) -> Any:
    data = complaints.ComplaintInput(**payload.dict())
    return 201, detail(request, complaints.register(actor=request.user, data=data).pk)


@router.get("/complaints", response=list[ComplaintOut], summary="投诉单列表")
@paginate(Page)
def list_complaints(
    request: HttpRequest,
    state: str | None = None,
    category: str | None = None,
    severity: str | None = None,
    overdue: bool = False,
    customer_id: int | None = None,
    dealer_id: int | None = None,
    q: str | None = None,
) -> Any:
    return selectors.complaint_list(
        request.user,
        selectors.ComplaintFilters(
            state=state,
            category=category,
            severity=severity,
            overdue=overdue,
            customer_id=customer_id,
            dealer_id=dealer_id,
            q=q,
        ),
    )


@router.get("/complaints/{int:pk}", response=ComplaintDetailOut, summary="投诉单详情")
def get_complaint(request: HttpRequest, pk: int) -> Any:
    return detail(request, pk)


def warning_payload(request: HttpRequest, pk: int) -> Any:
    w = selectors.warning_detail(request.user, pk)
    checks = {
        c.equipment_id: c.ticket
        for c in ProactiveCheck.objects.filter(warning=w).select_related("ticket")
    }
    w.faults_out = [  # type: ignore[attr-defined]
        {
            "equipment_id": f.equipment_id,
            "serial_no": f.equipment.serial_no,
            "occurred_at": f.occurred_at,
            "report_id": f.report_id,
            "complaint_id": f.complaint_id,
        }
        for f in WarningFault.objects.filter(warning=w).select_related("equipment")
    ]
    w.check_list_out = [  # type: ignore[attr-defined]
        {
            "equipment_id": e.pk,
            "serial_no": e.serial_no,
            "software_version": e.software_version,
            "batch_no": e.batch_no,
            "customer_name": e.site.customer.name,
            "site_name": e.site.name,
            "ticket_id": checks[e.pk].pk if e.pk in checks else None,
            "ticket_number": checks[e.pk].number if e.pk in checks else None,
        }
        for e in warnings.check_list(w)
    ]
    w.trend_out = selectors.warning_trend(w)  # type: ignore[attr-defined]
    return w


@router.get("/quality/warnings", response=list[QualityWarningOut], summary="质量预警列表")
@paginate(Page)
def list_warnings(request: HttpRequest, state: str | None = None) -> Any:
    return selectors.warning_list(request.user, state)


@router.get(
    "/quality/warnings/{int:pk}",
    response=QualityWarningDetailOut,
    summary="质量预警：故障、同型号待排查设备、趋势",
)
def get_warning(request: HttpRequest, pk: int) -> Any:
    return warning_payload(request, pk)


@router.post(
    "/quality/warnings/{int:pk}/checks",
    response=WarningChecksOut,
    summary="将同型号其他在用设备生成主动排查单（重复调用不再生成）",
)
def create_checks(request: HttpRequest, pk: int) -> Any:
    w = selectors.warning_detail(request.user, pk)
    result = warnings.create_checks(actor=request.user, warning=w)
    return {
        "created": len(result.created),
        "ticket_numbers": [c.ticket.number for c in result.created],
        "skipped_serials": result.skipped,
    }


# ---------------------------------------------------------------- old parts


def old_part_payload(request: HttpRequest, pk: int) -> Any:
    """The old part as the user may see it: a dealer gets its milestones and the return
    deadline only, without the appraisal's text or the supplier."""
    o = selectors.old_part_detail(request.user, pk)
    o.deadlines = deadline_rows(deadlines.of(o), timezone.now())  # type: ignore[attr-defined]
    for_audience(o, request.user)
    allowed = {tr.action for tr in workflow.allowed(o, OLD_PART, request.user)}
    if o.state == "received" and old_parts.may_appraise(request.user):
        allowed.add("appraise")
    o.allowed_actions = sorted(allowed - {"restock", "scrap", "claim"})  # type: ignore[attr-defined]
    if audience.is_external(request.user):
        o.appraisal = o.supplier = o.supplier_email = o.claim_result = ""
    return o


@router.get("/quality/old-parts", response=list[OldPartOut], summary="旧件列表")
@paginate(Page)
def list_old_parts(
    request: HttpRequest,
    state: str | None = None,
    overdue: bool = False,
    dealer_id: int | None = None,
    q: str | None = None,
) -> Any:
    return selectors.old_part_list(
        request.user,
        selectors.OldPartFilters(state=state, overdue=overdue, dealer_id=dealer_id, q=q),
    ).select_related("movement")


@router.post("/quality/old-parts", response={201: OldPartDetailOut}, summary="手工登记旧件")
def create_old_part(request: HttpRequest, payload: OldPartIn) -> Any:
    data = old_parts.OldPartInput(**payload.dict())
    return 201, old_part_payload(request, old_parts.register(actor=request.user, data=data).pk)


@router.get(
    "/quality/old-parts/settlement-check",
    response=SettlementCheckOut,
    summary="三包索赔/维修结算前检查：旧件及维修记录是否已返回",
)
def settlement_check(request: HttpRequest, ticket_id: int) -> Any:
    from aftersales.core.visibility import get_visible
    from aftersales.service.models import Ticket

    ticket = get_visible(Ticket.objects.all(), request.user, pk=ticket_id)
    reasons = old_parts.settlement_blockers(ticket)
    return {"ticket_id": ticket.pk, "settleable": not reasons, "reasons": reasons}


@router.get("/quality/old-parts/{int:pk}", response=OldPartDetailOut, summary="旧件详情")
def get_old_part(request: HttpRequest, pk: int) -> Any:
    return old_part_payload(request, pk)


# ---------------------------------------------------------------- CAPA


def capa_payload(request: HttpRequest, pk: int) -> Any:
    a = selectors.capa_detail(request.user, pk)
    a.deadlines = deadline_rows(deadlines.of(a), timezone.now())  # type: ignore[attr-defined]
    for_audience(a, request.user)
    allowed = {tr.action for tr in workflow.allowed(a, CAPA, request.user)}
    if a.state == "open" and a.owner_id == request.user.pk:
        allowed.add("submit")
    a.allowed_actions = sorted(allowed)  # type: ignore[attr-defined]
    return a


@router.get("/quality/capa", response=list[CapaOut], summary="纠正预防措施列表")
@paginate(Page)
def list_capas(request: HttpRequest, state: str | None = None) -> Any:
    return selectors.capa_list(request.user, state)


@router.post("/quality/capa", response={201: CapaDetailOut}, summary="登记纠正预防措施/整改报告")
def create_capa(request: HttpRequest, payload: CapaIn) -> Any:
    made = capa.open_capa(actor=request.user, data=capa.CapaInput(**payload.dict()))
    return 201, capa_payload(request, made.pk)


@router.get("/quality/capa/{int:pk}", response=CapaDetailOut, summary="纠正预防措施详情")
def get_capa(request: HttpRequest, pk: int) -> Any:
    return capa_payload(request, pk)


# ---------------------------------------------------------------- monthly quality review


def review_payload(request: HttpRequest, pk: int) -> Any:
    r = selectors.review_detail(request.user, pk)
    r.figures_out = selectors.review_figures_of(r)  # type: ignore[attr-defined]
    r.actions_out = list(selectors.review_actions(r))  # type: ignore[attr-defined]
    r.allowed_actions = [tr.action for tr in workflow.allowed(r, REVIEW, request.user)]  # type: ignore[attr-defined]
    r.approvals = approval_selectors.history(r)  # type: ignore[attr-defined]
    return r


@router.get("/quality/reviews", response=list[ReviewOut], summary="月度质量评审列表")
@paginate(Page)
def list_reviews(request: HttpRequest) -> Any:
    return selectors.review_list(request.user)


@router.post("/quality/reviews", response={201: ReviewDetailOut}, summary="开启月度质量评审")
def open_review(request: HttpRequest, payload: ReviewIn) -> Any:
    made = reviews.open_review(actor=request.user, month=payload.month)
    return 201, review_payload(request, made.pk)


@router.get(
    "/quality/reviews/{int:pk}",
    response=ReviewDetailOut,
    summary="月度质量评审：当月投诉、重复维修、逾期措施、预警、旧件与改进措施",
)
def get_review(request: HttpRequest, pk: int) -> Any:
    return review_payload(request, pk)


@router.post(
    "/quality/reviews/{int:pk}/actions",
    response={201: ReviewDetailOut},
    summary="登记改进措施（负责人、完成期限）",
)
def review_add_action(request: HttpRequest, pk: int, payload: ReviewActionIn) -> Any:
    r = selectors.review_detail(request.user, pk)
    reviews.add_action(actor=request.user, review=r, **payload.dict())
    return 201, review_payload(request, pk)


# ---------------------------------------------------------------- the documents' steps


def _warning(request: HttpRequest, pk: int) -> Any:
    return selectors.warning_detail(request.user, pk)


def _old_part(request: HttpRequest, pk: int) -> Any:
    return selectors.old_part_detail(request.user, pk)


def _capa(request: HttpRequest, pk: int) -> Any:
    return selectors.capa_detail(request.user, pk)


def _review(request: HttpRequest, pk: int) -> Any:
    return selectors.review_detail(request.user, pk)


# per document: its path, how it is loaded and answered, its detail schema, and its steps
# (path after the document's, body schema, function name = operation id, summary, service)
STEPS: list[tuple[str, Loader, Loader, Any, list[tuple[str, Any, str, str, Call]]]] = [
    (
        "/complaints/{int:pk}",
        _get,
        detail,
        ComplaintDetailOut,
        [
            (
                "reply",
                ComplaintReplyIn,
                "reply",
                "书面答复/处理意见（24小时内）",
                lambda u, c, p: complaints.reply(actor=u, complaint=c, **p.dict()),
            ),
            (
                "investigate",
                ComplaintInvestigateIn,
                "investigate",
                "记录调查结果",
                lambda u, c, p: complaints.investigate(
                    actor=u, complaint=c, data=complaints.InvestigationInput(**p.dict())
                ),
            ),
            (
                "feed-back",
                ComplaintFeedbackIn,
                "feed_back",
                "一般投诉：反馈结案",
                lambda u, c, p: complaints.feed_back(actor=u, complaint=c, feedback=p.feedback),
            ),
            (
                "handling",
                ComplaintHandlingIn,
                "handling",
                "重大投诉：处理单提交部门审批",
                lambda u, c, p: complaints.submit_handling(actor=u, complaint=c, **p.dict()),
            ),
            (
                "close",
                ComplaintFeedbackIn,
                "close",
                "按批准方案处理完毕结案",
                lambda u, c, p: complaints.close(actor=u, complaint=c, feedback=p.feedback),
            ),
            (
                "explain",
                ComplaintExplainIn,
                "explain",
                "非我方责任：依鉴定结果答复",
                lambda u, c, p: complaints.explain(actor=u, complaint=c, **p.dict()),
            ),
            (
                "cancel",
                ComplaintCancelIn,
                "cancel",
                "撤销投诉",
                lambda u, c, p: complaints.cancel(actor=u, complaint=c, reason=p.reason),
            ),
        ],
    ),
    (
        "/quality/warnings/{int:pk}",
        _warning,
        warning_payload,
        QualityWarningDetailOut,
        [
            (
                "close",
                WarningCloseIn,
                "close_warning",
                "关闭质量预警",
                lambda u, w, p: warnings.close(actor=u, warning=w, note=p.close_note),
            ),
        ],
    ),
    (
        "/quality/old-parts/{int:pk}",
        _old_part,
        old_part_payload,
        OldPartDetailOut,
        [
            (
                "ship",
                OldPartShipIn,
                "ship_old_part",
                "寄回旧件",
                lambda u, o, p: old_parts.ship(actor=u, old_part=o, waybill=p.waybill),
            ),
            (
                "receive",
                OldPartReceiveIn,
                "receive_old_part",
                "旧件入库（库位）",
                lambda u, o, p: old_parts.receive(actor=u, old_part=o, **p.dict()),
            ),
            (
                "appraise",
                OldPartAppraiseIn,
                "appraise_old_part",
                "技术鉴定：可再用（回库）、报废、供应商索赔",
                lambda u, o, p: old_parts.appraise(
                    actor=u, old_part=o, data=old_parts.AppraisalInput(**p.dict())
                ),
            ),
            (
                "close-claim",
                OldPartCloseClaimIn,
                "close_old_part_claim",
                "供应商索赔完结",
                lambda u, o, p: old_parts.close_claim(actor=u, old_part=o, result=p.claim_result),
            ),
            (
                "waive",
                OldPartWaiveIn,
                "waive_old_part",
                "旧件免返回",
                lambda u, o, p: old_parts.waive(actor=u, old_part=o, reason=p.waive_reason),
            ),
        ],
    ),
    (
        "/quality/capa/{int:pk}",
        _capa,
        capa_payload,
        CapaDetailOut,
        [
            (
                "plan",
                CapaPlanIn,
                "plan_capa",
                "制定原因与措施",
                lambda u, a, p: capa.plan(actor=u, capa=a, **p.dict()),
            ),
            (
                "submit",
                CapaSubmitIn,
                "submit_capa",
                "实施完毕，提交效果验证",
                lambda u, a, p: capa.submit(actor=u, capa=a, done_note=p.done_note),
            ),
            (
                "verify",
                CapaVerifyIn,
                "verify_capa",
                "效果验证（责任人、提交人以外）：有效关闭 / 无效重新打开",
                lambda u, a, p: capa.verify(actor=u, capa=a, **p.dict()),
            ),
            (
                "cancel",
                CapaCancelIn,
                "cancel_capa",
                "撤销",
                lambda u, a, p: capa.cancel(actor=u, capa=a, reason=p.cancel_reason),
            ),
        ],
    ),
    (
        "/quality/reviews/{int:pk}",
        _review,
        review_payload,
        ReviewDetailOut,
        [
            (
                "conclusions",
                ReviewConclusionsIn,
                "review_conclusions",
                "记录评审结论",
                lambda u, r, p: reviews.record_conclusions(
                    actor=u, review=r, conclusions=p.conclusions
                ),
            ),
            (
                "close",
                None,
                "close_review",
                "结束评审：冻结当月数据，提交品管中心总监审批",
                lambda u, r, p: reviews.close_review(actor=u, review=r),
            ),
        ],
    ),
]

for base, load, answer, response, steps in STEPS:
    for tail, body, name, summary, call in steps:
        step(
            f"{base}/{tail}",
            body,
            name=name,
            summary=summary,
            response=response,
            load=load,
            call=call,
            answer=answer,
        )


# an improvement action of a review: the review, then its action (both 404 when not visible)


@router.post(
    "/quality/reviews/{int:pk}/actions/{int:action_id}/done",
    response=ReviewDetailOut,
    summary="改进措施完成",
)
def review_action_done(
    request: HttpRequest, pk: int, action_id: int, payload: ReviewActionDoneIn
) -> Any:
    r = selectors.review_detail(request.user, pk)
    a = selectors.review_action_detail(request.user, r, action_id)
    reviews.complete_action(actor=request.user, action=a, note=payload.done_note)
    return review_payload(request, pk)


@router.post(
    "/quality/reviews/{int:pk}/actions/{int:action_id}/cancel",
    response=ReviewDetailOut,
    summary="撤销改进措施",
)
def review_action_cancel(
    request: HttpRequest, pk: int, action_id: int, payload: ReviewActionCancelIn
) -> Any:
    r = selectors.review_detail(request.user, pk)
    a = selectors.review_action_detail(request.user, r, action_id)
    reviews.cancel_action(actor=request.user, action=a, reason=payload.cancel_reason)
    return review_payload(request, pk)
