"""Pure return rules (no ORM, no clock): may these goods be returned under the product
line's rule (SPEC §5.8), and who pays the freight of a dealer stock return (§5.9)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from aftersales.core.said import Said


@dataclass(frozen=True)
class Condition:
    code: str
    label: str


@dataclass(frozen=True)
class RuleData:
    name: str
    period_days: int
    receipt_required: bool
    resaleable_required: bool
    non_returnable: tuple[Condition, ...] = ()
    repair_instead: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Goods:
    sale_date: dt.date | None
    has_receipt: bool
    resaleable: bool
    conditions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Verdict:
    returnable: bool
    repair_instead: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, object]:
        return {
            "returnable": self.returnable,
            "repair_instead": self.repair_instead,
            "reasons": list(self.reasons),
        }


def check(rule: RuleData, goods: Goods, today: dt.date) -> Verdict:
    """Not returnable: past the period, no receipt when one is needed, not resaleable, or a
    non-returnable condition. Otherwise a repair-instead condition gives a free repair."""
    reasons: list[str] = []
    if goods.sale_date is None:
        reasons.append("未提供销售日期")
    elif goods.sale_date > today:
        reasons.append("销售日期不能晚于今天")
    elif (today - goods.sale_date).days > rule.period_days:
        reasons.append(
            Said(
                "已超过退换期限（自销售之日起%(period_days)s天，销售于 %(sale_date)s）",
                period_days=rule.period_days,
                sale_date=format(goods.sale_date, "%Y-%m-%d"),
            )
        )
    if rule.receipt_required and not goods.has_receipt:
        reasons.append("无销售票据")
    if rule.resaleable_required and not goods.resaleable:
        reasons.append("商品已影响再销售")
    for c in rule.non_returnable:
        if c.code in goods.conditions:
            reasons.append(c.label)
    if reasons:
        return Verdict(False, False, tuple(reasons))
    repairs = tuple(c.label for c in rule.repair_instead if c.code in goods.conditions)
    if repairs:
        return Verdict(False, True, repairs)
    return Verdict(True, False, ())


@dataclass(frozen=True)
class Freight:
    payer: str  # "company" / "dealer"
    restoration_labour: Decimal | None
    note: str


def freight(cause: str, restoration_labour: Decimal | None = None) -> Freight:
    """003 #11 §三(二)9: the company pays for quality defects; the dealer pays for damage it
    caused (plus the restoration labour) and for unsold goods."""
    if cause == "quality_defect":
        return Freight("company", None, "产品质量问题，运费由公司承担")
    if cause == "dealer_damage":
        if restoration_labour is None:
            raise ValueError("经销商原因损坏须注明修复人工费")
        return Freight("dealer", restoration_labour, "经销商原因损坏，运费及修复人工费由经销商承担")
    if cause == "unsold":
        return Freight("dealer", None, "滞销退货，运费由经销商承担")
    raise ValueError(Said("未知的退货原因类别：%(cause)s", cause=cause))


APPAREL = RuleData(
    name="服装退换规则",
    period_days=7,
    receipt_required=True,
    resaleable_required=True,
    non_returnable=(
        Condition("cut_washed", "服装被切割、水洗、人为拆卸或开裂"),
        Condition("clearance", "销售时已标明处理品"),
    ),
    repair_instead=(
        Condition("seam_open", "服装开线（免费维修）"),
        Condition("wrinkled", "衣服起皱（免费熨烫）"),
        Condition("pilling", "毛衣小面积起球、脱针（免费开线修复）"),
    ),
)
