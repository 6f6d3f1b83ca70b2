"""A parts request's shipment issues its stock (SPEC §4.5, §4.9): loading the list takes the
shipped quantities out of the store they ship from exactly once — the lots the receipt check
put into the after-sales store, or the finished-goods store's oldest lots for a shipment
straight from stock; a store short of them refuses the shipment (库存不足) with nothing
written; a request served by a borrowed pack takes nothing more (the pack was booked)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.approvals.services import engine
from aftersales.approvals.testing import build as build_documents
from aftersales.approvals.testing import day
from aftersales.catalog.models import Part
from aftersales.core.errors import InvalidTransition
from aftersales.core.models import AuditEvent
from aftersales.parts.models import LoadingList
from aftersales.parts.services import fulfilment, requests, shipping
from aftersales.parts.tests.helpers import approved_request, pending_task
from aftersales.stock.models import Movement, StockLevel, Warehouse
from aftersales.stock.services import intake, movements
from aftersales.stock.services.movements import InsufficientStock
from aftersales.stock.tests.helpers import on_hand

pytestmark = pytest.mark.django_db


def receipt_ok() -> fulfilment.ReceiptInput:
    return fulfilment.ReceiptInput(
        supplier="parts_group",
        quantity=2,
        package_intact=True,
        label_customer_ok=True,
        label_part_ok=True,
        label_quantity_ok=True,
        inspector_stamp=True,
    )


def in_store(w, **kw):  # type: ignore[no-untyped-def]
    r = approved_request(w, **kw)
    requests.release(actor=w.agent, request=r, group="parts_group", now=day(0))
    assert fulfilment.receive(actor=w.warehouse, request=r, data=receipt_ok(), now=day(8)).accepted
    return r


def shipments() -> list[Movement]:
    return list(Movement.objects.filter(source_key__startswith="parts_shipment:"))


def test_the_daily_list_ships_the_received_lots_out_of_the_store_once() -> None:
    w = build_documents()
    store = Warehouse.objects.create(code="MAIN", name="售后总库", kind="main")
    r = in_store(w)
    door = r.lines.get().part
    # an older lot of the same part lies in the store too: the shipment takes the lot
    # received for this customer's request, not the oldest
    movements.receive(
        actor=w.warehouse,
        warehouse_id=store.pk,
        lines=[movements.ReceiptLine(5, "80.00", part_id=door.pk, received_at=day(-60))],
        now=day(-60),
    )
    received = Movement.objects.get(source_key__startswith="parts_receipt:").lines.get()
    assert on_hand(store, door) == 7
    ll = shipping.daily_list(actor=w.warehouse, now=day(9))
    shipping.ship(actor=w.warehouse, loading_list=ll, carrier="沪A12345", now=day(9, 14))
    (doc,) = shipments()
    line = doc.lines.get()
    assert (doc.kind, doc.from_warehouse, doc.reference) == ("issue", store, r.number)
    assert doc.source_key == f"parts_shipment:{r.pk}" and doc.posted_at == day(9, 14)
    assert (line.lot_id, line.quantity) == (received.lot_id, 2)
    assert on_hand(store, door) == 5
    assert AuditEvent.objects.filter(object_id=str(doc.pk), verb="stock_issue").exists()
    load = AuditEvent.objects.get(object_id=str(r.pk), verb="load")
    assert load.payload["stock_issue"] == doc.number
    # a second submit of the same list moves nothing more
    with pytest.raises(InvalidTransition):
        shipping.ship(actor=w.warehouse, loading_list=ll, carrier="沪A12345", now=day(9, 15))
    r.refresh_from_db()
    assert intake.parts_shipped(actor=w.warehouse, request=r, now=day(10)) == doc
    assert len(shipments()) == 1 and on_hand(store, door) == 5


def test_a_store_short_of_the_parts_refuses_the_shipment_and_writes_nothing() -> None:
    w = build_documents()
    store = Warehouse.objects.create(code="MAIN", name="售后总库", kind="main")
    first = in_store(w)
    second = in_store(w, customer_id=w.direct.id)
    door = first.lines.get().part
    # one of the units received for the second request left the store meanwhile
    lot = Movement.objects.filter(reference=second.number, kind="receipt").get().lines.get().lot
    movements.issue(
        actor=w.warehouse,
        warehouse_id=store.pk,
        lines=[movements.OutLine(1, door.pk, lot_id=lot.pk)],
        reason="误领",
    )
    ll = shipping.daily_list(actor=w.warehouse, now=day(9))
    events = AuditEvent.objects.count()
    levels = sorted(StockLevel.objects.values_list("pk", "quantity"))
    with pytest.raises(InsufficientStock, match="库存不足") as err:
        shipping.ship(actor=w.warehouse, loading_list=ll, carrier="沪A12345", now=day(9, 14))
    assert "售后总库" in err.value.message and "现有 1" in err.value.message
    ll.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (ll.state, first.state, second.state) == ("draft", "in_store", "in_store")
    assert shipments() == [] and AuditEvent.objects.count() == events
    assert sorted(StockLevel.objects.values_list("pk", "quantity")) == levels  # the first too


def _through_to_finance(w, r):  # type: ignore[no-untyped-def]
    ll = shipping.finished_goods_list(actor=w.agent, request_ids=[r.pk], now=day(1))
    shipping.submit(actor=w.agent, loading_list=ll, now=day(1))
    engine.decide(actor=w.qd, task=pending_task(ll), decision="approve", now=day(1))
    shipping.sales_order(actor=w.agent, loading_list=ll, sales_order_no="XS-889", now=day(1))
    shipping.finance_review(actor=w.finance, loading_list=ll, now=day(2))
    return ll


def test_a_shipment_from_stock_leaves_the_finished_goods_store_oldest_lot_first() -> None:
    w = build_documents()
    Warehouse.objects.create(code="MAIN", name="售后总库", kind="main")
    fg = Warehouse.objects.create(code="FG", name="成品仓", kind="finished")
    r = approved_request(w)
    door = r.lines.get().part
    ll = _through_to_finance(w, r)
    # nothing in the finished-goods store: the shipment is refused, the list stays reviewed
    with pytest.raises(InsufficientStock, match="库存不足：成品仓"):
        shipping.ship(actor=w.warehouse, loading_list=ll, carrier="物流部车队", now=day(2))
    assert LoadingList.objects.get(pk=ll.pk).state == "finance_reviewed" and shipments() == []
    for when, cost in ((day(-20), "300.00"), (day(-40), "280.00")):
        movements.receive(
            actor=w.warehouse,
            warehouse_id=fg.pk,
            lines=[movements.ReceiptLine(1, cost, part_id=door.pk, received_at=when)],
            now=when,
        )
    shipping.ship(actor=w.warehouse, loading_list=ll, carrier="物流部车队", now=day(2))
    (doc,) = shipments()
    costs = sorted(doc.lines.values_list("unit_cost", flat=True))
    assert doc.from_warehouse == fg and costs == [Decimal("280.00"), Decimal("300.00")]
    assert on_hand(fg, door) == 0


def test_a_request_served_by_a_borrowed_pack_ships_nothing_more_from_the_store() -> None:
    w = build_documents()
    store = Warehouse.objects.create(code="MAIN", name="售后总库", kind="main")
    fg = Warehouse.objects.create(code="FG", name="成品仓", kind="finished")
    pack = Part.objects.create(code="FG-9", name="柜体成品包", unit="套")
    movements.receive(
        actor=w.warehouse,
        warehouse_id=fg.pk,
        lines=[movements.ReceiptLine(1, "900.00", part_id=pack.pk)],
        now=day(-5),
    )
    r = approved_request(w)
    requests.release(actor=w.agent, request=r, group="parts_group", now=day(5), confirm_late=True)
    fulfilment.borrow(
        actor=w.team_leader,
        request=r,
        pack_code="FG-9",
        pack_description="柜体成品包",
        storage_area="OPEN-1",
        now=day(5),
    )
    ll = shipping.daily_list(actor=w.warehouse, now=day(6))
    shipping.ship(actor=w.warehouse, loading_list=ll, carrier="沪A12345", now=day(6))
    r.refresh_from_db()
    assert r.state == "shipped" and shipments() == []
    assert on_hand(store, pack) == 1  # the opened pack waits for the part in the store
