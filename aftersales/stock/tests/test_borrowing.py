"""Finished-goods borrowing (成品借用单, SPEC §4.4) as stock moves: the pack leaves the
finished-goods store for the after-sales store's opened-pack area; after its QA pass it goes
back (the very lot lent) and the part that arrived leaves the store fitted into it. Each
posted exactly once; a pack the finished-goods store does not hold cannot be borrowed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.approvals.testing import build as build_documents
from aftersales.approvals.testing import day
from aftersales.catalog.models import Part
from aftersales.core.errors import ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.parts.models import PackBorrowing
from aftersales.parts.services import fulfilment, requests
from aftersales.parts.tests.helpers import approved_request
from aftersales.stock.models import Bin, Movement, Warehouse
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


def borrow(w, r, code: str = "FG-9"):  # type: ignore[no-untyped-def]
    return fulfilment.borrow(
        actor=w.team_leader,
        request=r,
        pack_code=code,
        pack_description="柜体成品包",
        storage_area="OPEN-1",
        now=day(5),
    )


def test_a_borrowed_pack_moves_out_and_back_with_the_arrived_part_fitted() -> None:
    w = build_documents()
    store = Warehouse.objects.create(code="MAIN", name="售后总库", kind="main")
    fg = Warehouse.objects.create(code="FG", name="成品仓", kind="finished")
    opened = Bin.objects.create(warehouse=store, zone="OPEN", shelf="1", level="1", code="OPEN-1")
    pack = Part.objects.create(code="FG-9", name="柜体成品包", unit="套")
    for when, cost in ((day(-30), "900.00"), (day(-10), "950.00")):
        movements.receive(
            actor=w.warehouse,
            warehouse_id=fg.pk,
            lines=[movements.ReceiptLine(2, cost, part_id=pack.pk, received_at=when)],
            now=when,
        )
    r = approved_request(w)
    requests.release(actor=w.agent, request=r, group="parts_group", now=day(5), confirm_late=True)
    b = borrow(w, r)
    out = Movement.objects.get(source_key=f"pack_borrowing:{b.pk}:out")
    line = out.lines.get()
    assert (out.kind, out.from_warehouse, out.to_warehouse, out.reference) == (
        "transfer",
        fg,
        store,
        b.number,
    )
    assert line.to_bin == opened and line.unit_cost == Decimal("900.00")  # the oldest lot
    assert (on_hand(fg, pack), on_hand(store, pack)) == (3, 1)
    assert AuditEvent.objects.filter(object_id=str(out.pk), verb="stock_transfer").exists()
    door = r.lines.get().part
    assert fulfilment.receive(actor=w.warehouse, request=r, data=receipt_ok(), now=day(16)).accepted
    assert on_hand(store, door) == 2
    fulfilment.borrowing_qa(actor=w.qd, borrowing=b, passed=True, now=day(17))
    fulfilment.borrowing_return(actor=w.warehouse, borrowing=b, now=day(17))
    back = Movement.objects.get(source_key=f"pack_borrowing:{b.pk}:back")
    assert back.lines.get().lot_id == line.lot_id and back.to_warehouse == fg
    fitted = Movement.objects.get(source_key=f"pack_borrowing:{b.pk}:fitted")
    assert fitted.kind == "issue" and fitted.lines.get().quantity == 2
    assert (on_hand(fg, pack), on_hand(store, pack), on_hand(store, door)) == (4, 0, 0)
    # a repeat moves nothing more
    b.refresh_from_db()
    intake.pack_returned(actor=w.warehouse, borrowing=b, now=day(18))
    intake.pack_borrowed(actor=w.warehouse, borrowing=b, now=day(18))
    assert Movement.objects.filter(reference=b.number).count() == 3
    assert (on_hand(fg, pack), on_hand(store, door)) == (4, 0)


def test_a_pack_the_finished_goods_store_does_not_hold_cannot_be_borrowed() -> None:
    w = build_documents()
    Warehouse.objects.create(code="MAIN", name="售后总库", kind="main")
    Warehouse.objects.create(code="FG", name="成品仓", kind="finished")
    Part.objects.create(code="FG-1", name="成品包")
    r = approved_request(w)
    requests.release(actor=w.agent, request=r, group="parts_group", now=day(5), confirm_late=True)
    with pytest.raises(InsufficientStock, match="库存不足"):
        borrow(w, r, "FG-1")
    with pytest.raises(ValidationFailed, match="不在物料档案中"):
        borrow(w, r, "NO-SUCH")
    assert not PackBorrowing.objects.exists() and not Movement.objects.exists()


def test_the_finished_goods_store_is_never_a_replenishment_source() -> None:
    w = build_documents()
    fg = Warehouse.objects.create(code="FG", name="成品仓", kind="finished")
    van_tech = w.warehouse
    part = Part.objects.create(code="P-1", name="电源")
    movements.receive(
        actor=van_tech,
        warehouse_id=fg.pk,
        lines=[movements.ReceiptLine(5, "1.00", part_id=part.pk)],
    )
    from aftersales.stock.services.consumption import propose_source

    assert propose_source(None, part, 1) is None
