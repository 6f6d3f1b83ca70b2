"""The stock dashboard (库存看板, SPEC §11 screens): stock value by location, the slow movers
by colour and the largest red ones, the loaner pool by state — figures for cards and the
ECharts charts, all from the user's visible rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from aftersales.core.visibility import visible
from aftersales.stock import selectors
from aftersales.stock.models import Loan, LoanerState, LoanerUnit
from aftersales.stock.services import flags

CENT = Decimal("0.01")


def figures(user: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    levels = selectors.levels(user, selectors.LevelFilters())
    by_place = list(
        levels.order_by()
        .values("warehouse__code", "warehouse__name")
        .annotate(units=Sum("quantity"), amount=Sum(selectors.VALUE))
        .order_by("-amount", "warehouse__code")
    )
    slow = flags.slow_moving(user, flag="any", now=now)
    colours = {
        colour: [r for r in slow if r.flag == colour] for colour in (flags.YELLOW, flags.RED)
    }
    red_parts: dict[str, Decimal] = {}
    for r in colours[flags.RED]:
        red_parts[r.part_code] = red_parts.get(r.part_code, Decimal(0)) + r.value
    units = visible(LoanerUnit, user).filter(archived_at__isnull=True)
    pool = dict(units.order_by().values_list("state").annotate(n=Count("id")))
    loans = visible(Loan, user).filter(returned_at__isnull=True)
    totals = selectors.totals(levels)
    return {
        "units": totals["units"],
        "value": totals["value"],
        "yellow": len(colours[flags.YELLOW]),
        "red": len(colours[flags.RED]),
        "red_value": sum((r.value for r in colours[flags.RED]), Decimal(0)).quantize(CENT),
        "scrap_proposed": sum(1 for r in colours[flags.RED] if r.scrap_proposed),
        "open_loans": loans.count(),
        "overdue_loans": loans.filter(due_back__lt=timezone.localdate(now)).count(),
        "chart": {
            "places": [
                [p["warehouse__name"], str(Decimal(p["amount"] or 0).quantize(CENT))]
                for p in by_place
            ],
            "slow": [
                {
                    "name": flags.FLAG_LABELS[c],
                    "value": str(sum((r.value for r in rows), Decimal(0)).quantize(CENT)),
                }
                for c, rows in colours.items()
            ],
            "red_parts": [
                [code, str(value.quantize(CENT))]
                for code, value in sorted(red_parts.items(), key=lambda kv: -kv[1])[:10]
            ],
            "pool": [
                {"name": label, "value": pool.get(state, 0)} for state, label in LoanerState.choices
            ],
        },
    }
