"""Pure tests of the business calendar rules (no database, no Django settings)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.bizcalendar.rules import (
    STANDARD_DAY,
    TWENTY_FOUR_SEVEN,
    BusinessCalendar,
    DayRule,
    NoWorkingTimeError,
    Period,
    add_working_minutes,
    china_public_holidays,
    floor_to_minute,
    is_working_minute,
    next_working_instant,
    periods_on,
    standard_calendar,
    working_day_minutes,
    working_intervals,
    working_minutes_between,
    working_minutes_on,
)

SH = ZoneInfo("Asia/Shanghai")
HOLIDAYS_2026, WORKDAYS_2026 = china_public_holidays([2026])
CAL = standard_calendar(holidays=HOLIDAYS_2026, adjusted_workdays=WORKDAYS_2026)
PLAIN = standard_calendar()


def sh(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SH)


# --- values -----------------------------------------------------------------------------


def test_period_minutes_and_midnight_end() -> None:
    assert Period(time(8, 30), time(12, 0)).minutes == 210
    whole = Period(time(0), time(0))
    assert (whole.start_minute, whole.end_minute, whole.minutes) == (0, 1440, 1440)
    assert Period(time(20, 0), time(0)).minutes == 240


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (time(12, 0), time(8, 30)),
        (time(9, 0), time(9, 0)),
        (time(9, 0, 30), time(10, 0)),
        (time(9, 0), time(10, 0, 0, 1)),
        (time(9, 0, tzinfo=UTC), time(10, 0)),
    ],
)
def test_period_rejects_bad_bounds(start: time, end: time) -> None:
    with pytest.raises(ValueError):
        Period(start, end)


def test_calendar_rejects_overlapping_periods_bad_weekday_and_zone() -> None:
    with pytest.raises(ValueError):
        BusinessCalendar(
            weekly={0: (Period(time(8), time(12)), Period(time(11), time(13)))},
            normal_day=STANDARD_DAY,
        )
    with pytest.raises(ValueError):
        BusinessCalendar(weekly={7: STANDARD_DAY}, normal_day=STANDARD_DAY)
    with pytest.raises(ValueError):
        BusinessCalendar(weekly={}, normal_day=STANDARD_DAY, tz="Mars/Olympus")
    with pytest.raises(ValueError):
        DayRule(working=False, periods=(Period(time(9), time(10)),))


def test_calendar_is_frozen() -> None:
    with pytest.raises(AttributeError):
        CAL.tz = "UTC"  # type: ignore[misc]
    with pytest.raises(TypeError):
        CAL.overrides[date(2026, 1, 1)] = DayRule(working=True)  # type: ignore[index]


# --- holidays from the library ------------------------------------------------------------


def test_china_2026_schedule() -> None:
    for day in (date(2026, 9, 25), *(date(2026, 10, d) for d in (1, 2, 3, 5, 6, 7))):
        assert day in HOLIDAYS_2026
    assert date(2026, 9, 20) in WORKDAYS_2026
    assert date(2026, 10, 10) in WORKDAYS_2026
    assert all(day.year == 2026 for day in HOLIDAYS_2026 | WORKDAYS_2026)
    assert china_public_holidays([]) == (frozenset(), frozenset())


# --- precedence -------------------------------------------------------------------------


def test_weekly_pattern() -> None:
    assert periods_on(PLAIN, date(2026, 9, 16)) == STANDARD_DAY  # Wednesday
    assert periods_on(PLAIN, date(2026, 9, 19)) == ()  # Saturday


def test_holiday_beats_weekly_pattern() -> None:
    for day in (date(2026, 9, 25), *(date(2026, 10, d) for d in range(1, 8))):
        assert periods_on(CAL, day) == (), day
        assert working_minutes_on(CAL, day) == 0, day


def test_adjusted_workday_beats_weekend_and_has_normal_hours() -> None:
    assert date(2026, 9, 20).weekday() == 6
    assert date(2026, 10, 10).weekday() == 5
    assert periods_on(CAL, date(2026, 9, 20)) == STANDARD_DAY
    assert working_minutes_on(CAL, date(2026, 10, 10)) == 450


def test_adjusted_workday_beats_holiday() -> None:
    day = date(2026, 5, 6)
    cal = standard_calendar(holidays={day}, adjusted_workdays={day})
    assert periods_on(cal, day) == STANDARD_DAY


def test_override_beats_adjusted_workday_and_holiday() -> None:
    afternoon = (Period(time(14, 0), time(16, 0)),)
    cal = standard_calendar(
        holidays=HOLIDAYS_2026,
        adjusted_workdays=WORKDAYS_2026,
        overrides={
            date(2026, 9, 20): DayRule(working=False),  # 调休 Sunday made a day off
            date(2026, 10, 2): DayRule(working=True),  # holiday duty with normal hours
            date(2026, 10, 3): DayRule(working=True, periods=afternoon),
            date(2026, 9, 16): DayRule(working=False),  # plain Wednesday closed
        },
    )
    assert periods_on(cal, date(2026, 9, 20)) == ()
    assert periods_on(cal, date(2026, 10, 2)) == STANDARD_DAY
    assert periods_on(cal, date(2026, 10, 3)) == afternoon
    assert working_minutes_on(cal, date(2026, 10, 3)) == 120
    assert periods_on(cal, date(2026, 9, 16)) == ()


def test_always_open_ignores_holidays_and_overrides() -> None:
    cal = BusinessCalendar(
        weekly={},
        normal_day=STANDARD_DAY,
        holidays=frozenset({date(2026, 10, 1)}),
        overrides={date(2026, 10, 2): DayRule(working=False)},
        always_open=True,
    )
    assert working_minutes_on(cal, date(2026, 10, 1)) == 1440
    assert working_minutes_on(cal, date(2026, 10, 2)) == 1440
    assert working_minutes_on(TWENTY_FOUR_SEVEN, date(2026, 10, 4)) == 1440


# --- minutes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "working"),
    [
        (sh(2026, 9, 16, 8, 29), False),
        (sh(2026, 9, 16, 8, 29, 59), False),
        (sh(2026, 9, 16, 8, 30), True),
        (sh(2026, 9, 16, 11, 59), True),
        (sh(2026, 9, 16, 12, 0), False),
        (sh(2026, 9, 16, 13, 29), False),
        (sh(2026, 9, 16, 13, 30), True),
        (sh(2026, 9, 16, 17, 29), True),
        (sh(2026, 9, 16, 17, 30), False),
        (sh(2026, 9, 20, 10, 0), True),  # 调休 Sunday
        (sh(2026, 10, 8, 10, 0), True),
        (sh(2026, 10, 7, 10, 0), False),  # holiday
        (datetime(2026, 9, 16, 1, 0, tzinfo=UTC), True),  # 09:00 in Shanghai
    ],
)
def test_is_working_minute(instant: datetime, working: bool) -> None:
    assert is_working_minute(CAL, instant) is working


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        is_working_minute(CAL, datetime(2026, 9, 16, 9, 0))
    with pytest.raises(ValueError):
        floor_to_minute(datetime(2026, 9, 16, 9, 0))


def test_working_minutes_on_days() -> None:
    assert working_minutes_on(CAL, date(2026, 9, 16)) == 450
    assert working_minutes_on(CAL, date(2026, 9, 19)) == 0
    assert working_day_minutes(CAL) == 450
    assert working_day_minutes(TWENTY_FOUR_SEVEN) == 1440


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (sh(2026, 9, 16, 7, 0), sh(2026, 9, 16, 8, 30)),
        (sh(2026, 9, 16, 9, 15, 40), sh(2026, 9, 16, 9, 15)),
        (sh(2026, 9, 16, 12, 0), sh(2026, 9, 16, 13, 30)),
        (sh(2026, 9, 18, 17, 30), sh(2026, 9, 20, 8, 30)),  # Fri evening → 调休 Sunday
        (sh(2026, 9, 24, 18, 0), sh(2026, 9, 28, 8, 30)),  # Thu → 中秋 Fri, weekend → Mon
        (sh(2026, 9, 30, 17, 45), sh(2026, 10, 8, 8, 30)),
    ],
)
def test_next_working_instant(instant: datetime, expected: datetime) -> None:
    result = next_working_instant(CAL, instant)
    assert result == expected
    assert result.tzinfo == SH


def test_next_working_instant_on_empty_calendar() -> None:
    empty = BusinessCalendar(weekly={}, normal_day=STANDARD_DAY)
    with pytest.raises(NoWorkingTimeError):
        next_working_instant(empty, sh(2026, 1, 1))


def test_add_working_minutes_straddles_lunch_and_closing() -> None:
    assert add_working_minutes(CAL, sh(2026, 9, 16, 11, 30), 60) == sh(2026, 9, 16, 14, 0)
    assert add_working_minutes(CAL, sh(2026, 9, 16, 17, 0), 30) == sh(2026, 9, 16, 17, 30)
    assert add_working_minutes(CAL, sh(2026, 9, 16, 17, 0), 31) == sh(2026, 9, 17, 8, 31)
    assert add_working_minutes(CAL, sh(2026, 9, 16, 20, 0), 0) == sh(2026, 9, 16, 20, 0)
    with pytest.raises(ValueError):
        add_working_minutes(CAL, sh(2026, 9, 16, 9, 0), -1)


def test_working_minutes_between() -> None:
    # Wed 11:00 → Thu 09:00: 60 + 240 + 30
    assert working_minutes_between(CAL, sh(2026, 9, 16, 11, 0), sh(2026, 9, 17, 9, 0)) == 330
    assert working_minutes_between(CAL, sh(2026, 9, 17, 9, 0), sh(2026, 9, 16, 11, 0)) == 0
    # a full normal week Mon 21 .. Fri 25 Sept 2026 has 中秋 on Friday
    assert working_minutes_between(CAL, sh(2026, 9, 21, 0, 0), sh(2026, 9, 26, 0, 0)) == 4 * 450


def test_working_intervals_are_clipped() -> None:
    intervals = list(working_intervals(CAL, sh(2026, 9, 16, 9, 0), sh(2026, 9, 16, 14, 0)))
    assert intervals == [
        (sh(2026, 9, 16, 9, 0), sh(2026, 9, 16, 12, 0)),
        (sh(2026, 9, 16, 13, 30), sh(2026, 9, 16, 14, 0)),
    ]


# --- daylight saving time ---------------------------------------------------------------------


def test_daylight_saving_days_count_real_minutes() -> None:
    berlin = BusinessCalendar(
        weekly=dict.fromkeys(range(7), (Period(time(0), time(0)),)),
        normal_day=STANDARD_DAY,
        tz="Europe/Berlin",
    )
    assert working_minutes_on(berlin, date(2026, 3, 29)) == 23 * 60
    assert working_minutes_on(berlin, date(2026, 10, 25)) == 25 * 60
    start = datetime(2026, 3, 29, 1, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    # 60 real minutes after 01:00 CET is 03:00 CEST
    assert add_working_minutes(berlin, start, 60) == datetime(
        2026, 3, 29, 3, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )


# --- properties ----------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2026, 9, 1), max_value=datetime(2026, 10, 31), timezones=st.just(SH)
)


@settings(max_examples=200, deadline=None)
@given(start=instants, minutes=st.integers(min_value=0, max_value=5 * 450))
def test_adding_then_counting_round_trips(start: datetime, minutes: int) -> None:
    end = add_working_minutes(CAL, start, minutes)
    assert working_minutes_between(CAL, start, end) == minutes
    if minutes:
        assert is_working_minute(CAL, end - timedelta(minutes=1))


@settings(max_examples=100, deadline=None)
@given(start=instants, span=st.integers(min_value=0, max_value=3 * 24 * 60))
def test_counting_agrees_with_minute_by_minute(start: datetime, span: int) -> None:
    first = floor_to_minute(start)
    brute = sum(
        1 for offset in range(span) if is_working_minute(CAL, first + timedelta(minutes=offset))
    )
    assert working_minutes_between(CAL, first, first + timedelta(minutes=span)) == brute
