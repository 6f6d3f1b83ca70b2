"""The calendar as seeded from `holidays` into the table, cross-checked with `chinesecalendar`,
and administrator overrides winning."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.bizcalendar import services
from aftersales.bizcalendar.models import CalendarDay, CalendarYear
from aftersales.bizcalendar.rules import is_working_minute, periods_on
from aftersales.bizcalendar.selectors import build_calendar, years_to_confirm
from aftersales.core.audit import history
from aftersales.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
D = dt.date


@pytest.fixture
def cal2026():  # type: ignore[no-untyped-def]
    services.ensure_standard_pattern()
    services.seed_years([2026])
    return build_calendar()


def test_national_day_2026_days_off_and_adjusted_working_days(cal2026) -> None:  # type: ignore[no-untyped-def]
    for day in [D(2026, 10, d) for d in range(1, 8)] + [D(2026, 9, 25)]:
        assert periods_on(cal2026, day) == (), day
    for day in (D(2026, 9, 20), D(2026, 10, 10)):  # Sunday, Saturday: 调休 working days
        assert periods_on(cal2026, day) != (), day
        assert is_working_minute(cal2026, dt.datetime.combine(day, dt.time(9, 0), SH))
    assert not is_working_minute(cal2026, dt.datetime(2026, 10, 3, 9, 0, tzinfo=SH))
    assert not is_working_minute(cal2026, dt.datetime(2026, 9, 30, 12, 30, tzinfo=SH))  # lunch


def test_holidays_library_agrees_with_chinesecalendar_on_2026(cal2026) -> None:  # type: ignore[no-untyped-def]
    day = D(2026, 1, 1)
    checked = 0
    while day.year == 2026:
        assert bool(periods_on(cal2026, day)) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
        checked += 1
    assert checked == 365


def test_seeding_is_idempotent_and_marks_official_years(cal2026) -> None:  # type: ignore[no-untyped-def]
    count = CalendarDay.objects.count()
    assert services.seed_years([2026]) == 0
    assert CalendarDay.objects.count() == count
    assert CalendarYear.objects.get(year=2026).official
    services.seed_years([2027])
    y2027 = CalendarYear.objects.get(year=2027)
    assert not y2027.official and y2027.needs_confirmation
    assert years_to_confirm(D(2026, 11, 23)) == [2027]


def test_administrator_override_wins_and_is_audited(cal2026) -> None:  # type: ignore[no-untyped-def]
    admin = t.user("admin")
    row = services.set_override(
        actor=admin, day=D(2026, 10, 10), working=False, name="公司安排休息"
    )
    services.set_override(
        actor=admin,
        day=D(2026, 10, 2),
        working=True,
        periods=[("09:00", "12:00")],
        name="节日值班日",
    )
    cal = build_calendar()
    assert periods_on(cal, D(2026, 10, 10)) == ()  # override beats 调休 working day
    assert is_working_minute(cal, dt.datetime(2026, 10, 2, 9, 0, tzinfo=SH))  # beats holiday
    assert not is_working_minute(cal, dt.datetime(2026, 10, 2, 13, 30, tzinfo=SH))
    assert [e.verb for e in history(row)] == ["calendar_override"]


def test_only_administrators_override(cal2026) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.set_override(actor=t.user("agent"), day=D(2026, 10, 10), working=False)
    assert not CalendarDay.objects.filter(source="admin").exists()


def test_admin_screen_lists_calendar_days(cal2026) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(t.user("admin", is_staff=True, is_superuser=True))
    body = c.get("/admin/bizcalendar/calendarday/?date__year=2026").content.decode()
    assert "国庆节" in body and "调休上班" in body
