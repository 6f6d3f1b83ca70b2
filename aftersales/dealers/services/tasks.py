"""Service tasks (服务任务) given to a dealer or to a company department (SPEC §3.3, seed
003): the company gives a ticket to its dealer or to a department; the dealer or the
department's members arrange it within 2 h (confirm and inform the customer); the
coordinator checks after 4 h, and a check that finds it not arranged is reported to the
company's leaders; a dealer or department hands a task back only with a reason, and a
dealer's hand-backs are counted. Every step is atomic, audited and moves the deadlines of
the engine — one implementation for both kinds of assignee."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from aftersales.approvals import documents
from aftersales.approvals.services import deadlines
from aftersales.core import audit
from aftersales.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.dealers.defaults import ARRANGE, CHECK, LEADERS
from aftersales.dealers.models import Dealer, DealerTask
from aftersales.dealers.models.task import TaskState

ASSIGNERS = frozenset({"agent", "coordinator", "team_leader", "manager", "admin"})
CHECKERS = frozenset({"coordinator", "team_leader", "manager", "admin"})
MIN_REASON = 4
STEP_ARRANGE, STEP_CHECK = "dealer_arrange", "dealer_check"


def _company_role(actor: Any, roles: frozenset[str], what: str) -> None:
    if getattr(actor, "org_kind", "company") != "company" or not (
        actor.is_superuser or actor.role_codes & roles
    ):
        raise PermissionDenied(Said("无权%(what)s", what=what))


def _locked(actor: Any, task_id: int) -> DealerTask:
    task = get_visible(DealerTask, actor, pk=task_id)
    return (
        DealerTask.objects.select_for_update(of=("self",))
        .select_related("ticket", "dealer", "department")
        .get(pk=task.pk)
    )


def _assignee_only(actor: Any, task: DealerTask, what: str) -> None:
    """Only the assignee acts on its task: the dealer's users, or the members of the
    department (company users whose department is the task's)."""
    kind = getattr(actor, "org_kind", "company")
    if task.dealer_id:
        if kind != "dealer" or actor.dealer_id != task.dealer_id:
            raise PermissionDenied(Said("只有承办的经销商可以%(what)s", what=what))
    elif kind != "company" or not actor.department_id or actor.department_id != task.department_id:
        raise PermissionDenied(Said("只有承办部门的人员可以%(what)s", what=what))


def may_act(actor: Any, task: DealerTask) -> bool:
    """Whether ``actor`` is the task's assignee (offered the arrange and hand-back forms)."""
    try:
        _assignee_only(actor, task, "")
    except PermissionDenied:
        return False
    return True


def _assignee_people(task: DealerTask) -> list[Any]:
    """The people who arrange the task: the dealer's active users, or the department's."""
    if task.department_id:
        return documents.users_with_roles((), department_id=task.department_id)
    return list(
        get_user_model()
        .objects.filter(dealer=task.dealer, is_active=True, org_kind="dealer")
        .order_by("pk")
    )


def _move(
    task: DealerTask, actor: Any, to: str, verb: str, at: dt.datetime, **payload: Any
) -> None:
    before = task.state
    task.state = to
    audit.record(
        task,
        actor=actor,
        action="transition",
        verb=verb,
        from_state=before,
        to_state=to,
        reason=str(payload.pop("reason", "")),
        payload=payload,
        at=at,
    )


def _in_warranty(ticket: Any) -> bool:
    from aftersales.service.services.warranty import current

    record = current(ticket)
    return bool(record and record.in_warranty)


def _department(department_id: Any) -> Any:
    from aftersales.accounts.models import Department

    try:
        pk = int(department_id)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("部门编号无效", field="department_id") from exc
    found = Department.objects.filter(pk=pk, archived_at__isnull=True).first()
    if found is None:
        raise NotFound("部门不存在或已停用")
    return found


@transaction.atomic
def assign(
    *,
    actor: Any,
    ticket_id: int,
    dealer_id: int | None = None,
    department_id: int | None = None,
    now: dt.datetime | None = None,
) -> DealerTask:
    """Give the ticket to a company department (``department_id``) or to a dealer (the one
    named, else the ticket's, else the customer's): the 2 h arrangement and the
    coordinator's 4 h check start now."""
    from aftersales.service.models import Ticket

    _company_role(actor, ASSIGNERS, "交办服务任务")
    now = now or timezone.now()
    if dealer_id and department_id:
        raise ValidationFailed("只能交给一个经销商或一个部门", field="department_id")
    ticket = get_visible(Ticket.objects.select_related("customer"), actor, pk=ticket_id)
    if not ticket.is_open:
        raise InvalidTransition("报修单已结束，不能交办")
    dealer, department = None, None
    if department_id is not None:
        department = _department(department_id)
    else:
        dealer_id = dealer_id or ticket.dealer_id or ticket.customer.dealer_id
        if not dealer_id:
            raise ValidationFailed("该客户没有所属经销商，请选择经销商或部门", field="dealer_id")
        dealer = get_visible(Dealer, actor, pk=dealer_id)
    try:
        with transaction.atomic():
            task = DealerTask.objects.create(
                number=next_number("JX", on=now),
                ticket=ticket,
                dealer=dealer,
                department=department,
                in_warranty=_in_warranty(ticket),
                assigned_at=now,
                assigned_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict("该报修单已有未完成的服务任务") from exc
    audit.record(
        task,
        actor=actor,
        action="create",
        verb="交部门处理" if department else "交经销商处理",
        to_state=task.state,
        payload={"dealer": task.dealer_id, "department": task.department_id},
        at=now,
    )
    people = _assignee_people(task)
    arrange = deadlines.start(
        task, step=STEP_ARRANGE, rule_code=ARRANGE, starts_at=now, owner=next(iter(people), None)
    )
    deadlines.start(
        task,
        step=STEP_CHECK,
        rule_code=CHECK,
        starts_at=now,
        owner=actor,
        owner_roles=["coordinator"],
    )
    _tell_assignee(task, people, arrange.due_at)
    return task


def _tell_assignee(task: DealerTask, people: list[Any], due: dt.datetime) -> int:
    """Everyone who may arrange the task hears of it at once (the dealer's users, or the
    department's members), through the outbox, once per task."""
    from aftersales.notifications.services import notify_people

    return notify_people(
        f"service_task:{task.pk}:assigned",
        people,
        Said(
            "【服务任务】%(number)s 报修单 %(ticket)s",
            number=task.number,
            ticket=task.ticket.number,
        ),
        Said(
            "报修单 %(ticket)s 已交%(assignee)s处理，请于 %(due)s 前安排并告知客户。",
            ticket=task.ticket.number,
            assignee=task.assignee_name,
            due=timezone.localtime(due).strftime("%m-%d %H:%M"),
        ),
        documents.link(task),
    )


def _state_refused(task: DealerTask, what: str) -> InvalidTransition:
    return InvalidTransition(
        Said(
            "任务当前状态为「%(get_state_display)s」，不能%(what)s",
            get_state_display=task.get_state_display(),
            what=what,
        )
    )


@transaction.atomic
def arrange(
    *,
    actor: Any,
    task_id: int,
    arrangement: str,
    customer_informed: bool,
    now: dt.datetime | None = None,
) -> DealerTask:
    """The dealer, or a member of the department, confirms the service is arranged and the
    customer informed: the arrangement clock stops."""
    if getattr(actor, "org_kind", "company") == "customer":
        raise PermissionDenied("只有承办的经销商或部门可以确认安排")
    now = now or timezone.now()
    task = _locked(actor, task_id)
    _assignee_only(actor, task, "确认安排")
    if task.state != TaskState.ASSIGNED:
        raise _state_refused(task, "确认安排")
    arrangement = arrangement.strip()
    if not arrangement:
        raise ValidationFailed("请填写安排说明（人员、上门时间）", field="arrangement")
    if not customer_informed:
        raise ValidationFailed("请先告知客户服务安排", field="customer_informed")
    task.arranged_at, task.arranged_by = now, actor
    task.arrangement, task.customer_informed = arrangement[:300], True
    verb = "部门确认安排" if task.department_id else "经销商确认安排"
    _move(task, actor, TaskState.ARRANGED, verb, now, arrangement=task.arrangement)
    task.save(
        update_fields=[
            "state",
            "arranged_at",
            "arranged_by",
            "arrangement",
            "customer_informed",
            "updated_at",
        ]
    )
    deadlines.complete(task, step=STEP_ARRANGE, at=now)
    return task


def _report_to_leaders(task: DealerTask, note: str) -> int:
    """A check found the task not arranged: the company's leaders (the roles the check rule
    escalates to, data; the managers by default) are told, once per task, through the
    outbox (seed 003: 未予落实的，应该上报公司领导协调)."""
    from aftersales.notifications.services import notify_people

    return notify_people(
        f"service_task:{task.pk}:not_arranged",
        documents.users_with_roles(list(deadlines.rule(CHECK).escalate_roles) or LEADERS),
        Said(
            "【未落实】%(number)s %(assignee)s未安排服务",
            number=task.number,
            assignee=task.assignee_name,
        ),
        Said(
            "报修单 %(ticket)s 交%(assignee)s处理（任务 %(number)s），主办核查发现未予落实："
            "%(note)s。请协调。",
            ticket=task.ticket.number,
            assignee=task.assignee_name,
            number=task.number,
            note=note,
        ),
        documents.link(task),
    )


@transaction.atomic
def check(
    *, actor: Any, task_id: int, ok: bool, note: str = "", now: dt.datetime | None = None
) -> DealerTask:
    """The coordinator's check: was it arranged? Passing needs the assignee's arrangement;
    a task found not arranged is closed as failed and reported to the leaders."""
    _company_role(actor, CHECKERS, "核查服务任务安排")
    now = now or timezone.now()
    task = _locked(actor, task_id)
    if task.state not in (TaskState.ASSIGNED, TaskState.ARRANGED):
        raise _state_refused(task, "核查")
    if ok and task.state != TaskState.ARRANGED:
        raise ValidationFailed("承办方尚未确认安排，不能核查为已落实", field="ok")
    if not ok and not note.strip():
        raise ValidationFailed("核查未通过须说明情况", field="note")
    task.checked_at, task.checked_by, task.check_ok = now, actor, ok
    task.check_note = note.strip()[:300]
    _move(task, actor, TaskState.CHECKED, "主办核查", now, ok=ok, reason=task.check_note)
    task.save(
        update_fields=["state", "checked_at", "checked_by", "check_ok", "check_note", "updated_at"]
    )
    deadlines.complete(task, step=STEP_CHECK, at=now)
    deadlines.cancel(task, step=STEP_ARRANGE, at=now)
    if not ok:
        _report_to_leaders(task, task.check_note)
    return task


@transaction.atomic
def hand_back(
    *, actor: Any, task_id: int, reason: str, now: dt.datetime | None = None
) -> DealerTask:
    """The dealer or the department gives the ticket back: a reason is required (and a
    dealer's hand-backs are counted)."""
    if getattr(actor, "org_kind", "company") == "customer":
        raise PermissionDenied("只有承办的经销商或部门可以退回任务")
    now = now or timezone.now()
    task = _locked(actor, task_id)
    _assignee_only(actor, task, "退回任务")
    if task.state not in (TaskState.ASSIGNED, TaskState.ARRANGED):
        raise _state_refused(task, "退回")
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValidationFailed(
            Said("退回须说明原因（至少%(MIN_REASON)s个字）", MIN_REASON=MIN_REASON), field="reason"
        )
    task.handed_back_at, task.handed_back_by, task.hand_back_reason = now, actor, reason[:300]
    verb = "部门退回" if task.department_id else "经销商退回"
    _move(task, actor, TaskState.HANDED_BACK, verb, now, reason=task.hand_back_reason)
    task.save(
        update_fields=[
            "state",
            "handed_back_at",
            "handed_back_by",
            "hand_back_reason",
            "updated_at",
        ]
    )
    deadlines.cancel(task, step=STEP_ARRANGE, at=now)
    deadlines.cancel(task, step=STEP_CHECK, at=now)
    return task


def hand_back_counts(
    since: dt.datetime | None = None, until: dt.datetime | None = None
) -> dict[int, dict[str, int]]:
    """Per dealer: hand-backs, and those of warranty customers (pushed to the company)."""
    qs = DealerTask.objects.filter(state=TaskState.HANDED_BACK, dealer__isnull=False)
    if since:
        qs = qs.filter(handed_back_at__gte=since)
    if until:
        qs = qs.filter(handed_back_at__lt=until)
    rows = qs.values("dealer_id").annotate(
        total=Count("id"), warranty=Count("id", filter=Q(in_warranty=True))
    )
    return {r["dealer_id"]: {"total": r["total"], "warranty": r["warranty"]} for r in rows}
