"""Repair quote (维修报价) from a warranty decision's charges and the price list.

Money is ``Decimal`` (never float), each line rounded to 2 places ROUND_HALF_UP, and the
total is the sum of the rounded lines.  A waived charge still appears as a line with
amount 0.00 and its reference value in ``waived_amount`` (parts at unit cost — what the
company bears —, labour and travel at their rate), so the quote shows what was waived.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from aftersales.core.said import Said
from aftersales.warranty.rules import Charge, ChargeFlags

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal) -> Decimal:
    """``value`` rounded to 2 places, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value: Decimal | int, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(Said("%(what)s必须为 Decimal 或整数，不能为浮点数", what=what))
    number = Decimal(value)
    if not number.is_finite() or number < 0:
        raise ValueError(Said("%(what)s不能为负数或非有限数", what=what))
    return number


class QuoteLineKind(StrEnum):
    PART = "part"
    LABOUR = "labour"
    TRAVEL = "travel"


@dataclass(frozen=True)
class PartLine:
    """``list_price``: the part's price in the price list of the quote date (收费标准), which
    a charged line uses whatever its basis (no charge outside the published list); None: not
    listed, the part master's cost or price by basis."""

    part_code: str
    quantity: Decimal | int
    unit_cost: Decimal
    unit_price: Decimal
    name: str = ""
    list_price: Decimal | None = None


@dataclass(frozen=True)
class Labour:
    hours: Decimal | int
    rate: Decimal  # 元 per hour


@dataclass(frozen=True)
class Travel:
    """Travel as ``distance_km × rate_per_km`` or as a ``flat`` amount (one of the two)."""

    distance_km: Decimal | int | None = None
    rate_per_km: Decimal | None = None
    flat: Decimal | None = None

    def __post_init__(self) -> None:
        by_distance = self.distance_km is not None or self.rate_per_km is not None
        if by_distance == (self.flat is not None):
            raise ValueError("差旅费须按里程×单价或按包干金额计算，二者取其一")
        if by_distance and (self.distance_km is None or self.rate_per_km is None):
            raise ValueError("按里程计算差旅费须同时给出里程和单价")


@dataclass(frozen=True)
class QuoteLine:
    kind: QuoteLineKind
    code: str
    description: str
    quantity: Decimal
    unit_amount: Decimal
    amount: Decimal
    basis: Charge
    waived_amount: Decimal


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuoteLine, ...]
    parts_total: Decimal
    labour_total: Decimal
    travel_total: Decimal
    total: Decimal
    waived_total: Decimal


def _line(
    kind: QuoteLineKind,
    code: str,
    description: str,
    quantity: Decimal,
    unit_amount: Decimal,
    basis: Charge,
) -> QuoteLine:
    value = money(quantity * unit_amount)
    waived = basis is Charge.WAIVED
    return QuoteLine(
        kind=kind,
        code=code,
        description=description + ("（免收）" if waived else ""),
        quantity=quantity,
        unit_amount=unit_amount,
        amount=ZERO if waived else value,
        basis=basis,
        waived_amount=value if waived else ZERO,
    )


def _part_line(part: PartLine, basis: Charge) -> QuoteLine:
    quantity = _decimal(part.quantity, "配件数量")
    cost = _decimal(part.unit_cost, "配件成本价")
    price = _decimal(part.unit_price, "配件价格")
    unit = price if basis is Charge.AT_PRICE else cost
    label = {Charge.AT_COST: "按成本价", Charge.AT_PRICE: "按价目表价格", Charge.WAIVED: "保修"}[
        basis
    ]
    if part.list_price is not None and basis is not Charge.WAIVED:
        unit, label = _decimal(part.list_price, "收费标准配件价格"), "按收费标准价格"
    name = f" {part.name}" if part.name else ""
    return _line(
        QuoteLineKind.PART,
        part.part_code,
        Said(
            "配件 %(part_code)s%(name)s（%(label)s）",
            part_code=part.part_code,
            name=name,
            label=label,
        ),
        quantity,
        unit,
        basis,
    )


def _travel_line(travel: Travel, basis: Charge) -> QuoteLine:
    if travel.flat is not None:
        flat = _decimal(travel.flat, "差旅包干金额")
        return _line(QuoteLineKind.TRAVEL, "travel", "差旅费（包干）", Decimal(1), flat, basis)
    assert travel.distance_km is not None and travel.rate_per_km is not None
    distance = _decimal(travel.distance_km, "里程")
    rate = _decimal(travel.rate_per_km, "里程单价")
    return _line(
        QuoteLineKind.TRAVEL,
        "travel",
        Said("差旅费 %(distance)s 公里 × %(rate)s 元/公里", distance=distance, rate=rate),
        distance,
        rate,
        basis,
    )


def build_quote(
    charges: ChargeFlags,
    *,
    parts: Iterable[PartLine] = (),
    labour: Labour | None = None,
    travel: Travel | None = None,
) -> Quote:
    """Quote lines and totals for the charges of a warranty decision."""
    lines = [_part_line(part, charges.parts) for part in parts]
    if labour is not None:
        hours = _decimal(labour.hours, "工时")
        rate = _decimal(labour.rate, "工时单价")
        lines.append(
            _line(
                QuoteLineKind.LABOUR,
                "labour",
                Said("人工费 %(hours)s 小时 × %(rate)s 元/小时", hours=hours, rate=rate),
                hours,
                rate,
                charges.labour,
            )
        )
    if travel is not None:
        lines.append(_travel_line(travel, charges.travel))

    def total(kind: QuoteLineKind | None = None) -> Decimal:
        return sum((line.amount for line in lines if kind in (None, line.kind)), ZERO)

    return Quote(
        lines=tuple(lines),
        parts_total=total(QuoteLineKind.PART),
        labour_total=total(QuoteLineKind.LABOUR),
        travel_total=total(QuoteLineKind.TRAVEL),
        total=total(),
        waived_total=sum((line.waived_amount for line in lines), ZERO),
    )
