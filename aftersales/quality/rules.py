"""Pure rules of the quality warning: the calendar window around a day and whether a count
crosses a threshold (no ORM, no clock; the caller passes the day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

WINDOWS = ("month", "quarter", "year")


def window(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """``[start, end)`` of the calendar month, quarter or year that contains ``day``."""
    if kind == "month":
        start = day.replace(day=1)
        end = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    elif kind == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        start = dt.date(day.year, first, 1)
        end = dt.date(day.year + (first == 10), (first + 2) % 12 + 1, 1)
    elif kind == "year":
        start, end = dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1)
    else:
        raise ValueError(f"unknown window {kind!r}")
    return start, end


def crossed(
    count: int, installed_units: int, min_count: int | None, min_rate: Decimal | None
) -> bool:
    """Every criterion that is set must be met; a rate needs installed units to exist."""
    if min_count is None and min_rate is None:
        return False
    if min_count is not None and count < min_count:
        return False
    if min_rate is not None:
        if installed_units <= 0:
            return False
        if Decimal(count) < min_rate * installed_units:  # count / units >= rate, exact
            return False
    return True


def months_back(end: dt.date, n: int) -> list[dt.date]:
    """The first days of the ``n`` months ending with the month before ``end`` (exclusive
    end of a window), oldest first."""
    out = []
    y, m = end.year, end.month
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(dt.date(y, m, 1))
    return out[::-1]
