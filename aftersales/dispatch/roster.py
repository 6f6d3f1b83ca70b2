"""A technician's planning day from the roster and the business calendar (pure).

Minutes count from 00:00 of the planning day.

* **Shift.** The day's normal or holiday duty shifts (值班表), clipped to the day, give the
  hours. An on-call shift alone (7×24 值班) is planned only inside the normal working hours:
  the planner proposes the daytime, nights stay with the dispatcher. A technician without
  any roster entry at all counts as on normal duty on working days (the rule the service's
  candidate ranking uses), with the calendar's hours.
* **Lunch.** The calendar's midday gap (12:00–13:30 on the standard pattern) is the break:
  its length is the duration, and it may start up to ``flex`` minutes earlier or later so
  that it is taken next to a visit rather than forcing a drive home.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from aftersales.dispatch.planning.model import LunchBreak, TimeWindow

DAY_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class RosterShift:
    kind: str  # "normal" | "on_call" | "holiday"
    start: int
    end: int


Span = tuple[int, int]


def day_shift(
    shifts: Sequence[RosterShift],
    *,
    working_periods: Sequence[Span],
    normal_periods: Sequence[Span],
    has_roster: bool,
) -> TimeWindow | None:
    """The technician's hours on the day, or ``None`` when he is not on duty."""
    clipped = [
        RosterShift(s.kind, max(0, s.start), min(DAY_MINUTES, s.end))
        for s in shifts
        if min(DAY_MINUTES, s.end) > max(0, s.start)
    ]
    duty = [s for s in clipped if s.kind != "on_call"]
    if duty:
        return TimeWindow(min(s.start for s in duty), max(s.end for s in duty))
    if clipped:
        hours = working_periods or normal_periods
        if not hours:
            return None
        start = max(min(s.start for s in clipped), hours[0][0])
        end = min(max(s.end for s in clipped), hours[-1][1])
        return TimeWindow(start, end) if end > start else None
    if not has_roster and working_periods:
        return TimeWindow(working_periods[0][0], working_periods[-1][1])
    return None


def lunch_break(shift: TimeWindow, periods: Sequence[Span], flex: int) -> LunchBreak | None:
    """The calendar's midday gap as a break inside ``shift`` (``None`` when the shift does
    not span it)."""
    for (_, gap_start), (gap_end, _) in pairwise(periods):
        duration = gap_end - gap_start
        if duration <= 0:
            continue
        earliest = max(shift.earliest, gap_start - flex)
        latest = min(gap_start + flex, shift.latest - duration)
        if earliest <= latest:
            return LunchBreak(TimeWindow(earliest, latest), duration)
    return None


def remaining_lunch(lunch: LunchBreak, now_minute: int) -> LunchBreak | None:
    """What is left of a lunch break not yet recorded at ``now_minute``: ``None`` once its
    latest start has passed (no longer a constraint), else its window from now."""
    if lunch.taken_start is not None or now_minute <= lunch.window.earliest:
        return lunch
    if now_minute > lunch.window.latest:
        return None
    return LunchBreak(TimeWindow(now_minute, lunch.window.latest), lunch.duration)
