"""SLA rules (服务时限): due-time arithmetic, clock evaluation and policy choice.

Pure functions over plain values, per SPEC §3.3 "Precise semantics":

* whole minutes: every instant (start, now, met time, pause bounds) is truncated to the
  start of its minute;
* ``due(start, target)`` is the earliest instant with exactly ``target`` counted minutes
  (working time of the calendar and not paused) in ``[start, due)``, so a due time can be
  a closing instant (Wed 17:00 + 30 min → Wed 17:30);
* a start in non-working time counts from the next working minute;
* target 0 is due at the start itself — the truncated start instant, even when that lies
  outside working time (it is the earliest instant with zero counted minutes);
* pauses are ``[start, end)`` intervals, ``end=None`` for a pause still running;
  overlapping pauses count once.

No Django, no ORM, no clock reads: the caller passes ``now``.  Due times are returned in
the calendar's time zone.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, TypeVar

from aftersales.bizcalendar.rules import (
    MINUTE,
    BusinessCalendar,
    NoWorkingTimeError,
    UTCInterval,
    floor_to_minute,
    minutes_between,
    to_local,
    working_intervals,
)

DEFAULT_WARNING_SHARE = Decimal("0.75")
DEFAULT_MANAGER_ESCALATION_MINUTES = 120


class ClockPausedError(ValueError):
    """A running (open) pause stops the clock before the target is reached."""


@dataclass(frozen=True)
class Pause:
    """The clock stood still in ``[start, end)``; ``end=None`` while the pause lasts."""

    start: datetime
    end: datetime | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError("暂停结束时间不能早于开始时间")


PauseLike = Pause | tuple[datetime, datetime | None]
_Merged = tuple[datetime, datetime | None]


def _as_pause(value: PauseLike) -> Pause:
    if isinstance(value, Pause):
        return value
    start, end = value
    return Pause(start, end)


def merge_pauses(pauses: Iterable[PauseLike]) -> tuple[_Merged, ...]:
    """Pauses as sorted, disjoint UTC intervals truncated to the minute (open end = None)."""
    bounds: list[_Merged] = []
    for pause in map(_as_pause, pauses):
        start = floor_to_minute(pause.start)
        end = floor_to_minute(pause.end) if pause.end is not None else None
        if end is None or end > start:
            bounds.append((start, end))
    bounds.sort(key=lambda bound: bound[0])
    merged: list[_Merged] = []
    for start, end in bounds:
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                break  # an open pause swallows everything after it
            if start <= last_end:
                new_end = None if end is None else max(last_end, end)
                merged[-1] = (last_start, new_end)
                continue
        merged.append((start, end))
    return tuple(merged)


def _close_open_pauses(pauses: Iterable[PauseLike], at: datetime) -> tuple[Pause, ...]:
    """Pauses with a running pause ended at ``at`` (a projection: "if it resumed now")."""
    closed: list[Pause] = []
    for pause in map(_as_pause, pauses):
        if pause.end is not None:
            closed.append(pause)
        elif pause.start < at:
            closed.append(Pause(pause.start, at, pause.reason))
    return tuple(closed)


def _counted_intervals(
    cal: BusinessCalendar,
    start: datetime,
    end: datetime | None,
    pauses: tuple[_Merged, ...],
) -> Iterator[UTCInterval]:
    """Working time in ``[start, end)`` minus the merged pauses."""
    index = 0
    for work_start, work_end in working_intervals(cal, start, end):
        while index < len(pauses):
            pause_end = pauses[index][1]
            if pause_end is None or pause_end > work_start:
                break
            index += 1
        cursor = work_start
        position = index
        while cursor < work_end:
            if position >= len(pauses) or pauses[position][0] >= work_end:
                yield cursor, work_end
                break
            pause_start, pause_end = pauses[position]
            if pause_start > cursor:
                yield cursor, pause_start
            if pause_end is None:
                return
            cursor = max(cursor, pause_end)
            position += 1


def due(
    start: datetime,
    target_minutes: int,
    cal: BusinessCalendar,
    pauses: Iterable[PauseLike] = (),
) -> datetime:
    """The earliest instant with exactly ``target_minutes`` counted minutes in ``[start, due)``.

    Raises ``ClockPausedError`` when a running pause stops the clock before the target
    is reached, and ``NoWorkingTimeError`` when the calendar has too little working time.
    """
    if target_minutes < 0:
        raise ValueError("时限分钟数不能为负")
    first = floor_to_minute(start)
    if target_minutes == 0:
        return to_local(cal, first)
    merged = merge_pauses(pauses)
    remaining = target_minutes
    for interval_start, interval_end in _counted_intervals(cal, first, None, merged):
        length = minutes_between(interval_start, interval_end)
        if remaining <= length:
            return to_local(cal, interval_start + remaining * MINUTE)
        remaining -= length
    if merged and merged[-1][1] is None:
        raise ClockPausedError("时钟处于暂停中，无法计算到期时间")
    raise NoWorkingTimeError("工作日历在可查找范围内没有足够的工作时间")


def counted_minutes(
    start: datetime,
    end: datetime,
    cal: BusinessCalendar,
    pauses: Iterable[PauseLike] = (),
) -> int:
    """Counted minutes (working time, not paused) in ``[start, end)``."""
    first = floor_to_minute(start)
    last = floor_to_minute(end)
    if last <= first:
        return 0
    merged = merge_pauses(pauses)
    return sum(minutes_between(s, e) for s, e in _counted_intervals(cal, first, last, merged))


# --- clock evaluation ----------------------------------------------------------------------


class ClockStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"


@dataclass(frozen=True)
class SlaClockState:
    """One target's clock at ``now``.

    ``due`` while a pause is running is a projection: the due time if the clock resumed
    at ``now``.  Minutes are counted minutes (working time, not paused) unless named
    ``wall``.  ``breach_minutes`` is the recorded breach duration, counted on the same
    clock as the target (working, not paused), from the due time to the met time or
    ``now``; ``breach_wall_minutes`` is the same span in clock minutes.
    """

    status: ClockStatus
    due: datetime
    target_minutes: int
    elapsed_minutes: int
    remaining_minutes: int
    elapsed_share: float
    paused_minutes: int
    warning: bool
    warning_at: datetime
    breached: bool
    breach_minutes: int
    breach_wall_minutes: int
    escalate_to_manager: bool
    manager_escalation_at: datetime
    met_at: datetime | None


def evaluate_clock(
    *,
    start: datetime,
    target_minutes: int,
    calendar: BusinessCalendar,
    now: datetime,
    pauses: Iterable[PauseLike] = (),
    met_at: datetime | None = None,
    warning_share: Decimal = DEFAULT_WARNING_SHARE,
    manager_escalation_minutes: int = DEFAULT_MANAGER_ESCALATION_MINUTES,
) -> SlaClockState:
    """Evaluate one target's clock at ``now``.

    * ``met_at`` set: the clock stopped then; MET when ``met_at <= due``, else BREACHED.
    * otherwise BREACHED once ``now`` is past the due time, PAUSED while a pause that
      began at or before ``now`` is running, else RUNNING.
    * ``warning`` once the counted minutes reach ``ceil(target × warning_share)`` and the
      clock has not stopped; ``warning_at`` is when that happens (projected).
    * ``escalate_to_manager`` once the breach lasts ``manager_escalation_minutes`` counted
      minutes and the clock has not stopped; ``manager_escalation_at`` is when (projected).
    """
    if not Decimal(0) <= warning_share <= Decimal(1):
        raise ValueError("预警比例必须在 0 到 1 之间")
    if manager_escalation_minutes < 0:
        raise ValueError("升级时长不能为负")
    first = floor_to_minute(start)
    current = floor_to_minute(now)
    stopped_at = max(floor_to_minute(met_at), first) if met_at is not None else None
    end_point = max(stopped_at if stopped_at is not None else current, first)
    pause_list = tuple(map(_as_pause, pauses))
    closed = _close_open_pauses(pause_list, end_point)
    running_pause = stopped_at is None and any(
        pause.end is None and floor_to_minute(pause.start) <= current for pause in pause_list
    )

    due_at = due(first, target_minutes, calendar, closed)
    elapsed = counted_minutes(first, end_point, calendar, closed)
    paused = counted_minutes(first, end_point, calendar) - elapsed
    breached = end_point > due_at
    breach = counted_minutes(due_at, end_point, calendar, closed) if breached else 0
    breach_wall = minutes_between(due_at, end_point) if breached else 0
    warning_minutes = math.ceil(Decimal(target_minutes) * warning_share)

    if stopped_at is not None:
        status = ClockStatus.BREACHED if breached else ClockStatus.MET
    elif breached:
        status = ClockStatus.BREACHED
    else:
        status = ClockStatus.PAUSED if running_pause else ClockStatus.RUNNING

    return SlaClockState(
        status=status,
        due=due_at,
        target_minutes=target_minutes,
        elapsed_minutes=elapsed,
        remaining_minutes=max(target_minutes - elapsed, 0),
        elapsed_share=elapsed / target_minutes if target_minutes else 1.0,
        paused_minutes=paused,
        warning=stopped_at is None and elapsed >= warning_minutes,
        warning_at=due(first, warning_minutes, calendar, closed),
        breached=breached,
        breach_minutes=breach,
        breach_wall_minutes=breach_wall,
        escalate_to_manager=(
            stopped_at is None and breached and breach >= manager_escalation_minutes
        ),
        manager_escalation_at=due(
            first, target_minutes + manager_escalation_minutes, calendar, closed
        ),
        met_at=to_local(calendar, stopped_at) if stopped_at is not None else None,
    )


# --- policies -------------------------------------------------------------------------------
#
# The policies themselves are data (``sla.models``; defaults in ``demo/defaults.SLA_POLICIES``).
# These functions are the rules production applies to them — ``service.services.clocks``
# turns the database rows into the plain values below and calls them.


class Severity(StrEnum):
    """A ticket's severity: the one list (``sla.models.Severity`` is built from it)."""

    MAJOR = "major"
    URGENT = "urgent"
    NORMAL = "normal"
    LOW = "low"

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]


SEVERITY_LABELS: Mapping[Severity, str] = MappingProxyType(
    {Severity.MAJOR: "重大", Severity.URGENT: "紧急", Severity.NORMAL: "一般", Severity.LOW: "低"}
)

# the dispatcher confirms the dispatch of these within the policy's time [003#12 §二]
DISPATCH_CONFIRM_SEVERITIES = frozenset({Severity.MAJOR, Severity.URGENT})
DAY_MINUTES = 24 * 60


class Relation(StrEnum):
    """Where a site lies from the field engineers (regional on-site targets)."""

    LOCAL = "local"  # 本地: engineers in the site's region
    NEIGHBOUR = "neighbour"  # 邻近地区: engineers in a neighbouring region
    OTHER = "other"  # 外省


class PolicySource(StrEnum):
    CONTRACT = "contract"
    TIER = "tier"
    DEFAULT = "default"


class PolicyLike(Protocol):
    """What policy choice reads of a policy (a ``sla.models.SlaPolicy`` row qualifies)."""

    @property
    def code(self) -> str: ...
    @property
    def customer_tier(self) -> str: ...
    @property
    def is_default(self) -> bool: ...


P = TypeVar("P", bound=PolicyLike)

SEVEN_BY_24_CODE = "7x24"


def choose_policy(
    policies: Sequence[P],
    *,
    contract_policy: P | None = None,
    contract_is_7x24: bool = False,
    customer_tier: str = "",
) -> tuple[P | None, PolicySource]:
    """The ticket's policy (SPEC §3.3): the contract's own policy, else the 7×24 policy for
    a 7×24 contract, else the policy of the customer's tier, else the default one."""
    if contract_policy is not None:
        return contract_policy, PolicySource.CONTRACT
    if contract_is_7x24:
        for policy in policies:
            if policy.code == SEVEN_BY_24_CODE:
                return policy, PolicySource.CONTRACT
    if customer_tier:
        for policy in policies:
            if policy.customer_tier and policy.customer_tier == customer_tier:
                return policy, PolicySource.TIER
    return next((p for p in policies if p.is_default), None), PolicySource.DEFAULT


def region_relation(
    site_region: int | None,
    staffed: Collection[int | None],
    neighbours: Mapping[int, Collection[int]],
) -> Relation:
    """local: field engineers work in the site's region; neighbour: in a neighbouring one.
    (A ticket without a site is local: the caller does not ask.)"""
    if site_region in staffed:
        return Relation.LOCAL
    if site_region is not None and any(r in staffed for r in neighbours.get(site_region, ())):
        return Relation.NEIGHBOUR
    return Relation.OTHER


@dataclass(frozen=True)
class Target:
    """A policy row: ``amount`` minutes, or working days when ``in_days``; counted in
    working time (the policy's calendar) or around the clock."""

    severity: str
    metric: str
    amount: Decimal
    in_days: bool = False
    working_time: bool = True


@dataclass(frozen=True)
class RegionalTarget:
    minutes: int
    working_time: bool = False


@dataclass(frozen=True)
class ClockTarget:
    """One clock to start: ``minutes`` on the working or the 7×24 calendar."""

    metric: str
    minutes: int
    working_time: bool


def days_to_minutes(days: Decimal, *, working_time: bool, working_day_minutes: int) -> int:
    """Working days as minutes: a working day is the calendar's normal day (450 for
    08:30–12:00 / 13:30–17:30), a day on a 7×24 clock is 1 440 minutes."""
    if working_day_minutes <= 0:
        raise ValueError("一个工作日的分钟数必须为正")
    day = working_day_minutes if working_time else DAY_MINUTES
    return int((days * Decimal(day)).to_integral_value())


def resolve_targets(
    targets: Iterable[Target],
    severity: str,
    *,
    working_day_minutes: int,
    relation: Relation = Relation.LOCAL,
    regional: Mapping[Relation, RegionalTarget] | None = None,
    dispatch_confirm_minutes: int | None = None,
) -> list[ClockTarget]:
    """The clocks a ticket of ``severity`` starts, in the policy's order of targets.

    The on-site target of a site that is not local is the regional target of its relation
    when that is longer (engineers must travel; the seed's 2 h / 12 h / 48 h are travel
    times, counted around the clock by default).  Major and urgent tickets add the
    dispatch-confirmation clock (7×24)."""
    regional = regional or {}
    out: list[ClockTarget] = []
    for target in targets:
        if target.severity != severity:
            continue
        if target.amount < 0:
            raise ValueError("时限不能为负")
        working = target.working_time
        if target.in_days:
            minutes = days_to_minutes(
                target.amount, working_time=working, working_day_minutes=working_day_minutes
            )
        else:
            minutes = int(target.amount)
        if target.metric == "on_site" and relation is not Relation.LOCAL:
            far = regional.get(relation)
            if far is not None and far.minutes > minutes:
                minutes, working = far.minutes, far.working_time
        out.append(ClockTarget(target.metric, minutes, working))
    if dispatch_confirm_minutes is not None and severity in DISPATCH_CONFIRM_SEVERITIES:
        out.append(ClockTarget("dispatch", dispatch_confirm_minutes, False))
    return out
