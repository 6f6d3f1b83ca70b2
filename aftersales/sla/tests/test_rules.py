"""Pure tests of the SLA rules (no database, no Django settings).

Expected values are worked out by hand on the standard calendar (Mon–Fri 08:30–12:00 and
13:30–17:30) with the 2026 China schedule: 2026-09-25 (中秋) and 2026-10-01..07 (国庆)
are days off; Sunday 2026-09-20 and Saturday 2026-10-10 are 调休 working days.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.bizcalendar.rules import (
    TWENTY_FOUR_SEVEN,
    DayRule,
    china_public_holidays,
    is_working_minute,
    standard_calendar,
)
from aftersales.sla.rules import (
    ClockPausedError,
    ClockStatus,
    Pause,
    PauseLike,
    counted_minutes,
    due,
    evaluate_clock,
    merge_pauses,
)

SH = ZoneInfo("Asia/Shanghai")
HOLIDAYS_2026, WORKDAYS_2026 = china_public_holidays([2026])
CAL = standard_calendar(holidays=HOLIDAYS_2026, adjusted_workdays=WORKDAYS_2026)


def sh(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SH)


# --- acceptance examples --------------------------------------------------------------------


def test_national_day_example() -> None:
    # Wed 2026-09-30 17:00 → 17:30 is 30 min; Oct 1–7 off; Oct 8 08:30 + 30 min
    assert due(sh(2026, 9, 30, 17, 0), 60, CAL) == sh(2026, 10, 8, 9, 0)


def test_due_can_be_a_closing_instant() -> None:
    assert due(sh(2026, 9, 16, 17, 0), 30, CAL) == sh(2026, 9, 16, 17, 30)
    assert due(sh(2026, 9, 16, 11, 0), 60, CAL) == sh(2026, 9, 16, 12, 0)
    assert due(sh(2026, 9, 16, 17, 0), 31, CAL) == sh(2026, 9, 17, 8, 31)


def test_due_is_in_shanghai_time_whatever_the_input_zone() -> None:
    start = datetime(2026, 9, 16, 9, 0, tzinfo=ZoneInfo("UTC"))  # 17:00 in Shanghai
    result = due(start, 30, CAL)
    assert result == sh(2026, 9, 16, 17, 30)
    assert result.tzinfo == SH


@pytest.mark.parametrize(
    ("pause", "expected"),
    [
        # one working day from Wed 09:00 is Thu 09:00 (180 + 240 + 30)
        (None, sh(2026, 9, 17, 9, 0)),
        # 2 h of pure working time: due moves by 120 working minutes
        ((sh(2026, 9, 16, 10, 0), sh(2026, 9, 16, 12, 0)), sh(2026, 9, 17, 11, 0)),
        # 11:00–13:00 holds only 60 working minutes (lunch is not working time)
        ((sh(2026, 9, 16, 11, 0), sh(2026, 9, 16, 13, 0)), sh(2026, 9, 17, 10, 0)),
        # a pause in the evening holds no working time
        ((sh(2026, 9, 16, 18, 0), sh(2026, 9, 16, 20, 0)), sh(2026, 9, 17, 9, 0)),
        # 16:30–18:30 holds 60 working minutes
        ((sh(2026, 9, 16, 16, 30), sh(2026, 9, 16, 18, 30)), sh(2026, 9, 17, 10, 0)),
    ],
)
def test_pausing_moves_due_by_the_paused_working_time(
    pause: tuple[datetime, datetime] | None, expected: datetime
) -> None:
    pauses = [pause] if pause else []
    assert due(sh(2026, 9, 16, 9, 0), 450, CAL, pauses) == expected


def test_national_day_example_paused_two_hours() -> None:
    # paused Oct 8 08:30–10:30 (120 working minutes): 09:00 + 120 → 11:00
    pause = Pause(sh(2026, 10, 8, 8, 30), sh(2026, 10, 8, 10, 30), "等待客户")
    assert due(sh(2026, 9, 30, 17, 0), 60, CAL, [pause]) == sh(2026, 10, 8, 11, 0)


def test_start_outside_working_time_counts_from_next_working_minute() -> None:
    assert due(sh(2026, 9, 16, 6, 0), 30, CAL) == sh(2026, 9, 16, 9, 0)
    assert due(sh(2026, 9, 16, 12, 15), 30, CAL) == sh(2026, 9, 16, 14, 0)
    # Thu 18:00 → Fri 25 中秋, weekend → Mon 28 08:30 + 60
    assert due(sh(2026, 9, 24, 18, 0), 60, CAL) == sh(2026, 9, 28, 9, 30)


def test_lunch_break_is_straddled() -> None:
    assert due(sh(2026, 9, 16, 11, 30), 60, CAL) == sh(2026, 9, 16, 14, 0)
    assert due(sh(2026, 9, 16, 11, 59), 2, CAL) == sh(2026, 9, 16, 13, 31)


def test_adjusted_workdays_are_working_days() -> None:
    # Sat 2026-09-19 10:00 → Sun 09-20 is a 调休 working day
    assert due(sh(2026, 9, 19, 10, 0), 60, CAL) == sh(2026, 9, 20, 9, 30)
    # Fri 2026-10-09 17:00 → 30 min, then Sat 10-10 (调休) 08:30 + 30
    assert due(sh(2026, 10, 9, 17, 0), 60, CAL) == sh(2026, 10, 10, 9, 0)


def test_administrator_override_wins_over_adjusted_workday_and_holiday() -> None:
    cal = standard_calendar(
        holidays=HOLIDAYS_2026,
        adjusted_workdays=WORKDAYS_2026,
        overrides={
            sh(2026, 9, 20).date(): DayRule(working=False),
            sh(2026, 10, 2).date(): DayRule(working=True),
        },
    )
    assert due(sh(2026, 9, 19, 10, 0), 60, cal) == sh(2026, 9, 21, 9, 30)
    assert due(sh(2026, 9, 30, 17, 0), 60, cal) == sh(2026, 10, 2, 9, 0)


def test_twenty_four_seven() -> None:
    start = sh(2026, 9, 30, 17, 0)
    assert due(start, 30, TWENTY_FOUR_SEVEN) == sh(2026, 9, 30, 17, 30)
    assert due(start, 240, TWENTY_FOUR_SEVEN) == sh(2026, 9, 30, 21, 0)
    assert due(start, 48 * 60, TWENTY_FOUR_SEVEN) == sh(2026, 10, 2, 17, 0)
    pause = (sh(2026, 9, 30, 23, 0), sh(2026, 10, 1, 1, 0))
    assert due(start, 480, TWENTY_FOUR_SEVEN, [pause]) == sh(2026, 10, 1, 3, 0)


def test_five_working_days_across_the_holidays() -> None:
    # Wed 09-30 09:00: 420 that day, Oct 8, 9, 10 (调休), 12 full (1800), then 30 on Oct 13
    assert due(sh(2026, 9, 30, 9, 0), 5 * 450, CAL) == sh(2026, 10, 13, 9, 0)


def test_target_zero_is_due_at_the_start() -> None:
    assert due(sh(2026, 9, 16, 9, 0), 0, CAL) == sh(2026, 9, 16, 9, 0)
    # outside working time too: the start instant itself, not the next working minute
    assert due(sh(2026, 9, 19, 22, 0), 0, CAL) == sh(2026, 9, 19, 22, 0)


def test_seconds_are_truncated_to_the_minute() -> None:
    assert due(sh(2026, 9, 16, 17, 0, 45), 30, CAL) == sh(2026, 9, 16, 17, 30)


def test_negative_target_is_refused() -> None:
    with pytest.raises(ValueError):
        due(sh(2026, 9, 16, 9, 0), -1, CAL)


# --- pauses -----------------------------------------------------------------------------------


def test_overlapping_pauses_count_once() -> None:
    pauses: list[PauseLike] = [
        (sh(2026, 9, 16, 10, 0), sh(2026, 9, 16, 11, 0)),
        Pause(sh(2026, 9, 16, 10, 30), sh(2026, 9, 16, 11, 30), "等待配件"),
    ]
    # 09:00–10:00 counts 60; paused 10:00–11:30 (once); 11:30 + 30 → the 12:00 closing
    assert due(sh(2026, 9, 16, 9, 0), 90, CAL, pauses) == sh(2026, 9, 16, 12, 0)
    assert counted_minutes(sh(2026, 9, 16, 9, 0), sh(2026, 9, 16, 12, 0), CAL, pauses) == 90


def test_merge_pauses() -> None:
    merged = merge_pauses(
        [
            (sh(2026, 9, 16, 14, 0), None),
            (sh(2026, 9, 16, 10, 30, 59), sh(2026, 9, 16, 11, 30)),
            (sh(2026, 9, 16, 10, 0), sh(2026, 9, 16, 11, 0)),
            (sh(2026, 9, 16, 15, 0), sh(2026, 9, 16, 16, 0)),
            (sh(2026, 9, 16, 9, 0, 10), sh(2026, 9, 16, 9, 0, 50)),  # empty after truncation
        ]
    )
    assert merged == (
        (sh(2026, 9, 16, 10, 0), sh(2026, 9, 16, 11, 30)),
        (sh(2026, 9, 16, 14, 0), None),
    )


def test_pause_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        Pause(sh(2026, 9, 16, 10, 0), sh(2026, 9, 16, 9, 0))


def test_open_pause_stops_the_clock() -> None:
    start = sh(2026, 9, 16, 9, 0)
    with pytest.raises(ClockPausedError):
        due(start, 60, CAL, [(sh(2026, 9, 16, 9, 30), None)])
    # a pause opened after the due time does not matter
    assert due(start, 60, CAL, [(sh(2026, 9, 16, 10, 0), None)]) == sh(2026, 9, 16, 10, 0)


def test_counted_minutes() -> None:
    assert counted_minutes(sh(2026, 9, 16, 11, 0), sh(2026, 9, 17, 9, 0), CAL) == 330
    assert counted_minutes(sh(2026, 9, 17, 9, 0), sh(2026, 9, 16, 11, 0), CAL) == 0
    assert counted_minutes(sh(2026, 9, 30, 17, 0), sh(2026, 10, 8, 9, 0), CAL) == 60
    open_pause = [(sh(2026, 9, 16, 14, 0), None)]
    assert counted_minutes(sh(2026, 9, 16, 9, 0), sh(2026, 9, 17, 9, 0), CAL, open_pause) == 210


# --- clock evaluation ---------------------------------------------------------------------------


def test_running_clock() -> None:
    state = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0), target_minutes=60, calendar=CAL, now=sh(2026, 9, 16, 9, 30)
    )
    assert state.status is ClockStatus.RUNNING
    assert state.due == sh(2026, 9, 16, 10, 0)
    assert (state.elapsed_minutes, state.remaining_minutes, state.paused_minutes) == (30, 30, 0)
    assert state.elapsed_share == 0.5
    assert not state.warning
    assert state.warning_at == sh(2026, 9, 16, 9, 45)
    assert not state.breached
    assert (state.breach_minutes, state.breach_wall_minutes) == (0, 0)
    assert state.met_at is None


def test_warning_at_seventy_five_percent() -> None:
    before = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0), target_minutes=60, calendar=CAL, now=sh(2026, 9, 16, 9, 44)
    )
    at = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0), target_minutes=60, calendar=CAL, now=sh(2026, 9, 16, 9, 45)
    )
    assert not before.warning
    assert at.warning
    assert at.status is ClockStatus.RUNNING
    # ceil(0.75 × 450) = 338 working minutes from Wed 09:00 → 13:30 + 158 = 16:08
    state = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0), target_minutes=450, calendar=CAL, now=sh(2026, 9, 16, 9, 0)
    )
    assert state.warning_at == sh(2026, 9, 16, 16, 8)


def test_met_on_time_and_met_late() -> None:
    met = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0),
        target_minutes=60,
        calendar=CAL,
        now=sh(2026, 9, 16, 15, 0),
        met_at=sh(2026, 9, 16, 9, 50),
    )
    assert met.status is ClockStatus.MET
    assert (met.elapsed_minutes, met.remaining_minutes, met.breached) == (50, 10, False)
    assert not met.warning  # a stopped clock does not warn
    assert met.met_at == sh(2026, 9, 16, 9, 50)
    on_the_minute = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0),
        target_minutes=60,
        calendar=CAL,
        now=sh(2026, 9, 16, 15, 0),
        met_at=sh(2026, 9, 16, 10, 0),
    )
    assert on_the_minute.status is ClockStatus.MET
    late = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0),
        target_minutes=60,
        calendar=CAL,
        now=sh(2026, 9, 16, 15, 0),
        met_at=sh(2026, 9, 16, 10, 20),
    )
    assert late.status is ClockStatus.BREACHED
    assert (late.breach_minutes, late.breach_wall_minutes) == (20, 20)
    assert not late.escalate_to_manager


def test_breach_duration_is_counted_on_the_target_clock() -> None:
    # due 11:30; at 14:00 the breach is 30 + 30 working minutes, 150 clock minutes
    start = sh(2026, 9, 16, 10, 30)
    state = evaluate_clock(start=start, target_minutes=60, calendar=CAL, now=sh(2026, 9, 16, 14, 0))
    assert state.status is ClockStatus.BREACHED
    assert state.due == sh(2026, 9, 16, 11, 30)
    assert (state.breach_minutes, state.breach_wall_minutes) == (60, 150)
    assert state.remaining_minutes == 0
    assert state.elapsed_share == 2.0  # 90 + 30 counted minutes of 60
    # manager at breach + 120 working minutes: 10:30 + 180 → 12:00 (90), 13:30 + 90
    assert state.manager_escalation_at == sh(2026, 9, 16, 15, 0)
    assert not state.escalate_to_manager
    later = evaluate_clock(start=start, target_minutes=60, calendar=CAL, now=sh(2026, 9, 16, 15, 0))
    assert later.escalate_to_manager


def test_past_due_in_the_evening_is_breached_with_zero_counted_minutes() -> None:
    state = evaluate_clock(
        start=sh(2026, 9, 16, 17, 0), target_minutes=30, calendar=CAL, now=sh(2026, 9, 16, 20, 0)
    )
    assert state.status is ClockStatus.BREACHED
    assert (state.breach_minutes, state.breach_wall_minutes) == (0, 150)


def test_paused_clock_projects_the_due_time() -> None:
    state = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0),
        target_minutes=60,
        calendar=CAL,
        now=sh(2026, 9, 16, 10, 30),
        pauses=[Pause(sh(2026, 9, 16, 9, 20), None, "等待客户")],
    )
    assert state.status is ClockStatus.PAUSED
    assert (state.elapsed_minutes, state.paused_minutes, state.remaining_minutes) == (20, 70, 40)
    assert state.due == sh(2026, 9, 16, 11, 10)
    assert not state.breached


def test_resumed_clock() -> None:
    state = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0),
        target_minutes=60,
        calendar=CAL,
        now=sh(2026, 9, 16, 10, 0),
        pauses=[(sh(2026, 9, 16, 9, 20), sh(2026, 9, 16, 9, 50))],
    )
    assert state.status is ClockStatus.RUNNING
    assert (state.elapsed_minutes, state.paused_minutes) == (30, 30)
    assert state.due == sh(2026, 9, 16, 10, 30)


def test_breached_then_paused_stays_breached() -> None:
    state = evaluate_clock(
        start=sh(2026, 9, 16, 9, 0),
        target_minutes=60,
        calendar=CAL,
        now=sh(2026, 9, 16, 11, 0),
        pauses=[(sh(2026, 9, 16, 10, 30), None)],
    )
    assert state.status is ClockStatus.BREACHED
    assert state.due == sh(2026, 9, 16, 10, 0)
    # the breach stops growing while paused
    assert (state.breach_minutes, state.breach_wall_minutes) == (30, 60)


def test_twenty_four_seven_clock_breach_equals_wall_time() -> None:
    state = evaluate_clock(
        start=sh(2026, 10, 1, 23, 0),
        target_minutes=120,
        calendar=TWENTY_FOUR_SEVEN,
        now=sh(2026, 10, 2, 4, 0),
    )
    assert state.due == sh(2026, 10, 2, 1, 0)
    assert (state.breach_minutes, state.breach_wall_minutes) == (180, 180)
    assert state.escalate_to_manager


def test_clock_settings_are_validated() -> None:
    with pytest.raises(ValueError):
        evaluate_clock(
            start=sh(2026, 9, 16, 9, 0),
            target_minutes=60,
            calendar=CAL,
            now=sh(2026, 9, 16, 9, 0),
            warning_share=Decimal("1.5"),
        )
    with pytest.raises(ValueError):
        evaluate_clock(
            start=sh(2026, 9, 16, 9, 0),
            target_minutes=60,
            calendar=CAL,
            now=sh(2026, 9, 16, 9, 0),
            manager_escalation_minutes=-1,
        )


# --- properties --------------------------------------------------------------------------------

starts = st.datetimes(
    min_value=datetime(2026, 9, 1), max_value=datetime(2026, 10, 20), timezones=st.just(SH)
)
targets = st.integers(min_value=0, max_value=6 * 450)
pause_lists = st.lists(
    st.tuples(
        st.integers(min_value=-600, max_value=20_000), st.integers(min_value=0, max_value=3000)
    ),
    max_size=4,
)


def build_pauses(start: datetime, spec: list[tuple[int, int]]) -> list[tuple[datetime, datetime]]:
    return [
        (start + timedelta(minutes=offset), start + timedelta(minutes=offset + length))
        for offset, length in spec
    ]


def in_pause(instant: datetime, pauses: list[tuple[datetime, datetime]]) -> bool:
    return any(
        pause_start.replace(second=0, microsecond=0)
        <= instant
        < pause_end.replace(second=0, microsecond=0)
        for pause_start, pause_end in pauses
    )


@settings(max_examples=200, deadline=None)
@given(start=starts, target=st.integers(min_value=1, max_value=6 * 450), spec=pause_lists)
def test_minute_before_due_is_counted(
    start: datetime, target: int, spec: list[tuple[int, int]]
) -> None:
    pauses = build_pauses(start, spec)
    result = due(start, target, CAL, pauses)
    last_minute = result - timedelta(minutes=1)
    assert is_working_minute(CAL, last_minute)
    assert not in_pause(last_minute, pauses)
    assert counted_minutes(start, result, CAL, pauses) == target


@settings(max_examples=200, deadline=None)
@given(start=starts, first=targets, second=targets, spec=pause_lists)
def test_due_is_monotonic_in_the_target(
    start: datetime, first: int, second: int, spec: list[tuple[int, int]]
) -> None:
    pauses = build_pauses(start, spec)
    low, high = sorted((first, second))
    assert due(start, low, CAL, pauses) <= due(start, high, CAL, pauses)


@settings(max_examples=200, deadline=None)
@given(start=starts, first=targets, second=targets)
def test_due_is_additive_without_pauses(start: datetime, first: int, second: int) -> None:
    assert due(due(start, first, CAL), second, CAL) == due(start, first + second, CAL)


@settings(max_examples=200, deadline=None)
@given(start=starts, target=st.integers(min_value=0, max_value=7 * 24 * 60))
def test_twenty_four_seven_due_is_plain_addition(start: datetime, target: int) -> None:
    first = start.replace(second=0, microsecond=0)
    assert due(start, target, TWENTY_FOUR_SEVEN) == first + timedelta(minutes=target)


@settings(max_examples=200, deadline=None)
@given(start=starts, target=st.integers(min_value=1, max_value=3 * 450), spec=pause_lists)
def test_pauses_shift_due_by_the_paused_working_time(
    start: datetime, target: int, spec: list[tuple[int, int]]
) -> None:
    pauses = build_pauses(start, spec)
    paused_due = due(start, target, CAL, pauses)
    paused_working = counted_minutes(start, paused_due, CAL) - counted_minutes(
        start, paused_due, CAL, pauses
    )
    assert paused_due == due(start, target + paused_working, CAL)
