"""REST API of the approval engine: the personal inbox and the decision on a task. A
document's approval history is served with the document (parts, returns)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from aftersales.approvals import selectors
from aftersales.approvals.models import ApprovalFlow, ApprovalRequest, ApprovalTask
from aftersales.approvals.services import engine
from aftersales.core.schemas import In

router = Router(tags=["审批"])


class TaskOut(Schema):
    id: int
    state: str
    step: str = Field(..., alias="step.name")
    order: int
    department: str | None = None
    flow: str = Field(..., alias="request.flow.name")
    document_number: str = Field(..., alias="request.document_number")
    document_title: str = Field(..., alias="request.document_title")
    link: str = Field(..., alias="request.link")
    activated_at: dt.datetime | None
    due_at: dt.datetime | None
    decided_by: str | None = None
    decided_at: dt.datetime | None
    comment: str

    @staticmethod
    def resolve_department(obj: ApprovalTask) -> str | None:
        return str(obj.department) if obj.department_id else None

    @staticmethod
    def resolve_decided_by(obj: ApprovalTask) -> str | None:
        return str(obj.decided_by) if obj.decided_by_id else None


class ApprovalRequestOut(Schema):
    id: int
    flow: str = Field(..., alias="flow.name")
    round: int
    state: str
    submitted_by: str | None = None
    submitted_at: dt.datetime
    finished_at: dt.datetime | None
    tasks: list[TaskOut]

    @staticmethod
    def resolve_submitted_by(obj: ApprovalRequest) -> str | None:
        return str(obj.submitted_by) if obj.submitted_by_id else None

    @staticmethod
    def resolve_tasks(obj: ApprovalRequest) -> list[Any]:
        return list(obj.tasks.all())


class DecisionIn(In):
    columns_of = ApprovalTask
    decision: str = Field(..., description="approve 同意 / reject 驳回 / return 退回修改")
    comment: str = ""


class StepOut(Schema):
    order: int
    name: str
    role_codes: list[str]
    department: str | None = None
    departments_from_document: bool
    min_amount: str | None = None

    @staticmethod
    def resolve_department(obj: Any) -> str | None:
        return str(obj.department) if obj.department_id else None

    @staticmethod
    def resolve_min_amount(obj: Any) -> str | None:
        return str(obj.min_amount) if obj.min_amount is not None else None


class FlowOut(Schema):
    code: str
    name: str
    document_type: str
    description: str
    is_active: bool
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: ApprovalFlow) -> list[Any]:
        return list(obj.steps.filter(archived_at__isnull=True).order_by("order"))


@router.get("/approvals/inbox", response=list[TaskOut], summary="我的待审批")
def inbox(request: HttpRequest) -> Any:
    return list(selectors.inbox(request.user)[:500])


@router.post(
    "/approvals/tasks/{int:pk}/decide", response=TaskOut, summary="审批：同意/驳回/退回修改"
)
def decide(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    # no existence check of its own here: the engine validates the decision first and then
    # answers a foreign task exactly as a missing one (the matrix found the 422/404 oracle)
    task = engine.decide(
        actor=request.user, task=pk, decision=payload.decision, comment=payload.comment
    )
    return ApprovalTask.objects.select_related(
        "request__flow", "step", "department", "decided_by"
    ).get(pk=task.pk)


@router.get("/approvals/flows", response=list[FlowOut], summary="审批流程配置")
def flows(request: HttpRequest) -> Any:
    return list(ApprovalFlow.objects.active().order_by("code"))
