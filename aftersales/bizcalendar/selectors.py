"""Reads of the business calendar: the pure ``BusinessCalendar`` built from the tables.

Built once per process and kept a minute (``core.cache.TimedCache``) (it is read on every ticket); the
services of this app drop the cache on change, other processes see a change within that time.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext

from aftersales.bizcalendar.models import CalendarDay, CalendarYear, WorkingPattern
from aftersales.bizcalendar.rules import BusinessCalendar, DayRule, Period
from aftersales.core.cache import TimedCache

_CALENDARS: TimedCache[BusinessCalendar] = TimedCache()


def invalidate() -> None:
    _CALENDARS.clear()


def _period(start: dt.time | str, end: dt.time | str) -> Period:
    s = start if isinstance(start, dt.time) else dt.time.fromisoformat(start)
    e = end if isinstance(end, dt.time) else dt.time.fromisoformat(end)
    return Period(s, e)


def build_calendar(pattern: WorkingPattern | None = None) -> BusinessCalendar:
    pattern = pattern or WorkingPattern.objects.active().filter(is_default=True).first()
    weekly: dict[int, list[Period]] = {d: [] for d in range(7)}
    if pattern is not None:
        for p in pattern.periods.all():
            weekly[p.weekday].append(_period(p.start, p.end))
    weekly_t = {d: tuple(sorted(v, key=lambda p: p.start)) for d, v in weekly.items()}
    normal_day = next((v for d, v in sorted(weekly_t.items()) if v), ())
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    overrides: dict[dt.date, DayRule] = {}
    for row in CalendarDay.objects.active().only("date", "source", "working", "periods"):
        if row.source == CalendarDay.Source.ADMIN:
            periods = tuple(_period(a, b) for a, b in row.periods or [])
            overrides[row.date] = DayRule(working=row.working, periods=periods)
        elif row.working:
            workdays.add(row.date)
        else:
            holidays.add(row.date)
    return BusinessCalendar(
        weekly=weekly_t,
        normal_day=normal_day,
        holidays=frozenset(holidays),
        adjusted_workdays=frozenset(workdays),
        overrides=overrides,
    )


def business_calendar(pattern_code: str | None = None) -> BusinessCalendar:
    def load() -> BusinessCalendar:
        active = WorkingPattern.objects.active()
        return build_calendar(active.filter(code=pattern_code).first() if pattern_code else None)

    return _CALENDARS.get(pattern_code or "", load)


def confirmation_warning(years: list[int]) -> str:
    """What an administrator is told about years whose holidays are not yet official."""
    named = gettext("、").join(gettext("%(y)s年") % {"y": y} for y in years)
    return gettext(
        "%(years)s的节假日与调休按规则推算，尚未按国务院办公厅放假通知核对：服务时限可能算错。"
        "请在工作日历中核对并确认。"
    ) % {"years": named}


def years_to_confirm(today: dt.date | None = None) -> list[int]:
    """This year and next whose holidays are rule-based and not yet confirmed by an admin."""
    today = today or timezone.localdate()
    years = {today.year, today.year + 1}
    rows = {cy.year: cy for cy in CalendarYear.objects.filter(year__in=years)}
    return sorted(y for y in years if y not in rows or rows[y].needs_confirmation)
