"""The monthly quality review (SPEC §6.1, 000 §三(四), 001 4.16): the quality office opens a
finished month, records its conclusions and the improvement actions (an owner and a due
date each, on the deadline engine: rule ``quality.review_action``), and closes it — the
closing freezes the month's figures and goes to the approval flow ``quality_review``. An
action is done by its owner or the quality office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from aftersales.accounts.models import Department
from aftersales.approvals import inputs, workflow
from aftersales.approvals.services import deadlines, engine
from aftersales.core import audit
from aftersales.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.quality import defaults, review_figures, rules
from aftersales.quality.models import (
    ActionState,
    QualityReview,
    ReviewAction,
)
from aftersales.quality.transitions import REVIEW, REVIEWERS

FLOW = "quality_review"
ACTION_STEP = "action"
ACTION_RULE = "quality.review_action"
CONCLUSIONS_MAX = 4000
ACTION_MAX = 500


def parse_month(value: Any) -> dt.date:
    """``YYYY-MM`` (or a date) → the month's first day."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    try:
        first = dt.date.fromisoformat(f"{text}-01")
    except ValueError as exc:
        raise ValidationFailed(
            Said("月份格式应为 YYYY-MM：「%(v1)s」", v1=text[:20]), field="month"
        ) from exc
    if not 2000 <= first.year <= 2100:
        raise ValidationFailed(Said("月份超出范围：「%(text)s」", text=text), field="month")
    return first


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def open_review(*, actor: Any, month: Any, now: dt.datetime | None = None) -> QualityReview:
    """Open the review of a finished month (once per month)."""
    now = now or timezone.now()
    workflow.require_role(actor, REVIEWERS, "开启月度质量评审")
    first = parse_month(month)
    _, end = rules.window("month", first)
    if end > timezone.localdate(now):
        raise ValidationFailed(
            Said("%(first)s尚未结束，月末之后才能评审", first=format(first, "%Y\u5e74%m\u6708")),
            field="month",
            code="month_not_over",
        )
    if QualityReview.objects.filter(month=first).exists():
        raise Conflict(
            Said("%(first)s的质量评审已开启", first=format(first, "%Y\u5e74%m\u6708")),
            code="review_exists",
        )
    try:
        with transaction.atomic():
            review = QualityReview.objects.create(
                number=next_number("PS", on=now),
                month=first,
                opened_at=now,
                opened_by=actor if getattr(actor, "pk", None) else None,
            )
            audit.record(review, actor=actor, action="create", after=audit.snapshot(review), at=now)
    except IntegrityError as exc:  # a twin opened it at the same moment
        raise Conflict(
            Said("%(first)s的质量评审已开启", first=format(first, "%Y\u5e74%m\u6708")),
            code="review_exists",
        ) from exc
    return review


def _lock(review: QualityReview | int) -> QualityReview:
    pk = review.pk if isinstance(review, QualityReview) else int(review)
    found: QualityReview = workflow.lock(QualityReview, pk)
    return found


def _editable(review: QualityReview, label: str) -> None:
    if not review.is_editable:
        raise InvalidTransition(
            Said(
                "月度质量评审当前状态为「%(get_state_display)s」，不能%(label)s",
                get_state_display=review.get_state_display(),
                label=label,
            )
        )


def record_conclusions(
    *,
    actor: Any,
    review: QualityReview | int,
    conclusions: str,
    now: dt.datetime | None = None,
) -> QualityReview:
    now = now or timezone.now()
    workflow.require_role(actor, REVIEWERS, "记录评审结论")
    text = inputs.text(
        conclusions, field="conclusions", label="评审结论", max_length=CONCLUSIONS_MAX
    )
    with transaction.atomic():
        r = _lock(review)
        _editable(r, "修改评审结论")
        before = r.conclusions
        r.conclusions = text
        r.save(update_fields=["conclusions", "updated_at"])
        old, new = audit.diff({"conclusions": before}, {"conclusions": text})
        audit.record(r, actor=actor, action="update", before=old, after=new, at=now)
    return r


def add_action(
    *,
    actor: Any,
    review: QualityReview | int,
    description: str,
    owner_id: int | None,
    due_date: Any,
    department_id: int | None = None,
    now: dt.datetime | None = None,
) -> ReviewAction:
    """An improvement action: what, the person who owns it (a company user), by when."""
    now = now or timezone.now()
    workflow.require_role(actor, REVIEWERS, "登记改进措施")
    text = inputs.text(description, field="description", label="改进措施", max_length=ACTION_MAX)
    owner = (
        get_user_model().objects.filter(pk=owner_id, org_kind="company", is_active=True).first()
        if owner_id is not None
        else None
    )
    if owner is None:
        raise ValidationFailed("请选择改进措施的负责人（公司员工）", field="owner_id")
    dept = None
    if department_id is not None:
        dept = Department.objects.active().filter(pk=department_id).first()
        if dept is None:
            raise NotFound("责任部门不存在", field="department_id")
    day = inputs.date(due_date, field="due_date", label="完成期限")
    if day < timezone.localdate(now):
        raise ValidationFailed("完成期限不能早于今天", field="due_date")
    with transaction.atomic():
        r = _lock(review)
        _editable(r, "登记改进措施")
        n = ReviewAction.objects.filter(review=r).count() + 1
        a = ReviewAction.objects.create(
            review=r,
            number=f"{r.number}-{n:02d}",
            description=text,
            owner=owner,
            department=dept,
            due_date=day,
        )
        audit.record(a, actor=actor, action="create", after=audit.snapshot(a), at=now)
        audit.record(
            r,
            actor=actor,
            action="action",
            verb="add_action",
            payload={"action": a.number, "owner": str(owner), "due_date": day.isoformat()},
            at=now,
        )
        deadlines.start(
            a,
            step=ACTION_STEP,
            rule_code=ACTION_RULE,
            starts_at=now,
            due_at=_end_of(day),
            label=Said("评审改进措施 %(text)s", text=text)[:100],
            owner=owner,
            owner_roles=["quality_director"],
        )
    return a


def _lock_action(action: ReviewAction | int) -> ReviewAction:
    pk = action.pk if isinstance(action, ReviewAction) else int(action)
    found: ReviewAction = workflow.lock(ReviewAction, pk)
    return found


def complete_action(
    *, actor: Any, action: ReviewAction | int, note: str, now: dt.datetime | None = None
) -> ReviewAction:
    """Done: by its owner or the quality office (also after the review is closed: the
    review follows its actions through)."""
    now = now or timezone.now()
    text = inputs.text(note, field="note", label="完成情况", max_length=ACTION_MAX)
    with transaction.atomic():
        a = _lock_action(action)
        if actor is not None and a.owner_id != actor.pk:
            workflow.require_role(actor, REVIEWERS, "确认改进措施完成")
        if a.state != ActionState.OPEN:
            raise InvalidTransition(
                Said(
                    "改进措施%(number)s已%(get_state_display)s",
                    number=a.number,
                    get_state_display=a.get_state_display(),
                )
            )
        a.state, a.done_at, a.done_note = ActionState.DONE, now, text
        a.done_by = actor if getattr(actor, "pk", None) else None
        a.save(update_fields=["state", "done_at", "done_note", "done_by", "updated_at"])
        audit.record(
            a,
            actor=actor,
            action="transition",
            verb="done",
            from_state=ActionState.OPEN,
            to_state=a.state,
            reason=text[:200],
            at=now,
        )
        deadlines.complete(a, step=ACTION_STEP, at=now)
    return a


def cancel_action(
    *, actor: Any, action: ReviewAction | int, reason: str, now: dt.datetime | None = None
) -> ReviewAction:
    """Withdraw an action recorded by mistake, while its review is still being written."""
    now = now or timezone.now()
    workflow.require_role(actor, REVIEWERS, "撤销改进措施")
    text = inputs.text(reason, field="reason", label="撤销原因", max_length=200)
    with transaction.atomic():
        a = _lock_action(action)
        _editable(_lock(a.review_id), "撤销改进措施")
        if a.state != ActionState.OPEN:
            raise InvalidTransition(
                Said(
                    "改进措施%(number)s已%(get_state_display)s",
                    number=a.number,
                    get_state_display=a.get_state_display(),
                )
            )
        a.state, a.cancel_reason = ActionState.CANCELLED, text
        a.save(update_fields=["state", "cancel_reason", "updated_at"])
        audit.record(
            a,
            actor=actor,
            action="transition",
            verb="cancel",
            from_state=ActionState.OPEN,
            to_state=a.state,
            reason=text,
            at=now,
        )
        deadlines.cancel(a, step=ACTION_STEP, at=now)
    return a


def close_review(
    *, actor: Any, review: QualityReview | int, now: dt.datetime | None = None
) -> QualityReview:
    """Close the month: the conclusions are required; the figures are frozen as they are
    now and the review goes to the approval flow (approved → closed)."""
    now = now or timezone.now()
    workflow.require_role(actor, REVIEWERS, REVIEW["close"].label)
    with transaction.atomic():
        r = _lock(review)
        if not r.conclusions.strip():
            raise ValidationFailed("请先记录评审结论再提交", field="conclusions")
        data = review_figures.figures(r.month)
        workflow.move(
            r,
            REVIEW,
            "close",
            actor=actor,
            now=now,
            payload={"complaints": data["complaints"]["total"]},
            fields={
                "figures": data,
                "submitted_at": now,
                "submitted_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        defaults.ensure_flow(FLOW)
        engine.submit(
            actor=actor,
            document=r,
            flow_code=FLOW,
            title=Said(
                "%(month)s质量评审：投诉%(total)s件",
                month=format(r.month, "%Y\u5e74%m\u6708"),
                total=data["complaints"]["total"],
            ),
            now=now,
        )
    return r
