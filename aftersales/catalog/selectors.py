"""Reads of the part master and the price lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q

from aftersales.catalog.models import PriceList, PriceListItem


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
