"""Warranty periods: months per 民法典 §201–202 and heating / cooling seasons.

Months (SPEC §3.2 precise semantics 3): the event day is not counted and the period ends
on the corresponding day of the last month, or on that month's last day when it has no
such day.  A 12-month warranty from 2025-03-15 covers 2026-03-15 and not 2026-03-16;
from 2024-02-29 it ends 2025-02-28.

Seasons (precise semantics 4): season 1 is the first season that starts on or after the
warranty start; the warranty ends on the last day of season N.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from aftersales.core.said import Said

# A non-leap year to validate month/day pairs of a season (29 February is refused).
_REFERENCE_YEAR = 2001


def add_months(event_day: date, months: int) -> date:
    """The last day of a period of ``months`` months after ``event_day`` (民法典 §201–202).

    The corresponding day of the final month, or that month's last day when the month is
    shorter.  ``months`` must not be negative.
    """
    if months < 0:
        raise ValueError("月数不能为负")
    month_index = event_day.month - 1 + months
    year = event_day.year + month_index // 12
    month = month_index % 12 + 1
    day = min(event_day.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


@dataclass(frozen=True)
class Season:
    """A yearly season from ``start`` (month, day) to ``end`` (month, day), both inclusive.

    A season whose end comes before its start in the year (heating 11-15 → 03-15) ends in
    the following year.
    """

    code: str
    name: str
    start_month: int
    start_day: int
    end_month: int
    end_day: int

    def __post_init__(self) -> None:
        date(_REFERENCE_YEAR, self.start_month, self.start_day)
        date(_REFERENCE_YEAR, self.end_month, self.end_day)
        if (self.start_month, self.start_day) == (self.end_month, self.end_day):
            raise ValueError("季节的起止日不能相同")

    @property
    def crosses_new_year(self) -> bool:
        return (self.end_month, self.end_day) < (self.start_month, self.start_day)

    def start_in(self, year: int) -> date:
        """The first day of the season that starts in ``year``."""
        return date(year, self.start_month, self.start_day)

    def end_of_season_starting_in(self, year: int) -> date:
        """The last day of the season that starts in ``year``."""
        end_year = year + 1 if self.crosses_new_year else year
        return date(end_year, self.end_month, self.end_day)

    def describe(self) -> str:
        return Said(
            "%(name)s（%(start_month)s-%(start_day)s 至 %(end_month)s-%(end_day)s）",
            name=self.name,
            start_month=format(self.start_month, "02d"),
            start_day=format(self.start_day, "02d"),
            end_month=format(self.end_month, "02d"),
            end_day=format(self.end_day, "02d"),
        )


HEATING_SEASON = Season("heating", "采暖季", 11, 15, 3, 15)
COOLING_SEASON = Season("cooling", "制冷季", 6, 1, 9, 30)


def first_season_start_year(warranty_start: date, season: Season) -> int:
    """The year in which season 1 starts: the first season starting on or after the start."""
    year = warranty_start.year
    return year if season.start_in(year) >= warranty_start else year + 1


def season_period_end(warranty_start: date, seasons: int, season: Season) -> date:
    """The last day of season ``seasons`` counted from ``warranty_start``."""
    if seasons < 1:
        raise ValueError("季数必须至少为 1")
    first_year = first_season_start_year(warranty_start, season)
    return season.end_of_season_starting_in(first_year + seasons - 1)


@dataclass(frozen=True)
class WarrantyPeriod:
    """A warranty period: either ``months`` or ``seasons`` of ``season``."""

    months: int | None = None
    seasons: int | None = None
    season: Season | None = None

    def __post_init__(self) -> None:
        if (self.months is None) == (self.seasons is None):
            raise ValueError("保修期须按月或按季设置，二者取其一")
        if self.months is not None and self.months < 1:
            raise ValueError("保修月数必须至少为 1")
        if self.seasons is not None:
            if self.seasons < 1:
                raise ValueError("保修季数必须至少为 1")
            if self.season is None:
                raise ValueError("按季保修须指定季节")

    def end_from(self, start: date) -> date:
        """The last covered day of a period starting at ``start``."""
        if self.months is not None:
            return add_months(start, self.months)
        assert self.seasons is not None and self.season is not None  # checked on creation
        return season_period_end(start, self.seasons, self.season)

    def describe(self) -> str:
        """Chinese wording, e.g. "12个月" or "3个采暖季（11-15 至 03-15）"."""
        if self.months is not None:
            return Said("%(months)s个月", months=self.months)
        assert self.seasons is not None and self.season is not None
        return Said(
            "%(seasons)s个%(describe)s", seasons=self.seasons, describe=self.season.describe()
        )
