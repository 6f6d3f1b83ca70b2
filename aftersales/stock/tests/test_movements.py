"""Movements: FIFO across lots with their costs, transfers keeping lot dates, returns from a
van, scrap, count adjustments, refusals that write nothing, one audit row per document."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.core.errors import NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.stock import selectors
from aftersales.stock.models import Lot, Movement, MovementLine, StockLevel
from aftersales.stock.services import movements
from aftersales.stock.services.movements import InsufficientStock, OutLine
from aftersales.stock.tests.helpers import at, on_hand, receive

pytestmark = pytest.mark.django_db


def test_receipt_makes_a_lot_with_its_date_and_cost_and_an_audited_document(s) -> None:  # type: ignore[no-untyped-def]
    mv = receive(s, 5, "120.50", bin_=s.bin_a, when=at(0))
    assert mv.number.startswith("RK20261102-") and mv.kind == "receipt"
    line = mv.lines.get()
    assert line.quantity == 5 and line.unit_cost == Decimal("120.50")
    assert line.amount == Decimal("602.50") and line.to_bin == s.bin_a
    assert line.lot.received_at == at(0) and line.lot.unit_cost == Decimal("120.50")
    assert on_hand(s.store, s.psu) == 5
    ev = AuditEvent.objects.get(object_id=str(mv.pk), verb="stock_receipt")
    assert ev.actor == s.keeper and ev.payload["lines"][0]["quantity"] == 5


def test_issue_across_three_lots_takes_the_oldest_first_and_costs_follow(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 3, "100.00", when=at(2))  # middle
    receive(s, 2, "90.00", bin_=s.bin_b, when=at(0))  # oldest
    receive(s, 4, "130.00", bin_=s.bin_a, when=at(5))  # newest
    mv = movements.issue(
        actor=s.keeper,
        warehouse_id=s.store.pk,
        lines=[OutLine(part_code="psu-5v", quantity=6)],
        reference="WO-1",
        now=at(6),
    )
    got = [(ln.lot.received_at, ln.quantity, ln.unit_cost) for ln in mv.lines.order_by("id")]
    assert got == [
        (at(0), 2, Decimal("90.00")),
        (at(2), 3, Decimal("100.00")),
        (at(5), 1, Decimal("130.00")),
    ]
    assert sum(ln.amount for ln in mv.lines.all()) == Decimal("610.00")
    assert on_hand(s.store, s.psu) == 3
    assert selectors.totals(selectors.levels(s.keeper, selectors.LevelFilters()))["value"] == (
        Decimal("390.00")
    )


def test_issue_short_is_refused_in_chinese_and_takes_nothing(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 2, "10.00")
    receive(s, 2, "10.00", part=s.card)
    before = Movement.objects.count(), AuditEvent.objects.count()
    with pytest.raises(InsufficientStock) as err:
        movements.issue(
            actor=s.keeper,
            warehouse_id=s.store.pk,
            lines=[OutLine(part_id=s.card.pk, quantity=1), OutLine(part_id=s.psu.pk, quantity=3)],
        )
    assert "库存不足" in err.value.message and "现有 2" in err.value.message
    assert (Movement.objects.count(), AuditEvent.objects.count()) == before
    assert on_hand(s.store, s.psu) == 2 and on_hand(s.store, s.card) == 2


def test_transfer_to_a_van_keeps_the_lot_and_its_date(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 4, "50.00", bin_=s.bin_a, when=at(0))
    mv = movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[OutLine(part_id=s.psu.pk, quantity=3)],
        now=at(1),
    )
    line = mv.lines.get()
    assert line.from_bin == s.bin_a and line.to_bin is None
    assert on_hand(s.store, s.psu) == 1 and on_hand(s.van, s.psu) == 3
    van_row = StockLevel.objects.get(warehouse=s.van)
    assert van_row.lot.received_at == at(0) and Lot.objects.count() == 1


def test_technician_returns_from_his_own_van_only(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 4, "50.00", wh=s.store)
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[OutLine(part_id=s.psu.pk, quantity=4)],
    )
    with pytest.raises(NotFound):  # he cannot even see the other van
        movements.tech_return(
            actor=s.tech2, van_id=s.van.pk, to_warehouse_id=s.store.pk, lines=[OutLine(2, s.psu.pk)]
        )
    mv = movements.tech_return(
        actor=s.tech, van_id=s.van.pk, to_warehouse_id=s.store.pk, lines=[OutLine(2, s.psu.pk)]
    )
    assert mv.kind == "tech_return" and on_hand(s.van, s.psu) == 2 and on_hand(s.store, s.psu) == 2
    with pytest.raises(PermissionDenied):  # a technician does not post store transfers
        movements.transfer(
            actor=s.tech,
            from_warehouse_id=s.van.pk,
            to_warehouse_id=s.store.pk,
            lines=[OutLine(1, s.psu.pk)],
        )


def test_scrap_needs_a_reason(s) -> None:  # type: ignore[no-untyped-def]
    receive(s, 2, "10.00")
    with pytest.raises(ValidationFailed):
        movements.scrap(
            actor=s.keeper, warehouse_id=s.store.pk, lines=[OutLine(1, s.psu.pk)], reason=" "
        )
    mv = movements.scrap(
        actor=s.keeper, warehouse_id=s.store.pk, lines=[OutLine(1, s.psu.pk)], reason="受潮损坏"
    )
    assert mv.number.startswith("BF") and on_hand(s.store, s.psu) == 1


def test_count_adjustment_posts_the_difference_both_ways(s) -> None:  # type: ignore[no-untyped-def]
    a = receive(s, 5, "10.00", bin_=s.bin_a).lines.get().lot
    b = receive(s, 2, "20.00", bin_=s.bin_b).lines.get().lot
    mv = movements.adjust(
        actor=s.keeper,
        warehouse_id=s.store.pk,
        lines=[
            movements.CountLine(counted=3, lot_id=a.pk, bin_id=s.bin_a.pk),
            movements.CountLine(counted="4", lot_id=b.pk, bin_id=s.bin_b.pk),
        ],
        reason="月度盘点",
    )
    assert sorted(mv.lines.values_list("quantity", flat=True)) == [-2, 2]
    assert on_hand(s.store, s.psu) == 7
    with pytest.raises(ValidationFailed, match="无需调整"):
        movements.adjust(
            actor=s.keeper,
            warehouse_id=s.store.pk,
            lines=[movements.CountLine(counted=3, lot_id=a.pk, bin_id=s.bin_a.pk)],
            reason="复盘",
        )


@pytest.mark.parametrize(
    ("qty", "message"),
    [(-1, "正整数"), ("1,000", "含逗号"), ("2.5", "正整数"), (0, "正整数"), ("", "请填写")],
)
def test_bad_quantity_is_a_chinese_error_and_writes_nothing(s, qty, message) -> None:  # type: ignore[no-untyped-def]
    before = Movement.objects.count(), Lot.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match=message):
        receive(s, qty, "10.00")
    assert (Movement.objects.count(), Lot.objects.count(), AuditEvent.objects.count()) == before


def test_unknown_bin_and_bad_cost_are_refused(s) -> None:  # type: ignore[no-untyped-def]
    other_bin = s.bin_a
    with pytest.raises(ValidationFailed, match="库位不存在"):
        receive(s, 1, "10.00", wh=s.regional, bin_=other_bin)  # a bin of another warehouse
    with pytest.raises(ValidationFailed, match="单位成本"):
        receive(s, 1, "-3")
    assert MovementLine.objects.count() == 0


def test_only_the_keeper_posts_and_nobody_outside_sees_stock(s) -> None:  # type: ignore[no-untyped-def]
    from aftersales import testing as t

    with pytest.raises(PermissionDenied):
        receive_as = movements.receive
        receive_as(
            actor=s.agent,
            warehouse_id=s.store.pk,
            lines=[movements.ReceiptLine(part_id=s.psu.pk, quantity=1, unit_cost="1")],
        )
    receive(s, 3, "10.00")
    movements.transfer(
        actor=s.keeper,
        from_warehouse_id=s.store.pk,
        to_warehouse_id=s.van.pk,
        lines=[OutLine(1, s.psu.pk)],
    )
    all_rows = selectors.levels(s.agent, selectors.LevelFilters())
    assert {r.warehouse_id for r in all_rows} == {s.store.pk, s.van.pk}
    assert {r.warehouse_id for r in selectors.levels(s.tech, selectors.LevelFilters())} == {
        s.van.pk
    }
    assert not selectors.levels(s.tech2, selectors.LevelFilters()).exists()
    assert {w.pk for w in selectors.warehouses(s.tech)} == {s.van.pk}
    assert [m.kind for m in selectors.movements(s.tech, selectors.MovementFilters())] == [
        "transfer"
    ]
    assert not selectors.movements(s.tech2, selectors.MovementFilters()).exists()
    reg = t.region("N1", "北区")
    dealer = t.user("dealer", org=t.dealer(reg))
    assert not selectors.levels(dealer, selectors.LevelFilters()).exists()
    assert not selectors.warehouses(dealer).exists()
