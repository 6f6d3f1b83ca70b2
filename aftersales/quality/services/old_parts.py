"""Old parts (旧件, SPEC §6.4). Each step is one service: recorded from a filed warranty
report's "keep old part" lines (once per line) or by hand (a return, a dealer's repair),
tagged with its number, due back by a date on the deadline engine (the rule
``quality.old_part_return``, a dealer's own ``OldPartTerm`` where set), sent back, received at
a store with its bin, appraised by the technical department: reusable → back into stock by
the stock app's intake (``stock.services.intake.old_part_reusable``, once); scrap; supplier's product → the supplier is told and the
claim followed up on its own deadline until closed.

``settlement_check`` is the seam the dealers' claim settlement calls: a claim or repair
settlement whose old parts (or repair record) are not back is refused, nothing written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.approvals import inputs, workflow
from aftersales.approvals.documents import users_with_roles
from aftersales.approvals.services import deadlines
from aftersales.catalog.models import Part
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.quality import defaults
from aftersales.quality.models import (
    Disposition,
    OldPart,
    OldPartSource,
    OldPartState,
    OldPartTerm,
)
from aftersales.quality.transitions import APPRAISERS, OLD_PART, OLD_PART_REGISTRARS

PREFIX = "JJ"
RULE = "quality.old_part_return"
STEP = "return"
CLAIM_RULE = "quality.supplier_claim"
CLAIM_STEP = "supplier_claim"


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def due_date_for(dealer_id: int | None, start: dt.datetime) -> dt.date:
    """The day an old part is due back: the dealer's own term, else the rule's duration."""
    if dealer_id:
        term = OldPartTerm.objects.filter(dealer_id=dealer_id, archived_at__isnull=True).first()
        if term is not None:
            return timezone.localdate(start) + dt.timedelta(days=term.days)
    return timezone.localdate(deadlines.compute_due(RULE, start))


def _create(actor: Any, now: dt.datetime, **values: Any) -> OldPart:
    op = OldPart.objects.create(number=next_number(PREFIX, on=now), registered_at=now, **values)
    audit.record(op, actor=actor, action="create", after=audit.snapshot(op), at=now)
    deadlines.start(
        op,
        step=STEP,
        rule_code=RULE,
        starts_at=now,
        due_at=_end_of(op.due_date),
        label=Said("旧件返回 %(code)s", code=op.part.code),
        owner=op.technician,
        owner_roles=["coordinator"],
    )
    return op


def _in_warranty(ticket: Any) -> bool:
    from aftersales.service.services import warranty

    record = warranty.current(ticket)
    return record is not None and (record.in_warranty or record.free_replacement)


def report_filed(*, actor: Any, report: Any, now: dt.datetime) -> list[OldPart]:
    """The old parts of a filed report: every "keep old part" line of a warranty repair,
    once (a line has at most one old part). Called by the report's filing, in its
    transaction."""
    ticket = report.ticket
    if not _in_warranty(ticket):
        return []
    technician = report.work_order.technician
    made = []
    for line in report.parts.filter(keep_old_part=True).select_related("part").order_by("id"):
        if OldPart.objects.filter(report_part=line).exists():
            continue
        made.append(
            _create(
                actor,
                now,
                source=OldPartSource.REPORT,
                report_part=line,
                report=report,
                ticket=ticket,
                part=line.part,
                quantity=line.quantity,
                equipment_id=ticket.equipment_id,
                dealer_id=ticket.dealer_id,
                technician=technician,
                fault=(report.cause or report.phenomenon or "")[:200],
                due_date=due_date_for(ticket.dealer_id, now),
            )
        )
    return made


@dataclass
class OldPartInput:
    """By hand: an old part of a return, of a dealer's repair, of a report line missed."""

    part_code: str
    quantity: Any = 1
    source: str = OldPartSource.MANUAL
    ticket_number: str = ""
    source_note: str = ""
    fault: str = ""
    due_date: Any = None  # default: the dealer's term or the rule


def register(*, actor: Any, data: OldPartInput, now: dt.datetime | None = None) -> OldPart:
    from aftersales.service.models import ServiceReport, Ticket

    now = now or timezone.now()
    workflow.require_role(actor, OLD_PART_REGISTRARS, "登记旧件")
    if data.source not in (OldPartSource.MANUAL, OldPartSource.RETURN):
        raise ValidationFailed("手工登记的来源须为退货/返修或手工登记", field="source")
    code = (data.part_code or "").strip()
    if not code:
        raise ValidationFailed("请填写配件编码", field="part_code")
    if len(code) > 40:
        raise ValidationFailed("配件编码不能超过40字", field="part_code")
    part = Part.objects.filter(code__iexact=code, archived_at__isnull=True).first()
    if part is None:
        raise ValidationFailed(Said("配件编码不存在：%(code)s", code=code), field="part_code")
    qty = inputs.quantity(data.quantity, field="quantity")
    note = (data.source_note or "").strip()
    if len(note) > 40:
        raise ValidationFailed("来源单据不能超过40字", field="source_note")
    if data.source == OldPartSource.RETURN and not note:
        raise ValidationFailed("退货/返修的旧件请填写退货单号", field="source_note")
    fault = (data.fault or "").strip()
    if len(fault) > 200:
        raise ValidationFailed("故障说明不能超过200字", field="fault")
    ticket = None
    if (data.ticket_number or "").strip():
        ticket = Ticket.objects.filter(number=data.ticket_number.strip()).first()
        if ticket is None:
            raise NotFound("报修单不存在", field="ticket_number")
    dealer_id = ticket.dealer_id if ticket else None
    if data.due_date not in (None, ""):
        due = inputs.date(data.due_date, field="due_date", label="应返回日期")
        if due < timezone.localdate(now):
            raise ValidationFailed("应返回日期不能早于今天", field="due_date")
    else:
        due = due_date_for(dealer_id, now)
    report = (
        ServiceReport.objects.filter(ticket=ticket, filed_at__isnull=False)
        .order_by("-filed_at")
        .first()
        if ticket
        else None
    )
    with transaction.atomic():
        return _create(
            actor,
            now,
            source=data.source,
            ticket=ticket,
            report=report,
            source_note=note,
            part=part,
            quantity=qty,
            equipment_id=ticket.equipment_id if ticket else None,
            dealer_id=dealer_id,
            fault=fault,
            due_date=due,
        )


def _lock(op: OldPart | int) -> OldPart:
    pk = op.pk if isinstance(op, OldPart) else int(op)
    found: OldPart = workflow.lock(OldPart, pk)
    return found


def ship(
    *, actor: Any, old_part: OldPart | int, waybill: str = "", now: dt.datetime | None = None
) -> OldPart:
    """Sent back (by the technician who replaced it, the dealer, or the office)."""
    now = now or timezone.now()
    waybill = (waybill or "").strip()
    if len(waybill) > 40:
        raise ValidationFailed("运单号不能超过40字", field="waybill")
    with transaction.atomic():
        op = _lock(old_part)
        workflow.move(
            op,
            OLD_PART,
            "ship",
            actor=actor,
            now=now,
            payload={"waybill": waybill},
            fields={"shipped_at": now, "waybill": waybill},
        )
    return op


def receive(
    *,
    actor: Any,
    old_part: OldPart | int,
    warehouse_id: int | None,
    bin_id: int | None = None,
    now: dt.datetime | None = None,
) -> OldPart:
    """Received at a store (with its bin where the store keeps bins): the return deadline is
    met (or met late — the engine keeps it as overdue)."""
    from aftersales.stock.models import Bin, Warehouse

    now = now or timezone.now()
    wh = (
        Warehouse.objects.filter(pk=warehouse_id, archived_at__isnull=True).first()
        if warehouse_id
        else None
    )
    if wh is None:
        raise ValidationFailed("请选择接收仓库", field="warehouse_id")
    bin_ = None
    if bin_id:
        bin_ = Bin.objects.filter(pk=bin_id, warehouse=wh, archived_at__isnull=True).first()
        if bin_ is None:
            raise ValidationFailed(
                Said("库位不存在（%(name)s没有该库位）", name=wh.name), field="bin_id"
            )
    elif Bin.objects.filter(warehouse=wh, archived_at__isnull=True).exists():
        raise ValidationFailed(Said("请选择%(name)s的库位", name=wh.name), field="bin_id")
    with transaction.atomic():
        op = _lock(old_part)
        workflow.move(
            op,
            OLD_PART,
            "receive",
            actor=actor,
            now=now,
            payload={"warehouse": wh.name, "bin": bin_.code if bin_ else ""},
            fields={"received_at": now, "received_by": actor, "warehouse": wh, "bin": bin_},
        )
        deadlines.complete(op, step=STEP, at=now)
    return op


def may_appraise(actor: Any) -> bool:
    """The technical department: the quality office's roles, or a company member of a
    technical department."""
    if actor is None:
        return True
    if workflow.actor_roles(actor) & APPRAISERS:
        return True
    dept = getattr(actor, "department", None)
    return (
        getattr(actor, "org_kind", "") == "company"
        and dept is not None
        and dept.code in defaults.TECHNICAL_DEPARTMENTS
    )


def _tell(op: OldPart, event: str, people: list[Any], subject: str, body: str) -> None:
    from aftersales.notifications.services import notify

    people = [p for p in people if p is not None]
    if people:
        notify(
            key=f"old_part:{op.pk}:{event}",
            recipients=people,
            subject=subject,
            body=body,
            link=op.get_absolute_url(),
        )


@dataclass
class AppraisalInput:
    disposition: str
    appraisal: str
    supplier: str = ""
    supplier_email: str = ""
    unit_cost: Any = None  # reusable: the value it goes back into stock at (default the part's)


def appraise(
    *,
    actor: Any,
    old_part: OldPart | int,
    data: AppraisalInput,
    now: dt.datetime | None = None,
) -> OldPart:
    """The technical department's appraisal. Reusable: posted into the store it was received
    at, at its bin, by the stock app's ``intake.old_part_reusable`` (once per old part).
    Supplier claim: the supplier is told (when an address is known), the quality office
    follows it up on the claim deadline."""
    from aftersales.notifications.services import Recipient
    from aftersales.stock.services import intake

    now = now or timezone.now()
    if not may_appraise(actor):
        raise PermissionDenied("旧件鉴定须由技术部门进行")
    action = {
        Disposition.REUSABLE: "restock",
        Disposition.SCRAP: "scrap",
        Disposition.SUPPLIER_CLAIM: "claim",
    }.get(data.disposition)  # type: ignore[call-overload]
    if action is None:
        raise ValidationFailed("请选择鉴定结论：可再用、报废或供应商索赔", field="disposition")
    text = inputs.text(data.appraisal, field="appraisal", label="鉴定意见")
    supplier = (data.supplier or "").strip()
    email = (data.supplier_email or "").strip()
    if len(supplier) > 100:
        raise ValidationFailed("供应商不能超过100字", field="supplier")
    if len(email) > 100:
        raise ValidationFailed("供应商邮箱不能超过100字", field="supplier_email")
    if email and "@" not in email:
        raise ValidationFailed("供应商邮箱格式不正确", field="supplier_email")
    if action == "claim" and not supplier:
        raise ValidationFailed("供应商索赔请填写供应商", field="supplier")
    with transaction.atomic():
        op = _lock(old_part)
        workflow.check(op, OLD_PART[action], op.get_state_display())
        fields: dict[str, Any] = {
            "disposition": data.disposition,
            "appraisal": text,
            "appraised_at": now,
            "appraised_by": actor,
        }
        if action == "claim":
            fields.update(supplier=supplier, supplier_email=email)
        if action == "restock":  # the stock app's intake: once per old part
            fields["movement"] = intake.old_part_reusable(
                actor=actor, old_part=op, unit_cost=data.unit_cost, now=now
            )
        # the role check is ``may_appraise`` (a department, not only roles): the move by hand
        workflow.require_visible(op, actor)
        before = op.state
        op.state = OLD_PART[action].target
        for name, value in fields.items():
            setattr(op, name, value)
        op.save(update_fields=["state", "updated_at", *fields])
        audit.record(
            op,
            actor=actor,
            action="transition",
            verb=action,
            from_state=before,
            to_state=op.state,
            reason=text[:200],
            payload={"disposition": data.disposition, "supplier": supplier},
            at=now,
        )
        if action == "claim":
            body = Said(
                "旧件 %(number)s（%(code)s %(name)s ×%(quantity)s）经技术鉴定为贵司产品质量问题：%(v9)s。请联系我司品质办处理索赔。",
                number=op.number,
                code=op.part.code,
                name=op.part.name,
                quantity=op.quantity,
                v9=text[:300],
            )
            if email:
                from aftersales.notifications.services import notify

                notify(
                    key=f"old_part:{op.pk}:supplier",
                    recipients=[Recipient(name=supplier, email=email)],
                    subject=Said("旧件索赔通知 %(number)s", number=op.number),
                    body=body,
                    channels=["email"],
                )
            _tell(
                op,
                "claim",
                users_with_roles(["quality_director"]),
                Said("旧件 %(number)s 供应商索赔待跟进", number=op.number),
                Said("供应商：%(supplier)s。%(body)s", supplier=supplier, body=body),
            )
            deadlines.start(
                op,
                step=CLAIM_STEP,
                rule_code=CLAIM_RULE,
                starts_at=now,
                label=Said("供应商索赔 %(supplier)s", supplier=supplier)[:100],
                owner_roles=["quality_director"],
            )
    return op


def close_claim(
    *, actor: Any, old_part: OldPart | int, result: str, now: dt.datetime | None = None
) -> OldPart:
    now = now or timezone.now()
    result = inputs.text(result, field="result", label="索赔结果", max_length=200)
    with transaction.atomic():
        op = _lock(old_part)
        workflow.move(
            op,
            OLD_PART,
            "close_claim",
            actor=actor,
            now=now,
            reason=result,
            fields={"claim_result": result, "claim_closed_at": now},
        )
        deadlines.complete(op, step=CLAIM_STEP, at=now)
    return op


def waive(
    *, actor: Any, old_part: OldPart | int, reason: str, now: dt.datetime | None = None
) -> OldPart:
    """Not to come back (lost on site, destroyed in the fault…): the quality director's
    decision, with its reason; the return deadline is cancelled."""
    now = now or timezone.now()
    reason = inputs.text(reason, field="reason", label="免返原因", max_length=200)
    with transaction.atomic():
        op = _lock(old_part)
        workflow.move(
            op,
            OLD_PART,
            "waive",
            actor=actor,
            now=now,
            reason=reason,
            fields={"waive_reason": reason},
        )
        deadlines.cancel(op, step=STEP, at=now)
    return op


# ---------------------------------------------------------------- settlement seam


class OldPartMissing(Conflict):
    code = "old_part_missing"


def settlement_blockers(ticket: Any) -> list[str]:
    """Why the warranty claim / repair settlement of ``ticket`` (a Ticket or its id) cannot
    be settled: its filed repair record is missing, or an old part is not back. Empty: it
    may be settled. Waived old parts do not block."""
    from aftersales.service.models import ReportPart, ServiceReport

    ticket_id = getattr(ticket, "pk", ticket)
    reasons = []
    filed = ServiceReport.objects.filter(
        ticket_id=ticket_id, filed_at__isnull=False, archived_at__isnull=True
    )
    if not filed.exists():
        reasons.append("维修记录（服务报告）未提交")
    missing_lines = (
        ReportPart.objects.filter(report__in=filed, keep_old_part=True, old_part__isnull=True)
        .select_related("part")
        .order_by("id")
    )
    from aftersales.quality.selectors import old_parts_for

    for op in old_parts_for(ticket=ticket_id).select_related("part"):
        if op.state in (OldPartState.PENDING, OldPartState.SHIPPED):
            reasons.append(
                Said(
                    "旧件 %(number)s（%(code)s %(name)s）%(get_state_display)s，应于 %(due_date)s 前返回",
                    number=op.number,
                    code=op.part.code,
                    name=op.part.name,
                    get_state_display=op.get_state_display(),
                    due_date=format(op.due_date, "%Y-%m-%d"),
                )
            )
    if _in_warranty_id(ticket_id):
        for line in missing_lines:
            reasons.append(
                Said(
                    "更换配件 %(code)s %(name)s 没有旧件记录",
                    code=line.part.code,
                    name=line.part.name,
                )
            )
    return reasons


def _in_warranty_id(ticket_id: int) -> bool:
    from aftersales.service.models import Ticket

    t = Ticket.objects.filter(pk=ticket_id).first()
    return t is not None and _in_warranty(t)


def settlement_check(ticket: Any) -> None:
    """Raise ``OldPartMissing`` (HTTP 409, a Chinese message) when ``ticket``'s claim or
    repair settlement may not be settled yet; the caller settles nothing then."""
    reasons = settlement_blockers(ticket)
    if reasons:
        raise OldPartMissing(
            "旧件及维修记录未返回，不能结算：" + "；".join(reasons),
            details=reasons,
        )
