"""Pure deadline arithmetic: no ORM, no clock. Calendar days and clock hours as the seeds
count them (SPEC §4/§5), working days on the business calendar of the SLA engine."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from aftersales.bizcalendar.rules import (
    BusinessCalendar,
    add_working_minutes,
    working_day_minutes,
)
from aftersales.core.said import Said

HOURS = "hours"
CALENDAR_DAYS = "calendar_days"
WORKING_DAYS = "working_days"


def due_at(
    start: dt.datetime, amount: Decimal, unit: str, calendar: BusinessCalendar | None = None
) -> dt.datetime:
    """The due instant of a step started at ``start`` (aware) lasting ``amount`` ``unit``."""
    if start.tzinfo is None:
        raise ValueError("起算时间必须带时区")
    if amount < 0:
        raise ValueError("时长不能为负")
    if unit == HOURS:
        return start + dt.timedelta(minutes=int((amount * 60).to_integral_value(ROUND_HALF_UP)))
    if unit == CALENDAR_DAYS:
        return start + dt.timedelta(
            minutes=int((amount * 24 * 60).to_integral_value(ROUND_HALF_UP))
        )
    if unit == WORKING_DAYS:
        if calendar is None:
            raise ValueError("按工作日计算需要工作日历")
        per_day = working_day_minutes(calendar)
        minutes = int((amount * per_day).to_integral_value(ROUND_HALF_UP))
        return add_working_minutes(calendar, start, minutes)
    raise ValueError(Said("未知的时限单位：%(unit)s", unit=unit))


def end_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """A promise "by that date" is kept until the end of that local day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)


def remind_at(due: dt.datetime, start: dt.datetime, before_minutes: int) -> dt.datetime | None:
    """The reminder instant: ``before_minutes`` before the due time, never before the start."""
    if before_minutes <= 0:
        return None
    return max(start, due - dt.timedelta(minutes=before_minutes))
