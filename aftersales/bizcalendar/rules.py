"""Business calendar rules (工作日历): pure functions over a frozen calendar value.

The calendar says, for every local date, which wall-clock periods are working time.
Precedence for one date (SPEC §3.3): administrator override > 调休 working day >
public holiday > weekly pattern.  A 7×24 calendar (``always_open``) is working time at
every instant and ignores everything else.

All arithmetic works on whole minutes: every instant passed in is truncated to the start
of its minute (``floor_to_minute``).  Period boundaries are local wall-clock times in the
calendar's time zone (Asia/Shanghai by default); they are converted to absolute instants
with ``zoneinfo`` so that counting stays correct in a zone with daylight saving time.

No Django, no ORM, no clock reads: the caller passes every instant.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

from aftersales.core.said import Said

DEFAULT_TZ = "Asia/Shanghai"
MINUTES_PER_DAY = 24 * 60
MINUTE = timedelta(minutes=1)
# How far ahead a search for working time goes before the calendar is declared empty.
SEARCH_HORIZON_DAYS = 3660

UTCInterval = tuple[datetime, datetime]


class NoWorkingTimeError(ValueError):
    """The calendar has no working time within the search horizon."""


@dataclass(frozen=True)
class Period:
    """A working period ``[start, end)`` in local wall-clock time within one day.

    ``end == time(0)`` means midnight at the end of the day (24:00), so a whole day is
    ``Period(time(0), time(0))``.  Boundaries are whole minutes.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        for value in (self.start, self.end):
            if value.tzinfo is not None:
                raise ValueError("工作时段必须使用不带时区的本地时间")
            if value.second or value.microsecond:
                raise ValueError("工作时段必须精确到整分钟")
        if self.start_minute >= self.end_minute:
            raise ValueError(
                Said("工作时段起点必须早于终点：%(start)s–%(end)s", start=self.start, end=self.end)
            )

    @property
    def start_minute(self) -> int:
        """Minutes from local midnight to the start."""
        return self.start.hour * 60 + self.start.minute

    @property
    def end_minute(self) -> int:
        """Minutes from local midnight to the end (1440 for an end at midnight)."""
        minute = self.end.hour * 60 + self.end.minute
        return MINUTES_PER_DAY if minute == 0 else minute

    @property
    def minutes(self) -> int:
        """Wall-clock length in minutes."""
        return self.end_minute - self.start_minute


@dataclass(frozen=True)
class DayRule:
    """An administrator's override of one date.

    ``working=False`` makes the date a day off.  ``working=True`` with no periods gives
    the calendar's ``normal_day`` hours; with periods, exactly those periods.
    """

    working: bool
    periods: tuple[Period, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "periods", _checked_periods(self.periods))
        if not self.working and self.periods:
            raise ValueError("休息日的覆盖规则不能带工作时段")


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours, public holidays, 调休 working days and administrator overrides."""

    weekly: Mapping[int, tuple[Period, ...]]
    normal_day: tuple[Period, ...]
    holidays: frozenset[date] = frozenset()
    adjusted_workdays: frozenset[date] = frozenset()
    overrides: Mapping[date, DayRule] = field(default_factory=dict)
    tz: str = DEFAULT_TZ
    always_open: bool = False

    def __post_init__(self) -> None:
        weekly: dict[int, tuple[Period, ...]] = {}
        for weekday, periods in self.weekly.items():
            if weekday not in range(7):
                raise ValueError(
                    Said("星期序号必须为 0（周一）到 6（周日）：%(weekday)s", weekday=weekday)
                )
            weekly[weekday] = _checked_periods(periods)
        object.__setattr__(self, "weekly", MappingProxyType(weekly))
        object.__setattr__(self, "normal_day", _checked_periods(self.normal_day))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "adjusted_workdays", frozenset(self.adjusted_workdays))
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(Said("未知时区：%(tz)s", tz=self.tz)) from error

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


def _checked_periods(periods: Iterable[Period]) -> tuple[Period, ...]:
    ordered = tuple(periods)
    for earlier, later in pairwise(ordered):
        if later.start_minute < earlier.end_minute:
            raise ValueError(
                Said(
                    "工作时段必须按时间顺序且互不重叠：%(earlier)s / %(later)s",
                    earlier=earlier,
                    later=later,
                )
            )
    return ordered


WHOLE_DAY: tuple[Period, ...] = (Period(time(0), time(0)),)
STANDARD_DAY: tuple[Period, ...] = (
    Period(time(8, 30), time(12, 0)),
    Period(time(13, 30), time(17, 30)),
)

TWENTY_FOUR_SEVEN = BusinessCalendar(
    weekly=dict.fromkeys(range(7), WHOLE_DAY),
    normal_day=WHOLE_DAY,
    always_open=True,
)


def standard_calendar(
    *,
    holidays: Iterable[date] = (),
    adjusted_workdays: Iterable[date] = (),
    overrides: Mapping[date, DayRule] | None = None,
    tz: str = DEFAULT_TZ,
) -> BusinessCalendar:
    """Mon–Fri 08:30–12:00 and 13:30–17:30 with the given holidays and 调休 days."""
    return BusinessCalendar(
        weekly={weekday: STANDARD_DAY for weekday in range(5)},
        normal_day=STANDARD_DAY,
        holidays=frozenset(holidays),
        adjusted_workdays=frozenset(adjusted_workdays),
        overrides=dict(overrides or {}),
        tz=tz,
    )


def china_public_holidays(years: Iterable[int]) -> tuple[frozenset[date], frozenset[date]]:
    """Chinese public holidays and 调休 working days for ``years`` from the holiday library.

    Returns ``(holidays, adjusted_workdays)``, both restricted to the requested years.
    Years without an official schedule in the library get its rule-based holidays and no
    调休 days; the administrator confirms such a year (SPEC §3.3).
    """
    wanted = sorted(set(years))
    if not wanted:
        return frozenset(), frozenset()
    table = holidays_lib.China(years=wanted)
    year_set = set(wanted)
    days_off = frozenset(day for day in table if day.year in year_set)
    workdays = frozenset(day for day in table.weekend_workdays if day.year in year_set)
    return days_off, workdays


def periods_on(cal: BusinessCalendar, day: date) -> tuple[Period, ...]:
    """The working periods of a local date, after applying the precedence rules."""
    if cal.always_open:
        return WHOLE_DAY
    rule = cal.overrides.get(day)
    if rule is not None:
        if not rule.working:
            return ()
        return rule.periods or cal.normal_day
    if day in cal.adjusted_workdays:
        return cal.normal_day
    if day in cal.holidays:
        return ()
    return cal.weekly.get(day.weekday(), ())


def floor_to_minute(instant: datetime) -> datetime:
    """The start of the minute containing ``instant``, in UTC.  ``instant`` must be aware."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("时间必须带时区（aware datetime）")
    return instant.astimezone(UTC).replace(second=0, microsecond=0)


def to_local(cal: BusinessCalendar, instant: datetime) -> datetime:
    """``instant`` expressed in the calendar's time zone."""
    return instant.astimezone(cal.zone)


def _wall_to_utc(day: date, minute: int, zone: ZoneInfo) -> datetime:
    days, minute_of_day = divmod(minute, MINUTES_PER_DAY)
    local_day = day + timedelta(days=days)
    hour, minute_in_hour = divmod(minute_of_day, 60)
    return datetime.combine(local_day, time(hour, minute_in_hour), tzinfo=zone).astimezone(UTC)


def day_intervals(cal: BusinessCalendar, day: date) -> tuple[UTCInterval, ...]:
    """The working periods of a local date as absolute UTC intervals, in order."""
    zone = cal.zone
    intervals: list[UTCInterval] = []
    previous_end: datetime | None = None
    for period in periods_on(cal, day):
        start = _wall_to_utc(day, period.start_minute, zone)
        end = _wall_to_utc(day, period.end_minute, zone)
        if previous_end is not None and start < previous_end:
            start = previous_end  # a repeated wall-clock hour must not be counted twice
        if end > start:
            intervals.append((start, end))
            previous_end = end
    return tuple(intervals)


def working_intervals(
    cal: BusinessCalendar, start: datetime, end: datetime | None = None
) -> Iterator[UTCInterval]:
    """Working time in ``[start, end)`` as consecutive UTC intervals, clipped to the bounds.

    Both bounds are truncated to the minute.  Without ``end`` the search goes on for
    ``SEARCH_HORIZON_DAYS`` days and then stops.
    """
    lower = floor_to_minute(start)
    upper = floor_to_minute(end) if end is not None else lower + timedelta(SEARCH_HORIZON_DAYS)
    if upper <= lower:
        return
    if cal.always_open:
        yield lower, upper
        return
    zone = cal.zone
    day = lower.astimezone(zone).date()
    last_day = upper.astimezone(zone).date()
    while day <= last_day:
        for interval_start, interval_end in day_intervals(cal, day):
            clipped_start = max(interval_start, lower)
            clipped_end = min(interval_end, upper)
            if clipped_start < clipped_end:
                yield clipped_start, clipped_end
        day += timedelta(days=1)


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from ``start`` to ``end`` (both minute-aligned)."""
    return int((end - start).total_seconds()) // 60


def is_working_minute(cal: BusinessCalendar, instant: datetime) -> bool:
    """Whether the minute ``[instant, instant + 1 min)`` is working time."""
    minute = floor_to_minute(instant)
    if cal.always_open:
        return True
    local_day = minute.astimezone(cal.zone).date()
    return any(start <= minute < end for start, end in day_intervals(cal, local_day))


def working_minutes_on(cal: BusinessCalendar, day: date) -> int:
    """Working minutes of a local date (real elapsed minutes)."""
    return sum(minutes_between(start, end) for start, end in day_intervals(cal, day))


def working_day_minutes(cal: BusinessCalendar) -> int:
    """Working minutes of one normal working day: the unit of a "working day" target."""
    return sum(period.minutes for period in cal.normal_day)


def next_working_instant(cal: BusinessCalendar, instant: datetime) -> datetime:
    """The start of the first working minute at or after ``instant`` (truncated to the minute).

    Returned in the calendar's time zone.  Raises ``NoWorkingTimeError`` when there is no
    working time within the search horizon.
    """
    for start, _end in working_intervals(cal, instant):
        return to_local(cal, start)
    raise NoWorkingTimeError("工作日历在可查找范围内没有工作时间")


def add_working_minutes(cal: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """The earliest instant with exactly ``minutes`` working minutes in ``[start, result)``.

    ``minutes == 0`` returns ``start`` itself (truncated to the minute).
    """
    if minutes < 0:
        raise ValueError("分钟数不能为负")
    lower = floor_to_minute(start)
    if minutes == 0:
        return to_local(cal, lower)
    remaining = minutes
    for interval_start, interval_end in working_intervals(cal, lower):
        length = minutes_between(interval_start, interval_end)
        if remaining <= length:
            return to_local(cal, interval_start + remaining * MINUTE)
        remaining -= length
    raise NoWorkingTimeError("工作日历在可查找范围内没有足够的工作时间")


def working_minutes_between(cal: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Working minutes in ``[start, end)``; zero when ``end`` is not after ``start``."""
    return sum(minutes_between(s, e) for s, e in working_intervals(cal, start, end))
