"""The planning rules of maintenance (巡检与保养): pure functions over plain values.

* ``occurrences`` — the dates a plan falls due between two dates: a recurrence (every N weeks,
  months, quarters, half-years or years from the plan's start), optionally only inside a
  seasonal window (each year the first visit on the window's first day, then every N units
  while still inside it); a date that is not a working day moves to the previous working day
  (the caller passes ``is_working``, built from the business calendar: 调休 working days count).
* ``evaluate`` — one checklist answer against its item: a value outside the expected range
  fails by itself; a value that is not a number for a numeric item is refused.

No ORM and no clock reads: the caller passes every date.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType

from aftersales.core.said import Said


class Recurrence(StrEnum):
    """How often a plan falls due: the one list (``maintenance.models.Recurrence``, the
    plan's field choices, is built from it)."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def label(self) -> str:
        return RECURRENCE_LABELS[self]


RECURRENCE_LABELS = MappingProxyType(
    {
        Recurrence.WEEKLY: "每周",
        Recurrence.MONTHLY: "每月",
        Recurrence.QUARTERLY: "每季度",
        Recurrence.HALF_YEARLY: "每半年",
        Recurrence.YEARLY: "每年",
    }
)


MONTHS_PER_UNIT = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.HALF_YEARLY: 6,
    Recurrence.YEARLY: 12,
}
# how far back a due date may move looking for a working day before the calendar is wrong
MAX_SHIFT_DAYS = 45
MAX_INTERVAL = 52


class ScheduleError(ValueError):
    """A schedule that cannot produce dates; ``errors`` maps the field to a Chinese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = errors


def add_months(day: date, months: int, anchor_day: int | None = None) -> date:
    """``day`` plus ``months`` calendar months, on ``anchor_day`` (default ``day.day``),
    clamped to the month's end (31 Jan + 1 month = 28/29 Feb, then 31 Mar again)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor_day or day.day, last))


@dataclass(frozen=True)
class SeasonWindow:
    """A window of the year, ``start`` to ``end`` inclusive as (month, day); may wrap the
    year's end (winter: 15 Nov – 15 Mar)."""

    start_month: int
    start_day: int
    end_month: int
    end_day: int

    def __post_init__(self) -> None:
        for month, day in ((self.start_month, self.start_day), (self.end_month, self.end_day)):
            if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
                raise ScheduleError({"window": "季节窗口的日期无效"})

    @property
    def wraps(self) -> bool:
        return (self.end_month, self.end_day) < (self.start_month, self.start_day)

    def span(self, year: int) -> tuple[date, date]:
        """The window that opens in ``year`` (29 Feb clamps to 28 Feb)."""
        start = _clamped(year, self.start_month, self.start_day)
        end = _clamped(year + 1 if self.wraps else year, self.end_month, self.end_day)
        return start, end


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Schedule:
    recurrence: Recurrence
    interval: int
    start: date
    end: date | None = None
    window: SeasonWindow | None = None

    def __post_init__(self) -> None:
        errors = {}
        if self.recurrence not in Recurrence.__members__.values():
            errors["recurrence"] = "周期类型无效"
        if not isinstance(self.interval, int) or not 1 <= self.interval <= MAX_INTERVAL:
            errors["interval"] = Said(
                "间隔必须是 1 到 %(MAX_INTERVAL)s 之间的整数", MAX_INTERVAL=MAX_INTERVAL
            )
        if self.end is not None and self.end < self.start:
            errors["end_date"] = "结束日期不能早于开始日期"
        if errors:
            raise ScheduleError(errors)


def _step(s: Schedule, base: date, k: int) -> date:
    if s.recurrence == Recurrence.WEEKLY:
        return base + timedelta(weeks=k * s.interval)
    return add_months(base, k * s.interval * MONTHS_PER_UNIT[s.recurrence], base.day)


def nominal_dates(s: Schedule, until: date) -> Iterator[date]:
    """The plan's dates before any working-day shift, in order, from its start to ``until``
    (and its end)."""
    last = min(until, s.end) if s.end is not None else until
    if s.window is None:
        k = 0
        while (d := _step(s, s.start, k)) <= last:
            yield d
            k += 1
        return
    year = s.start.year - (1 if s.window.wraps else 0)
    while True:
        opens, closes = s.window.span(year)
        if opens > last:
            return
        k = 0
        while (d := _step(s, opens, k)) <= closes and d <= last:
            if d >= s.start:
                yield d
            k += 1
        year += 1


def previous_working_day(day: date, is_working: Callable[[date], bool]) -> date:
    """``day`` if it is a working day, else the nearest working day before it."""
    for back in range(MAX_SHIFT_DAYS + 1):
        candidate = day - timedelta(days=back)
        if is_working(candidate):
            return candidate
    raise ValueError(
        Said(
            "%(day)s 之前 %(MAX_SHIFT_DAYS)s 天内没有工作日，请检查工作日历",
            day=day,
            MAX_SHIFT_DAYS=MAX_SHIFT_DAYS,
        )
    )


@dataclass(frozen=True)
class Occurrence:
    """One visit of a plan: ``key`` is unique per plan (its nominal date), ``due`` the
    working day it is done on."""

    key: str
    nominal: date
    due: date


def occurrences(
    s: Schedule, *, since: date, until: date, is_working: Callable[[date], bool]
) -> list[Occurrence]:
    """The occurrences whose nominal date lies in ``[since, until]``."""
    found = []
    for d in nominal_dates(s, until):
        if d >= since:
            found.append(
                Occurrence(key=d.isoformat(), nominal=d, due=previous_working_day(d, is_working))
            )
    return found


# ---- checklist answers --------------------------------------------------------------------


class ItemKind(StrEnum):
    """A checklist item's kind: the one list (``maintenance.models.ItemKind`` is built from
    it)."""

    CHECK = "check"  # pass / fail
    VALUE = "value"  # a measured number against an expected range

    @property
    def label(self) -> str:
        return ITEM_KIND_LABELS[self]


ITEM_KIND_LABELS = MappingProxyType({ItemKind.CHECK: "合格/不合格", ItemKind.VALUE: "测量值"})


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "na"


@dataclass(frozen=True)
class ItemSpec:
    kind: ItemKind
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    photo_required: bool = False


@dataclass(frozen=True)
class Answer:
    outcome: str = ""  # pass / fail / na (a value item may leave it empty: the range decides)
    value: str = ""
    has_photo: bool = False


@dataclass(frozen=True)
class Evaluated:
    outcome: Outcome
    value: Decimal | None
    out_of_range: bool = False


class AnswerError(ValueError):
    pass


def parse_value(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace("，", "."))
    except (InvalidOperation, AttributeError):
        raise AnswerError("数值项必须填写数字") from None
    if not value.is_finite():
        raise AnswerError("数值项必须填写数字")
    return value


def evaluate(item: ItemSpec, answer: Answer) -> Evaluated:
    if answer.outcome and answer.outcome not in Outcome.__members__.values():
        raise AnswerError("检查结果无效（合格 / 不合格 / 不适用）")
    if answer.outcome == Outcome.NOT_APPLICABLE:
        return Evaluated(Outcome.NOT_APPLICABLE, None)
    if item.photo_required and not answer.has_photo:
        raise AnswerError("该项须拍照")
    if item.kind == ItemKind.CHECK:
        if answer.outcome not in (Outcome.PASS, Outcome.FAIL):
            raise AnswerError("请选择合格或不合格")
        return Evaluated(Outcome(answer.outcome), None)
    if not answer.value.strip():
        raise AnswerError("请填写测量值")
    value = parse_value(answer.value)
    out = (item.minimum is not None and value < item.minimum) or (
        item.maximum is not None and value > item.maximum
    )
    if out or answer.outcome == Outcome.FAIL:
        return Evaluated(Outcome.FAIL, value, out_of_range=bool(out))
    return Evaluated(Outcome.PASS, value)
