"""Repair quotes: Decimal money, 2 places ROUND_HALF_UP, waivers per the decision's charges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.warranty.quote import (
    Labour,
    PartLine,
    QuoteLineKind,
    Travel,
    build_quote,
    money,
)
from aftersales.warranty.rules import (
    FREE_OF_CHARGE,
    PARTS_AT_COST_ONLY,
    Charge,
    ChargeFlags,
)

BOARD = PartLine("PCB-01", 2, Decimal("120.50"), Decimal("180.00"), "驱动板")
FUSE = PartLine("FU-5A", Decimal("3"), Decimal("0.335"), Decimal("1.00"))
LABOUR = Labour(Decimal("1.5"), Decimal("80.00"))
TRAVEL = Travel(distance_km=Decimal("42"), rate_per_km=Decimal("1.20"))
CHARGEABLE = ChargeFlags(Charge.AT_COST, Charge.AT_PRICE, Charge.AT_PRICE)


def test_out_of_warranty_quote_parts_at_cost_labour_and_travel() -> None:
    quote = build_quote(CHARGEABLE, parts=[BOARD, FUSE], labour=LABOUR, travel=TRAVEL)
    # 2 × 120.50 = 241.00; 3 × 0.335 = 1.005 → 1.01 (half up); 1.5 × 80 = 120.00; 42 × 1.20 = 50.40
    assert [line.amount for line in quote.lines] == [
        Decimal("241.00"),
        Decimal("1.01"),
        Decimal("120.00"),
        Decimal("50.40"),
    ]
    assert quote.parts_total == Decimal("242.01")
    assert quote.labour_total == Decimal("120.00")
    assert quote.travel_total == Decimal("50.40")
    assert quote.total == Decimal("412.41")
    assert quote.waived_total == Decimal("0.00")
    assert [line.kind for line in quote.lines] == [
        QuoteLineKind.PART,
        QuoteLineKind.PART,
        QuoteLineKind.LABOUR,
        QuoteLineKind.TRAVEL,
    ]
    assert quote.lines[0].description == "配件 PCB-01 驱动板（按成本价）"
    assert quote.lines[2].description == "人工费 1.5 小时 × 80.00 元/小时"
    assert quote.lines[3].description == "差旅费 42 公里 × 1.20 元/公里"


def test_parts_at_price() -> None:
    charges = ChargeFlags(Charge.AT_PRICE, Charge.AT_PRICE, Charge.AT_PRICE)
    quote = build_quote(charges, parts=[BOARD])
    assert quote.lines[0].unit_amount == Decimal("180.00")
    assert quote.total == Decimal("360.00")
    assert quote.lines[0].description == "配件 PCB-01 驱动板（按价目表价格）"


def test_in_warranty_non_quality_charges_parts_at_cost_only() -> None:
    quote = build_quote(PARTS_AT_COST_ONLY, parts=[BOARD], labour=LABOUR, travel=TRAVEL)
    assert quote.total == Decimal("241.00")
    assert (quote.labour_total, quote.travel_total) == (Decimal("0.00"), Decimal("0.00"))
    assert quote.waived_total == Decimal("170.40")
    labour = quote.lines[1]
    assert (labour.amount, labour.waived_amount, labour.basis) == (
        Decimal("0.00"),
        Decimal("120.00"),
        Charge.WAIVED,
    )
    assert labour.description == "人工费 1.5 小时 × 80.00 元/小时（免收）"


def test_free_repair_quotes_zero_and_shows_the_waived_value_at_cost() -> None:
    quote = build_quote(FREE_OF_CHARGE, parts=[BOARD], labour=LABOUR, travel=TRAVEL)
    assert quote.total == Decimal("0.00")
    assert quote.waived_total == Decimal("411.40")  # 241.00 + 120.00 + 50.40
    assert quote.lines[0].description == "配件 PCB-01 驱动板（保修）（免收）"


def test_labour_waiver_out_of_warranty() -> None:
    charges = ChargeFlags(Charge.AT_COST, Charge.WAIVED, Charge.AT_PRICE)
    quote = build_quote(charges, parts=[BOARD], labour=LABOUR, travel=TRAVEL)
    assert quote.total == Decimal("291.40")


def test_flat_travel() -> None:
    quote = build_quote(CHARGEABLE, travel=Travel(flat=Decimal("150")))
    assert quote.travel_total == Decimal("150.00")
    assert quote.lines[0].description == "差旅费（包干）"


def test_empty_quote() -> None:
    quote = build_quote(CHARGEABLE)
    assert (quote.lines, quote.total) == ((), Decimal("0.00"))


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        build_quote(CHARGEABLE, parts=[PartLine("X", 1, 1.5, Decimal("2"))])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        build_quote(CHARGEABLE, labour=Labour(1.5, Decimal("80")))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        build_quote(CHARGEABLE, labour=Labour(True, Decimal("80")))


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        build_quote(CHARGEABLE, parts=[PartLine("X", -1, Decimal("1"), Decimal("2"))])
    with pytest.raises(ValueError):
        build_quote(CHARGEABLE, travel=Travel(flat=Decimal("-5")))
    with pytest.raises(ValueError):
        build_quote(CHARGEABLE, labour=Labour(1, Decimal("NaN")))


def test_travel_needs_one_form() -> None:
    with pytest.raises(ValueError):
        Travel()
    with pytest.raises(ValueError):
        Travel(distance_km=10, rate_per_km=Decimal("1"), flat=Decimal("5"))
    with pytest.raises(ValueError):
        Travel(distance_km=10)


def test_money_rounds_half_up() -> None:
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")
    assert money(Decimal("2.674")) == Decimal("2.67")


amounts = st.decimals(
    min_value=0, max_value=10_000, places=3, allow_nan=False, allow_infinity=False
)
quantities = st.integers(min_value=0, max_value=50)
part_lines = st.builds(
    PartLine, part_code=st.just("P"), quantity=quantities, unit_cost=amounts, unit_price=amounts
)
flags = st.builds(
    ChargeFlags,
    parts=st.sampled_from(Charge),
    labour=st.sampled_from([Charge.WAIVED, Charge.AT_PRICE]),
    travel=st.sampled_from([Charge.WAIVED, Charge.AT_PRICE]),
)


@settings(max_examples=200)
@given(
    charges=flags,
    parts=st.lists(part_lines, max_size=5),
    hours=quantities,
    rate=amounts,
    flat=amounts,
)
def test_totals_add_up_to_cents(
    charges: ChargeFlags, parts: list[PartLine], hours: int, rate: Decimal, flat: Decimal
) -> None:
    quote = build_quote(charges, parts=parts, labour=Labour(hours, rate), travel=Travel(flat=flat))
    assert quote.total == quote.parts_total + quote.labour_total + quote.travel_total
    assert quote.total == sum((line.amount for line in quote.lines), Decimal("0.00"))
    for value in (quote.total, quote.waived_total, *(line.amount for line in quote.lines)):
        assert value == value.quantize(Decimal("0.01"))
        assert value >= 0
    if charges.is_free:
        assert quote.total == Decimal("0.00")


def test_a_listed_part_is_charged_at_the_list_price_whatever_the_basis() -> None:
    listed = PartLine("PSU", 2, Decimal("85.00"), Decimal("150.00"), list_price=Decimal("99.90"))
    for basis in (Charge.AT_COST, Charge.AT_PRICE):
        quote = build_quote(ChargeFlags(basis, Charge.WAIVED, Charge.WAIVED), parts=[listed])
        assert quote.parts_total == Decimal("199.80")
        assert "按收费标准价格" in quote.lines[0].description
    waived = build_quote(FREE_OF_CHARGE, parts=[listed])
    # a waived line shows what the company bears: the cost
    assert (waived.total, waived.waived_total) == (Decimal("0.00"), Decimal("170.00"))
