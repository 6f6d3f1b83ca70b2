"""REST API of the service flow: thin endpoints over the services and selectors."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from aftersales.core.crud import CappedPage
from aftersales.core.errors import NotFound
from aftersales.core.visibility import get_visible
from aftersales.service import selectors
from aftersales.service.api_schemas import (
    CallbackIn,
    CallbackOut,
    CandidateOut,
    CauseIn,
    CheckInIn,
    CheckOutIn,
    ComplexIn,
    DispatchIn,
    DuplicateCheckOut,
    FactoryReceiveIn,
    FactoryRepairOut,
    FactorySendIn,
    FactoryShipBackIn,
    FactOut,
    HandOverIn,
    OverrideIn,
    QrEquipmentOut,
    QrTicketIn,
    QuoteDecisionIn,
    QuoteIn,
    QuoteOut,
    ReassignIn,
    ReportIn,
    ReportOut,
    ResponsibilityIn,
    SignIn,
    SolutionIn,
    SolutionPlanIn,
    TicketDetailOut,
    TicketIn,
    TicketOut,
    TicketReasonIn,
    UnreachableIn,
    WaitIn,
    WarrantyDecideIn,
    WarrantyOut,
    WindowIn,
    WorkOrderOut,
)
from aftersales.service.models import Callback, FactoryRepair, Quote, Ticket, WorkOrder
from aftersales.service.services import (
    callbacks,
    dispatch,
    factory,
    intake,
    lifecycle,
    qr,
    reports,
    targets,
    warranty,
)
from aftersales.service.transitions import allowed_actions

router = Router(tags=["报修与派工"])
public = Router(tags=["公开链接（扫码、报价确认、评价）"])


def _user(request: HttpRequest) -> Any:
    return request.user


def _ticket(request: HttpRequest, pk: int) -> Ticket:
    return selectors.ticket_detail(request.user, pk)


def _wo(request: HttpRequest, pk: int) -> WorkOrder:
    return get_visible(WorkOrder.objects.select_related("ticket"), request.user, pk=pk)


def detail(request: HttpRequest, ticket: Ticket) -> Ticket:
    """The ticket as the user may see it, with the actions the table allows him."""
    t = selectors.ticket_detail(request.user, ticket.pk)
    user: Any = request.user
    roles = user.role_codes | ({user.org_kind} if user.org_kind != "company" else set())
    t.allowed_actions_for_user = [a.action for a in allowed_actions(t.state, frozenset(roles))]  # type: ignore[attr-defined]
    return t


@router.post("/tickets", response={201: TicketDetailOut}, summary="登记报修")
def create_ticket(request: HttpRequest, payload: TicketIn) -> Any:
    channel = payload.channel
    if request.user.org_kind == "customer":  # type: ignore[union-attr]
        channel = "portal"
    elif request.user.org_kind == "dealer":  # type: ignore[union-attr]
        channel = "dealer"
    data = intake.TicketInput(**{**payload.dict(), "channel": channel})
    ticket = intake.ticket_create(actor=request.user, data=data)
    # answer from the rows just written instead of reading them back
    user: Any = request.user
    roles = user.role_codes | ({user.org_kind} if user.org_kind != "company" else set())
    ticket.allowed_actions_for_user = [  # type: ignore[attr-defined]
        a.action for a in allowed_actions(ticket.state, frozenset(roles))
    ]
    ticket._fresh = True  # type: ignore[attr-defined]
    return 201, ticket


@router.get("/tickets", response=list[TicketOut], summary="报修队列")
@paginate(CappedPage)
def list_tickets(
    request: HttpRequest,
    state: str | None = None,
    severity: str | None = None,
    mine: bool = False,
    overdue: bool = False,
    customer_id: int | None = None,
    q: str | None = None,
) -> Any:
    qs = selectors.ticket_queue(
        request.user,
        selectors.QueueFilters(
            state=state, severity=severity, mine=mine, overdue=overdue, customer_id=customer_id, q=q
        ),
    )
    return qs


@router.get(
    "/tickets/duplicates", response=DuplicateCheckOut, summary="同设备未关闭报修（重复检查）"
)
def duplicates(request: HttpRequest, equipment_id: int) -> Any:
    """Tickets the user may not open are not listed: ``notice`` only says one exists."""
    from aftersales.installed_base.models import Equipment

    eq = get_visible(Equipment, request.user, pk=equipment_id)
    return selectors.duplicate_check(request.user, eq.pk)


@router.get("/tickets/{int:pk}", response=TicketDetailOut, summary="报修详情")
def get_ticket(request: HttpRequest, pk: int) -> Any:
    return detail(request, _ticket(request, pk))


@router.post("/tickets/{int:pk}/acknowledge", response=TicketDetailOut, summary="受理（首次响应）")
def acknowledge(request: HttpRequest, pk: int, payload: TicketReasonIn) -> Any:
    return detail(
        request,
        lifecycle.acknowledge(actor=request.user, ticket=_ticket(request, pk), note=payload.reason),
    )


@router.post(
    "/tickets/{int:pk}/wait", response=TicketDetailOut, summary="等待客户/配件（暂停计时）"
)
def wait(request: HttpRequest, pk: int, payload: WaitIn) -> Any:
    return detail(
        request,
        lifecycle.wait(
            actor=request.user,
            ticket=_ticket(request, pk),
            for_=payload.for_,
            reason=payload.reason,
        ),
    )


@router.post("/tickets/{int:pk}/resume", response=TicketDetailOut, summary="恢复处理")
def resume(request: HttpRequest, pk: int) -> Any:
    return detail(request, lifecycle.resume(actor=request.user, ticket=_ticket(request, pk)))


@router.post(
    "/tickets/{int:pk}/start-work", response=TicketDetailOut, summary="开始处理（收费需报价确认）"
)
def start_work(request: HttpRequest, pk: int) -> Any:
    return detail(request, dispatch.start_work(actor=request.user, ticket=_ticket(request, pk)))


@router.post(
    "/tickets/{int:pk}/resolve", response=TicketDetailOut, summary="完工（需完整服务报告）"
)
def resolve(request: HttpRequest, pk: int) -> Any:
    return detail(request, lifecycle.resolve(actor=request.user, ticket=_ticket(request, pk)))


@router.post("/tickets/{int:pk}/resolve-remotely", response=TicketDetailOut, summary="远程解决")
def resolve_remotely(request: HttpRequest, pk: int, payload: SolutionIn) -> Any:
    return detail(
        request,
        lifecycle.resolve_remotely(
            actor=request.user, ticket=_ticket(request, pk), solution=payload.solution
        ),
    )


@router.post("/tickets/{int:pk}/cancel", response=TicketDetailOut, summary="取消")
def cancel(request: HttpRequest, pk: int, payload: TicketReasonIn) -> Any:
    return detail(
        request,
        lifecycle.cancel(actor=request.user, ticket=_ticket(request, pk), reason=payload.reason),
    )


@router.post("/tickets/{int:pk}/reopen", response=TicketDetailOut, summary="重开")
def reopen(request: HttpRequest, pk: int, payload: CauseIn) -> Any:
    return detail(
        request,
        lifecycle.reopen(actor=request.user, ticket=_ticket(request, pk), cause=payload.cause),
    )


@router.post("/tickets/{int:pk}/close", response=TicketDetailOut, summary="回访后关闭")
def close(request: HttpRequest, pk: int) -> Any:
    return detail(request, lifecycle.close(actor=request.user, ticket=_ticket(request, pk)))


@router.post("/tickets/{int:pk}/hand-over", response=TicketDetailOut, summary="移交首问负责人")
def hand_over(request: HttpRequest, pk: int, payload: HandOverIn) -> Any:
    from django.contrib.auth import get_user_model

    to = get_user_model().objects.filter(pk=payload.to_user_id).first()
    return detail(
        request,
        intake.ticket_hand_over(
            actor=request.user, ticket=_ticket(request, pk), to_user=to, reason=payload.reason
        ),
    )


@router.post("/tickets/{int:pk}/claim", response=TicketDetailOut, summary="认领（成为首问负责人）")
def claim(request: HttpRequest, pk: int) -> Any:
    return detail(
        request, intake.ticket_claim_ownership(actor=request.user, ticket=_ticket(request, pk))
    )


@router.post(
    "/tickets/{int:pk}/solution-plan",
    response=TicketDetailOut,
    summary="提出/修改解决方案（重大故障）",
)
def solution_plan(request: HttpRequest, pk: int, payload: SolutionPlanIn) -> Any:
    return detail(
        request,
        targets.record_solution_plan(
            actor=request.user, ticket=_ticket(request, pk), plan=payload.plan
        ),
    )


@router.post("/tickets/{int:pk}/complex", response=TicketDetailOut, summary="认定复杂故障")
def mark_complex(request: HttpRequest, pk: int, payload: ComplexIn) -> Any:
    return detail(
        request,
        targets.mark_complex(
            actor=request.user, ticket=_ticket(request, pk), reason=payload.reason
        ),
    )


def _factory_out(request: HttpRequest, repair: FactoryRepair) -> dict[str, Any]:
    views = selectors.factory_repairs(request.user, _ticket(request, repair.ticket_id))
    return FactoryRepairOut.of(next(v for v in views if v.repair.pk == repair.pk))


def _repair(request: HttpRequest, pk: int) -> FactoryRepair:
    return get_visible(FactoryRepair.objects.select_related("ticket"), request.user, pk=pk)


@router.get(
    "/tickets/{int:pk}/factory-repairs",
    response=list[FactoryRepairOut],
    summary="返厂维修记录（客户/经销商只见对外进度）",
)
def factory_repairs(request: HttpRequest, pk: int) -> Any:
    return [
        FactoryRepairOut.of(v)
        for v in selectors.factory_repairs(request.user, _ticket(request, pk))
    ]


@router.post(
    "/tickets/{int:pk}/factory-repairs",
    response={201: FactoryRepairOut},
    summary="返厂维修：寄往工厂（暂停计时）",
)
def factory_send(request: HttpRequest, pk: int, payload: FactorySendIn) -> Any:
    repair = factory.send(actor=request.user, ticket=_ticket(request, pk), **payload.dict())
    return 201, _factory_out(request, repair)


@router.post(
    "/factory-repairs/{int:pk}/arrive", response=FactoryRepairOut, summary="返厂维修：工厂已收到"
)
def factory_arrive(request: HttpRequest, pk: int) -> Any:
    return _factory_out(request, factory.arrive(actor=request.user, repair=_repair(request, pk)))


@router.post(
    "/factory-repairs/{int:pk}/ship-back",
    response=FactoryRepairOut,
    summary="返厂维修：工厂修复发回",
)
def factory_ship_back(request: HttpRequest, pk: int, payload: FactoryShipBackIn) -> Any:
    repair = factory.ship_back(actor=request.user, repair=_repair(request, pk), **payload.dict())
    return _factory_out(request, repair)


@router.post(
    "/factory-repairs/{int:pk}/receive",
    response=FactoryRepairOut,
    summary="返厂维修：确认收回（恢复计时）",
)
def factory_receive(request: HttpRequest, pk: int, payload: FactoryReceiveIn) -> Any:
    repair = factory.receive(actor=request.user, repair=_repair(request, pk), note=payload.note)
    return _factory_out(request, repair)


@router.post(
    "/tickets/{int:pk}/warranty/decide", response=WarrantyOut, summary="重新保修判定（录入原因）"
)
def warranty_decide(request: HttpRequest, pk: int, payload: WarrantyDecideIn) -> Any:
    from django.db import transaction

    ticket = _ticket(request, pk)
    with transaction.atomic():
        record = warranty.decide(
            ticket,
            actor=request.user,
            cause=payload.cause,
            latent_defect=payload.latent_defect,
            abnormal_life=payload.abnormal_life,
            component_code=payload.component_code,
        )
    if record is None:
        raise NotFound("该报修单没有可判定的设备或保修政策")
    return record


@router.post(
    "/tickets/{int:pk}/warranty/override", response=WarrantyOut, summary="人工调整保修判定"
)
def warranty_override(request: HttpRequest, pk: int, payload: OverrideIn) -> Any:
    return warranty.override(
        actor=request.user,
        ticket=_ticket(request, pk),
        outcome=payload.outcome,
        reason=payload.reason,
    )


@router.post("/tickets/{int:pk}/quotes", response={201: QuoteOut}, summary="编制报价")
def create_quote(request: HttpRequest, pk: int, payload: QuoteIn) -> Any:
    parts = [warranty.QuotePart(p.part_code, p.quantity) for p in payload.parts]
    q = warranty.quote_create(
        actor=request.user,
        ticket=_ticket(request, pk),
        parts=parts,
        labour_hours=payload.labour_hours,
        distance_km=payload.distance_km,
    )
    return 201, q


@router.post("/quotes/{int:pk}/record-decision", response=QuoteOut, summary="登记客户对报价的确认")
def record_quote(request: HttpRequest, pk: int, payload: QuoteDecisionIn) -> Any:
    quote = get_visible(Quote, request.user, pk=pk)
    return warranty.quote_decide(
        quote=quote, accept=payload.accept, by_name=payload.by_name, actor=request.user
    )


@router.get("/tickets/{int:pk}/candidates", response=list[CandidateOut], summary="派工候选工程师")
def candidates(request: HttpRequest, pk: int) -> Any:
    return [
        {
            "user_id": c.facts.user_id,
            "name": c.facts.name,
            "eligible": c.eligible,
            "score": c.score,
            "distance_km": c.distance_km,
            "reasons": list(c.reasons),
        }
        for c in dispatch.candidates(_ticket(request, pk))
    ]


@router.post("/tickets/{int:pk}/dispatch", response={201: WorkOrderOut}, summary="派工")
def dispatch_ticket(request: HttpRequest, pk: int, payload: DispatchIn) -> Any:
    return 201, dispatch.dispatch(actor=request.user, ticket=_ticket(request, pk), **payload.dict())


@router.get("/work-orders", response=list[WorkOrderOut], summary="我的工单")
def my_work_orders(request: HttpRequest) -> Any:
    return list(dispatch.my_work_orders(request.user)[:200])


@router.post("/work-orders/{int:pk}/accept", response=WorkOrderOut, summary="接单")
def accept(request: HttpRequest, pk: int) -> Any:
    return dispatch.accept(actor=request.user, work_order=_wo(request, pk))


@router.post("/work-orders/{int:pk}/decline", response=WorkOrderOut, summary="拒单")
def decline(request: HttpRequest, pk: int, payload: TicketReasonIn) -> Any:
    return dispatch.decline(actor=request.user, work_order=_wo(request, pk), reason=payload.reason)


@router.post("/work-orders/{int:pk}/reassign", response={201: WorkOrderOut}, summary="改派")
def reassign(request: HttpRequest, pk: int, payload: ReassignIn) -> Any:
    return 201, dispatch.reassign(
        actor=request.user,
        work_order=_wo(request, pk),
        technician_ids=payload.technician_ids,
        reason=payload.reason,
    )


@router.post("/work-orders/{int:pk}/schedule", response=WorkOrderOut, summary="预约上门时间")
def schedule(request: HttpRequest, pk: int, payload: WindowIn) -> Any:
    return dispatch.schedule(
        actor=request.user,
        work_order=_wo(request, pk),
        start=payload.start,
        end=payload.end,
        confirm_late=payload.confirm_late,
    )


@router.post("/work-orders/{int:pk}/set-out", response=WorkOrderOut, summary="出发")
def set_out(request: HttpRequest, pk: int) -> Any:
    return dispatch.set_out(actor=request.user, work_order=_wo(request, pk))


@router.post("/work-orders/{int:pk}/check-in", response=WorkOrderOut, summary="到场签到")
def check_in(request: HttpRequest, pk: int, payload: CheckInIn) -> Any:
    return dispatch.check_in(
        actor=request.user, work_order=_wo(request, pk), lat=payload.lat, lng=payload.lng
    )


@router.post("/work-orders/{int:pk}/check-out", response=WorkOrderOut, summary="离场")
def check_out(request: HttpRequest, pk: int, payload: CheckOutIn | None = None) -> Any:
    reason, note = (payload.reason, payload.note) if payload else ("", "")
    return dispatch.check_out(
        actor=request.user, work_order=_wo(request, pk), reason=reason, note=note
    )


@router.put("/work-orders/{int:pk}/report", response=ReportOut, summary="保存服务报告")
def save_report(request: HttpRequest, pk: int, payload: ReportIn) -> Any:
    data = payload.dict()
    parts = [(p["part_code"], p["quantity"], p["keep_old_part"]) for p in data.pop("parts")]
    return reports.save(
        actor=request.user,
        work_order=_wo(request, pk),
        data=reports.ReportInput(**data, parts=parts),
    )


@router.post("/work-orders/{int:pk}/report/sign", response=ReportOut, summary="客户签字")
def sign_report(request: HttpRequest, pk: int, payload: SignIn) -> Any:
    return reports.sign(
        actor=request.user,
        work_order=_wo(request, pk),
        signature_png=payload.signature_png,
        signed_by=payload.signed_by,
    )


@router.post(
    "/work-orders/{int:pk}/report/confirm-link", response=ReportOut, summary="生成客户确认链接"
)
def confirm_link(request: HttpRequest, pk: int) -> Any:
    return reports.request_link_confirmation(actor=request.user, work_order=_wo(request, pk))


@router.post("/work-orders/{int:pk}/report/submit", response=ReportOut, summary="提交服务报告")
def submit_report(request: HttpRequest, pk: int) -> Any:
    return reports.submit(actor=request.user, work_order=_wo(request, pk))


@router.get("/callbacks", response=list[CallbackOut], summary="待回访")
def due_callbacks(request: HttpRequest) -> Any:
    return list(selectors.callbacks_due(request.user)[:200])


@router.post("/callbacks/{int:pk}/result", response=CallbackOut, summary="登记回访结果")
def callback_result(request: HttpRequest, pk: int, payload: CallbackIn) -> Any:
    cb = get_visible(Callback, request.user, pk=pk)
    return callbacks.record_result(actor=request.user, callback=cb, **payload.dict())


@router.post("/callbacks/{int:pk}/unreachable", response=CallbackOut, summary="回访联系不上")
def callback_unreachable(request: HttpRequest, pk: int, payload: UnreachableIn) -> Any:
    cb = get_visible(Callback, request.user, pk=pk)
    return callbacks.record_unreachable(actor=request.user, callback=cb, note=payload.note)


@router.post(
    "/callbacks/{int:pk}/responsibility",
    response={201: FactOut},
    summary="不满意回访：认定责任人（计入考核）",
)
def callback_responsibility(request: HttpRequest, pk: int, payload: ResponsibilityIn) -> Any:
    from aftersales.accounts.models import User

    cb = get_visible(Callback, request.user, pk=pk)
    person = User.objects.filter(pk=payload.person_id, org_kind="company").first()
    return 201, callbacks.assign_responsibility(
        actor=request.user, callback=cb, person=person, cause=payload.cause
    )


@public.get("/qr/{token}", response=QrEquipmentOut, auth=None, summary="扫码：设备信息")
def qr_equipment(request: HttpRequest, token: str) -> Any:
    eq = qr.equipment_for_token(token)
    return {
        "serial_no": eq.serial_no,
        "model": f"{eq.model.code} {eq.model.name}",
        "site": eq.site.name,
        "customer": eq.site.customer.name,
    }


@public.post(
    "/qr/{token}/tickets", response={201: TicketOut}, auth=None, summary="扫码报修（手机号校验）"
)
def qr_ticket(request: HttpRequest, token: str, payload: QrTicketIn) -> Any:
    return 201, qr.qr_submit(token=token, **payload.dict())


@public.post(
    "/quotes/by-token/{token}/decision",
    response=QuoteOut,
    auth=None,
    summary="客户通过链接确认报价",
)
def quote_by_link(request: HttpRequest, token: str, payload: QuoteDecisionIn) -> Any:
    return warranty.quote_decide(quote_token=token, accept=payload.accept, by_name=payload.by_name)


@public.post("/surveys/{token}", response=CallbackOut, auth=None, summary="客户通过链接评价")
def survey(request: HttpRequest, token: str, payload: CallbackIn) -> Any:
    return callbacks.record_result(
        actor=None, survey_token=token, **{**payload.dict(), "channel": "link"}
    )
