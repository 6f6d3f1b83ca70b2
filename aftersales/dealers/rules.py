"""Pure rules of the dealer domain (plain values in, plain values out; no ORM, no clock)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

HOURS = "hours"


def stocking_due(starts_on: dt.date, lead: Decimal, unit: str, tz: dt.tzinfo) -> dt.datetime:
    """When a season's stocking plan is due: ``lead`` (the rule's amount) before the first
    local instant of the season — 30 days before a season starting 3-01 is 0:00 on 1-30, so a
    plan sent that day is already less than 30 days ahead. Working days count as calendar
    days here (the lead time is a sales term, not an office one)."""
    if lead < 0:
        raise ValueError("提前量不能为负")
    start = dt.datetime.combine(starts_on, dt.time(0, 0), tzinfo=tz)
    per_unit = 60 if unit == HOURS else 24 * 60
    minutes = int((lead * per_unit).to_integral_value(ROUND_HALF_UP))
    return start - dt.timedelta(minutes=minutes)
