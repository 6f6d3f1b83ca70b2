"""REST API of maintenance plans, visits and inspections: thin endpoints over the services
and selectors. Every record is looked up through the user's visibility first (others' 404)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from aftersales.core.crud import Page
from aftersales.core.visibility import get_visible
from aftersales.customers.models import ServiceContract
from aftersales.maintenance import exports, selectors
from aftersales.maintenance.api_schemas import (
    CancelVisitIn,
    CompleteIn,
    CompletionOut,
    CoverageOut,
    MaintenancePlanDetailOut,
    MaintenancePlanIn,
    MaintenancePlanOut,
    PortalPlanOut,
    PortalReportOut,
    PortalReportRowOut,
    RecordIn,
    VisitDetailOut,
    VisitOut,
)
from aftersales.maintenance.services import generation, inspections, plans

router = Router(tags=["巡检与保养"])


def _plan_detail(request: HttpRequest, pk: int) -> Any:
    plan = selectors.plan_detail(request.user, pk)
    plan.next_occurrences = selectors.preview(plan)  # type: ignore[attr-defined]
    return plan


@router.post("/maintenance/plans", response={201: MaintenancePlanDetailOut}, summary="新建巡检计划")
def create_plan(request: HttpRequest, payload: MaintenancePlanIn) -> Any:
    plan = plans.plan_create(actor=request.user, data=plans.PlanInput(**payload.dict()))
    return 201, _plan_detail(request, plan.pk)


@router.get("/maintenance/plans", response=list[MaintenancePlanOut], summary="巡检计划列表")
@paginate(Page)
def list_plans(
    request: HttpRequest,
    customer_id: int | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> Any:
    return selectors.plan_list(request.user, customer_id=customer_id, kind=kind, q=q)


@router.get("/maintenance/plans/export", summary="导出巡检计划（Excel）")
def export_plans(request: HttpRequest) -> HttpResponse:
    return exports.plans_xlsx(selectors.plan_list(request.user))


@router.get(
    "/maintenance/plans/{pk}",
    response=MaintenancePlanDetailOut,
    summary="巡检计划详情（含后续周期预览）",
)
def get_plan(request: HttpRequest, pk: int) -> Any:
    return _plan_detail(request, pk)


@router.put("/maintenance/plans/{pk}", response=MaintenancePlanDetailOut, summary="修改巡检计划")
def update_plan(request: HttpRequest, pk: int, payload: MaintenancePlanIn) -> Any:
    plan = selectors.plan_detail(request.user, pk)
    plans.plan_update(actor=request.user, plan=plan, data=plans.PlanInput(**payload.dict()))
    return _plan_detail(request, pk)


@router.get(
    "/maintenance/plans/{pk}/coverage", response=list[CoverageOut], summary="计划执行情况（按月）"
)
def plan_coverage(request: HttpRequest, pk: int) -> Any:
    selectors.plan_detail(request.user, pk)
    return selectors.coverage(request.user, plan_id=pk)


@router.get(
    "/maintenance/contracts/{pk}/coverage",
    response=list[CoverageOut],
    summary="合同巡检覆盖（计划/完成/逾期）",
)
def contract_coverage(request: HttpRequest, pk: int) -> Any:
    get_visible(ServiceContract, request.user, pk=pk)  # another's contract: 404
    return selectors.coverage(request.user, contract_id=pk)


@router.get("/maintenance/visits", response=list[VisitOut], summary="巡检任务列表")
@paginate(Page)
def list_visits(
    request: HttpRequest,
    state: str | None = None,
    region_id: int | None = None,
    plan_id: int | None = None,
    customer_id: int | None = None,
    month: str | None = None,
) -> Any:
    f = selectors.VisitFilters(state, region_id, plan_id, customer_id, month)
    return selectors.visit_list(request.user, f)


@router.get("/maintenance/results/export", summary="导出巡检结果（Excel）")
def export_results(request: HttpRequest, month: str | None = None) -> HttpResponse:
    visits = selectors.visit_list(request.user, selectors.VisitFilters(state="done", month=month))
    return exports.results_xlsx(visits)


@router.get("/maintenance/visits/{pk}", response=VisitDetailOut, summary="巡检任务详情")
def get_visit(request: HttpRequest, pk: int) -> Any:
    return selectors.visit_detail(request.user, pk)


@router.post("/maintenance/visits/{pk}/start", response=VisitDetailOut, summary="开始巡检")
def start_visit(request: HttpRequest, pk: int) -> Any:
    visit = selectors.visit_detail(request.user, pk)
    inspections.start(actor=request.user, visit=visit)
    return selectors.visit_detail(request.user, pk)


@router.post("/maintenance/visits/{pk}/results", response=VisitDetailOut, summary="填写检查结果")
def record_results(request: HttpRequest, pk: int, payload: RecordIn) -> Any:
    visit = selectors.visit_detail(request.user, pk)
    answers = [inspections.AnswerInput(**a.dict()) for a in payload.answers]
    inspections.record(actor=request.user, visit=visit, answers=answers)
    return selectors.visit_detail(request.user, pk)


@router.post(
    "/maintenance/visits/{pk}/cancel",
    response=VisitDetailOut,
    summary="取消巡检任务（主办/组长/主管，须填原因）",
)
def cancel_visit(request: HttpRequest, pk: int, payload: CancelVisitIn) -> Any:
    generation.cancel_visit(actor=request.user, visit=pk, note=payload.cancel_note)
    return selectors.visit_detail(request.user, pk)


@router.post(
    "/maintenance/visits/{pk}/complete", response=CompletionOut, summary="完成巡检（客户签字）"
)
def complete_visit(request: HttpRequest, pk: int, payload: CompleteIn) -> Any:
    visit = selectors.visit_detail(request.user, pk)
    done = inspections.complete(
        actor=request.user, visit=visit, now=timezone.now(), **payload.dict()
    )
    return {
        "visit": selectors.visit_detail(request.user, pk),
        "follow_up_ticket_ids": [t.pk for t in done.follow_ups],
    }


# --- the customer portal (customer-facing facts only; another customer's record: 404)


@router.get(
    "/maintenance/portal/plans", response=list[PortalPlanOut], summary="我的巡检计划（客户门户）"
)
@paginate(Page)
def portal_plans(request: HttpRequest) -> Any:
    return selectors.portal_plans(request.user)


@router.get(
    "/maintenance/portal/plans/{pk}", response=PortalPlanOut, summary="我的巡检计划详情（客户门户）"
)
def portal_plan(request: HttpRequest, pk: int) -> Any:
    return selectors.portal_plan(request.user, pk)


@router.get(
    "/maintenance/portal/reports",
    response=list[PortalReportRowOut],
    summary="我的巡检报告（客户门户）",
)
@paginate(Page)
def portal_reports(request: HttpRequest, plan_id: int | None = None) -> Any:
    return selectors.portal_reports(request.user, plan_id=plan_id)


@router.get(
    "/maintenance/portal/visits/{pk}",
    response=PortalReportOut,
    summary="我的巡检任务与报告（客户门户：检查结果、不合格项及整改报修单）",
)
def portal_visit(request: HttpRequest, pk: int) -> Any:
    return selectors.portal_visit(request.user, pk)
