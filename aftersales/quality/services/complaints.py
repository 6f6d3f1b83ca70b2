"""The complaint (SPEC §6.1): registration by an agent, a dealer or a customer (or raised from
a ticket or a callback) with the product details, the 24 h first deadline on the deadline
engine, the written reply / handling decision, the investigation, and the three endings:
minor → fed back, serious → handling form approved by the departments, not our fault →
explained with the appraisal. A complaint about a person records one assessment fact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftersales.accounts.models import Department
from aftersales.approvals import inputs, workflow
from aftersales.approvals.services import deadlines, engine
from aftersales.catalog.selectors import code_key, parts_by_code
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.customers.models import Customer
from aftersales.dealers.models import Dealer
from aftersales.installed_base.models import Equipment
from aftersales.quality import defaults
from aftersales.quality.models import (
    CLOSED_COMPLAINT_STATES,
    Complainant,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintFinding,
    PersonIssue,
)
from aftersales.quality.services import notices
from aftersales.quality.transitions import COMPLAINT, REGISTER_ROLES, REPLIERS
from aftersales.service.models import Callback, Ticket
from aftersales.staff.models import AssessmentFact, FactKind
from aftersales.staff.services import record_fact

REPLY_STEP = "reply"
FLOW = "complaint_handling"


@dataclass
class ComplaintInput:
    category: str
    description: str
    channel: str = ComplaintChannel.PHONE
    contact_name: str = ""
    contact_phone: str = ""
    demand: str = ""
    customer_id: int | None = None
    dealer_id: int | None = None
    equipment_id: int | None = None
    ticket_id: int | None = None
    callback_id: int | None = None
    order_no: str = ""
    part_code: str = ""
    ship_date: Any = None
    quantity: Any = None
    defective_quantity: Any = None
    person_issue: str = ""
    staff_member_id: int | None = None


@dataclass
class InvestigationInput:
    cause: str
    severity: str
    responsible_department_id: int | None = None
    production_batch: str = ""
    production_line: str = ""
    production_people: str = ""
    production_date: Any = None
    person_accountable: bool | None = None  # complaints about a person: the outcome
    extra: dict[str, Any] = field(default_factory=dict)


def lock(c: Complaint | int) -> Complaint:
    pk = c.pk if isinstance(c, Complaint) else int(c)
    found: Complaint = workflow.lock(Complaint, pk)
    return found


def may(actor: Any, action: str) -> None:
    """The actor's role may make this transition (checked before any input is read)."""
    tr = COMPLAINT[action]
    workflow.require_role(actor, tr.roles, tr.label)


def move(c: Complaint, action: str, *, actor: Any, now: dt.datetime, **kw: Any) -> Complaint:
    return workflow.move(c, COMPLAINT, action, actor=actor, now=now, **kw)  # type: ignore[no-any-return]


def _short(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _optional_qty(value: Any, label: str, name: str) -> int | None:
    if value in (None, ""):
        return None
    return inputs.quantity(value, field=name, label=label)


def _moment(value: Any, *, field: str, label: str) -> dt.datetime:
    """An aware moment from a datetime or an ISO text (a form's local time is Shanghai's)."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value or "").strip())
        except ValueError as exc:
            raise ValidationFailed(
                Said("%(label)s格式应为 YYYY-MM-DD HH:MM：「%(value)s」", label=label, value=value),
                field=field,
            ) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _parties(
    actor: Any, data: ComplaintInput
) -> tuple[Customer | None, Dealer | None, Equipment | None, Ticket | None, Callback | None, str]:
    """Who complains about what: the ticket or callback it was raised from gives the customer
    and equipment; a dealer user complains as his dealer, a customer user as himself."""
    kind = getattr(actor, "org_kind", "company")
    channel = data.channel
    ticket = callback = None
    customer: Customer | None = None
    equipment: Equipment | None = None
    if data.callback_id is not None:
        callback = get_visible(Callback, actor, pk=data.callback_id)
        customer = callback.customer
        ticket = callback.ticket
        channel = ComplaintChannel.CALLBACK
    if data.ticket_id is not None:
        ticket = get_visible(Ticket, actor, pk=data.ticket_id)
        if callback is None:
            channel = ComplaintChannel.TICKET
    if ticket is not None:
        customer = ticket.customer
        equipment = ticket.equipment
    if kind == "customer":
        customer = Customer.objects.get(pk=actor.customer_id)
        channel = ComplaintChannel.PORTAL
    elif customer is None and data.customer_id is not None:
        customer = get_visible(Customer, actor, pk=data.customer_id)
    if kind == "dealer":
        channel = ComplaintChannel.DEALER
    if channel not in ComplaintChannel.values:
        raise ValidationFailed("投诉渠道须为电话、来函、来访、客户门户或经销商", field="channel")
    if data.equipment_id is not None and equipment is None:
        equipment = get_visible(Equipment, actor, pk=data.equipment_id)
    if equipment is not None and customer is not None and equipment.site.customer_id != customer.pk:
        raise ValidationFailed("所选设备不属于该客户", field="equipment_id")
    if equipment is not None and customer is None:
        customer = equipment.site.customer
    dealer: Dealer | None = None
    if kind == "dealer":
        dealer = Dealer.objects.get(pk=actor.dealer_id)
    elif data.dealer_id is not None and kind == "company":
        dealer = Dealer.objects.filter(pk=data.dealer_id).first()
        if dealer is None:
            raise NotFound("经销商不存在", field="dealer_id")
    elif customer is not None and customer.dealer_id:
        dealer = customer.dealer
    if customer is not None and dealer is not None and customer.dealer_id not in (None, dealer.pk):
        raise ValidationFailed("该客户不属于所选经销商", field="dealer_id")
    if channel == ComplaintChannel.DEALER and dealer is None:
        raise ValidationFailed("经销商投诉须选择经销商", field="dealer_id")
    if customer is None and dealer is None:
        raise ValidationFailed("请选择投诉的客户或经销商", field="customer_id")
    return customer, dealer, equipment, ticket, callback, channel


def _staff_member(actor: Any, data: ComplaintInput) -> tuple[str, Any]:
    issue = (data.person_issue or "").strip()
    if issue and issue not in PersonIssue.values:
        raise ValidationFailed("涉及人员问题的类型无效", field="person_issue")
    if data.staff_member_id is None:
        if issue and getattr(actor, "org_kind", "company") == "company":
            raise ValidationFailed("投诉涉及人员时须指明被投诉人员", field="staff_member_id")
        return issue, None
    if getattr(actor, "org_kind", "company") != "company":
        raise ValidationFailed("被投诉人员由客服专员登记", field="staff_member_id")
    if not issue:
        raise ValidationFailed("指明被投诉人员时须选择涉及的问题", field="person_issue")
    person = get_user_model().objects.filter(pk=data.staff_member_id, org_kind="company").first()
    if person is None:
        raise NotFound("被投诉人员不存在", field="staff_member_id")
    return issue, person


def register(*, actor: Any, data: ComplaintInput, now: dt.datetime | None = None) -> Complaint:
    """登记投诉: validated as a whole before anything is written."""
    now = now or timezone.now()
    workflow.require_role(actor, REGISTER_ROLES, "登记投诉")
    if data.category not in ComplaintCategory.values:
        raise ValidationFailed(
            "请选择投诉类别：质量问题、非质量问题（人为因素/服务态度）或其他", field="category"
        )
    description = inputs.text(data.description, field="description", label="投诉内容")
    customer, dealer, equipment, ticket, callback, channel = _parties(actor, data)
    code = (data.part_code or "").strip()
    part = None
    if code:
        part = parts_by_code([code]).get(code_key(code))
        if part is None:
            raise ValidationFailed(Said("配件编码「%(code)s」不存在", code=code), field="part_code")
    quantity = _optional_qty(data.quantity, "数量", "quantity")
    defective = _optional_qty(data.defective_quantity, "不良数量", "defective_quantity")
    if defective is not None and quantity is None:
        raise ValidationFailed("填写不良数量时须填写数量", field="quantity")
    if defective is not None and quantity is not None and defective > quantity:
        raise ValidationFailed(
            Said(
                "不良数量（%(defective)s）不能大于数量（%(quantity)s）",
                defective=defective,
                quantity=quantity,
            ),
            field="defective_quantity",
        )
    ship_date = (
        inputs.date(data.ship_date, field="ship_date", label="发货日期") if data.ship_date else None
    )
    if ship_date is not None and ship_date > timezone.localdate(now):
        raise ValidationFailed("发货日期不能晚于登记日期", field="ship_date")
    issue, person = _staff_member(actor, data)
    contact = _short(data.contact_name, 50) or (customer.name[:50] if customer else "")
    if not contact and dealer is not None:
        contact = dealer.name[:50]
    complainant = Complainant.DEALER if channel == ComplaintChannel.DEALER else Complainant.CONSUMER
    with transaction.atomic():
        c = Complaint.objects.create(
            number=next_number("TS", on=now),
            channel=channel,
            complainant=complainant,
            category=data.category,
            person_issue=issue,
            staff_member=person,
            customer=customer,
            dealer=dealer,
            equipment=equipment,
            ticket=ticket,
            callback=callback,
            contact_name=contact,
            contact_phone=_short(data.contact_phone, 20),
            description=description,
            demand=(data.demand or "").strip()[:2000],
            order_no=_short(data.order_no, 40),
            part=part,
            ship_date=ship_date,
            quantity=quantity,
            defective_quantity=defective,
            registered_at=now,
            registered_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(c, actor=actor, action="create", after=audit.snapshot(c), at=now)
        rule = (
            "quality.dealer_reply"
            if complainant == Complainant.DEALER
            else "quality.consumer_decision"
        )
        d = deadlines.start(
            c,
            step=REPLY_STEP,
            rule_code=rule,
            starts_at=now,
            owner_roles=["agent", "coordinator"],
        )
        if person is not None:
            record_fact(
                actor=actor,
                person=person,
                kind=FactKind.PERSON_COMPLAINT,
                source=c,
                occurred_at=now,
                details={"issue": issue, "category": data.category, "complaint": c.number},
            )
        who = customer.name if customer else dealer.name if dealer else ""
        notices.roles(
            c,
            "new",
            ["coordinator", "quality_director"],
            Said("【投诉】%(number)s %(who)s", number=c.number, who=who),
            Said(
                "%(who)s 投诉（%(get_category_display)s）：%(v4)s。须于 %(localtime)s 前%(v8)s。",
                who=who,
                get_category_display=c.get_category_display(),
                v4=description[:80],
                localtime=format(timezone.localtime(d.due_at), "%m-%d %H:%M"),
                v8="书面答复" if complainant == Complainant.DEALER else "给出处理意见",
            ),
        )
        notices.progress(
            c,
            "registered",
            Said("您的投诉已登记（%(number)s），我们将在24小时内答复。", number=c.number),
        )
    return c


def _open(c: Complaint) -> None:
    if c.state in CLOSED_COMPLAINT_STATES:
        raise Conflict(
            Said("投诉单已%(get_state_display)s", get_state_display=c.get_state_display()),
            code="closed",
        )


def reply(
    *,
    actor: Any,
    complaint: Complaint | int,
    text: str,
    replied_at: Any = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """The written reply to a dealer / the handling decision to a consumer (24 h)."""
    now = now or timezone.now()
    text = inputs.text(text, field="text", label="答复内容")
    at = _moment(replied_at, field="replied_at", label="答复时间") if replied_at else now
    with transaction.atomic():
        c = lock(complaint)
        workflow.require_visible(c, actor)
        workflow.require_role(actor, REPLIERS, "答复投诉")
        _open(c)
        if c.replied_at is not None:
            raise Conflict("该投诉已答复，后续进展请在办理步骤中反馈", code="already_replied")
        if at < c.registered_at:
            raise ValidationFailed("答复时间不能早于投诉登记时间", field="replied_at")
        if at > now + dt.timedelta(minutes=5):
            raise ValidationFailed("答复时间不能晚于当前时间", field="replied_at")
        c.reply_text, c.replied_at = text, at
        c.replied_by = actor if getattr(actor, "pk", None) else None
        c.save(update_fields=["reply_text", "replied_at", "replied_by", "updated_at"])
        audit.record(
            c, actor=actor, action="action", verb="reply", payload={"replied_at": at}, at=now
        )
        deadlines.complete(c, step=REPLY_STEP, at=at)
        notices.progress(
            c, "reply", Said("关于您的投诉 %(number)s：%(v3)s", number=c.number, v3=text[:300])
        )
    return c


def investigate(
    *,
    actor: Any,
    complaint: Complaint | int,
    data: InvestigationInput,
    now: dt.datetime | None = None,
) -> Complaint:
    """The technical department's cause and responsible department, production's batch,
    line, people and date, and the severity that decides the way to closure."""
    now = now or timezone.now()
    may(actor, "investigate")
    cause = inputs.text(data.cause, field="cause", label="原因分析")
    if data.severity not in ComplaintFinding.values:
        raise ValidationFailed("请选择调查结论：一般投诉、重大投诉或非我方责任", field="severity")
    dept = None
    if data.responsible_department_id is not None:
        dept = Department.objects.active().filter(pk=data.responsible_department_id).first()
        if dept is None:
            raise NotFound("责任部门不存在", field="responsible_department_id")
    elif data.severity != ComplaintFinding.NOT_OUR_FAULT:
        raise ValidationFailed("请选择责任部门", field="responsible_department_id")
    made = (
        inputs.date(data.production_date, field="production_date", label="生产日期")
        if data.production_date
        else None
    )
    if made is not None and made > timezone.localdate(now):
        raise ValidationFailed("生产日期不能晚于今天", field="production_date")
    with transaction.atomic():
        c = lock(complaint)
        if c.person_issue and c.staff_member_id and data.person_accountable is None:
            raise ValidationFailed(
                "投诉涉及人员：请认定该人员是否负有责任", field="person_accountable"
            )
        move(
            c,
            "investigate",
            actor=actor,
            now=now,
            payload={"severity": data.severity, "department": dept.name if dept else ""},
            fields={
                "cause": cause,
                "severity": data.severity,
                "responsible_department": dept,
                "production_batch": _short(data.production_batch, 40),
                "production_line": _short(data.production_line, 40),
                "production_people": _short(data.production_people, 100),
                "production_date": made,
                "investigated_at": now,
                "investigated_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        if c.staff_member_id and data.person_accountable is not None:
            _settle_fact(c, accountable=data.person_accountable, actor=actor, now=now)
        if c.severity == ComplaintFinding.SERIOUS:
            from aftersales.quality.services import capa

            capa.draft_from_complaint(c, actor=actor, now=now)
        notices.progress(c, f"investigated:{now:%Y%m%d%H%M%S}", "您的投诉已完成调查，正在处理中。")
    return c


def _settle_fact(c: Complaint, *, accountable: bool, actor: Any, now: dt.datetime) -> None:
    """The accountability outcome of the person complained about, on his assessment fact."""
    fact = AssessmentFact.objects.filter(
        kind=FactKind.PERSON_COMPLAINT, source_id=str(c.pk), source_type__model="complaint"
    ).first()
    if fact is None:
        return
    outcome = AssessmentFact.Outcome.COUNTED if accountable else AssessmentFact.Outcome.WAIVED
    if fact.outcome == outcome:
        return
    before = fact.outcome
    fact.outcome = outcome
    fact.save(update_fields=["outcome", "updated_at"])
    audit.record(
        fact,
        actor=actor,
        action="action",
        verb="fact_outcome",
        from_state=before,
        to_state=outcome,
        payload={"complaint": c.number},
        at=now,
    )


def _close_fields(actor: Any, now: dt.datetime, feedback: str) -> dict[str, Any]:
    return {
        "feedback": feedback,
        "closed_at": now,
        "closed_by": actor if getattr(actor, "pk", None) else None,
    }


def _finish(c: Complaint, now: dt.datetime, message: str) -> None:
    deadlines.complete(c, step=REPLY_STEP, at=now)
    notices.progress(c, "closed", message)


def feed_back(
    *, actor: Any, complaint: Complaint | int, feedback: str, now: dt.datetime | None = None
) -> Complaint:
    """A minor complaint: registered, fed back to the complainant, closed."""
    now = now or timezone.now()
    may(actor, "feed_back")
    feedback = inputs.text(feedback, field="feedback", label="反馈内容")
    with transaction.atomic():
        c = lock(complaint)
        workflow.require_visible(c, actor)
        if c.severity == ComplaintFinding.SERIOUS:
            raise ValidationFailed("重大投诉须经处理单部门审批后才能结案", field="severity")
        if c.severity == ComplaintFinding.NOT_OUR_FAULT:
            raise ValidationFailed("非我方责任的投诉须依鉴定结果答复", field="severity")
        move(
            c,
            "feed_back",
            actor=actor,
            now=now,
            reason=feedback,
            fields=_close_fields(actor, now, feedback),
        )
        _finish(
            c, now, Said("您的投诉 %(number)s 已处理：%(v3)s", number=c.number, v3=feedback[:300])
        )
    return c


def submit_handling(
    *,
    actor: Any,
    complaint: Complaint | int,
    measures_production: str,
    measures_technical: str,
    solution: str,
    department_ids: list[int],
    now: dt.datetime | None = None,
) -> Complaint:
    """A serious complaint: the handling form with production's and technical's measures and
    the solution agreed with the customer goes to the departments for approval."""
    now = now or timezone.now()
    may(actor, "submit_handling")
    production = inputs.text(measures_production, field="measures_production", label="生产部门措施")
    technical = inputs.text(measures_technical, field="measures_technical", label="技术部门措施")
    agreed = inputs.text(solution, field="solution", label="与客户商定的解决方案")
    depts = list(Department.objects.active().filter(pk__in=department_ids))
    if not depts or len(depts) != len(set(department_ids)):
        raise ValidationFailed("请选择会签的相关部门", field="department_ids")
    with transaction.atomic():
        c = lock(complaint)
        workflow.require_visible(c, actor)
        if (
            c.severity != ComplaintFinding.SERIOUS
            and c.state in COMPLAINT["submit_handling"].sources
        ):
            raise ValidationFailed("只有重大投诉需要填写投诉处理单", field="severity")
        move(
            c,
            "submit_handling",
            actor=actor,
            now=now,
            payload={"departments": [d.name for d in depts]},
            fields={
                "measures_production": production,
                "measures_technical": technical,
                "solution": agreed,
            },
        )
        defaults.ensure_flow(FLOW)
        engine.submit(
            actor=actor,
            document=c,
            flow_code=FLOW,
            title=Said("重大投诉 %(number)s：%(v3)s", number=c.number, v3=c.description[:60]),
            departments=depts,
            now=now,
        )
    return c


def close(
    *, actor: Any, complaint: Complaint | int, feedback: str, now: dt.datetime | None = None
) -> Complaint:
    """A serious complaint handled by the approved solution: fed back and closed."""
    now = now or timezone.now()
    may(actor, "close")
    feedback = inputs.text(feedback, field="feedback", label="处理结果反馈")
    with transaction.atomic():
        c = lock(complaint)
        move(
            c,
            "close",
            actor=actor,
            now=now,
            reason=feedback,
            fields=_close_fields(actor, now, feedback),
        )
        _finish(
            c,
            now,
            Said(
                "您的投诉 %(number)s 已按商定方案处理完毕：%(v3)s",
                number=c.number,
                v3=feedback[:300],
            ),
        )
    return c


def explain(
    *,
    actor: Any,
    complaint: Complaint | int,
    appraisal_result: str,
    appraisal_basis: str,
    advice: str = "",
    now: dt.datetime | None = None,
) -> Complaint:
    """Not our fault: the reply cites the appraisal result and its basis (and helps the
    customer find the cause)."""
    now = now or timezone.now()
    may(actor, "explain")
    result = inputs.text(appraisal_result, field="appraisal_result", label="鉴定结果")
    basis = inputs.text(appraisal_basis, field="appraisal_basis", label="鉴定依据")
    advice = (advice or "").strip()[:1000]
    text = Said("经鉴定：%(result)s。依据：%(basis)s。", result=result, basis=basis) + (
        Said("建议：%(advice)s", advice=advice) if advice else ""
    )
    with transaction.atomic():
        c = lock(complaint)
        workflow.require_visible(c, actor)
        if c.severity != ComplaintFinding.NOT_OUR_FAULT and c.state in COMPLAINT["explain"].sources:
            raise ValidationFailed(
                "调查结论不是“非我方责任”，不能按鉴定结果答复结案", field="severity"
            )
        fields = _close_fields(actor, now, text)
        fields.update(appraisal_result=result, appraisal_basis=basis)
        move(c, "explain", actor=actor, now=now, reason=text, fields=fields)
        _finish(c, now, Said("关于您的投诉 %(number)s：%(v3)s", number=c.number, v3=text[:400]))
    return c


def cancel(
    *, actor: Any, complaint: Complaint | int, reason: str, now: dt.datetime | None = None
) -> Complaint:
    now = now or timezone.now()
    may(actor, "cancel")
    reason = inputs.text(reason, field="reason", label="撤销原因", max_length=200)
    with transaction.atomic():
        c = lock(complaint)
        move(c, "cancel", actor=actor, now=now, reason=reason, fields={"cancel_reason": reason})
        deadlines.cancel(c, step=REPLY_STEP, at=now)
    return c
