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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from aftersales.bizcalendar.rules import (
    MINUTE,
    TWENTY_FOUR_SEVEN,
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


class Severity(StrEnum):
    MAJOR = "major"  # 重大
    URGENT = "urgent"  # 紧急
    NORMAL = "normal"  # 一般
    LOW = "low"  # 低 / 咨询


class TargetKind(StrEnum):
    RESPONSE = "response"  # 首次响应
    ON_SITE = "on_site"  # 到场
    RESOLUTION = "resolution"  # 解决


class ClockMode(StrEnum):
    TWENTY_FOUR_SEVEN = "24x7"
    BUSINESS = "business"


class RegionBand(StrEnum):
    LOCAL = "local"  # 本地
    NEIGHBOURING = "neighbouring"  # 周边
    OTHER_PROVINCE = "other_province"  # 外省


class PolicySource(StrEnum):
    CONTRACT = "contract"
    CUSTOMER_TIER = "customer_tier"
    DEFAULT = "default"


@dataclass(frozen=True)
class TargetDuration:
    """A target as clock/working minutes plus whole working days."""

    minutes: int = 0
    working_days: int = 0

    def __post_init__(self) -> None:
        if self.minutes < 0 or self.working_days < 0:
            raise ValueError("时限不能为负")

    def to_minutes(self, working_day_minutes: int) -> int:
        return self.minutes + self.working_days * working_day_minutes


@dataclass(frozen=True)
class SeverityTargets:
    """A severity's clock and targets; ``None`` = no clock (by appointment)."""

    clock: ClockMode
    response: TargetDuration | None
    on_site: TargetDuration | None
    resolution: TargetDuration | None

    def duration(self, kind: TargetKind) -> TargetDuration | None:
        return {
            TargetKind.RESPONSE: self.response,
            TargetKind.ON_SITE: self.on_site,
            TargetKind.RESOLUTION: self.resolution,
        }[kind]


@dataclass(frozen=True)
class SlaPolicy:
    """Targets per severity, optional regional on-site targets and escalation settings.

    Regional on-site targets replace the severity's on-site target when the policy uses
    them and the ticket's region band is known; they run on ``regional_clock``
    (clock hours by default, as the seed's 2 h / 12 h / 48 h are travel times).
    """

    code: str
    name: str
    severities: Mapping[Severity, SeverityTargets]
    regional_on_site: Mapping[RegionBand, TargetDuration] = field(default_factory=dict)
    use_regional_on_site: bool = False
    regional_clock: ClockMode = ClockMode.TWENTY_FOUR_SEVEN
    warning_share: Decimal = DEFAULT_WARNING_SHARE
    manager_escalation_minutes: int = DEFAULT_MANAGER_ESCALATION_MINUTES

    def __post_init__(self) -> None:
        object.__setattr__(self, "severities", MappingProxyType(dict(self.severities)))
        object.__setattr__(self, "regional_on_site", MappingProxyType(dict(self.regional_on_site)))
        if not Decimal(0) <= self.warning_share <= Decimal(1):
            raise ValueError("预警比例必须在 0 到 1 之间")


@dataclass(frozen=True)
class ResolvedTarget:
    """A target ready for ``due``: minutes on the given clock."""

    kind: TargetKind
    minutes: int
    clock: ClockMode


@dataclass(frozen=True)
class PolicyChoice:
    policy: SlaPolicy
    source: PolicySource
    reason: str


_ALWAYS = ClockMode.TWENTY_FOUR_SEVEN
_BUSINESS = ClockMode.BUSINESS

DEFAULT_SLA_POLICY = SlaPolicy(
    code="default",
    name="默认服务时限",
    severities={
        Severity.MAJOR: SeverityTargets(
            _ALWAYS, TargetDuration(30), TargetDuration(120), TargetDuration(240)
        ),
        Severity.URGENT: SeverityTargets(
            _ALWAYS, TargetDuration(30), TargetDuration(120), TargetDuration(240)
        ),
        Severity.NORMAL: SeverityTargets(
            _BUSINESS,
            TargetDuration(60),
            TargetDuration(working_days=1),
            TargetDuration(working_days=1),
        ),
        Severity.LOW: SeverityTargets(
            _BUSINESS, TargetDuration(working_days=1), None, TargetDuration(working_days=5)
        ),
    },
    regional_on_site={
        RegionBand.LOCAL: TargetDuration(2 * 60),
        RegionBand.NEIGHBOURING: TargetDuration(12 * 60),
        RegionBand.OTHER_PROVINCE: TargetDuration(48 * 60),
    },
)


def choose_policy(
    *,
    contract: SlaPolicy | None,
    customer_tier: SlaPolicy | None,
    default: SlaPolicy = DEFAULT_SLA_POLICY,
) -> PolicyChoice:
    """The ticket's policy: service contract, else customer tier, else the default."""
    if contract is not None:
        return PolicyChoice(
            contract, PolicySource.CONTRACT, f"按服务合同时限政策「{contract.name}」"
        )
    if customer_tier is not None:
        return PolicyChoice(
            customer_tier,
            PolicySource.CUSTOMER_TIER,
            f"按客户等级时限政策「{customer_tier.name}」",
        )
    return PolicyChoice(default, PolicySource.DEFAULT, f"按默认时限政策「{default.name}」")


def calendar_for(clock: ClockMode, business_calendar: BusinessCalendar) -> BusinessCalendar:
    """The calendar a clock runs on."""
    return TWENTY_FOUR_SEVEN if clock is ClockMode.TWENTY_FOUR_SEVEN else business_calendar


def resolve_targets(
    policy: SlaPolicy,
    severity: Severity,
    *,
    working_day_minutes: int,
    region: RegionBand | None = None,
) -> tuple[ResolvedTarget, ...]:
    """The severity's targets in minutes, in the order response, on-site, resolution.

    ``working_day_minutes`` is the business calendar's normal day (450 for
    08:30–12:00 / 13:30–17:30); on a 7×24 clock a working day is 1440 minutes.
    Targets without a clock (by appointment) are left out.
    """
    if working_day_minutes <= 0:
        raise ValueError("一个工作日的分钟数必须为正")
    targets = policy.severities.get(severity)
    if targets is None:
        raise KeyError(f"时限政策「{policy.name}」未设置严重程度 {severity}")
    resolved: list[ResolvedTarget] = []
    for kind in TargetKind:
        clock = targets.clock
        duration = targets.duration(kind)
        if (
            kind is TargetKind.ON_SITE
            and policy.use_regional_on_site
            and region is not None
            and region in policy.regional_on_site
        ):
            duration = policy.regional_on_site[region]
            clock = policy.regional_clock
        if duration is None:
            continue
        day = 24 * 60 if clock is ClockMode.TWENTY_FOUR_SEVEN else working_day_minutes
        resolved.append(ResolvedTarget(kind, duration.to_minutes(day), clock))
    return tuple(resolved)
