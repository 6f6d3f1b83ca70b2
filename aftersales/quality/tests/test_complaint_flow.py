"""SPEC §6.1 with a controlled clock: registration (TS number, product details, the 24 h
first deadline as data), the reply, the investigation, minor → fed back, serious → handling
form approved by the departments, not our fault → explained with the appraisal; a complaint
about a person → one accountability fact; bad input → Chinese error, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.approvals.models import Deadline
from aftersales.approvals.services import deadlines, engine
from aftersales.approvals.testing import day
from aftersales.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.notifications.models import Notification
from aftersales.quality.models import Complaint
from aftersales.quality.services import complaints
from aftersales.quality.tests.helpers import (
    approve_all,
    handling_form,
    investigate,
    pending,
    register,
)
from aftersales.service.tests import web_world
from aftersales.staff.models import AssessmentFact

pytestmark = pytest.mark.django_db


def reply_deadline(c: Complaint) -> Deadline:
    return next(d for d in deadlines.of(c) if d.step == "reply")


def test_registration_numbers_the_complaint_and_starts_the_24h_decision(w) -> None:  # type: ignore[no-untyped-def]
    c = register(
        w,
        equipment_id=w.equipment_a.id,
        order_no="SO-2026-118",
        part_code="psu-5v",
        ship_date="2026-10-20",
        quantity=10,
        defective_quantity=3,
    )
    assert c.number == "TS20261123-0001" and c.state == "registered"
    assert (c.customer, c.dealer, c.equipment, c.part) == (
        w.cust_a,
        w.dealer_a,
        w.equipment_a,
        w.part,
    )
    assert (c.quantity, c.defective_quantity, c.complainant) == (10, 3, "consumer")
    d = reply_deadline(c)
    assert d.rule == "quality.consumer_decision" and d.due_at == day(1)
    assert (
        AuditEvent.objects.filter(
            verb="create", object_id=str(c.pk), content_type__model="complaint"
        ).count()
        == 1
    )
    assert Notification.objects.filter(key__startswith=f"complaint:{c.pk}:new").exists()


def test_a_dealer_complaint_unreplied_at_24h_is_overdue_and_escalated_once(w) -> None:  # type: ignore[no-untyped-def]
    c = register(w, actor=w.dealer_user_a, customer_id=w.cust_a.id, channel="phone")
    assert (c.channel, c.complainant, c.dealer) == ("dealer", "dealer", w.dealer_a)
    d = reply_deadline(c)
    assert d.rule == "quality.dealer_reply" and d.due_at == day(1)
    deadlines.process_due(day(1) - dt.timedelta(minutes=1))  # the reminder only
    d.refresh_from_db()
    assert d.reminded_at is not None and d.escalated_at is None
    assert not d.is_overdue(day(1) - dt.timedelta(minutes=1))
    deadlines.process_due(day(1) + dt.timedelta(minutes=1))
    deadlines.process_due(day(1) + dt.timedelta(hours=3))
    d.refresh_from_db()
    assert d.is_overdue(day(1, 10)) and d.escalated_at == day(1) + dt.timedelta(minutes=1)
    assert (
        AuditEvent.objects.filter(
            verb="deadline_overdue", object_id=str(d.pk), content_type__model="deadline"
        ).count()
        == 1
    )
    escalations = Notification.objects.filter(key=f"deadline:{d.pk}:escalate")
    assert escalations.exists()
    assert len({n.recipient_id for n in escalations}) == escalations.count()
    assert {w.coordinator.pk, w.qd.pk} <= {n.recipient_id for n in escalations}


def test_the_written_reply_in_time_completes_the_deadline(w) -> None:  # type: ignore[no-untyped-def]
    c = register(w, actor=w.dealer_user_a, customer_id=w.cust_a.id)
    complaints.reply(
        actor=w.agent,
        complaint=c,
        text="已收到贵司投诉，已安排技术部分析。",
        replied_at=day(0, 15),
        now=day(0, 16),
    )
    d = reply_deadline(c)
    assert d.done_at == day(0, 15) and not d.is_overdue(day(3))
    assert deadlines.process_due(day(2)) == 0
    # the dealer's users got the reply through the outbox
    assert Notification.objects.filter(
        key=f"complaint:{c.pk}:progress:reply", recipient=w.dealer_user_a
    ).exists()
    with pytest.raises(Conflict):
        complaints.reply(actor=w.agent, complaint=c, text="再次答复", now=day(0, 17))


def test_a_reply_dated_before_the_registration_is_refused_and_writes_nothing(w) -> None:  # type: ignore[no-untyped-def]
    c = register(w)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match="答复时间不能早于投诉登记时间"):
        complaints.reply(
            actor=w.agent, complaint=c, text="答复", replied_at=day(-1), now=day(0, 10)
        )
    c.refresh_from_db()
    assert c.replied_at is None and reply_deadline(c).done_at is None
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"category": ""}, "请选择投诉类别"),
        ({"quantity": 5, "defective_quantity": 6}, "不良数量（6）不能大于数量（5）"),
        ({"part_code": "NO-SUCH"}, "配件编码「NO-SUCH」不存在"),
        ({"description": "  "}, "请填写投诉内容"),
        ({"ship_date": "2026-12-31"}, "发货日期不能晚于登记日期"),
        ({"equipment_id": -1}, "不存在"),
        ({"person_issue": "rudeness"}, "须指明被投诉人员"),
    ],
)
def test_bad_registrations_are_refused_in_chinese_and_write_nothing(w, kw, message) -> None:  # type: ignore[no-untyped-def]
    if kw.get("equipment_id") == -1:
        kw = {"equipment_id": w.equipment_b.id}  # customer B's equipment for customer A
        message = "所选设备不属于该客户"
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match=message):
        register(w, **kw)
    assert Complaint.objects.count() == 0 and Deadline.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_complaint_about_a_person_records_exactly_one_accountability_fact(w) -> None:  # type: ignore[no-untyped-def]
    c = register(
        w,
        category="service_attitude",
        person_issue="asking_money",
        staff_member_id=w.engineer.id,
        description="工程师上门索要红包",
    )
    facts = AssessmentFact.objects.filter(person=w.engineer, kind="person_complaint")
    assert facts.count() == 1
    fact = facts.get()
    assert fact.source_id == str(c.pk) and fact.source_type.model == "complaint"
    assert fact.outcome == "open" and fact.details["issue"] == "asking_money"
    with pytest.raises(ValidationFailed, match="认定该人员是否负有责任"):
        investigate(w, c, "minor", cause="核实属实")
    investigate(w, c, "minor", cause="核实属实", person_accountable=True)
    investigate(w, c, "minor", cause="复核属实", person_accountable=True, now=day(0.6))
    assert facts.count() == 1
    fact.refresh_from_db()
    assert fact.outcome == "counted"
    assert AuditEvent.objects.filter(verb="fact_outcome", object_id=str(fact.pk)).count() == 1
    # an unrelated complaint of the same class records no fact for him
    register(w, category="service_attitude", description="等待时间过长")
    assert AssessmentFact.objects.filter(person=w.engineer).count() == 1


def test_a_minor_complaint_is_fed_back_and_closed(w) -> None:  # type: ignore[no-untyped-def]
    c = register(w)
    with pytest.raises(PermissionDenied):
        complaints.investigate(
            actor=w.customer_user_a,
            complaint=c,
            data=complaints.InvestigationInput(
                cause="x", severity="minor", responsible_department_id=w.tech.id
            ),
            now=day(0.5),
        )
    investigate(w, c, "minor")
    c = complaints.feed_back(
        actor=w.agent, complaint=c, feedback="已上门更换模组，客户满意", now=day(0.7)
    )
    assert c.state == "closed" and c.closed_at == day(0.7)
    assert reply_deadline(c).done_at == day(0.7)
    verbs = list(
        AuditEvent.objects.filter(object_id=str(c.pk), content_type__model="complaint")
        .order_by("at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["create", "investigate", "feed_back"]
    assert Notification.objects.filter(key=f"complaint:{c.pk}:progress:closed").exists()


def test_a_serious_complaint_cannot_close_without_the_departments_approval(w) -> None:  # type: ignore[no-untyped-def]
    c = investigate(w, register(w), "serious")
    with pytest.raises(ValidationFailed, match="须经处理单部门审批"):
        complaints.feed_back(actor=w.agent, complaint=c, feedback="已处理", now=day(1))
    with pytest.raises(InvalidTransition):
        complaints.close(actor=w.agent, complaint=c, feedback="已处理", now=day(1))
    handling_form(w, c)
    c.refresh_from_db()
    assert c.state == "in_approval"
    with pytest.raises(InvalidTransition):
        complaints.close(actor=w.agent, complaint=c, feedback="已处理", now=day(1))
    # one department approving is not enough
    engine.decide(actor=w.sales_rep, task=pending(c, w.sales), decision="approve", now=day(1))
    c.refresh_from_db()
    assert c.state == "in_approval"
    with pytest.raises(InvalidTransition):
        complaints.close(actor=w.agent, complaint=c, feedback="已处理", now=day(1))
    engine.decide(actor=w.tech_rep, task=pending(c, w.tech), decision="approve", now=day(1))
    engine.decide(actor=w.qd, task=pending(c), decision="approve", now=day(1))
    c.refresh_from_db()
    assert c.state == "approved"
    c = complaints.close(actor=w.agent, complaint=c, feedback="已免费更换电源", now=day(2))
    assert c.state == "closed"


def test_a_rejected_handling_form_goes_back_for_changes(w) -> None:  # type: ignore[no-untyped-def]
    c = handling_form(w, investigate(w, register(w), "serious"))
    engine.decide(
        actor=w.sales_rep,
        task=pending(c, w.sales),
        decision="reject",
        comment="方案成本过高",
        now=day(1),
    )
    c.refresh_from_db()
    assert c.state == "returned"
    c = approve_all(w, handling_form(w, c, now=day(2)), now=day(2))
    assert c.state == "approved"


def test_not_our_fault_is_explained_with_the_appraisal(w) -> None:  # type: ignore[no-untyped-def]
    c = investigate(w, register(w), "not_our_fault", responsible_department_id=None)
    with pytest.raises(ValidationFailed, match="依鉴定结果答复"):
        complaints.feed_back(actor=w.agent, complaint=c, feedback="已处理", now=day(1))
    with pytest.raises(ValidationFailed, match="请填写鉴定依据"):
        complaints.explain(
            actor=w.agent, complaint=c, appraisal_result="进水", appraisal_basis="", now=day(1)
        )
    c = complaints.explain(
        actor=w.agent,
        complaint=c,
        appraisal_result="模组进水短路，非产品质量问题",
        appraisal_basis="技术部鉴定报告 JD-2026-031",
        advice="建议加装防雨罩",
        now=day(1),
    )
    assert c.state == "closed" and "JD-2026-031" in c.feedback
    note = Notification.objects.filter(key=f"complaint:{c.pk}:progress:closed").first()
    assert note is not None and "模组进水短路" in note.body and "JD-2026-031" in note.body


def test_a_complaint_raised_from_a_ticket_takes_its_customer_and_equipment(db) -> None:  # type: ignore[no-untyped-def]
    ww = web_world.build()
    tk = web_world.ticket(ww, description="屏幕黑屏")
    c = complaints.register(
        actor=ww["agent"],
        data=complaints.ComplaintInput(
            category="quality_defect", description="同一故障第三次报修", ticket_id=tk.id
        ),
    )
    assert (c.ticket, c.customer, c.equipment, c.channel) == (
        tk,
        tk.customer,
        tk.equipment,
        "ticket",
    )
    assert c.contact_name == tk.customer.name[:50]


def test_cancel_only_while_registered(w) -> None:  # type: ignore[no-untyped-def]
    c = register(w)
    c = complaints.cancel(actor=w.agent, complaint=c, reason="重复登记", now=day(0.1))
    assert c.state == "cancelled" and reply_deadline(c).cancelled_at == day(0.1)
    with pytest.raises(InvalidTransition):
        complaints.cancel(actor=w.agent, complaint=c, reason="再次", now=day(0.2))
