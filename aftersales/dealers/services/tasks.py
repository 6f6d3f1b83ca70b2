"""Dealer-handled service (经销商服务任务): the company gives a ticket to its dealer; the
dealer arranges it within 2 h (confirms and informs the customer); the coordinator checks
after 4 h; a dealer hands a task back only with a reason, and every hand-back is counted.
Every step is atomic, audited and moves the deadlines of the engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from aftersales.approvals.services import deadlines
from aftersales.core import audit
from aftersales.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.dealers.defaults import ARRANGE, CHECK
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
    return DealerTask.objects.select_for_update().select_related("ticket", "dealer").get(pk=task.pk)


def _move(task: DealerTask, actor: Any, to: str, verb: str, **payload: Any) -> None:
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
    )


def _in_warranty(ticket: Any) -> bool:
    from aftersales.service.services.warranty import current

    record = current(ticket)
    return bool(record and record.in_warranty)


@transaction.atomic
def assign(
    *, actor: Any, ticket_id: int, dealer_id: int | None = None, now: dt.datetime | None = None
) -> DealerTask:
    """Give the ticket to its dealer (the ticket's, else the customer's): the 2 h arrangement
    and the coordinator's 4 h check start now."""
    from aftersales.service.models import Ticket

    _company_role(actor, ASSIGNERS, "把报修交经销商处理")
    now = now or timezone.now()
    ticket = get_visible(Ticket.objects.select_related("customer"), actor, pk=ticket_id)
    if not ticket.is_open:
        raise InvalidTransition("报修单已结束，不能交经销商处理")
    dealer_id = dealer_id or ticket.dealer_id or ticket.customer.dealer_id
    if not dealer_id:
        raise ValidationFailed("该客户没有所属经销商，请选择经销商", field="dealer_id")
    dealer = get_visible(Dealer, actor, pk=dealer_id)
    try:
        with transaction.atomic():
            task = DealerTask.objects.create(
                number=next_number("JX", on=now),
                ticket=ticket,
                dealer=dealer,
                in_warranty=_in_warranty(ticket),
                assigned_at=now,
                assigned_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict("该报修单已有未完成的经销商服务任务") from exc
    audit.record(task, actor=actor, action="create", verb="交经销商处理", to_state=task.state)
    owner = (
        get_user_model()
        .objects.filter(dealer=dealer, is_active=True, org_kind="dealer")
        .order_by("pk")
        .first()
    )
    deadlines.start(task, step=STEP_ARRANGE, rule_code=ARRANGE, starts_at=now, owner=owner)
    deadlines.start(
        task,
        step=STEP_CHECK,
        rule_code=CHECK,
        starts_at=now,
        owner=actor,
        owner_roles=["coordinator"],
    )
    return task


@transaction.atomic
def arrange(
    *,
    actor: Any,
    task_id: int,
    arrangement: str,
    customer_informed: bool,
    now: dt.datetime | None = None,
) -> DealerTask:
    """The dealer confirms it has arranged the service and informed the customer."""
    if getattr(actor, "org_kind", "company") != "dealer":
        raise PermissionDenied("只有经销商可以确认安排")
    now = now or timezone.now()
    task = _locked(actor, task_id)
    if task.state != TaskState.ASSIGNED:
        raise InvalidTransition(
            Said(
                "任务当前状态为「%(get_state_display)s」，不能确认安排",
                get_state_display=task.get_state_display(),
            )
        )
    arrangement = arrangement.strip()
    if not arrangement:
        raise ValidationFailed("请填写安排说明（人员、上门时间）", field="arrangement")
    if not customer_informed:
        raise ValidationFailed("请先告知客户服务安排", field="customer_informed")
    task.arranged_at, task.arranged_by = now, actor
    task.arrangement, task.customer_informed = arrangement[:300], True
    _move(task, actor, TaskState.ARRANGED, "经销商确认安排", arrangement=task.arrangement)
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


@transaction.atomic
def check(
    *, actor: Any, task_id: int, ok: bool, note: str = "", now: dt.datetime | None = None
) -> DealerTask:
    """The coordinator's check: was it arranged? Not arranged → the task is noted as failed."""
    _company_role(actor, CHECKERS, "核查经销商安排")
    now = now or timezone.now()
    task = _locked(actor, task_id)
    if task.state not in (TaskState.ASSIGNED, TaskState.ARRANGED):
        raise InvalidTransition(
            Said(
                "任务当前状态为「%(get_state_display)s」，不能核查",
                get_state_display=task.get_state_display(),
            )
        )
    if not ok and not note.strip():
        raise ValidationFailed("核查未通过须说明情况", field="note")
    task.checked_at, task.checked_by, task.check_ok = now, actor, ok
    task.check_note = note.strip()[:300]
    _move(task, actor, TaskState.CHECKED, "主办核查", ok=ok, reason=task.check_note)
    task.save(
        update_fields=["state", "checked_at", "checked_by", "check_ok", "check_note", "updated_at"]
    )
    deadlines.complete(task, step=STEP_CHECK, at=now)
    deadlines.cancel(task, step=STEP_ARRANGE, at=now)
    return task


@transaction.atomic
def hand_back(
    *, actor: Any, task_id: int, reason: str, now: dt.datetime | None = None
) -> DealerTask:
    """The dealer gives the ticket back to the company: a reason is required and counted."""
    if getattr(actor, "org_kind", "company") != "dealer":
        raise PermissionDenied("只有经销商可以退回任务")
    now = now or timezone.now()
    task = _locked(actor, task_id)
    if task.state not in (TaskState.ASSIGNED, TaskState.ARRANGED):
        raise InvalidTransition(
            Said(
                "任务当前状态为「%(get_state_display)s」，不能退回",
                get_state_display=task.get_state_display(),
            )
        )
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValidationFailed(
            Said("退回须说明原因（至少%(MIN_REASON)s个字）", MIN_REASON=MIN_REASON), field="reason"
        )
    task.handed_back_at, task.handed_back_by, task.hand_back_reason = now, actor, reason[:300]
    _move(task, actor, TaskState.HANDED_BACK, "经销商退回", reason=task.hand_back_reason)
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
    qs = DealerTask.objects.filter(state=TaskState.HANDED_BACK)
    if since:
        qs = qs.filter(handed_back_at__gte=since)
    if until:
        qs = qs.filter(handed_back_at__lt=until)
    rows = qs.values("dealer_id").annotate(
        total=Count("id"), warranty=Count("id", filter=Q(in_warranty=True))
    )
    return {r["dealer_id"]: {"total": r["total"], "warranty": r["warranty"]} for r in rows}
