"""Callbacks (回访, SPEC §3.6): one per resolved ticket; a dissatisfied answer re-opens the
ticket under the coordinator; periodic plans by customer tier and for projects."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.said import Said
from aftersales.core.visibility import visibility_q
from aftersales.customers.models import Customer, Site
from aftersales.installed_base.selectors import site_warranty_end
from aftersales.service import notices
from aftersales.service.models import Callback, CallbackPlan, Ticket
from aftersales.sla.models import SlaPolicy
from aftersales.staff.models import AssessmentFact, FactKind
from aftersales.staff.services import record_fact
from aftersales.warranty.periods import add_months


def callback_terms(ticket: Ticket | None) -> SlaPolicy:
    """The callback terms an administrator sets on the SLA policy (回访时间、再次回访间隔、
    最多尝试次数): the ticket's policy, else the default one, else the field defaults."""
    if ticket is not None and ticket.sla_policy_id:
        return ticket.sla_policy  # type: ignore[return-value]
    return SlaPolicy.objects.active().filter(is_default=True).first() or SlaPolicy()


def create_for_ticket(ticket: Ticket) -> Callback:
    cb = Callback.objects.create(
        kind=Callback.Kind.TICKET,
        ticket=ticket,
        customer=ticket.customer,
        site=ticket.site,
        due_date=timezone.localdate()
        + dt.timedelta(days=callback_terms(ticket).callback_after_days),
        survey_token=secrets.token_urlsafe(16),
    )
    audit.record(
        cb, actor=None, action="create", verb="callback_task", after={"ticket": ticket.number}
    )
    notices.survey(ticket, f"/s/{cb.survey_token}/", ticket.reopen_count)
    return cb


def _score(value: Any, label: str) -> int:
    try:
        v = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(Said("%(label)s应为1到5的整数", label=label)) from exc
    if not 1 <= v <= 5:
        raise ValidationFailed(Said("%(label)s应为1到5的整数", label=label))
    return v


@transaction.atomic
def record_result(
    *,
    actor: Any,
    callback: Callback | None = None,
    survey_token: str | None = None,
    attitude: Any,
    quality: Any,
    solved: bool,
    score: Any,
    comment: str = "",
    dissatisfaction_cause: str = "",
    channel: str = "phone",
    now: dt.datetime | None = None,
) -> Callback:
    """Record the answers (by an agent on the phone, or by the customer through the link).
    Dissatisfied (not solved, or overall below 3) re-opens the ticket under the coordinator.
    ``now`` is when the call took place (default: now)."""
    qs = Callback.objects.select_for_update()
    try:
        cb = (
            qs.get(survey_token=survey_token)
            if survey_token
            else qs.get(pk=callback.pk if callback else 0)
        )
    except Callback.DoesNotExist as exc:
        raise NotFound("回访任务不存在") from exc
    if actor is not None and getattr(actor, "pk", None):
        q = visibility_q(Callback, actor)
        if q is not None and not Callback.objects.filter(q, pk=cb.pk).exists():
            raise NotFound("回访任务不存在")
        if getattr(actor, "org_kind", "") == "company" and not actor.has_role(
            "agent", "coordinator", "manager", "admin"
        ):
            raise PermissionDenied("只有客服专员可以登记回访")
    if cb.state == Callback.State.DONE:
        raise Conflict("该回访已完成")
    before = cb.state
    cb.attitude, cb.quality, cb.score = (
        _score(attitude, "服务态度"),
        _score(quality, "服务质量"),
        _score(score, "总体评分"),
    )
    cb.solved, cb.comment, cb.channel = bool(solved), comment, channel
    cb.state, cb.done_at = Callback.State.DONE, now or timezone.now()
    cb.done_by = (
        actor if actor is not None and getattr(actor, "org_kind", "") == "company" else None
    )
    if not cb.satisfied:
        cause = dissatisfaction_cause.strip() or comment.strip()
        if not cause:
            raise ValidationFailed("客户不满意时必须记录原因", field="dissatisfaction_cause")
        cb.dissatisfaction_cause = cause[:200]
    cb.save()
    audit.record(
        cb,
        actor=actor,
        action="transition",
        verb="callback_done",
        from_state=before,
        to_state="done",
        payload={"score": cb.score, "solved": cb.solved},
        at=cb.done_at,
    )
    if cb.ticket_id and not cb.satisfied:
        from aftersales.service.services import lifecycle

        lifecycle.reopen(
            actor=actor,
            ticket=cb.ticket,  # type: ignore[arg-type]
            cause=Said(
                "回访不满意（%(score)s/5）：%(dissatisfaction_cause)s",
                score=cb.score,
                dissatisfaction_cause=cb.dissatisfaction_cause,
            ),
        )
    elif (
        cb.ticket_id
        and cb.satisfied
        and actor is not None
        and getattr(actor, "org_kind", "") == "company"
    ):
        from aftersales.service.services import lifecycle

        lifecycle.close(actor=actor, ticket=cb.ticket)  # type: ignore[arg-type]
    return cb


def _lock_for_agent(actor: Any, callback: Callback) -> Callback:
    try:
        cb = Callback.objects.select_for_update().get(pk=callback.pk)
    except Callback.DoesNotExist as exc:
        raise NotFound("回访任务不存在") from exc
    q = visibility_q(Callback, actor)
    if q is not None and not Callback.objects.filter(q, pk=cb.pk).exists():
        raise NotFound("回访任务不存在")
    if getattr(actor, "org_kind", "") != "company" or not actor.has_role(
        "agent", "coordinator", "manager", "admin"
    ):
        raise PermissionDenied("只有客服专员可以登记回访")
    return cb


@transaction.atomic
def record_unreachable(
    *, actor: Any, callback: Callback, note: str = "", now: dt.datetime | None = None
) -> Callback:
    """客户联系不上 (9#13): the attempt is counted and the callback comes back after the
    policy's retry interval; after its last allowed attempt the callback ends as
    「联系不上」 — counted, the survey link stays open for the customer, and the ticket
    may be closed. Nothing is scored on the customer's behalf."""
    cb = _lock_for_agent(actor, callback)
    if cb.state != Callback.State.DUE:
        raise Conflict("该回访已结束", code="callback_not_due")
    note = note.strip()
    if len(note) > 200:
        raise ValidationFailed("联系情况不能超过200字", field="note")
    now = now or timezone.now()
    terms = callback_terms(cb.ticket)
    cb.attempts += 1
    cb.last_attempt_note = note
    cb.channel = "phone"
    final = cb.attempts >= terms.callback_max_attempts
    if final:
        cb.state, cb.done_at, cb.done_by, cb.next_attempt_at = (
            Callback.State.UNREACHABLE,
            now,
            actor,
            None,
        )
    else:
        cb.next_attempt_at = now + dt.timedelta(hours=terms.callback_retry_hours)
        cb.due_date = timezone.localtime(cb.next_attempt_at).date()
    cb.save()
    audit.record(
        cb,
        actor=actor,
        action="transition" if final else "action",
        verb="callback_unreachable",
        from_state="due",
        to_state=cb.state,
        reason=note,
        payload={
            "attempts": cb.attempts,
            "max_attempts": terms.callback_max_attempts,
            "next_attempt_at": cb.next_attempt_at.isoformat() if cb.next_attempt_at else None,
        },
    )
    return cb


@transaction.atomic
def assign_responsibility(
    *, actor: Any, callback: Callback, person: Any, cause: str
) -> AssessmentFact:
    """不满意回访的责任认定 (SPEC §3.6): the supervisor who follows the re-opened ticket
    records who was responsible and why; it becomes that person's assessment fact."""
    cb = (
        Callback.objects.select_for_update(of=("self",))
        .select_related("ticket")
        .get(pk=callback.pk)
    )
    if not (actor.is_superuser or actor.has_role("coordinator", "manager", "admin")):
        raise PermissionDenied("只有售后主办或主管可以认定责任")
    if cb.state != Callback.State.DONE or cb.satisfied:
        raise Conflict("只有不满意的回访需要认定责任", code="callback_not_unsatisfied")
    cause = cause.strip()
    if not cause:
        raise ValidationFailed("请填写责任原因", field="cause")
    if len(cause) > 200:
        raise ValidationFailed("责任原因不能超过200字", field="cause")
    if person is None or getattr(person, "org_kind", "") != "company" or not person.is_active:
        raise ValidationFailed("责任人必须是本公司在职员工", field="person_id")
    earlier = AssessmentFact.objects.filter(
        kind=FactKind.UNSATISFIED_CALLBACK, source_id=str(cb.pk)
    ).first()
    if earlier is not None and earlier.source_type.model_class() is Callback:
        raise Conflict(
            Said("该回访已认定责任人：%(person)s", person=earlier.person), code="already_assigned"
        )
    fact = record_fact(
        actor=actor,
        person=person,
        kind=FactKind.UNSATISFIED_CALLBACK,
        source=cb,
        occurred_at=cb.done_at or timezone.now(),
        details={
            "cause": cause,
            "ticket": cb.ticket.number if cb.ticket else None,
            "score": cb.score,
            "solved": cb.solved,
            "customer_cause": cb.dissatisfaction_cause,
        },
    )
    audit.record(
        cb,
        actor=actor,
        action="action",
        verb="callback_responsibility",
        reason=cause,
        payload={"person_id": person.pk},
    )
    return fact


PLAN_KEY_MONTHS = 6
PLAN_NORMAL_MONTHS = 12
PROJECT_MONTHS = 6


def _plan(**fields: Any) -> CallbackPlan:
    plan = CallbackPlan.objects.create(**fields)
    audit.record(
        plan, actor=None, action="create", verb="callback_plan", after=audit.snapshot(plan)
    )
    return plan


def ensure_plans(today: dt.date | None = None) -> int:
    """Periodic plans: key customers every 6 months, others yearly; projects in warranty
    twice a year with the first within 6 months of handover (acceptance), until the site's
    warranty ends (its equipment's warranty by the policies). Idempotent; each plan made is
    audited."""
    today = today or timezone.localdate()
    made = 0
    planned = set(
        CallbackPlan.objects.filter(archived_at__isnull=True, site=None).values_list(
            "customer_id", flat=True
        )
    )
    for c in Customer.objects.filter(archived_at__isnull=True).exclude(pk__in=planned):
        months = PLAN_KEY_MONTHS if c.tier == Customer.Tier.KEY else PLAN_NORMAL_MONTHS
        _plan(
            customer=c,
            site=None,
            interval_months=months,
            next_due=add_months(today, months),
            reason="重点客户每半年回访" if months == 6 else "普通客户每年回访",
        )
        made += 1
    planned_sites = set(
        CallbackPlan.objects.filter(archived_at__isnull=True, site__isnull=False).values_list(
            "site_id", flat=True
        )
    )
    for s in Site.objects.filter(
        archived_at__isnull=True, is_project=True, acceptance_date__isnull=False
    ).exclude(pk__in=planned_sites):
        assert s.acceptance_date is not None
        first = add_months(s.acceptance_date, PROJECT_MONTHS)
        ends = site_warranty_end(s.pk, today)
        if ends is None or ends < today:
            continue
        _plan(
            customer_id=s.customer_id,
            site=s,
            interval_months=PROJECT_MONTHS,
            next_due=max(first, today),
            ends_on=ends,
            reason=Said(
                "保修期内项目每半年回访（至保修期满 %(ends)s），首次在交接后6个月内", ends=ends
            ),
        )
        made += 1
    return made


@transaction.atomic
def generate_due(today: dt.date | None = None, horizon_days: int = 7) -> int:
    """Create the callback tasks of plans due within the horizon; move the plans on."""
    today = today or timezone.localdate()
    made = 0
    for plan in CallbackPlan.objects.select_for_update(skip_locked=True).filter(
        archived_at__isnull=True, next_due__lte=today + dt.timedelta(days=horizon_days)
    ):
        if plan.ends_on and plan.next_due > plan.ends_on:
            continue
        task, created = Callback.objects.get_or_create(
            plan=plan,
            due_date=plan.next_due,
            defaults={
                "kind": Callback.Kind.PROJECT if plan.site_id else Callback.Kind.PERIODIC,
                "customer_id": plan.customer_id,
                "site_id": plan.site_id,
                "survey_token": secrets.token_urlsafe(16),
            },
        )
        if created:
            audit.record(
                task,
                actor=None,
                action="create",
                verb="callback_task",
                after={"plan": plan.pk, "due": task.due_date},
            )
        made += created
        before = plan.next_due
        plan.next_due = add_months(plan.next_due, plan.interval_months)
        plan.save(update_fields=["next_due", "updated_at"])
        audit.record(
            plan,
            actor=None,
            action="update",
            verb="callback_plan_advance",
            before={"next_due": before},
            after={"next_due": plan.next_due},
        )
    return made
