"""Which appointment windows can be agreed with a customer: a pure rule (no ORM, no clock —
the caller passes ``now`` and the limits from settings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from aftersales.core.said import Said


@dataclass(frozen=True)
class WindowLimits:
    max_hours: int  # longest window
    max_days_ahead: int  # furthest start from now
    past_grace_minutes: int  # how far back a start may be entered (recording a visit late)

    @classmethod
    def from_settings(cls) -> WindowLimits:
        return cls(
            max_hours=int(getattr(settings, "APPOINTMENT_MAX_HOURS", 12)),
            max_days_ahead=int(getattr(settings, "APPOINTMENT_MAX_DAYS_AHEAD", 180)),
            past_grace_minutes=int(getattr(settings, "APPOINTMENT_PAST_GRACE_MINUTES", 180)),
        )


def window_problem(
    start: dt.datetime, end: dt.datetime, *, now: dt.datetime, limits: WindowLimits
) -> tuple[str, str] | None:
    """``(field, Chinese message)`` of the first thing wrong with the window, or ``None``."""
    if end <= start:
        return "window_end", "预约结束时间必须晚于开始时间"
    if start < now - dt.timedelta(minutes=limits.past_grace_minutes):
        return "window_start", "预约开始时间已过去，请选择今后的时间"
    if start > now + dt.timedelta(days=limits.max_days_ahead):
        return "window_start", Said(
            "预约时间不能晚于%(max_days_ahead)s天以后", max_days_ahead=limits.max_days_ahead
        )
    if end - start > dt.timedelta(hours=limits.max_hours):
        return "window_end", Said("预约时段不能超过%(max_hours)s小时", max_hours=limits.max_hours)
    return None


def late_window_message(start: dt.datetime, due: dt.datetime) -> str:
    """The warning for a window that starts after the on-site due time (local times)."""
    return Said(
        "预约开始 %(start)s 晚于到场时限 %(due)s，到场将超时。如确是客户要求的时间，请勾选确认后再保存。",
        start=format(start, "%m-%d %H:%M"),
        due=format(due, "%m-%d %H:%M"),
    )
