"""REST API of the dealer domain: dealers (master data), warranty cards. Thin endpoints over
the services and selectors; another dealer's records are 404."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, ModelSchema, Query, Router, UploadedFile
from ninja.pagination import paginate
from pydantic import constr

from aftersales.core.crud import Page, register_crud
from aftersales.core.errors import ValidationFailed
from aftersales.core.schemas import In, InFilter
from aftersales.dealers import selectors
from aftersales.dealers.api_schemas import (
    AppraiseIn,
    CardImportOut,
    CardIn,
    CardOut,
    CardReceiveIn,
    ClaimIn,
    ClaimOut,
    ClaimTotalsOut,
    DealerRatingOut,
    DealerTaskOut,
    DisputeIn,
    LedgerOut,
    NoticeIn,
    NoticeOut,
    RatingFreezeIn,
    RatingPeriodOut,
    StockingLinesIn,
    StockingPlanOut,
    StockingPlanStartIn,
    StockingReviewIn,
    StockingSeasonIn,
    StockingSeasonOut,
    TaskArrangeIn,
    TaskAssignIn,
    TaskCheckIn,
    TaskHandBackIn,
)
from aftersales.dealers.models import Dealer
from aftersales.dealers.services import cards, claims, rating, stocking, tasks

router = Router(tags=["经销商"])


class DealerOut(ModelSchema):
    class Meta:
        model = Dealer
        fields = [
            "id",
            "code",
            "name",
            "level",
            "region",
            "contact_name",
            "phone",
            "address",
            "receivables",
            "archived_at",
        ]


class DealerIn(In):
    columns_of = Dealer
    code: constr(strip_whitespace=True, min_length=1, max_length=20)  # type: ignore[valid-type]
    name: constr(strip_whitespace=True, min_length=1, max_length=100)  # type: ignore[valid-type]
    level: Dealer.Level = Dealer.Level.B
    region_id: int
    contact_name: str = ""
    phone: str = ""
    address: str = ""
    receivables: Decimal = Field(Decimal("0.00"), max_digits=14, decimal_places=2)


class DealerPatch(In):
    columns_of = Dealer
    name: str | None = None
    level: Dealer.Level | None = None
    region_id: int | None = None
    contact_name: str | None = None
    phone: str | None = None
    address: str | None = None


class DealerFilter(InFilter):
    columns_of = Dealer
    region_id: int | None = None
    level: str | None = None


register_crud(
    router,
    model=Dealer,
    path="dealers",
    out=DealerOut,
    create=DealerIn,
    update=DealerPatch,
    filters=DealerFilter,
    search=["code", "name", "contact_name"],
    after_create=lambda dealer, actor: claims.open_ledger(dealer, actor),
)


@router.get("/warranty-cards", response=list[CardOut], summary="三包回执卡列表")
@paginate(Page)
def card_list(
    request: HttpRequest,
    state: str | None = Query(None, max_length=10),  # type: ignore[call-overload]
    dealer_id: int | None = None,
    q: str | None = Query(None, max_length=50),  # type: ignore[call-overload]
) -> Any:
    return selectors.card_list(
        request.user, selectors.CardFilters(state=state, dealer_id=dealer_id, q=q)
    )


@router.get("/warranty-cards/{int:pk}", response=CardOut, summary="三包回执卡详情")
def card_get(request: HttpRequest, pk: int) -> Any:
    return selectors.card_detail(request.user, pk)


@router.post("/warranty-cards", response={201: CardOut}, summary="登记销售（三包回执卡）")
def card_register(request: HttpRequest, payload: CardIn) -> Any:
    card = cards.register_card(actor=request.user, data=cards.CardInput(**payload.dict()))
    return 201, selectors.card_detail(request.user, card.pk)


@router.post(
    "/warranty-cards/{int:pk}/receive", response=CardOut, summary="登记公司收卡日期（仅公司）"
)
def card_receive(request: HttpRequest, pk: int, payload: CardReceiveIn) -> Any:
    cards.receive_card(actor=request.user, card_id=pk, received_date=payload.received_date)
    return selectors.card_detail(request.user, pk)


@router.post("/warranty-cards/import", response=CardImportOut, summary="Excel批量登记三包回执卡")
def card_import(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
    dealer_id: int | None = None,
) -> Any:
    if file.size and file.size > 5 * 1024 * 1024:
        raise ValidationFailed("文件超过 5 MB", field="file")
    result = cards.import_cards(actor=request.user, fileobj=file, dealer_id=dealer_id)
    if result.errors:
        raise ValidationFailed(result.errors[0], details={"errors": result.errors})
    return CardImportOut(created=len(result.created), errors=[])


# ---- dealer-handled service tasks -------------------------------------------------------


@router.get("/dealer-tasks", response=list[DealerTaskOut], summary="服务任务列表（经销商/部门）")
@paginate(Page)
def task_list(
    request: HttpRequest,
    state: str | None = Query(None, max_length=15),  # type: ignore[call-overload]
    dealer_id: int | None = None,
    department_id: int | None = None,
) -> Any:
    return selectors.task_list(
        request.user, state=state, dealer_id=dealer_id, department_id=department_id
    )


@router.get("/dealer-tasks/{int:pk}", response=DealerTaskOut, summary="服务任务详情")
def task_get(request: HttpRequest, pk: int) -> Any:
    return selectors.task_detail(request.user, pk)


@router.post("/dealer-tasks", response={201: DealerTaskOut}, summary="报修交经销商或部门处理")
def task_assign(request: HttpRequest, payload: TaskAssignIn) -> Any:
    task = tasks.assign(
        actor=request.user,
        ticket_id=payload.ticket_id,
        dealer_id=payload.dealer_id,
        department_id=payload.department_id,
    )
    return 201, selectors.task_detail(request.user, task.pk)


@router.post(
    "/dealer-tasks/{int:pk}/arrange", response=DealerTaskOut, summary="经销商/部门确认安排"
)
def task_arrange(request: HttpRequest, pk: int, payload: TaskArrangeIn) -> Any:
    tasks.arrange(
        actor=request.user,
        task_id=pk,
        arrangement=payload.arrangement,
        customer_informed=payload.customer_informed,
    )
    return selectors.task_detail(request.user, pk)


@router.post("/dealer-tasks/{int:pk}/check", response=DealerTaskOut, summary="主办核查服务任务安排")
def task_check(request: HttpRequest, pk: int, payload: TaskCheckIn) -> Any:
    tasks.check(actor=request.user, task_id=pk, ok=payload.ok, note=payload.note)
    return selectors.task_detail(request.user, pk)


@router.post(
    "/dealer-tasks/{int:pk}/hand-back",
    response=DealerTaskOut,
    summary="经销商/部门退回任务（须说明原因）",
)
def task_hand_back(request: HttpRequest, pk: int, payload: TaskHandBackIn) -> Any:
    tasks.hand_back(actor=request.user, task_id=pk, reason=payload.reason)
    return selectors.task_detail(request.user, pk)


# ---- claims, settlement notices, receivables ledger -------------------------------------


@router.get("/dealer-claims", response=list[ClaimOut], summary="三包索赔单列表")
@paginate(Page)
def claim_list(
    request: HttpRequest,
    state: str | None = Query(None, max_length=15),  # type: ignore[call-overload]
    dealer_id: int | None = None,
) -> Any:
    return selectors.claim_list(request.user, state=state, dealer_id=dealer_id)


@router.get(
    "/dealer-claims/totals", response=list[ClaimTotalsOut], summary="经销商核定索赔金额累计"
)
def claim_totals(request: HttpRequest, dealer_id: int | None = None) -> Any:
    return selectors.claim_totals(request.user, dealer_id=dealer_id)


@router.get("/dealer-claims/{int:pk}", response=ClaimOut, summary="三包索赔单详情")
def claim_get(request: HttpRequest, pk: int) -> Any:
    return selectors.claim_detail(request.user, pk)


@router.post("/dealer-claims", response={201: ClaimOut}, summary="提交三包索赔单（经销商）")
def claim_submit(request: HttpRequest, payload: ClaimIn) -> Any:
    data = claims.ClaimInput(
        ticket_id=payload.ticket_id,
        repair_date=payload.repair_date,
        description=payload.description,
        parts=[claims.PartIn(p.part_code, p.quantity) for p in payload.parts],
        labour_hours=payload.labour_hours,
        visit=payload.visit,
        distance_km=payload.distance_km,
    )
    claim = claims.submit(actor=request.user, data=data)
    return 201, selectors.claim_detail(request.user, claim.pk)


@router.post("/dealer-claims/{int:pk}/appraise", response=ClaimOut, summary="技术部鉴定索赔")
def claim_appraise(request: HttpRequest, pk: int, payload: AppraiseIn) -> Any:
    claims.appraise(
        actor=request.user,
        claim_id=pk,
        decision=payload.decision,
        reason=payload.reason,
        line_amounts=dict(payload.line_amounts),
    )
    return selectors.claim_detail(request.user, pk)


@router.get("/settlement-notices", response=list[NoticeOut], summary="三包费用核销通知列表")
@paginate(Page)
def notice_list(request: HttpRequest, dealer_id: int | None = None) -> Any:
    return selectors.notice_list(request.user, dealer_id=dealer_id)


@router.get("/settlement-notices/{int:pk}", response=NoticeOut, summary="核销通知详情")
def notice_get(request: HttpRequest, pk: int) -> Any:
    return selectors.notice_detail(request.user, pk)


@router.post("/settlement-notices", response={201: NoticeOut}, summary="开具核销通知（财务）")
def notice_issue(request: HttpRequest, payload: NoticeIn) -> Any:
    notice = claims.issue_notice(
        actor=request.user,
        dealer_id=payload.dealer_id,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return 201, selectors.notice_detail(request.user, notice.pk)


@router.post("/settlement-notices/{int:pk}/confirm", response=NoticeOut, summary="经销商确认核销")
def notice_confirm(request: HttpRequest, pk: int) -> Any:
    claims.confirm_notice(actor=request.user, notice_id=pk)
    return selectors.notice_detail(request.user, pk)


@router.post("/settlement-notices/{int:pk}/dispute", response=NoticeOut, summary="经销商提出异议")
def notice_dispute(request: HttpRequest, pk: int, payload: DisputeIn) -> Any:
    claims.dispute_notice(actor=request.user, notice_id=pk, reason=payload.reason)
    return selectors.notice_detail(request.user, pk)


@router.get("/dealer-ledger", response=list[LedgerOut], summary="经销商应收账款台账")
@paginate(Page)
def ledger(request: HttpRequest, dealer_id: int | None = None) -> Any:
    return selectors.ledger(request.user, dealer_id=dealer_id)


# ---- stocking plans (备货计划) ------------------------------------------------------------


@router.get("/stocking-seasons", response=list[StockingSeasonOut], summary="销售旺季列表")
def season_list(request: HttpRequest) -> Any:
    return list(selectors.seasons(request.user))


@router.post(
    "/stocking-seasons",
    response={201: StockingSeasonOut},
    summary="开立旺季（下达各经销商备货计划）",
)
def season_open(request: HttpRequest, payload: StockingSeasonIn) -> Any:
    return 201, stocking.open_season(actor=request.user, **payload.dict())


@router.get("/stocking-plans", response=list[StockingPlanOut], summary="经销商备货计划列表")
@paginate(Page)
def plan_list(
    request: HttpRequest,
    season_id: int | None = None,
    dealer_id: int | None = None,
    state: str | None = Query(None, max_length=12),  # type: ignore[call-overload]
    late: bool = False,
) -> Any:
    f = selectors.PlanFilters(season_id=season_id, dealer_id=dealer_id, state=state, late=late)
    return selectors.plan_list(request.user, f)


@router.get("/stocking-plans/{int:pk}", response=StockingPlanOut, summary="备货计划详情")
def plan_get(request: HttpRequest, pk: int) -> Any:
    return selectors.plan_detail(request.user, pk)


@router.post("/stocking-plans", response={201: StockingPlanOut}, summary="经销商开立本店备货计划")
def plan_start(request: HttpRequest, payload: StockingPlanStartIn) -> Any:
    plan = stocking.start_plan(actor=request.user, season_id=payload.season_id)
    return 201, selectors.plan_detail(request.user, plan.pk)


@router.put(
    "/stocking-plans/{int:pk}/lines", response=StockingPlanOut, summary="填写备货明细（经销商）"
)
def plan_lines(request: HttpRequest, pk: int, payload: StockingLinesIn) -> Any:
    lines = [stocking.LineIn(ln.kind, ln.code, ln.quantity) for ln in payload.lines]
    stocking.save_lines(actor=request.user, plan_id=pk, lines=lines)
    return selectors.plan_detail(request.user, pk)


@router.post(
    "/stocking-plans/{int:pk}/submit", response=StockingPlanOut, summary="提交备货计划（经销商）"
)
def plan_submit(request: HttpRequest, pk: int) -> Any:
    stocking.submit(actor=request.user, plan_id=pk)
    return selectors.plan_detail(request.user, pk)


@router.post(
    "/stocking-plans/{int:pk}/review", response=StockingPlanOut, summary="审核备货计划（公司）"
)
def plan_review(request: HttpRequest, pk: int, payload: StockingReviewIn) -> Any:
    stocking.review(actor=request.user, plan_id=pk, approve=payload.approve, note=payload.note)
    return selectors.plan_detail(request.user, pk)


# ---- dealer ratings (经销商评级) ---------------------------------------------------------


@router.get("/dealer-rating-periods", response=list[RatingPeriodOut], summary="已评定的评级期间")
def rating_periods(request: HttpRequest) -> Any:
    return list(selectors.rating_periods(request.user))


@router.post(
    "/dealer-rating-periods",
    response={201: RatingPeriodOut},
    summary="评定并冻结一个期间的经销商评级（经理，每期一次）",
)
def rating_freeze(request: HttpRequest, payload: RatingFreezeIn) -> Any:
    return 201, rating.freeze_period(actor=request.user, period_start=payload.period_start)


@router.get(
    "/dealer-ratings/preview",
    response=list[DealerRatingOut],
    summary="评级试算（经理；期间可未结束，不保存）",
)
def rating_preview(request: HttpRequest, period_start: dt.date | None = None) -> Any:
    return rating.preview(actor=request.user, period_start=period_start)


@router.get("/dealer-ratings", response=list[DealerRatingOut], summary="经销商评级列表")
@paginate(Page)
def rating_list(
    request: HttpRequest,
    period_id: int | None = None,
    dealer_id: int | None = None,
    outcome: str | None = Query(None, max_length=10),  # type: ignore[call-overload]
) -> Any:
    f = selectors.RatingFilters(period_id=period_id, dealer_id=dealer_id, outcome=outcome)
    return selectors.rating_list(request.user, f)


@router.get("/dealer-ratings/{int:pk}", response=DealerRatingOut, summary="经销商评级详情")
def rating_get(request: HttpRequest, pk: int) -> Any:
    return selectors.rating_detail(request.user, pk)
