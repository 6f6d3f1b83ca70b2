"""Warranty period arithmetic: 民法典 §201–202 months and seasons (SPEC §3.2 points 3–4)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.warranty.periods import (
    COOLING_SEASON,
    HEATING_SEASON,
    Season,
    WarrantyPeriod,
    add_months,
    first_season_start_year,
    season_period_end,
)


@pytest.mark.parametrize(
    ("event_day", "months", "last_day"),
    [
        (date(2025, 3, 15), 12, date(2026, 3, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 31), 24, date(2027, 12, 31)),
        (date(2025, 3, 15), 0, date(2025, 3, 15)),
    ],
)
def test_add_months(event_day: date, months: int, last_day: date) -> None:
    assert add_months(event_day, months) == last_day


def test_twelve_months_cover_the_anniversary_and_not_the_day_after() -> None:
    end = WarrantyPeriod(months=12).end_from(date(2025, 3, 15))
    assert end == date(2026, 3, 15)
    assert date(2026, 3, 15) <= end < date(2026, 3, 16)


def test_negative_months_are_refused() -> None:
    with pytest.raises(ValueError):
        add_months(date(2025, 3, 15), -1)


@pytest.mark.parametrize(
    ("start", "seasons", "season", "last_day"),
    [
        # heating 11-15 → 03-15: a start on 2025-03-15 → season 1 starts 2025-11-15
        (date(2025, 3, 15), 1, HEATING_SEASON, date(2026, 3, 15)),
        (date(2025, 3, 15), 3, HEATING_SEASON, date(2028, 3, 15)),
        # a start on the season's first day: that season is season 1
        (date(2025, 11, 15), 1, HEATING_SEASON, date(2026, 3, 15)),
        # a start inside a running season: season 1 is the next one
        (date(2025, 12, 1), 1, HEATING_SEASON, date(2027, 3, 15)),
        (date(2025, 11, 16), 2, HEATING_SEASON, date(2028, 3, 15)),
        # cooling 06-01 → 09-30
        (date(2025, 5, 20), 1, COOLING_SEASON, date(2025, 9, 30)),
        (date(2025, 6, 1), 3, COOLING_SEASON, date(2027, 9, 30)),
        (date(2025, 6, 2), 1, COOLING_SEASON, date(2026, 9, 30)),
        (date(2025, 10, 1), 2, COOLING_SEASON, date(2027, 9, 30)),
    ],
)
def test_season_period_end(start: date, seasons: int, season: Season, last_day: date) -> None:
    assert season_period_end(start, seasons, season) == last_day
    assert WarrantyPeriod(seasons=seasons, season=season).end_from(start) == last_day


def test_first_season_start_year() -> None:
    assert first_season_start_year(date(2025, 11, 15), HEATING_SEASON) == 2025
    assert first_season_start_year(date(2025, 11, 16), HEATING_SEASON) == 2026


def test_editable_season() -> None:
    custom = Season("heating_north", "北方采暖季", 10, 15, 4, 15)
    assert custom.crosses_new_year
    assert not COOLING_SEASON.crosses_new_year
    assert season_period_end(date(2025, 10, 15), 2, custom) == date(2027, 4, 15)


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"months": 12, "seasons": 3, "season": HEATING_SEASON},
        {"months": 0},
        {"seasons": 0, "season": HEATING_SEASON},
        {"seasons": 2},
    ],
)
def test_warranty_period_validation(arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WarrantyPeriod(**arguments)  # type: ignore[arg-type]


def test_season_validation() -> None:
    with pytest.raises(ValueError):
        Season("bad", "坏", 2, 29, 3, 1)
    with pytest.raises(ValueError):
        Season("bad", "坏", 3, 1, 3, 1)
    with pytest.raises(ValueError):
        season_period_end(date(2025, 1, 1), 0, HEATING_SEASON)


def test_descriptions() -> None:
    assert WarrantyPeriod(months=24).describe() == "24个月"
    assert (
        WarrantyPeriod(seasons=3, season=HEATING_SEASON).describe() == "3个采暖季（11-15 至 03-15）"
    )


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@settings(max_examples=200)
@given(event_day=days, months=st.integers(min_value=0, max_value=120))
def test_month_arithmetic_properties(event_day: date, months: int) -> None:
    last_day = add_months(event_day, months)
    assert last_day >= event_day
    assert (last_day.year - event_day.year) * 12 + last_day.month - event_day.month == months
    assert last_day.day <= event_day.day
    if event_day.day <= 28:
        assert last_day.day == event_day.day


@settings(max_examples=200)
@given(
    event_day=days,
    first=st.integers(min_value=0, max_value=60),
    second=st.integers(min_value=0, max_value=60),
)
def test_month_arithmetic_is_monotonic(event_day: date, first: int, second: int) -> None:
    low, high = sorted((first, second))
    assert add_months(event_day, low) <= add_months(event_day, high)


@settings(max_examples=200)
@given(
    start=days,
    seasons=st.integers(min_value=1, max_value=10),
    season=st.sampled_from([HEATING_SEASON, COOLING_SEASON]),
)
def test_season_properties(start: date, seasons: int, season: Season) -> None:
    last_day = season_period_end(start, seasons, season)
    assert last_day > start
    assert (last_day.month, last_day.day) == (season.end_month, season.end_day)
    first_start = season.start_in(first_season_start_year(start, season))
    assert start <= first_start
    assert season.start_in(first_start.year - 1) < start  # no earlier season qualifies
    if seasons > 1:
        assert season_period_end(start, seasons - 1, season) < last_day
