"""The pure planning rules: recurrence, seasonal windows, the working-day shift, answers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.bizcalendar.rules import china_public_holidays, periods_on, standard_calendar
from aftersales.maintenance import rules
from aftersales.maintenance.rules import (
    Answer,
    AnswerError,
    ItemKind,
    ItemSpec,
    Outcome,
    Recurrence,
    Schedule,
    ScheduleError,
    SeasonWindow,
)

HOLIDAYS, WORKDAYS = china_public_holidays([2026, 2027])
CAL = standard_calendar(holidays=HOLIDAYS, adjusted_workdays=WORKDAYS)


def working(d: date) -> bool:
    return bool(periods_on(CAL, d))


def dues(s: Schedule, since: date, until: date) -> list[date]:
    return [o.due for o in rules.occurrences(s, since=since, until=until, is_working=working)]


def test_a_monthly_plan_over_national_day_2026_moves_to_the_last_working_day_before() -> None:
    s = Schedule(Recurrence.MONTHLY, 1, date(2026, 8, 1))
    found = rules.occurrences(
        s, since=date(2026, 9, 1), until=date(2026, 11, 30), is_working=working
    )
    assert [(o.key, o.due) for o in found] == [
        ("2026-09-01", date(2026, 9, 1)),
        # 1–7 October are the holiday; Wednesday 30 September is the last working day before
        ("2026-10-01", date(2026, 9, 30)),
        # 1 November 2026 is a Sunday: Friday 30 October
        ("2026-11-01", date(2026, 10, 30)),
    ]


def test_a_date_inside_the_holiday_week_also_goes_back_before_the_holiday() -> None:
    s = Schedule(Recurrence.MONTHLY, 1, date(2026, 9, 5))
    assert dues(s, date(2026, 10, 1), date(2026, 10, 31)) == [date(2026, 9, 30)]


def test_a_sunday_tiaoxiu_working_day_is_a_valid_date() -> None:
    # Sunday 20 September 2026 is worked (调休 for National Day)
    assert date(2026, 9, 20).weekday() == 6
    s = Schedule(Recurrence.MONTHLY, 1, date(2026, 8, 20))
    assert dues(s, date(2026, 9, 1), date(2026, 9, 30)) == [date(2026, 9, 20)]
    # an ordinary Sunday is not: 27 September goes back past Saturday and past Friday 25
    # (Mid-Autumn Festival) to Thursday 24 September
    s2 = Schedule(Recurrence.MONTHLY, 1, date(2026, 8, 27))
    assert dues(s2, date(2026, 9, 1), date(2026, 9, 30)) == [date(2026, 9, 24)]


def test_month_end_clamps_and_comes_back() -> None:
    s = Schedule(Recurrence.MONTHLY, 1, date(2027, 1, 31))
    nominal = list(rules.nominal_dates(s, date(2027, 4, 30)))
    assert nominal == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


@pytest.mark.parametrize(
    ("recurrence", "interval", "expected"),
    [
        (Recurrence.WEEKLY, 2, ["2026-01-05", "2026-01-19", "2026-02-02"]),
        (Recurrence.QUARTERLY, 1, ["2026-01-05", "2026-04-05", "2026-07-05"]),
        (Recurrence.HALF_YEARLY, 1, ["2026-01-05", "2026-07-05", "2027-01-05"]),
        (Recurrence.YEARLY, 1, ["2026-01-05", "2027-01-05", "2028-01-05"]),
    ],
)
def test_each_recurrence(recurrence: Recurrence, interval: int, expected: list[str]) -> None:
    s = Schedule(recurrence, interval, date(2026, 1, 5))
    got = [d.isoformat() for d in rules.nominal_dates(s, date(2030, 1, 1))][:3]
    assert got == expected


def test_cooling_season_every_two_months_only_inside_the_window() -> None:
    cooling = SeasonWindow(6, 1, 9, 30)
    s = Schedule(Recurrence.MONTHLY, 2, date(2026, 1, 1), window=cooling)
    got = list(rules.nominal_dates(s, date(2027, 12, 31)))
    assert got == [date(2026, 6, 1), date(2026, 8, 1), date(2027, 6, 1), date(2027, 8, 1)]


def test_a_window_across_the_new_year() -> None:
    winter = SeasonWindow(11, 15, 3, 15)
    s = Schedule(Recurrence.MONTHLY, 1, date(2026, 1, 1), end=date(2026, 12, 31), window=winter)
    got = list(rules.nominal_dates(s, date(2027, 12, 31)))
    # the winter that opened in 2025 is still on in January–March 2026
    assert got == [
        date(2026, 1, 15),
        date(2026, 2, 15),
        date(2026, 3, 15),
        date(2026, 11, 15),
        date(2026, 12, 15),
    ]


def test_before_the_season_yearly_is_once_a_year_at_the_window_start() -> None:
    before_cooling = SeasonWindow(4, 15, 5, 15)
    s = Schedule(Recurrence.YEARLY, 1, date(2026, 5, 1), window=before_cooling)
    assert list(rules.nominal_dates(s, date(2028, 12, 31))) == [
        date(2027, 4, 15),
        date(2028, 4, 15),
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"interval": 0}, "interval"),
        ({"interval": -1}, "interval"),
        ({"end": date(2025, 12, 31)}, "end_date"),
    ],
)
def test_bad_schedules_are_refused_in_chinese(kwargs: dict, field: str) -> None:
    values = {"recurrence": Recurrence.MONTHLY, "interval": 1, "start": date(2026, 1, 1)} | kwargs
    with pytest.raises(ScheduleError) as err:
        Schedule(**values)
    assert field in err.value.errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))


def test_a_bad_window_is_refused() -> None:
    with pytest.raises(ScheduleError):
        SeasonWindow(2, 30, 3, 1)


@given(
    start=st.dates(date(2026, 1, 1), date(2027, 6, 30)),
    recurrence=st.sampled_from(list(Recurrence)),
    interval=st.integers(1, 6),
    span=st.integers(0, 800),
)
def test_due_dates_are_working_days_not_after_their_date_and_keys_unique(
    start: date, recurrence: Recurrence, interval: int, span: int
) -> None:
    s = Schedule(recurrence, interval, start)
    found = rules.occurrences(
        s, since=start, until=start + timedelta(days=span), is_working=working
    )
    assert len({o.key for o in found}) == len(found)
    for o in found:
        assert working(o.due)
        assert o.due <= o.nominal
        # nothing between the due date and the nominal date is a working day
        d = o.due + timedelta(days=1)
        while d <= o.nominal:
            assert not working(d)
            d += timedelta(days=1)


@given(
    start=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    cut=st.integers(0, 700),
)
def test_generating_in_two_steps_gives_the_same_occurrences_as_in_one(
    start: date, cut: int
) -> None:
    s = Schedule(Recurrence.WEEKLY, 1, start)
    until = start + timedelta(days=730)
    middle = start + timedelta(days=cut)
    one = rules.occurrences(s, since=start, until=until, is_working=working)
    two = rules.occurrences(s, since=start, until=middle, is_working=working) + rules.occurrences(
        s, since=middle + timedelta(days=1), until=until, is_working=working
    )
    assert one == two


VALUE = ItemSpec(ItemKind.VALUE, minimum=Decimal("7"), maximum=Decimal("12"))


def test_an_out_of_range_value_fails_by_itself() -> None:
    got = rules.evaluate(VALUE, Answer(outcome="pass", value="13.5"))
    assert got.outcome == Outcome.FAIL and got.out_of_range and got.value == Decimal("13.5")
    assert rules.evaluate(VALUE, Answer(value="6.9")).outcome == Outcome.FAIL
    assert rules.evaluate(VALUE, Answer(value="7")).outcome == Outcome.PASS
    assert rules.evaluate(VALUE, Answer(value="12")).outcome == Outcome.PASS


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity", "1.2.3"])
def test_a_value_that_is_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(AnswerError):
        rules.evaluate(VALUE, Answer(value=text))


def test_check_items_and_photos() -> None:
    check = ItemSpec(ItemKind.CHECK, photo_required=True)
    with pytest.raises(AnswerError):
        rules.evaluate(check, Answer(outcome="pass"))
    assert rules.evaluate(check, Answer(outcome="fail", has_photo=True)).outcome == Outcome.FAIL
    assert rules.evaluate(check, Answer(outcome="na")).outcome == Outcome.NOT_APPLICABLE
    with pytest.raises(AnswerError):
        rules.evaluate(ItemSpec(ItemKind.CHECK), Answer(outcome="maybe"))
