"""Old parts (SPEC §6.4): from a filed warranty report's "keep old part" line to the store,
the appraisal, the stock receipt of a reusable one, the supplier claim; overdue on the
deadline engine; the settlement check the dealers' claims call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.accounts.models import Department
from aftersales.approvals.models import Deadline
from aftersales.approvals.services import deadlines
from aftersales.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from aftersales.notifications.models import Notification
from aftersales.quality import selectors
from aftersales.quality.models import OldPart, OldPartState, OldPartTerm
from aftersales.quality.services import old_parts
from aftersales.service.models import WarrantyRecord
from aftersales.service.services import dispatch, reports
from aftersales.service.tests import web_world
from aftersales.stock.models import Bin, LotSource, StockLevel, Warehouse, WarehouseKind


@pytest.fixture
def w(db: Any) -> dict[str, Any]:
    return old_part_world()


def old_part_world() -> dict[str, Any]:
    w = web_world.build()
    w["keeper"] = t.user("warehouse", username="keeper1", display_name="仓管小吴")
    w["qd"] = t.user("quality_director", username="qd1", display_name="品质办主任")
    tech_dept = Department.objects.get_or_create(code="TECH", defaults={"name": "工艺技术部"})[0]
    w["engineer"] = t.user("agent", username="rd1", display_name="技术部小冯", department=tech_dept)
    w["store"] = Warehouse.objects.create(code="MAIN", name="售后总库", kind=WarehouseKind.MAIN)
    w["bin"] = Bin.objects.create(warehouse=w["store"], zone="J", shelf="01", level="1")
    return w


def repaired(w: dict[str, Any], equipment: str = "e1") -> Any:
    """A warranty repair of ``equipment`` whose report (MOD-P3 ×1, keep old part) is filed."""
    tk = web_world.ticket(w, equipment=equipment)
    wo = web_world.on_site(w, tk)
    report = web_world.filed_report(w, wo)
    dispatch.check_out(actor=w["tech"], work_order=wo)  # the visit is done
    return report


def the_old_part(report: Any) -> OldPart:
    return OldPart.objects.get(report=report)


def test_a_filed_warranty_report_makes_one_old_part_per_kept_line(w: dict[str, Any]) -> None:
    report = repaired(w)
    op = the_old_part(report)
    today = timezone.localdate()
    assert op.number.startswith("JJ")
    assert (op.state, op.part.code, op.quantity) == (OldPartState.PENDING, "MOD-P3", 1)
    assert op.ticket_id == report.ticket_id and op.equipment_id == w["e1"].pk
    assert op.technician_id == w["tech"].pk and op.dealer_id == w["d1"].pk
    assert op.due_date == today + dt.timedelta(days=15)  # the rule's default
    dl = Deadline.objects.get(object_id=op.pk, step="return", rule="quality.old_part_return")
    assert dl.done_at is None
    # filing again (a retried job, a second call) makes none more
    assert old_parts.report_filed(actor=None, report=report, now=timezone.now()) == []
    assert OldPart.objects.count() == 1


def test_no_old_part_out_of_warranty_or_when_not_kept(w: dict[str, Any]) -> None:
    tk = web_world.ticket(w)
    wo = web_world.on_site(w, tk)
    reports.save(
        actor=w["tech"],
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="黑屏",
            cause="电源损坏",
            cause_class="manufacturing",
            responsibility="product",
            actions="更换电源",
            customer_opinion="满意",
            parts=[("PWR-200", 1, False), ("MOD-P3", 2, True)],
        ),
    )
    report = reports.request_link_confirmation(actor=w["tech"], work_order=wo)
    reports.confirm_by_link(token=report.confirm_token, name="王经理")
    report = reports.submit(actor=w["tech"], work_order=wo)
    dispatch.check_out(actor=w["tech"], work_order=wo)
    assert [(o.part.code, o.quantity) for o in OldPart.objects.all()] == [("MOD-P3", 2)]
    # a repair that is not under warranty keeps no old part for the company
    other = repaired(w, "e2")
    OldPart.objects.filter(report=other).update(report_part=None, report=None, ticket=None)
    WarrantyRecord.objects.filter(ticket=other.ticket).update(
        in_warranty=False, free_replacement=False
    )
    assert old_parts.report_filed(actor=None, report=other, now=timezone.now()) == []


def test_a_dealer_with_its_own_term_gets_its_due_date(w: dict[str, Any]) -> None:
    OldPartTerm.objects.create(dealer=w["d1"], days=30, note="每月集中返回")
    op = the_old_part(repaired(w))
    assert op.due_date == timezone.localdate() + dt.timedelta(days=30)
    op2 = the_old_part(repaired(w, "e2"))  # dealer d2: the rule's 15 days
    assert op2.due_date == timezone.localdate() + dt.timedelta(days=15)


def test_not_returned_by_its_due_date_is_overdue_and_escalated_once(w: dict[str, Any]) -> None:
    op = the_old_part(repaired(w))
    kept = the_old_part(repaired(w, "e2"))
    end_of_due = timezone.make_aware(dt.datetime.combine(op.due_date, dt.time(23, 59)))
    on_the_day = end_of_due - dt.timedelta(hours=1)
    old_parts.receive(
        actor=w["keeper"], old_part=kept, warehouse_id=w["store"].pk, bin_id=w["bin"].pk
    )
    f = selectors.OldPartFilters(overdue=True)
    assert list(selectors.old_part_list(w["coordinator"], f, now=on_the_day)) == []
    after = end_of_due + dt.timedelta(minutes=2)
    assert list(selectors.old_part_list(w["coordinator"], f, now=after)) == [op]
    deadlines.process_due(now=after)
    deadlines.process_due(now=after + dt.timedelta(hours=5))
    dl = Deadline.objects.get(object_id=op.pk, step="return")
    assert dl.escalated_at == after
    escalations = Notification.objects.filter(key=f"deadline:{dl.pk}:escalate")
    assert escalations.filter(recipient=w["coordinator"]).count() == 1


def test_back_to_stock_when_appraised_reusable(w: dict[str, Any]) -> None:
    op = the_old_part(repaired(w))
    old_parts.ship(actor=w["tech"], old_part=op, waybill="SF1234567890")
    with pytest.raises(ValidationFailed, match="库位"):
        old_parts.receive(actor=w["keeper"], old_part=op, warehouse_id=w["store"].pk)
    op = old_parts.receive(
        actor=w["keeper"], old_part=op, warehouse_id=w["store"].pk, bin_id=w["bin"].pk
    )
    assert (op.state, op.bin_id, op.received_by_id) == ("received", w["bin"].pk, w["keeper"].pk)
    assert Deadline.objects.get(object_id=op.pk, step="return").done_at is not None
    assert not StockLevel.objects.exists()  # received is not yet stock: appraisal first
    with pytest.raises(PermissionDenied, match="技术部门"):
        old_parts.appraise(
            actor=w["tech"],
            old_part=op,
            data=old_parts.AppraisalInput(disposition="reusable", appraisal="测试正常"),
        )
    op = old_parts.appraise(
        actor=w["engineer"],  # a member of the technical department
        old_part=op,
        data=old_parts.AppraisalInput(
            disposition="reusable", appraisal="模组检测正常，可再用", unit_cost="60.00"
        ),
    )
    assert op.state == OldPartState.RESTOCKED and op.movement is not None
    level = StockLevel.objects.get()
    assert (level.warehouse_id, level.bin_id, level.quantity) == (w["store"].pk, w["bin"].pk, 1)
    assert (level.lot.source, level.lot.unit_cost) == (LotSource.REUSABLE, Decimal("60.00"))
    assert op.movement.reference == op.number
    with pytest.raises(InvalidTransition):
        old_parts.appraise(
            actor=w["qd"],
            old_part=op,
            data=old_parts.AppraisalInput(disposition="scrap", appraisal="再次鉴定"),
        )
    assert StockLevel.objects.get().quantity == 1


def test_supplier_claim_tells_the_supplier_and_is_followed_up(w: dict[str, Any]) -> None:
    op = the_old_part(repaired(w))
    old_parts.receive(
        actor=w["keeper"], old_part=op, warehouse_id=w["store"].pk, bin_id=w["bin"].pk
    )
    with pytest.raises(ValidationFailed, match="供应商"):
        old_parts.appraise(
            actor=w["qd"],
            old_part=op,
            data=old_parts.AppraisalInput(disposition="supplier_claim", appraisal="驱动IC失效"),
        )
    op = old_parts.appraise(
        actor=w["qd"],
        old_part=op,
        data=old_parts.AppraisalInput(
            disposition="supplier_claim",
            appraisal="驱动IC批次失效",
            supplier="深圳某某光电",
            supplier_email="qa@supplier.example.com",
        ),
    )
    assert op.state == OldPartState.SUPPLIER_CLAIM
    mail = Notification.objects.get(key=f"old_part:{op.pk}:supplier")
    assert (mail.channel, mail.address) == ("email", "qa@supplier.example.com")
    assert Notification.objects.filter(key=f"old_part:{op.pk}:claim", recipient=w["qd"]).exists()
    claim = Deadline.objects.get(object_id=op.pk, step="supplier_claim")
    assert claim.done_at is None
    assert not StockLevel.objects.exists()
    op = old_parts.close_claim(actor=w["qd"], old_part=op, result="供应商补发模组2块")
    assert op.state == OldPartState.CLAIM_CLOSED
    claim.refresh_from_db()
    assert claim.done_at is not None


def test_scrap(w: dict[str, Any]) -> None:
    op = the_old_part(repaired(w))
    old_parts.receive(
        actor=w["keeper"], old_part=op, warehouse_id=w["store"].pk, bin_id=w["bin"].pk
    )
    op = old_parts.appraise(
        actor=w["coordinator"],
        old_part=op,
        data=old_parts.AppraisalInput(disposition="scrap", appraisal="烧毁，无修复价值"),
    )
    assert (op.state, op.disposition) == ("scrapped", "scrap")
    assert not StockLevel.objects.exists()


def test_settlement_is_refused_without_the_old_part_and_changes_nothing(
    w: dict[str, Any],
) -> None:
    report = repaired(w)
    op = the_old_part(report)
    tk = report.ticket
    before = (OldPart.objects.get(pk=op.pk).state, Deadline.objects.count())
    with pytest.raises(Conflict) as exc:
        old_parts.settlement_check(tk)
    assert exc.value.code == "old_part_missing"
    assert "旧件及维修记录未返回，不能结算" in str(exc.value)
    assert op.number in str(exc.value)
    assert (OldPart.objects.get(pk=op.pk).state, Deadline.objects.count()) == before
    assert selectors.old_part_received(tk) is False
    old_parts.ship(actor=w["dealer1"], old_part=op, waybill="YT998")
    assert selectors.old_part_received(tk) is False  # on its way is not back
    old_parts.receive(
        actor=w["keeper"], old_part=op, warehouse_id=w["store"].pk, bin_id=w["bin"].pk
    )
    assert selectors.old_part_received(tk) is True
    old_parts.settlement_check(tk)  # no error
    assert list(selectors.old_parts_for(ticket=tk)) == [op]


def test_settlement_needs_the_repair_record_and_accepts_a_waived_part(w: dict[str, Any]) -> None:
    tk = web_world.ticket(w)
    with pytest.raises(Conflict, match="维修记录"):
        old_parts.settlement_check(tk)
    op = the_old_part(repaired(w, "e2"))
    with pytest.raises(PermissionDenied):
        old_parts.waive(actor=w["coordinator"], old_part=op, reason="现场烧毁")
    old_parts.waive(actor=w["qd"], old_part=op, reason="现场烧毁，无法返回")
    assert Deadline.objects.get(object_id=op.pk, step="return").cancelled_at is not None
    assert selectors.old_part_received(op.ticket) is True


def test_dealers_see_their_own_old_parts_and_customers_none(w: dict[str, Any]) -> None:
    mine = the_old_part(repaired(w))  # d1's customer
    theirs = the_old_part(repaired(w, "e2"))  # d2's customer
    assert list(selectors.old_part_list(w["dealer1"])) == [mine]
    with pytest.raises(NotFound):
        selectors.old_part_detail(w["dealer1"], theirs.pk)
    with pytest.raises(NotFound):  # another dealer cannot ship it either
        old_parts.ship(actor=w["dealer1"], old_part=theirs)
    assert list(selectors.old_part_list(w["cust1"])) == []
    assert set(selectors.old_part_list(w["coordinator"])) == {mine, theirs}


def test_register_by_hand_refuses_bad_input_and_writes_nothing(w: dict[str, Any]) -> None:
    def reg(**kw: Any) -> OldPart:
        values: dict[str, Any] = {"part_code": "MOD-P3", "quantity": 1}
        values.update(kw)
        return old_parts.register(actor=w["coordinator"], data=old_parts.OldPartInput(**values))

    with pytest.raises(ValidationFailed, match="配件编码不存在：NOPE"):
        reg(part_code="NOPE")
    with pytest.raises(ValidationFailed, match="退货单号"):
        reg(source="return")
    with pytest.raises(ValidationFailed):
        reg(quantity=0)
    with pytest.raises(ValidationFailed, match="早于今天"):
        reg(due_date=(timezone.localdate() - dt.timedelta(days=1)).isoformat())
    with pytest.raises(PermissionDenied):
        old_parts.register(actor=w["dealer1"], data=old_parts.OldPartInput(part_code="MOD-P3"))
    assert not OldPart.objects.exists() and not Deadline.objects.exists()
    op = reg(source="return", source_note="TH20261201-0001", quantity=2)
    assert (op.source, op.quantity, op.due_date) == (
        "return",
        2,
        timezone.localdate() + dt.timedelta(days=15),
    )


def test_a_reusable_old_part_goes_into_stock_through_the_intake_exactly_once(
    w: dict[str, Any],
) -> None:
    from aftersales.stock.models import Movement
    from aftersales.stock.services import intake

    op = the_old_part(repaired(w))
    with pytest.raises(Conflict, match="接收仓库"):  # never received at a store
        intake.old_part_reusable(actor=None, old_part=op, now=timezone.now())
    assert not Movement.objects.exists()
    op = old_parts.receive(
        actor=w["keeper"], old_part=op, warehouse_id=w["store"].pk, bin_id=w["bin"].pk
    )
    op = old_parts.appraise(
        actor=w["qd"],
        old_part=op,
        data=old_parts.AppraisalInput(disposition="reusable", appraisal="检测正常"),
    )
    first = op.movement
    assert first is not None and first.source_key == f"old_part:{op.pk}"
    # a retry of the consequence (a re-sent request, a job run twice) posts nothing more
    for _ in range(2):
        again = intake.old_part_reusable(
            actor=None, old_part=op, unit_cost="99.00", now=timezone.now()
        )
        assert again.pk == first.pk
    assert Movement.objects.filter(source_key=f"old_part:{op.pk}").count() == 1
    level = StockLevel.objects.get()
    assert (level.quantity, level.bin_id, level.lot.source) == (1, w["bin"].pk, LotSource.REUSABLE)
    assert level.lot.unit_cost == (op.part.unit_cost or Decimal("0"))  # the first call's cost
