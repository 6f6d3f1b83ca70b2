"""Doing an inspection: start (the checklist version is frozen on the visit), record the
answers item by item, complete with the co-engineers and the customer's signature. Each
failed item raises exactly one repair ticket (channel 巡检发现) linked to the visit and item;
completing twice creates nothing more."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from aftersales.core import audit, uploads
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.maintenance import rules
from aftersales.maintenance.models import (
    ChecklistItem,
    InspectionResult,
    MaintenanceVisit,
    VisitState,
)
from aftersales.maintenance.roles import PLANNERS
from aftersales.maintenance.services import checklists
from aftersales.service.models import Ticket, WorkOrder, WorkOrderState
from aftersales.service.services import lifecycle

MAX_PHOTO_BYTES = 10 * 1024 * 1024
DONE_OR_LIVE = (
    WorkOrderState.OFFERED,
    WorkOrderState.ACCEPTED,
    WorkOrderState.ON_SITE,
    WorkOrderState.DONE,
    WorkOrderState.LEFT,
)


@dataclass
class AnswerInput:
    item_id: int
    outcome: str = ""
    value: str = ""
    remark: str = ""
    photo: Any = None


@dataclass
class Completion:
    visit: MaintenanceVisit
    follow_ups: list[Ticket] = field(default_factory=list)


def lead_technician(visit: MaintenanceVisit) -> Any:
    """The technician of the visit's latest work order (not declined or reassigned)."""
    if visit.ticket_id is None:
        return None
    wo = (
        WorkOrder.objects.filter(
            ticket_id=visit.ticket_id, state__in=DONE_OR_LIVE, technician__isnull=False
        )
        .select_related("technician")
        .order_by("-dispatched_at")
        .first()
    )
    return wo.technician if wo else None


def _lock(visit: MaintenanceVisit | int, actor: Any) -> MaintenanceVisit:
    pk = visit.pk if isinstance(visit, MaintenanceVisit) else visit
    if actor is not None and not visible(MaintenanceVisit, actor).filter(pk=pk).exists():
        raise NotFound("巡检任务不存在或无权查看")
    found = (
        MaintenanceVisit.objects.select_for_update(of=("self",))
        .select_related("plan", "ticket", "checklist")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("巡检任务不存在或无权查看")
    return found


def _require_inspector(visit: MaintenanceVisit, actor: Any) -> Any:
    """The assigned technician does the inspection; a planner may record a phone one."""
    lead = lead_technician(visit)
    if actor is not None and lead is not None and actor.pk == lead.pk:
        return lead
    if actor is not None and visit.plan.by_phone and actor.role_codes & PLANNERS:
        return actor
    raise PermissionDenied("只有派给您的巡检任务才能填写")


@transaction.atomic
def start(
    *, actor: Any, visit: MaintenanceVisit | int, now: dt.datetime | None = None
) -> MaintenanceVisit:
    v = _lock(visit, actor)
    if v.state not in (VisitState.RELEASED, VisitState.IN_PROGRESS):
        raise Conflict(
            Said("巡检任务%(get_state_display)s，不能开始", get_state_display=v.get_state_display())
        )
    _require_inspector(v, actor)
    if v.state == VisitState.IN_PROGRESS:
        return v
    if v.plan.checklist_code:
        v.checklist = checklists.current(v.plan.checklist_code)
        if v.checklist is None:
            raise Conflict(
                Said("检查表「%(checklist_code)s」已停用", checklist_code=v.plan.checklist_code)
            )
    v.state = VisitState.IN_PROGRESS
    v.started_at = now or timezone.now()
    v.save(update_fields=["state", "started_at", "checklist", "updated_at"])
    audit.record(
        v,
        actor=actor,
        action="transition",
        verb="inspection_start",
        from_state=VisitState.RELEASED,
        to_state=v.state,
        payload={"checklist": str(v.checklist) if v.checklist else ""},
    )
    return v


def _items(v: MaintenanceVisit) -> dict[int, ChecklistItem]:
    if v.checklist_id is None:
        return {}
    return {i.pk: i for i in ChecklistItem.objects.filter(template_id=v.checklist_id)}


def _spec(item: ChecklistItem) -> rules.ItemSpec:
    return rules.ItemSpec(
        rules.ItemKind(item.kind), item.min_value, item.max_value, item.photo_required
    )


@transaction.atomic
def record(
    *,
    actor: Any,
    visit: MaintenanceVisit | int,
    answers: list[AnswerInput],
    now: dt.datetime | None = None,
) -> list[InspectionResult]:
    """Save answers (again until completion). All are checked before any is written: an
    unknown item, a value that is not a number, a missing photo refuse the whole batch."""
    v = _lock(visit, actor)
    if v.state != VisitState.IN_PROGRESS:
        raise Conflict("请先开始巡检" if v.state == VisitState.RELEASED else "巡检已结束，不能修改")
    _require_inspector(v, actor)
    items = _items(v)
    existing = {r.item_id: r for r in InspectionResult.objects.filter(visit=v)}
    checked = []
    for a in answers:
        item = items.get(a.item_id)
        if item is None:
            raise ValidationFailed("检查项不属于本次巡检的检查表", field="item_id")
        if len(a.remark) > 200:
            raise ValidationFailed(
                Said("第 %(seq)s 项备注不能超过 200 个字", seq=item.seq), field="remark"
            )
        if a.photo is not None:
            if getattr(a.photo, "size", 0) > MAX_PHOTO_BYTES:
                raise ValidationFailed("照片不能超过10MB", field="photo")
            uploads.identify(a.photo, uploads.IMAGES, field="photo")
        prior = existing.get(item.pk)
        has_photo = a.photo is not None or bool(prior and prior.photo)
        try:
            result = rules.evaluate(
                _spec(item), rules.Answer(a.outcome, a.value, has_photo=has_photo)
            )
        except rules.AnswerError as exc:
            raise ValidationFailed(
                Said("第 %(seq)s 项「%(text)s」：%(exc)s", seq=item.seq, text=item.text, exc=exc),
                field="value",
            ) from None
        checked.append((item, a, result, prior))
    at = now or timezone.now()
    saved = []
    for item, a, result, prior in checked:
        row = prior or InspectionResult(visit=v, item=item)
        row.outcome = result.outcome.value
        row.value = result.value
        row.out_of_range = result.out_of_range
        row.remark = a.remark.strip()
        row.recorded_at = at
        if a.photo is not None:
            row.photo.save("photo", a.photo, save=False)
        row.save()
        saved.append(row)
    audit.record(
        v,
        actor=actor,
        action="action",
        verb="inspection_record",
        payload={str(r.item.seq): r.outcome for r in saved},
        at=at,
    )
    return saved


def _decode_png(data_url: str) -> bytes:
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationFailed("签名格式无效", field="signature")
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed("签名格式无效", field="signature") from exc
    if not raw.startswith(b"\x89PNG") or len(raw) < 100:
        raise ValidationFailed("签名为空，请客户在屏幕上签字", field="signature")
    return raw


def _co_engineers(ids: list[int], lead: Any) -> list[Any]:
    wanted = sorted(set(ids) - {lead.pk})
    users = list(
        get_user_model().objects.filter(pk__in=wanted, is_active=True, groups__name="维修工程师")
    )
    if len(users) != len(wanted):
        raise ValidationFailed("同行工程师不存在或不是维修工程师", field="co_engineer_ids")
    return users


@transaction.atomic
def complete(
    *,
    actor: Any,
    visit: MaintenanceVisit | int,
    co_engineer_ids: list[int] | None = None,
    signed_by: str = "",
    signature_png: str = "",
    remark: str = "",
    now: dt.datetime | None = None,
) -> Completion:
    v = _lock(visit, actor)
    if v.state == VisitState.DONE:  # a double submit: nothing more
        return Completion(v)
    if v.state != VisitState.IN_PROGRESS:
        raise Conflict(
            Said("巡检任务%(get_state_display)s，不能完成", get_state_display=v.get_state_display())
        )
    lead = _require_inspector(v, actor)
    items = _items(v)
    results = list(InspectionResult.objects.filter(visit=v).select_related("item"))
    missing = sorted(i.seq for pk, i in items.items() if pk not in {r.item_id for r in results})
    if missing:
        raise ValidationFailed(
            Said(
                "还有 %(missing)s 项未检查（第 %(join)s 项）",
                missing=len(missing),
                join="、".join(map(str, missing)),
            ),
            field="items",
            details=missing,
        )
    co = _co_engineers(co_engineer_ids or [], lead)
    needed = v.plan.min_engineers
    if not v.plan.by_phone and 1 + len(co) < needed:
        raise ValidationFailed(
            Said("本次巡检至少需要 %(needed)s 名工程师，请登记同行工程师", needed=needed),
            field="co_engineer_ids",
        )
    if len(remark) > 2000:
        raise ValidationFailed("巡检结论不能超过 2000 个字", field="remark")
    raw = None
    if not v.plan.by_phone:
        if not signed_by.strip():
            raise ValidationFailed("请填写客户签字人姓名", field="signed_by")
        if len(signed_by.strip()) > 50:
            raise ValidationFailed("签字人姓名不能超过 50 个字", field="signed_by")
        raw = _decode_png(signature_png)
    ticket_blocked = (
        lifecycle.inspection_blocker(v.ticket, by_phone=v.plan.by_phone) if v.ticket else ""
    )
    if ticket_blocked:  # refused before anything is written
        raise Conflict(ticket_blocked, code="inspection_not_resolvable")
    at = now or timezone.now()
    done = Completion(v)
    for r in results:
        if r.outcome == InspectionResult.Outcome.FAIL and r.follow_up_id is None:
            r.follow_up = _follow_up(v, r, actor)
            r.save(update_fields=["follow_up"])
            done.follow_ups.append(r.follow_up)
    before = v.state
    v.state = VisitState.DONE
    v.completed_at, v.completed_by = at, actor
    v.remark = remark.strip()
    if raw is not None:
        v.signature.save("signature", ContentFile(raw), save=False)
        v.signed_by, v.signed_at = signed_by.strip(), at
    v.save()
    v.co_engineers.set(co)
    audit.record(
        v,
        actor=actor,
        action="transition",
        verb="inspection_complete",
        from_state=before,
        to_state=v.state,
        payload={
            "engineers": [lead.pk, *[u.pk for u in co]],
            "follow_ups": [t.number for t in done.follow_ups],
        },
        at=at,
    )
    if v.ticket is not None:  # the visit's ticket is finished through the service flow
        lifecycle.resolve_inspection(
            actor=actor,
            ticket=v.ticket,
            by_phone=v.plan.by_phone,
            summary=_summary(v, done),
        )
    return done


def _summary(v: MaintenanceVisit, done: Completion) -> str:
    found = "、".join(t.number for t in done.follow_ups)
    text = Said("巡检完成（计划 %(number)s）", number=v.plan.number) + (
        Said("，不合格项已生成整改报修单 %(found)s", found=found) if found else "，各项合格"
    )
    return text[:200]


def _follow_up(v: MaintenanceVisit, r: InspectionResult, actor: Any) -> Ticket:
    from aftersales.service.models import Channel, TicketType
    from aftersales.service.services import intake

    plan = v.plan
    equipment_id = v.ticket.equipment_id if v.ticket is not None else None
    if equipment_id is None:
        ids = list(plan.equipment.values_list("pk", flat=True)[:2])
        equipment_id = ids[0] if len(ids) == 1 else None
    measured = (
        Said(
            "，实测 %(normalize)s %(unit)s（应为 %(expected)s）",
            normalize=format(r.value.normalize(), "f"),
            unit=r.item.unit,
            expected=r.item.expected,
        )
        if r.value is not None
        else ""
    )
    ticket = intake.ticket_create(
        actor=None,
        data=intake.TicketInput(
            description=(
                Said(
                    "巡检发现：%(text)s不合格%(measured)s。%(remark)s（计划 %(number)s，%(nominal_date)s 巡检，第 %(seq)s 项）",
                    text=r.item.text,
                    measured=measured,
                    remark=r.remark,
                    number=plan.number,
                    nominal_date=format(v.nominal_date, "%Y-%m-%d"),
                    seq=r.item.seq,
                )
            )[:2000],
            contact_name=plan.contact_name,
            contact_phone=plan.contact_phone,
            channel=Channel.INSPECTION,
            type=TicketType.REPAIR,
            customer_id=v.customer_id,
            site_id=plan.site_id,
            equipment_id=equipment_id,
            allow_duplicate=True,
            different_fault_reason=Said("巡检发现：%(text)s", text=r.item.text)[:200],
        ),
    )
    audit.record(
        ticket,
        actor=actor,
        action="action",
        verb="raised_by_inspection",
        payload={"visit": v.pk, "item": r.item.seq},
    )
    return ticket
