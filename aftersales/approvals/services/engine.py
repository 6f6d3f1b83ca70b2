"""The approval engine: submit a document to its flow, decide a step (approve / reject /
return for changes), and hand the outcome back to the document's own service.

A document's approval-dependent states change only here: the engine calls the handler the
document app registered, inside the same transaction as the decision. Two approvers on the
same step: the request row is locked first, so exactly one decision (and one event) wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from aftersales.approvals import documents
from aftersales.approvals.models import (
    ApprovalFlow,
    ApprovalRequest,
    ApprovalStep,
    ApprovalTask,
    Decision,
    RequestState,
    TaskState,
)
from aftersales.approvals.services import deadlines
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.said import Said
from aftersales.core.visibility import visible

Callback = Callable[[Any, Any, ApprovalRequest, dt.datetime], None]


@dataclass(frozen=True)
class Handler:
    """What a document does when its approval ends (called inside the transaction)."""

    approved: Callback
    rejected: Callback
    returned: Callback


_handlers: dict[str, Handler] = {}


def register_handler(document_type: str, handler: Handler) -> None:
    _handlers[document_type] = handler


def get_flow(code: str) -> ApprovalFlow:
    flow = ApprovalFlow.objects.filter(code=code, archived_at__isnull=True).first()
    if flow is None:
        from aftersales.approvals.defaults import ensure_defaults

        ensure_defaults()
        flow = ApprovalFlow.objects.filter(code=code, archived_at__isnull=True).first()
    if flow is None or not flow.is_active:
        raise NotFound(Said("审批流程「%(code)s」不存在或未启用", code=code))
    return flow


def can_decide(user: Any, task: ApprovalTask) -> bool:
    """Only the step's configured roles (and department) may decide it."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "org_kind", "company") != "company":
        return False
    step = task.step
    roles = set(step.role_codes or [])
    if roles and not (user.role_codes & roles):
        return False
    if not roles and not task.department_id and not step.department_id:
        return False  # a step without roles must name its department
    dept = getattr(user, "department_id", None)
    if task.department_id and dept != task.department_id:
        return False
    return not (step.department_id and dept != step.department_id)


def approvers_of(task: ApprovalTask) -> list[Any]:
    department = task.department_id or task.step.department_id
    return documents.users_with_roles(task.step.role_codes or [], department_id=department)


def _notify_approvers(task: ApprovalTask, request: ApprovalRequest) -> None:
    from aftersales.notifications.services import notify

    people = approvers_of(task)
    if not people:
        return
    dept = f"（{task.department}）" if task.department_id else ""
    notify(
        key=f"approval:task:{task.pk}:assigned",
        recipients=people,
        subject=Said(
            "【待审批】%(name)s %(document_number)s",
            name=request.flow.name,
            document_number=request.document_number,
        ),
        body=Said(
            "%(document_number)s %(document_title)s 待您%(name)s%(dept)s。",
            document_number=request.document_number,
            document_title=request.document_title,
            name=task.step.name,
            dept=dept,
        ),
        link=request.link or "/approvals/",
    )


def _notify_submitter(request: ApprovalRequest, outcome: str, comment: str) -> None:
    from aftersales.notifications.services import notify

    if request.submitted_by is None:
        return
    note = Said("意见：%(comment)s", comment=comment) if comment else ""
    notify(
        key=f"approval:request:{request.pk}:{outcome}",
        recipients=[request.submitted_by],
        subject=Said(
            "【审批%(label)s】%(document_number)s",
            label=RequestState(outcome).label,
            document_number=request.document_number,
        ),
        body=f"{request.flow.name} {request.document_number} {RequestState(outcome).label}。{note}",
        link=request.link or "/approvals/",
    )


def _activate(request: ApprovalRequest, order: int, now: dt.datetime) -> list[ApprovalTask]:
    tasks = list(
        request.tasks.select_related("step", "department").filter(
            order=order, state=TaskState.WAITING
        )
    )
    document = documents.load(request.content_type, request.object_id)
    for task in tasks:
        task.state = TaskState.PENDING
        task.activated_at = now
        deadline = deadlines.start(
            document,
            step=f"approval:{task.pk}",
            rule_code=task.step.deadline_rule,
            starts_at=now,
            label=f"{task.step.name}{f'（{task.department}）' if task.department_id else ''}",
            owner_roles=task.step.role_codes or [],
        )
        task.due_at = deadline.due_at
        task.save(update_fields=["state", "activated_at", "due_at", "updated_at"])
        _notify_approvers(task, request)
    request.current_order = order
    request.save(update_fields=["current_order", "updated_at"])
    return tasks


def _departments(step: ApprovalStep, chosen: list[Any]) -> list[Any]:
    if step.departments_from_document:
        if not chosen:
            raise ValidationFailed(
                Said("「%(name)s」须选择会签部门", name=step.name), field="departments"
            )
        return chosen
    return list(step.sign_off_departments.all())


def submit(
    *,
    actor: Any,
    document: models.Model,
    flow_code: str,
    title: str = "",
    amount: Decimal | None = None,
    departments: Iterable[Any] = (),
    now: dt.datetime | None = None,
) -> ApprovalRequest:
    """Start a new approval round for ``document`` (the caller has checked that the
    document may be submitted; call inside its transaction)."""
    now = now or timezone.now()
    flow = get_flow(flow_code)
    if flow.document_type != documents.type_label(document):
        raise ValidationFailed(Said("审批流程「%(name)s」不适用于此类单据", name=flow.name))
    ct = documents.content_type(document)
    chosen = list(departments)
    with transaction.atomic():
        previous = ApprovalRequest.objects.filter(content_type=ct, object_id=document.pk)
        if previous.filter(state=RequestState.PENDING).exists():
            raise Conflict("该单据已在审批中", code="already_pending")
        steps = [s for s in flow.steps.filter(archived_at__isnull=True) if s.applies_to(amount)]
        if not steps:
            raise ValidationFailed(Said("审批流程「%(name)s」没有适用的步骤", name=flow.name))
        try:
            with transaction.atomic():
                request = ApprovalRequest.objects.create(
                    flow=flow,
                    content_type=ct,
                    object_id=document.pk,
                    document_number=documents.number(document),
                    document_title=title[:200],
                    link=documents.link(document),
                    amount=amount,
                    round=previous.count() + 1,
                    submitted_by=actor if getattr(actor, "pk", None) else None,
                    submitted_at=now,
                )
        except IntegrityError as exc:
            raise Conflict("该单据已在审批中", code="already_pending") from exc
        if chosen:
            request.departments.set(chosen)
        for step in steps:
            depts = _departments(step, chosen) if step.is_parallel else [None]
            for dept in depts:
                ApprovalTask.objects.create(
                    request=request, step=step, order=step.order, department=dept
                )
        audit.record(
            document,
            actor=actor,
            action="action",
            verb="approval_submitted",
            payload={"flow": flow.code, "round": request.round, "request": request.pk},
            at=now,
        )
        _activate(request, min(s.order for s in steps), now)
    return request


def _lock(task_id: int) -> tuple[ApprovalRequest, ApprovalTask]:
    request_id = (
        ApprovalTask.objects.filter(pk=task_id).values_list("request_id", flat=True).first()
    )
    if request_id is None:
        raise NotFound("审批任务不存在")
    request = (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .select_related("flow", "content_type", "submitted_by")
        .get(pk=request_id)
    )
    task = ApprovalTask.objects.select_for_update().get(pk=task_id)
    task.step = ApprovalStep.objects.select_related("department").get(pk=task.step_id)
    return request, task


def _close_others(request: ApprovalRequest, now: dt.datetime, document: Any) -> None:
    for other in request.tasks.filter(state__in=[TaskState.PENDING, TaskState.WAITING]):
        deadlines.cancel(document, step=f"approval:{other.pk}", at=now)
    request.tasks.filter(state__in=[TaskState.PENDING, TaskState.WAITING]).update(
        state=TaskState.CANCELLED, updated_at=now
    )


def decide(
    *,
    actor: Any,
    task: ApprovalTask | int,
    decision: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> ApprovalTask:
    """Record one decision on one pending task and move the flow (and, at its end, the
    document through its registered handler)."""
    now = now or timezone.now()
    if decision not in Decision.values:
        raise ValidationFailed("审批结论须为同意、驳回或退回修改", field="decision")
    comment = (comment or "").strip()
    if decision != Decision.APPROVE and not comment:
        raise ValidationFailed("驳回或退回修改须填写意见", field="comment")
    task_id = task.pk if isinstance(task, ApprovalTask) else int(task)
    with transaction.atomic():
        if getattr(actor, "org_kind", "company") != "company":
            # Outside the company no task is decidable: answer as for a missing one, so
            # that neither its existence nor its step name leaks.
            raise NotFound("审批任务不存在")
        request, locked = _lock(task_id)
        if locked.state != TaskState.PENDING or request.state != RequestState.PENDING:
            who = (
                Said("已由%(decided_by)s处理", decided_by=locked.decided_by)
                if locked.decided_by
                else "当前不可审批"
            )
            raise Conflict(Said("该审批步骤%(who)s", who=who), code="already_decided")
        if not can_decide(actor, locked):
            model = request.content_type.model_class()
            if model is not None and not visible(model, actor).filter(pk=request.object_id):
                # a document he may not open (a technician not on it): as for a missing task
                raise NotFound("审批任务不存在")
            raise PermissionDenied(Said("您不是「%(name)s」的审批人", name=locked.step.name))
        document = documents.load(request.content_type, request.object_id)
        locked.state = {
            Decision.APPROVE: TaskState.APPROVED,
            Decision.REJECT: TaskState.REJECTED,
            Decision.RETURN: TaskState.RETURNED,
        }[Decision(decision)]
        locked.decided_by = actor
        locked.decided_at = now
        locked.comment = comment
        locked.save(update_fields=["state", "decided_by", "decided_at", "comment", "updated_at"])
        deadlines.complete(document, step=f"approval:{locked.pk}", at=now)
        audit.record(
            document,
            actor=actor,
            action="action",
            verb=f"approval_{decision}",
            reason=comment,
            payload={
                "request": request.pk,
                "step": locked.step.name,
                "department": str(locked.department) if locked.department_id else "",
            },
            at=now,
        )
        handler = _handlers.get(request.flow.document_type)
        if decision == Decision.APPROVE:
            if request.tasks.filter(order=locked.order).exclude(state=TaskState.APPROVED).exists():
                return locked  # a parallel sign-off still waits for other departments
            later = request.tasks.filter(order__gt=locked.order, state=TaskState.WAITING)
            next_order = later.aggregate(m=models.Min("order"))["m"]
            if next_order is not None:
                _activate(request, next_order, now)
                return locked
            outcome = RequestState.APPROVED
        else:
            outcome = (
                RequestState.REJECTED if decision == Decision.REJECT else RequestState.RETURNED
            )
            _close_others(request, now, document)
        request.state = outcome
        request.finished_at = now
        request.current_order = None
        request.save(update_fields=["state", "finished_at", "current_order", "updated_at"])
        _notify_submitter(request, outcome, comment)
        if handler is not None:
            callback = {
                RequestState.APPROVED: handler.approved,
                RequestState.REJECTED: handler.rejected,
                RequestState.RETURNED: handler.returned,
            }[outcome]
            callback(document, actor, request, now)
    return locked


def cancel(*, actor: Any, document: models.Model, reason: str, now: dt.datetime) -> int:
    """Withdraw a pending approval (the document was cancelled). Returns rounds cancelled."""
    ct = documents.content_type(document)
    n = 0
    for request in ApprovalRequest.objects.select_for_update().filter(
        content_type=ct, object_id=document.pk, state=RequestState.PENDING
    ):
        _close_others(request, now, document)
        request.state = RequestState.CANCELLED
        request.finished_at = now
        request.save(update_fields=["state", "finished_at", "updated_at"])
        audit.record(
            document, actor=actor, action="action", verb="approval_cancelled", reason=reason, at=now
        )
        n += 1
    return n
