"""Corrective and preventive action (SPEC §6.2): drafted from a serious complaint or a
quality warning (once each: a unique key), opened by hand (also for a repeat-repair cluster
or as a rectification report for a model), planned (cause, measures, owner department,
deadline on the deadline engine), submitted, and verified by someone other than the owner
and the submitter: effective → closed; not effective → re-opened with a new deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftersales.accounts.models import Department
from aftersales.approvals import inputs, workflow
from aftersales.approvals.services import deadlines
from aftersales.core import audit
from aftersales.core.errors import NotFound, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.installed_base.models import ProductModel
from aftersales.quality.models import (
    CapaKind,
    CapaSource,
    CapaVerification,
    Complaint,
    CorrectiveAction,
    QualityWarning,
)
from aftersales.quality.transitions import CAPA, QUALITY_OFFICE

STEP = "implement"
RULE = "quality.capa"


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def _create(actor: Any, now: dt.datetime, **values: Any) -> CorrectiveAction:
    c = CorrectiveAction.objects.create(number=next_number("CA", on=now), opened_at=now, **values)
    audit.record(c, actor=actor, action="create", after=audit.snapshot(c), at=now)
    return c


def draft_from_complaint(
    complaint: Complaint, *, actor: Any, now: dt.datetime | None = None
) -> CorrectiveAction:
    """The CAPA of a serious complaint (the same one if it exists)."""
    now = now or timezone.now()
    found = CorrectiveAction.objects.filter(complaint=complaint).first()
    if found is not None:
        return found
    return _create(
        actor,
        now,
        source=CapaSource.COMPLAINT,
        complaint=complaint,
        product_model=complaint.equipment.model if complaint.equipment_id else None,  # type: ignore[union-attr]
        title=Said(
            "重大投诉 %(number)s：%(v3)s", number=complaint.number, v3=complaint.description[:80]
        ),
        cause=complaint.cause,
        owner_department=complaint.responsible_department,
    )


def draft_from_warning(w: QualityWarning, *, now: dt.datetime | None = None) -> CorrectiveAction:
    """The CAPA a quality warning drafts (inside the warning's transaction; once)."""
    from aftersales.quality.services.warnings import describe

    now = now or timezone.now()
    found = CorrectiveAction.objects.filter(warning=w).first()
    if found is not None:
        return found
    return _create(
        None,
        now,
        source=CapaSource.WARNING,
        warning=w,
        product_model=w.product_model,
        title=Said("质量预警 %(number)s：%(describe)s", number=w.number, describe=describe(w))[
            :200
        ],
    )


@dataclass
class CapaInput:
    title: str
    source: str = CapaSource.MANUAL
    kind: str = CapaKind.CORRECTIVE
    product_model_id: int | None = None
    source_note: str = ""


def open_capa(*, actor: Any, data: CapaInput, now: dt.datetime | None = None) -> CorrectiveAction:
    """By hand: a repeat-repair cluster, a rectification report for a model, anything else."""
    now = now or timezone.now()
    workflow.require_role(actor, QUALITY_OFFICE, "登记纠正预防措施")
    title = inputs.text(data.title, field="title", label="标题", max_length=200)
    if data.kind not in CapaKind.values:
        raise ValidationFailed("类型须为纠正预防措施或整改报告", field="kind")
    if data.source not in (CapaSource.MANUAL, CapaSource.REPEAT_REPAIR):
        raise ValidationFailed("手工登记的来源须为重复维修或手工登记", field="source")
    model = None
    if data.product_model_id is not None:
        model = ProductModel.objects.filter(pk=data.product_model_id).first()
        if model is None:
            raise NotFound("产品型号不存在", field="product_model_id")
    if data.kind == CapaKind.RECTIFICATION and model is None:
        raise ValidationFailed("整改报告须选择投诉集中的产品型号", field="product_model_id")
    with transaction.atomic():
        return _create(
            actor,
            now,
            kind=data.kind,
            source=data.source,
            title=title,
            product_model=model,
            source_note=(data.source_note or "").strip()[:200],
        )


def _lock(capa: CorrectiveAction | int) -> CorrectiveAction:
    pk = capa.pk if isinstance(capa, CorrectiveAction) else int(capa)
    found: CorrectiveAction = workflow.lock(CorrectiveAction, pk)
    return found


def _deadline(value: Any, now: dt.datetime, label: str = "完成期限") -> dt.date:
    day = inputs.date(value, field="deadline", label=label)
    if day < timezone.localdate(now):
        raise ValidationFailed(Said("%(label)s不能早于今天", label=label), field="deadline")
    return day


def plan(
    *,
    actor: Any,
    capa: CorrectiveAction | int,
    cause: str,
    measures: str,
    owner_department_id: int | None,
    deadline: Any,
    owner_id: int | None = None,
    now: dt.datetime | None = None,
) -> CorrectiveAction:
    now = now or timezone.now()
    workflow.require_role(actor, CAPA["plan"].roles, CAPA["plan"].label)
    cause = inputs.text(cause, field="cause", label="原因分析")
    measures = inputs.text(measures, field="measures", label="纠正预防措施")
    dept = Department.objects.active().filter(pk=owner_department_id).first()
    if dept is None:
        raise ValidationFailed("请选择责任部门", field="owner_department_id")
    owner = None
    if owner_id is not None:
        owner = get_user_model().objects.filter(pk=owner_id, org_kind="company").first()
        if owner is None:
            raise NotFound("责任人不存在", field="owner_id")
    day = _deadline(deadline, now)
    with transaction.atomic():
        c = _lock(capa)
        workflow.move(
            c,
            CAPA,
            "plan",
            actor=actor,
            now=now,
            payload={"department": dept.name, "deadline": day.isoformat()},
            fields={
                "cause": cause,
                "measures": measures,
                "owner_department": dept,
                "owner": owner,
                "deadline": day,
            },
        )
        deadlines.start(
            c,
            step=STEP,
            rule_code=RULE,
            starts_at=now,
            due_at=_end_of(day),
            owner=owner,
            owner_roles=["quality_director"],
        )
    return c


def submit(
    *, actor: Any, capa: CorrectiveAction | int, done_note: str, now: dt.datetime | None = None
) -> CorrectiveAction:
    """Implemented: the owner (or the quality office) asks for the verification of effect."""
    now = now or timezone.now()
    note = inputs.text(done_note, field="done_note", label="实施情况")
    with transaction.atomic():
        c = _lock(capa)
        is_owner = actor is not None and c.owner_id is not None and c.owner_id == actor.pk
        if not is_owner:
            workflow.require_role(actor, CAPA["submit"].roles, CAPA["submit"].label)
        workflow.check(c, CAPA["submit"], c.get_state_display())
        before = c.state
        c.state = CAPA["submit"].target
        c.done_note, c.submitted_at, c.submitted_by = note, now, actor
        c.save(update_fields=["state", "done_note", "submitted_at", "submitted_by", "updated_at"])
        audit.record(
            c,
            actor=actor,
            action="transition",
            verb="submit",
            from_state=before,
            to_state=c.state,
            reason=note[:200],
            at=now,
        )
        deadlines.complete(c, step=STEP, at=now)
    return c


def verify(
    *,
    actor: Any,
    capa: CorrectiveAction | int,
    effective: bool,
    note: str,
    new_deadline: Any = None,
    now: dt.datetime | None = None,
) -> CorrectiveAction:
    """The verification of effect, never by the owner or by who submitted it."""
    now = now or timezone.now()
    action = "verify_ok" if effective else "verify_fail"
    workflow.require_role(actor, CAPA[action].roles, CAPA[action].label)
    note = inputs.text(note, field="note", label="验证说明")
    day = None if effective else _deadline(new_deadline, now, "新完成期限")
    with transaction.atomic():
        c = _lock(capa)
        workflow.check(c, CAPA[action], c.get_state_display())
        if actor is not None and actor.pk in (c.owner_id, c.submitted_by_id):
            raise PermissionDenied("效果验证须由责任人和提交人以外的人员进行")
        CapaVerification.objects.create(
            capa=c,
            verified_by=actor,
            verified_at=now,
            effective=effective,
            note=note,
            new_deadline=day,
        )
        fields: dict[str, Any] = (
            {"closed_at": now}
            if effective
            else {"deadline": day, "reopen_count": c.reopen_count + 1, "submitted_by": None}
        )
        workflow.move(c, CAPA, action, actor=actor, now=now, reason=note[:200], fields=fields)
        if day is not None:
            deadlines.start(
                c,
                step=STEP,
                rule_code=RULE,
                starts_at=now,
                due_at=_end_of(day),
                owner=c.owner,
                owner_roles=["quality_director"],
            )
    return c


def cancel(
    *, actor: Any, capa: CorrectiveAction | int, reason: str, now: dt.datetime | None = None
) -> CorrectiveAction:
    now = now or timezone.now()
    reason = inputs.text(reason, field="reason", label="撤销原因", max_length=200)
    with transaction.atomic():
        c = _lock(capa)
        workflow.move(
            c, CAPA, "cancel", actor=actor, now=now, reason=reason, fields={"cancel_reason": reason}
        )
        deadlines.cancel(c, step=STEP, at=now)
    return c
