"""Reads of the part master and the price lists."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import Upper

from aftersales.catalog.models import Part, PriceList, PriceListItem
from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said


def code_key(code: str | None) -> str:
    """How a typed part code is matched: trimmed, case-insensitive (``psu-5v`` = ``PSU-5V``)."""
    return (code or "").strip().upper()


def parts_by_code(codes: Iterable[str | None]) -> dict[str, Part]:
    """The active parts of the typed codes, by ``code_key`` — the one home of part-code
    matching for every form and API (补件、退货、报价、服务报告, 9#4)."""
    keys = {code_key(c) for c in codes} - {""}
    found: dict[str, Part] = {}
    for part in Part.objects.active().annotate(key=Upper("code")).filter(key__in=keys):
        key = code_key(part.code)
        if key in found:
            raise ValidationFailed(
                Said(
                    "配件编码「%(code)s」与「%(code2)s」仅大小写不同，请管理员修正",
                    code=part.code,
                    code2=found[key].code,
                ),
                field="lines",
            )
        found[key] = part
    return found


def price_list_on(day: date) -> PriceList | None:
    """The price list in force on ``day``: valid_from ≤ day ≤ valid_to (open-ended when
    valid_to is empty); of several, the default one, then the latest to take effect."""
    return (
        PriceList.objects.active()
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)
        .order_by("-is_default", "-valid_from", "-id")
        .first()
    )


def list_prices(price_list: PriceList, part_ids: list[int]) -> dict[int, Decimal]:
    """The list's price of each listed part (by part id)."""
    return dict(
        PriceListItem.objects.active()
        .filter(price_list=price_list, part_id__in=part_ids)
        .values_list("part_id", "price")
    )
