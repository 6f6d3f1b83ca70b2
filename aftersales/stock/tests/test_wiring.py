"""Stock wired into what exists: a filed service report issues its parts from the
technician's van exactly once, a shortage never blocks the report and proposes a
replenishment; an accepted parts-request receipt check adds stock to the store exactly once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales import testing as t
from aftersales.approvals.testing import build as build_documents
from aftersales.approvals.testing import day
from aftersales.core.errors import Conflict, InvalidTransition
from aftersales.core.models import AuditEvent
from aftersales.notifications.models import Notification
from aftersales.parts.models import PartsReceipt
from aftersales.parts.services import fulfilment, requests
from aftersales.parts.tests.helpers import approved_request
from aftersales.service.services import reports
from aftersales.service.tests import web_world
from aftersales.stock.models import Bin, Movement, Shortage, Warehouse
from aftersales.stock.services import consumption, movements
from aftersales.stock.tests.helpers import on_hand

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    w = web_world.build()
    w["keeper"] = t.user("warehouse", username="keeper1")
    w["store"] = Warehouse.objects.create(code="MAIN", name="售后总库", kind="main")
    w["east"] = Warehouse.objects.create(
        code="EAST", name="华东区域库", kind="regional", region=w["c1"].region
    )
    w["van"] = Warehouse.objects.create(
        code="VAN-1", name="小赵车载库", kind="van", technician=w["tech"], region=w["c1"].region
    )
    return w


def stock(w, wh, part, qty: int) -> None:  # type: ignore[no-untyped-def]
    movements.receive(
        actor=w["keeper"],
        warehouse_id=wh.pk,
        lines=[movements.ReceiptLine(part_id=part.pk, quantity=qty, unit_cost="150.00")],
    )


def test_filed_report_takes_its_parts_from_the_van_once(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    module = w["parts"][1]  # MOD-P3, the part on the report
    stock(w, w["store"], module, 5)
    movements.transfer(
        actor=w["keeper"],
        from_warehouse_id=w["store"].pk,
        to_warehouse_id=w["van"].pk,
        lines=[movements.OutLine(3, module.pk)],
    )
    wo = web_world.on_site(w, web_world.ticket(w))
    report = web_world.filed_report(w, wo)
    assert on_hand(w["van"], module) == 2
    issue = Movement.objects.get(kind="issue")
    assert issue.source_key == f"service_report:{report.pk}"
    assert issue.reference == wo.ticket.number and issue.posted_by == w["tech"]
    assert AuditEvent.objects.filter(object_id=str(issue.pk), verb="stock_issue").count() == 1
    with pytest.raises(Conflict):  # a double submit is refused by the report…
        reports.submit(actor=w["tech"], work_order=wo)
    consumption.report_filed(actor=w["tech"], report=report)  # …and would move nothing more
    assert on_hand(w["van"], module) == 2 and Movement.objects.filter(kind="issue").count() == 1
    assert not Shortage.objects.exists()


def test_short_van_still_files_the_report_and_proposes_a_replenishment(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    module = w["parts"][1]
    stock(w, w["east"], module, 4)  # the region's store holds it; the van is empty
    wo = web_world.on_site(w, web_world.ticket(w))
    report = web_world.filed_report(w, wo)  # one MOD-P3 fitted
    assert report.filed_at is not None
    gap = Shortage.objects.get()
    assert (gap.needed, gap.issued, gap.short) == (1, 0, 1)
    assert gap.van == w["van"] and gap.proposed_from == w["east"] and gap.state == "open"
    assert gap.reference == wo.ticket.number
    assert not Movement.objects.filter(kind="issue").exists()
    assert Notification.objects.filter(
        recipient=w["keeper"], subject__contains="车载库缺料"
    ).exists()
    consumption.report_filed(actor=w["tech"], report=report)
    assert Shortage.objects.count() == 1
    done = consumption.replenish(actor=w["keeper"], shortage=gap)
    assert done.state == "replenished" and done.replenishment.kind == "transfer"
    assert on_hand(w["van"], module) == 1 and on_hand(w["east"], module) == 3
    with pytest.raises(Conflict):
        consumption.replenish(actor=w["keeper"], shortage=gap)


def test_part_of_a_line_issued_and_the_rest_recorded_short(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    psu, module = w["parts"]
    stock(w, w["van"], psu, 2)
    got = consumption.consume(
        actor=w["tech"],
        technician=w["tech"],
        wanted=[(psu, 3), (module, 1)],
        reference="T-1",
        source_key="test:1",
    )
    assert sorted((s.part.code, s.issued, s.short) for s in got) == [
        ("MOD-P3", 0, 1),
        ("PWR-200", 2, 1),
    ]
    assert on_hand(w["van"], psu) == 0
    assert Movement.objects.get(kind="issue").lines.get().quantity == 2
    assert got[0].proposed_from == w["store"]  # nobody holds it: the after-sales store


def test_technician_without_a_van_is_not_blocked(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    got = consumption.consume(
        actor=w["tech2"],
        technician=w["tech2"],
        wanted=[(w["parts"][0], 1)],
        reference="T-2",
        source_key="test:2",
    )
    assert len(got) == 1 and got[0].van is None and got[0].short == 1


def good_receipt(**kw):  # type: ignore[no-untyped-def]
    values = {
        "supplier": "parts_group",
        "quantity": 2,
        "package_intact": True,
        "label_customer_ok": True,
        "label_part_ok": True,
        "label_quantity_ok": True,
        "inspector_stamp": True,
        "storage_location": "A-01-1",
    }
    values.update(kw)
    return fulfilment.ReceiptInput(**values)


def test_parts_receipt_check_receives_into_the_store_exactly_once() -> None:
    w = build_documents()
    store = Warehouse.objects.create(code="MAIN", name="售后总库", kind="main")
    bin_a = Bin.objects.create(warehouse=store, zone="A", shelf="01", level="1")
    r = approved_request(w)
    requests.release(actor=w.agent, request=r, group="parts_group", now=day(0))
    door = r.lines.get().part
    door.unit_cost = Decimal("210.00")
    door.save(update_fields=["unit_cost"])
    refused = fulfilment.receive(
        actor=w.warehouse, request=r, data=good_receipt(inspector_stamp=False), now=day(10)
    )
    assert not refused.accepted and on_hand(store, door) == 0
    ok = fulfilment.receive(actor=w.warehouse, request=r, data=good_receipt(), now=day(11))
    assert ok.accepted and on_hand(store, door) == 2
    doc = Movement.objects.get(kind="receipt")
    line = doc.lines.get()
    assert doc.reference == r.number and doc.source_key == f"parts_receipt:{ok.pk}"
    assert line.to_bin == bin_a and line.unit_cost == Decimal("210.00")
    assert line.lot.source == "parts_receipt" and line.lot.received_at == day(11)
    with pytest.raises(InvalidTransition):  # the request no longer awaits a receipt
        fulfilment.receive(actor=w.warehouse, request=r, data=good_receipt(), now=day(12))
    from aftersales.stock.services import intake

    intake.parts_received(actor=w.warehouse, receipt=ok, now=day(12))  # a repeat: nothing more
    assert on_hand(store, door) == 2 and PartsReceipt.objects.filter(accepted=True).count() == 1
