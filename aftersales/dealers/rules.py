"""Pure rules of the dealer domain (plain values in, plain values out; no ORM, no clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HOURS = "hours"


def stocking_due(starts_on: dt.date, lead: Decimal, unit: str, tz: dt.tzinfo) -> dt.datetime:
    """When a season's stocking plan is due: ``lead`` (the rule's amount) before the first
    local instant of the season — 30 days before a season starting 3-01 is 0:00 on 1-30, so a
    plan sent that day is already less than 30 days ahead. Working days count as calendar
    days here (the lead time is a sales term, not an office one)."""
    if lead < 0:
        raise ValueError("提前量不能为负")
    start = dt.datetime.combine(starts_on, dt.time(0, 0), tzinfo=tz)
    per_unit = 60 if unit == HOURS else 24 * 60
    minutes = int((lead * per_unit).to_integral_value(ROUND_HALF_UP))
    return start - dt.timedelta(minutes=minutes)


# ---- dealer rating (经销商评级, 003 #11 第8条: rewarded when excellent, downgraded on serious
# problems) ------------------------------------------------------------------------------------

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
COMPONENTS = ("arrangement", "complaints", "rejection", "callbacks")


@dataclass(frozen=True)
class RatingScheme:
    """The configured weights, the complaint deduction and the outcome thresholds."""

    weight_arrangement: Decimal
    weight_complaints: Decimal
    weight_rejection: Decimal
    weight_callbacks: Decimal
    complaint_penalty: Decimal  # points off the complaint component per complaint
    reward_threshold: Decimal  # score ≥ this → reward
    downgrade_threshold: Decimal  # score < this → downgrade

    def weight(self, component: str) -> Decimal:
        return Decimal(getattr(self, f"weight_{component}"))


@dataclass(frozen=True)
class TaskTiming:
    """One dealer task of the period: its arrangement clock's due time and when (if ever)
    the dealer arranged it."""

    due_at: dt.datetime
    arranged_at: dt.datetime | None


@dataclass(frozen=True)
class DealerFacts:
    tasks: tuple[TaskTiming, ...] = ()
    complaints: int = 0
    claims_appraised: int = 0
    claims_rejected: int = 0
    callbacks_done: int = 0
    callbacks_satisfied: int = 0

    @property
    def tasks_in_time(self) -> int:
        return sum(1 for t in self.tasks if arranged_in_time(t))

    @property
    def empty(self) -> bool:
        return not (self.tasks or self.complaints or self.claims_appraised or self.callbacks_done)


class Outcome:
    REWARD = "reward"
    KEEP = "keep"
    DOWNGRADE = "downgrade"
    UNRATED = "unrated"


@dataclass(frozen=True)
class RatingResult:
    components: dict[str, Decimal | None]  # 0–100 each, None when the period has no record
    score: Decimal | None
    outcome: str


def arranged_in_time(task: TaskTiming) -> bool:
    """Arranged at or before the 2 h clock's due time (a task handed back or never arranged
    is not in time)."""
    return task.arranged_at is not None and task.arranged_at <= task.due_at


def scheme_errors(s: RatingScheme) -> dict[str, str]:
    """What is wrong with a scheme (field → Chinese message); empty when it can be used."""
    errors: dict[str, str] = {}
    weights = [s.weight(c) for c in COMPONENTS]
    for c, w in zip(COMPONENTS, weights, strict=True):
        if w < 0:
            errors[f"weight_{c}"] = "权重不能为负数"
    if not errors and sum(weights) <= 0:
        errors["weight_arrangement"] = "权重之和必须大于0"
    if s.complaint_penalty < 0:
        errors["complaint_penalty"] = "每次投诉扣分不能为负数"
    for name in ("reward_threshold", "downgrade_threshold"):
        if not 0 <= getattr(s, name) <= HUNDRED:
            errors[name] = "分数线应在0到100之间"
    if not errors and s.downgrade_threshold >= s.reward_threshold:
        errors["downgrade_threshold"] = "降级分数线必须低于奖励分数线"
    return errors


def _share(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else HUNDRED * Decimal(part) / Decimal(whole)


def rate_dealer(facts: DealerFacts, scheme: RatingScheme) -> RatingResult:
    """A dealer's period score (0–100): the weighted mean of its components, over the
    components the period has records for (the weights of the others are left out):

    * arrangement — share of its tasks arranged within the 2 h clock;
    * complaints — 100 less the configured points per complaint about it (never below 0);
    * rejection — 100 × (1 − rejected / appraised claims);
    * callbacks — share of its customers' callbacks that were satisfied.

    Score ≥ the reward line → reward; below the downgrade line → downgrade; a dealer with no
    record at all in the period is not rated."""
    exact: dict[str, Decimal | None] = {
        "arrangement": _share(facts.tasks_in_time, len(facts.tasks)),
        "complaints": max(Decimal(0), HUNDRED - scheme.complaint_penalty * facts.complaints),
        "rejection": _share(facts.claims_appraised - facts.claims_rejected, facts.claims_appraised),
        "callbacks": _share(facts.callbacks_satisfied, facts.callbacks_done),
    }
    shown = {c: None if v is None else v.quantize(CENT, ROUND_HALF_UP) for c, v in exact.items()}
    if facts.empty:
        return RatingResult(shown, None, Outcome.UNRATED)
    used = [(scheme.weight(c), v) for c, v in exact.items() if v is not None and scheme.weight(c)]
    total = sum((w for w, _ in used), Decimal(0))
    if total == 0:
        return RatingResult(shown, None, Outcome.UNRATED)
    score = (sum((w * v for w, v in used), Decimal(0)) / total).quantize(CENT, ROUND_HALF_UP)
    if score >= scheme.reward_threshold:
        outcome = Outcome.REWARD
    elif score < scheme.downgrade_threshold:
        outcome = Outcome.DOWNGRADE
    else:
        outcome = Outcome.KEEP
    return RatingResult(shown, score, outcome)


LEVEL_BELOW = {"A": "B", "B": "C", "C": "C"}


def level_after(level: str, outcome: str) -> str:
    """A downgrade moves a dealer one level down (C stays C); other outcomes keep it."""
    return LEVEL_BELOW.get(level, level) if outcome == Outcome.DOWNGRADE else level


def period_of(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The rating period containing ``day``: calendar-aligned blocks of ``months`` months
    from January (3 → quarters), as [start, end) dates."""
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError("评级周期应为1、2、3、4、6或12个月")
    first = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first, 1)
    return start, _add_months(start, months)


def previous_period(today: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The last period that has ended by ``today``."""
    start, _ = period_of(today, months)
    return period_of(start - dt.timedelta(days=1), months)


def _add_months(d: dt.date, months: int) -> dt.date:
    n = d.month - 1 + months
    return dt.date(d.year + n // 12, n % 12 + 1, 1)
