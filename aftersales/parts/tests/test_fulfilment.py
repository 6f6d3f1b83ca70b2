"""SPEC §4.4–4.6, 4.8–4.9: borrowing a finished-goods pack, the receipt check into the
after-sales store, the finished-goods loading list and the daily loading list."""

from __future__ import annotations

import pytest

from aftersales.approvals.models import Deadline
from aftersales.approvals.services import engine
from aftersales.approvals.testing import day
from aftersales.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from aftersales.parts.models import PackBorrowing, PartsReceipt
from aftersales.parts.services import fulfilment, requests, shipping
from aftersales.parts.tests.helpers import approved_request, pending_task

pytestmark = pytest.mark.django_db


def good_receipt(**kw):  # type: ignore[no-untyped-def]
    values = {
        "supplier": "parts_group",
        "quantity": 2,
        "package_intact": True,
        "label_customer_ok": True,
        "label_part_ok": True,
        "label_quantity_ok": True,
        "inspector_stamp": True,
        "storage_location": "A-01",
    }
    values.update(kw)
    return fulfilment.ReceiptInput(**values)


def test_borrowing_only_when_the_part_cannot_ship_within_15_days(w) -> None:  # type: ignore[no-untyped-def]
    quick = approved_request(w)
    requests.release(actor=w.agent, request=quick, group="parts_group", now=day(0))  # due day 12
    with pytest.raises(ValidationFailed, match="能在15天内发货"):
        fulfilment.borrow(
            actor=w.team_leader,
            request=quick,
            pack_code="FG-1",
            pack_description="柜体成品包",
            storage_area="拆包区1",
            now=day(1),
        )
    slow = approved_request(w)
    requests.release(
        actor=w.agent, request=slow, group="purchasing", now=day(5), confirm_late=True
    )  # due day 17
    with pytest.raises(PermissionDenied):
        fulfilment.borrow(
            actor=w.agent,
            request=slow,
            pack_code="FG-2",
            pack_description="柜体成品包",
            storage_area="拆包区1",
            now=day(5),
        )
    b = fulfilment.borrow(
        actor=w.team_leader,
        request=slow,
        pack_code="FG-2",
        pack_description="柜体成品包",
        storage_area="拆包区1",
        now=day(5),
    )
    slow.refresh_from_db()
    assert b.number.startswith("JY") and b.state == "borrowed"
    assert slow.state == "in_store"  # the customer's parts come out of the opened pack


def test_borrowed_pack_returns_to_stock_only_after_its_qa_pass(w) -> None:  # type: ignore[no-untyped-def]
    r = approved_request(w)
    requests.release(actor=w.agent, request=r, group="parts_group", now=day(5), confirm_late=True)
    b = fulfilment.borrow(
        actor=w.team_leader,
        request=r,
        pack_code="FG-9",
        pack_description="柜体成品包",
        storage_area="拆包区2",
        now=day(5),
    )
    with pytest.raises(InvalidTransition, match="QA检验合格后才能归还"):
        fulfilment.borrowing_return(actor=w.team_leader, borrowing=b, now=day(6))
    with pytest.raises(InvalidTransition, match="补件到位后"):
        fulfilment.borrowing_qa(actor=w.qd, borrowing=b, passed=True, now=day(6))
    # the produced part arrives: it goes into the pack
    receipt = fulfilment.receive(actor=w.team_leader, request=r, data=good_receipt(), now=day(16))
    assert receipt.accepted
    b.refresh_from_db()
    assert b.state == "part_arrived"
    with pytest.raises(InvalidTransition, match="QA检验合格后才能归还"):
        fulfilment.borrowing_return(actor=w.team_leader, borrowing=b, now=day(16))
    with pytest.raises(PermissionDenied):
        fulfilment.borrowing_qa(actor=w.team_leader, borrowing=b, passed=True, now=day(16))
    fulfilment.borrowing_qa(actor=w.qd, borrowing=b, passed=False, note="缺螺丝", now=day(16))
    with pytest.raises(InvalidTransition):
        fulfilment.borrowing_return(actor=w.team_leader, borrowing=b, now=day(16))
    fulfilment.borrowing_qa(actor=w.qd, borrowing=b, passed=True, now=day(17))
    b = fulfilment.borrowing_return(actor=w.warehouse, borrowing=b, now=day(17))
    assert b.state == "returned" and b.returned_by == w.warehouse and b.returned_at == day(17)
    r.refresh_from_db()
    assert r.state == "in_store"


def test_receipt_check_refuses_a_part_without_the_inspectors_stamp(w) -> None:  # type: ignore[no-untyped-def]
    r = approved_request(w)
    requests.release(actor=w.agent, request=r, group="parts_group", now=day(0))
    bad = fulfilment.receive(
        actor=w.team_leader,
        request=r,
        data=good_receipt(inspector_stamp=False, package_intact=False, quantity=1),
        now=day(10),
    )
    assert not bad.accepted
    assert bad.refusals == [
        "外包装不完好",
        "到货数量1与补件数量2不符",
        "无驻补配组质检员检验合格章",
    ]
    r.refresh_from_db()
    assert r.state == "in_production"
    ok = fulfilment.receive(actor=w.warehouse, request=r, data=good_receipt(), now=day(11))
    r.refresh_from_db()
    assert ok.accepted and r.state == "in_store" and r.received_at == day(11)
    production = Deadline.objects.get(object_id=r.pk, step="production")
    assert production.done_at == day(11) and not production.is_overdue(day(20))
    assert PartsReceipt.objects.filter(request=r).count() == 2


def test_outsourced_parts_need_incoming_inspection(w) -> None:  # type: ignore[no-untyped-def]
    r = approved_request(w)
    requests.release(actor=w.agent, request=r, group="purchasing", now=day(0))
    refused = fulfilment.receive(
        actor=w.team_leader, request=r, data=good_receipt(supplier="outsourced"), now=day(9)
    )
    assert refused.refusals == ["外协件未经外协检验判定合格"]
    ok = fulfilment.receive(
        actor=w.team_leader,
        request=r,
        data=good_receipt(
            supplier="outsourced", inspector_stamp=False, incoming_inspection_passed=True
        ),
        now=day(9),
    )
    assert ok.accepted


def test_receipt_needs_a_part_on_its_way(w) -> None:  # type: ignore[no-untyped-def]
    r = approved_request(w)
    with pytest.raises(InvalidTransition, match="没有待入库的补件"):
        fulfilment.receive(actor=w.team_leader, request=r, data=good_receipt(), now=day(1))
    with pytest.raises(ValidationFailed, match="正整数"):
        fulfilment.receive(
            actor=w.team_leader, request=r, data=good_receipt(quantity=-2), now=day(1)
        )


def test_daily_loading_list_ships_and_delivers_the_days_pickups(w) -> None:  # type: ignore[no-untyped-def]
    first, second = approved_request(w), approved_request(w, customer_id=w.direct.id)
    for r in (first, second):
        requests.release(actor=w.agent, request=r, group="parts_group", now=day(0))
        fulfilment.receive(actor=w.team_leader, request=r, data=good_receipt(), now=day(8))
    ll = shipping.daily_list(actor=w.warehouse, now=day(9))
    assert ll.kind == "daily" and ll.number.startswith("ZC")
    assert ll.items.count() == 2
    with pytest.raises(ValidationFailed, match="没有待发货"):
        shipping.daily_list(actor=w.warehouse, now=day(9))
    shipping.ship(actor=w.warehouse, loading_list=ll, carrier="沪A12345", now=day(9, 14))
    first.refresh_from_db()
    assert first.state == "shipped" and first.shipped_at == day(9, 14)
    shipping.delivered(actor=w.warehouse, loading_list=ll, now=day(10))
    first.refresh_from_db()
    assert first.state == "delivered"
    delivery = Deadline.objects.get(object_id=first.pk, step="delivery")
    assert delivery.done_at == day(10) and not delivery.is_overdue()


def test_finished_goods_list_needs_approval_sales_order_and_finance_review(w) -> None:  # type: ignore[no-untyped-def]
    r = approved_request(w)
    ll = shipping.finished_goods_list(actor=w.agent, request_ids=[r.pk], now=day(1))
    r.refresh_from_db()
    assert r.state == "stock_shipment" and r.responsible_group == "finished_goods"
    with pytest.raises(InvalidTransition, match="须经审批"):
        shipping.ship(actor=w.warehouse, loading_list=ll, carrier="物流部车队", now=day(1))
    shipping.submit(actor=w.agent, loading_list=ll, now=day(1))
    with pytest.raises(PermissionDenied):
        engine.decide(actor=w.coordinator, task=pending_task(ll), decision="approve", now=day(1))
    engine.decide(actor=w.qd, task=pending_task(ll), decision="approve", now=day(1))
    ll.refresh_from_db()
    assert ll.state == "approved"
    with pytest.raises(InvalidTransition):
        shipping.finance_review(actor=w.finance, loading_list=ll, now=day(1))
    shipping.sales_order(actor=w.agent, loading_list=ll, sales_order_no="XS-889", now=day(1))
    with pytest.raises(PermissionDenied):
        shipping.finance_review(actor=w.agent, loading_list=ll, now=day(2))
    shipping.finance_review(actor=w.finance, loading_list=ll, now=day(2))
    shipping.ship(
        actor=w.warehouse, loading_list=ll, carrier="物流部车队", tracking_no="WL001", now=day(2)
    )
    shipping.delivered(actor=w.coordinator, loading_list=ll, now=day(4))
    r.refresh_from_db()
    ll.refresh_from_db()
    assert (ll.state, r.state) == ("delivered", "delivered")
    assert PackBorrowing.objects.count() == 0
