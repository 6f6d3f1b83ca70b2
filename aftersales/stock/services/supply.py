"""Spare-parts supply of the parts in stock (SPEC §11: parts for discontinued models kept for
the guaranteed years): each part's supply from the product models it is linked to
(``Part.product_models`` and their ``parts_supply_years``). A part whose supply period has
ended is flagged; one still in it is never proposed for scrap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from aftersales.catalog.models import Part
from aftersales.installed_base.supply import PartsSupply, part_supply, parts_supply

UNLINKED = "未关联适用型号"


def supplies(part_ids: Iterable[int], today: dt.date | None = None) -> dict[int, PartsSupply]:
    """The supply of each part linked to a model (parts linked to none are left out)."""
    today = today or timezone.localdate()
    by_part: dict[int, list[PartsSupply]] = defaultdict(list)
    links = Part.product_models.through.objects.filter(part_id__in=set(part_ids)).values_list(
        "part_id", "productmodel__discontinued_on", "productmodel__parts_supply_years"
    )
    for part_id, discontinued_on, years in links:
        by_part[part_id].append(parts_supply(discontinued_on, years, today))
    out = {}
    for part_id, rules in by_part.items():
        found = part_supply(rules)
        if found is not None:
            out[part_id] = found
    return out
