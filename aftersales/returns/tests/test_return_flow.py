"""SPEC §5: application with the product line's rule → sign-off and approval → attempt to
resolve → receipt → 48 h inspection → decision → record within 3 days → confirmation within
2 days (silence = deemed acceptance) → repair/exchange within 15 days → credit note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales import testing as t
from aftersales.approvals.models import Deadline
from aftersales.approvals.services import engine
from aftersales.approvals.testing import day
from aftersales.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.notifications.models import Notification
from aftersales.parts.tests.helpers import pending_task
from aftersales.returns.models import ReturnLine, ReturnRequest
from aftersales.returns.services import applications, credit, handling
from aftersales.returns.tests.helpers import apply, approve, receipt, to_record_sent

pytestmark = pytest.mark.django_db


def test_application_gets_a_th_number(w) -> None:  # type: ignore[no-untyped-def]
    ret = apply(w)
    assert ret.number == "TH20261123-0001" and ret.state == "applied"
    assert ret.dealer_id == w.dealer_a.id and ret.lines.count() == 1


def apparel(w, **kw):  # type: ignore[no-untyped-def]
    cat = t.category("apparel", "服装")
    return apply(
        w,
        actor=w.customer_user_a,
        category_id=cat.id,
        lines=[applications.LineInput(description="羊毛衫 L码", quantity=1)],
        **kw,
    )


def test_apparel_rules_are_checked_at_application(w) -> None:  # type: ignore[no-untyped-def]
    ok = apparel(w, sale_date="2026-11-18", has_receipt=True)
    assert ok.rule_check["returnable"] is True
    with pytest.raises(ValidationFailed, match="超过退换期限") as err:
        apparel(w, sale_date="2026-11-15", has_receipt=True)  # 8 days
    assert err.value.code == "not_returnable"
    with pytest.raises(ValidationFailed, match="无销售票据"):
        apparel(w, sale_date="2026-11-20", has_receipt=False)
    with pytest.raises(ValidationFailed, match="处理品"):
        apparel(w, sale_date="2026-11-20", has_receipt=True, conditions=["clearance"])
    with pytest.raises(ValidationFailed, match="水洗"):
        apparel(w, sale_date="2026-11-20", has_receipt=True, conditions=["cut_washed"])
    with pytest.raises(ValidationFailed, match="免费修理不退换") as repair:
        apparel(w, sale_date="2026-11-20", has_receipt=True, conditions=["seam_open"])
    assert repair.value.code == "repair_instead"
    assert ReturnRequest.objects.count() == 1


def test_refused_unless_quality_director_or_centre_director_approves(w) -> None:  # type: ignore[no-untyped-def]
    ret = apply(w)
    applications.submit(
        actor=w.coordinator, ret=ret, department_ids=[w.sales.id, w.tech.id], now=day(0)
    )
    engine.decide(
        actor=w.sales_rep, task=pending_task_of(ret, w.sales), decision="approve", now=day(0)
    )
    engine.decide(
        actor=w.tech_rep, task=pending_task_of(ret, w.tech), decision="approve", now=day(0)
    )
    final = pending_task(ret)
    for outsider in (w.coordinator, w.manager, w.sales_rep):
        with pytest.raises(PermissionDenied):
            engine.decide(actor=outsider, task=final, decision="approve", now=day(0))
    engine.decide(
        actor=w.qd, task=final, decision="reject", comment="已过质保，不予退货", now=day(1)
    )
    ret.refresh_from_db()
    assert ret.state == "refused"
    assert Notification.objects.filter(
        recipient=w.customer_user_a, key__contains="approval:refuse"
    ).exists()


def pending_task_of(ret, department):  # type: ignore[no-untyped-def]
    from aftersales.approvals.models import ApprovalTask

    return ApprovalTask.objects.get(
        request__object_id=ret.pk, department=department, state="pending"
    )


def test_return_cannot_be_received_before_approval(w) -> None:  # type: ignore[no-untyped-def]
    ret = apply(w)
    with pytest.raises(InvalidTransition):
        handling.receive(actor=w.warehouse, ret=ret, data=receipt(ret), now=day(1))
    applications.submit(actor=w.coordinator, ret=ret, department_ids=[w.sales.id], now=day(0))
    with pytest.raises(InvalidTransition):
        handling.receive(actor=w.warehouse, ret=ret, data=receipt(ret), now=day(1))
    ret = approve_pending(w, ret)
    # approved, but the attempt to resolve by parts or discount comes first
    with pytest.raises(InvalidTransition):
        handling.receive(actor=w.warehouse, ret=ret, data=receipt(ret), now=day(1))
    applications.attempt(
        actor=w.coordinator,
        ret=ret,
        method="discount",
        accepted=False,
        note="经销商折价客户不接受",
        now=day(1),
    )
    ret = handling.receive(actor=w.warehouse, ret=ret, data=receipt(ret), now=day(1))
    assert ret.state == "received" and ret.deliverer_signed


def approve_pending(w, ret):  # type: ignore[no-untyped-def]
    engine.decide(actor=w.sales_rep, task=pending_task(ret), decision="approve", now=day(0))
    engine.decide(actor=w.qd, task=pending_task(ret), decision="approve", now=day(0))
    ret.refresh_from_db()
    return ret


def test_attempt_by_parts_accepted_ends_the_return(w) -> None:  # type: ignore[no-untyped-def]
    ret = approve(w, apply(w))
    ret = applications.attempt(
        actor=w.coordinator,
        ret=ret,
        method="parts",
        accepted=True,
        note="同意补发电源代替退货",
        now=day(1),
    )
    assert ret.state == "resolved_otherwise" and ret.resolution_method == "parts"


def test_receipt_counts_against_the_application_and_notes_packaging(w) -> None:  # type: ignore[no-untyped-def]
    ret = approve(w, apply(w))
    applications.attempt(
        actor=w.coordinator, ret=ret, method="none", accepted=False, note="无替代方案", now=day(1)
    )
    line = ret.lines.get()
    with pytest.raises(ValidationFailed, match="注明"):
        handling.receive(actor=w.warehouse, ret=ret, data=receipt(ret, packaging="wet"), now=day(1))
    with pytest.raises(ValidationFailed, match="签名"):
        handling.receive(
            actor=w.warehouse, ret=ret, data=receipt(ret, deliverer_signed=False), now=day(1)
        )
    with pytest.raises(ValidationFailed, match="正整数"):
        handling.receive(
            actor=w.warehouse, ret=ret, data=receipt(ret, counts={line.pk: -1}), now=day(1)
        )
    with pytest.raises(PermissionDenied):
        handling.receive(actor=w.finance, ret=ret, data=receipt(ret), now=day(1))
    ret = handling.receive(
        actor=w.warehouse,
        ret=ret,
        data=receipt(
            ret, counts={line.pk: 2}, packaging="damaged_wet", packaging_note="外箱压破且淋湿"
        ),
        now=day(1),
    )
    assert ret.packaging == "damaged_wet"
    assert "外箱压破且淋湿" in ret.packaging_note and "申请3、实收2" in ret.packaging_note
    assert ReturnLine.objects.get(pk=line.pk).received_quantity == 2
    inspection = Deadline.objects.get(object_id=ret.pk, step="inspection")
    assert inspection.due_at == day(3)  # 48 h after arrival
    final = Deadline.objects.get(object_id=ret.pk, step="final_handling")
    assert final.due_at == day(16)


def test_inspection_decision_record_and_confirmation_deadlines(w) -> None:  # type: ignore[no-untyped-def]
    ret = approve(w, apply(w))
    applications.attempt(
        actor=w.coordinator, ret=ret, method="none", accepted=False, note="无替代方案", now=day(1)
    )
    handling.receive(actor=w.warehouse, ret=ret, data=receipt(ret), now=day(1))
    handling.inspect(
        actor=w.coordinator, ret=ret, result="电源批次缺陷", defect_confirmed=True, now=day(3, 10)
    )
    inspection = Deadline.objects.get(object_id=ret.pk, step="inspection")
    assert inspection.is_overdue()  # 49 hours: late, and shown so
    with pytest.raises(PermissionDenied):
        handling.decide(actor=w.qcd, ret=ret, outcome="exchange", now=day(4))
    handling.decide(actor=w.qd, ret=ret, outcome="exchange", note="换货", now=day(4))
    record = Deadline.objects.get(object_id=ret.pk, step="record")
    assert record.due_at == day(7)
    ret = handling.send_record(actor=w.coordinator, ret=ret, now=day(5))
    record.refresh_from_db()
    assert record.done_at == day(5) and not record.is_overdue()
    confirmation = Deadline.objects.get(object_id=ret.pk, step="confirmation")
    assert confirmation.due_at == day(7)
    # the customer disputes: back to the director, who decides again
    with pytest.raises(ValidationFailed, match="意见"):
        handling.respond(actor=w.customer_user_a, ret=ret, agree=False, now=day(6))
    handling.respond(actor=w.customer_user_a, ret=ret, agree=False, comment="要求退款", now=day(6))
    handling.decide(actor=w.qd, ret=ret, outcome="credit", note="同意冲账", now=day(6))
    handling.send_record(actor=w.coordinator, ret=ret, now=day(6))
    ret = handling.respond(actor=w.customer_user_a, ret=ret, agree=True, now=day(7))
    assert ret.state == "accepted" and ret.customer_response == "confirmed"


def test_silence_for_two_days_is_deemed_acceptance_exactly_once(w) -> None:  # type: ignore[no-untyped-def]
    ret = to_record_sent(w, sent=day(3))
    assert handling.deem_silence(day(5) - dt.timedelta(minutes=1)) == 0
    assert handling.deem_silence(day(5)) == 1
    assert handling.deem_silence(day(6)) == 0
    ret.refresh_from_db()
    assert ret.state == "accepted" and ret.customer_response == "deemed"
    events = AuditEvent.objects.filter(object_id=str(ret.pk), verb="deem")
    assert events.count() == 1 and events.get().actor is None
    with pytest.raises(InvalidTransition):
        handling.respond(actor=w.customer_user_a, ret=ret, agree=True, now=day(6))


def test_repair_or_exchange_closed_within_15_days(w) -> None:  # type: ignore[no-untyped-def]
    ret = to_record_sent(w, outcome="repair")
    # received on day 1: the final handling is due 15 calendar days later
    final = Deadline.objects.get(object_id=ret.pk, step="final_handling")
    assert final.due_at == day(16) and final.done_at is None
    handling.respond(actor=w.agent, ret=ret, agree=True, now=day(4))
    ret = handling.handle(actor=w.coordinator, ret=ret, note="返修完成已发回", now=day(12))
    assert ret.state == "closed"
    final.refresh_from_db()
    assert final.due_at == day(16) and final.done_at == day(12) and not final.is_overdue()


def test_credit_note_is_approved_by_the_manager_then_booked_by_finance(w) -> None:  # type: ignore[no-untyped-def]
    ret = to_record_sent(w, outcome="credit")
    with pytest.raises(InvalidTransition):
        credit.create(actor=w.coordinator, ret=ret, amount="450.00", reason="退货冲账", now=day(4))
    handling.respond(actor=w.customer_user_a, ret=ret, agree=True, now=day(4))
    with pytest.raises(ValidationFailed, match="含逗号"):
        credit.create(
            actor=w.coordinator, ret=ret, amount="1,450.00", reason="退货冲账", now=day(4)
        )
    note = credit.create(
        actor=w.coordinator, ret=ret, amount="1450.00", reason="退货冲账", now=day(4)
    )
    assert note.number.startswith("CZ") and note.amount == Decimal("1450.00")
    with pytest.raises(InvalidTransition, match="须经主管领导批准"):
        credit.book(actor=w.finance, note=note, voucher_no="PZ-1", now=day(4))
    credit.submit(actor=w.coordinator, note=note, now=day(4))
    with pytest.raises(InvalidTransition, match="须经主管领导批准"):
        credit.book(actor=w.finance, note=note, voucher_no="PZ-1", now=day(4))
    with pytest.raises(PermissionDenied):
        engine.decide(actor=w.qd, task=pending_task(note), decision="approve", now=day(4))
    engine.decide(actor=w.manager, task=pending_task(note), decision="approve", now=day(5))
    with pytest.raises(PermissionDenied):
        credit.book(actor=w.coordinator, note=note, voucher_no="PZ-1", now=day(5))
    note = credit.book(actor=w.finance, note=note, voucher_no="PZ-1", now=day(5))
    ret.refresh_from_db()
    assert note.state == "booked" and note.booked_by == w.finance
    assert ret.state == "closed" and ret.closed_at == day(5)


def test_dealer_stock_return_freight_responsibility(w) -> None:  # type: ignore[no-untyped-def]
    quality = apply(w, actor=w.dealer_user_a, kind="dealer_stock", stock_cause="quality_defect")
    assert quality.freight_payer == "company"
    with pytest.raises(ValidationFailed, match="修复人工费"):
        apply(w, actor=w.dealer_user_a, kind="dealer_stock", stock_cause="dealer_damage")
    damage = apply(
        w,
        actor=w.dealer_user_a,
        kind="dealer_stock",
        stock_cause="dealer_damage",
        restoration_labour="200",
    )
    assert damage.freight_payer == "dealer" and damage.restoration_labour == Decimal("200.00")
    unsold = apply(w, actor=w.dealer_user_a, kind="dealer_stock", stock_cause="unsold")
    assert unsold.freight_payer == "dealer"
    with pytest.raises(ValidationFailed, match="经销商"):
        apply(w, kind="dealer_stock", stock_cause="unsold", customer_id=w.direct.id)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": [applications.LineInput(part_code="PSU-5V", quantity=-3)]}, "正整数"),
        (
            {"lines": [applications.LineInput(part_code="XX-404", quantity=1)]},
            "配件编码「XX-404」不存在",
        ),
        ({"reason": ""}, "请填写退货原因"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(w, change, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match=message):
        apply(w, **change)
    assert ReturnRequest.objects.count() == 0 and ReturnLine.objects.count() == 0
