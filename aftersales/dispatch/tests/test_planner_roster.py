"""A technician's planning day from the roster and the calendar (pure rules)."""

from __future__ import annotations

from aftersales.dispatch.planning.model import TimeWindow
from aftersales.dispatch.roster import RosterShift, day_shift, lunch_break

STANDARD = [(510, 720), (810, 1050)]  # 08:30–12:00, 13:30–17:30


def test_a_normal_shift_gives_its_hours_and_the_calendar_lunch() -> None:
    shift = day_shift(
        [RosterShift("normal", 510, 1050)],
        working_periods=STANDARD,
        normal_periods=STANDARD,
        has_roster=True,
    )
    assert shift == TimeWindow(510, 1050)
    lunch = lunch_break(shift, STANDARD, 30)
    assert lunch is not None and lunch.duration == 90
    assert lunch.window == TimeWindow(690, 750)


def test_on_call_alone_is_planned_inside_the_working_hours_only() -> None:
    # 7×24 on call from 08:30 to 08:30 next day (ends past midnight: clipped)
    shifts = [RosterShift("on_call", 510, 510 + 1440)]
    assert day_shift(
        shifts, working_periods=STANDARD, normal_periods=STANDARD, has_roster=True
    ) == TimeWindow(510, 1050)
    # a rest day: the normal day's hours apply
    assert day_shift(
        shifts, working_periods=[], normal_periods=STANDARD, has_roster=True
    ) == TimeWindow(510, 1050)
    # with a normal shift the same day, the normal shift counts
    both = [*shifts, RosterShift("normal", 540, 1020)]
    assert day_shift(
        both, working_periods=STANDARD, normal_periods=STANDARD, has_roster=True
    ) == TimeWindow(540, 1020)


def test_without_any_roster_a_working_day_is_on_duty_and_a_rest_day_is_not() -> None:
    assert day_shift(
        [], working_periods=STANDARD, normal_periods=STANDARD, has_roster=False
    ) == TimeWindow(510, 1050)
    assert day_shift([], working_periods=[], normal_periods=STANDARD, has_roster=False) is None
    # rostered on other days only: off duty
    assert day_shift([], working_periods=STANDARD, normal_periods=STANDARD, has_roster=True) is None


def test_holiday_duty_and_lunch_outside_the_shift() -> None:
    shift = day_shift(
        [RosterShift("holiday", 540, 1020)],
        working_periods=[],
        normal_periods=STANDARD,
        has_roster=True,
    )
    assert shift == TimeWindow(540, 1020)
    assert lunch_break(TimeWindow(480, 700), STANDARD, 30) is None  # ends before lunch
    morning_flex = lunch_break(TimeWindow(700, 1050), STANDARD, 30)
    assert morning_flex is not None and morning_flex.window == TimeWindow(700, 750)
