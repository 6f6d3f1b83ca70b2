"""Writes to the business calendar: seeding from the ``holidays`` library, administrator
overrides, confirming a year's official schedule. All audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import holidays as holidays_lib
from django.db import transaction
from django.utils import timezone
from holidays.countries.china import ChinaStaticHolidays

from aftersales.bizcalendar import selectors
from aftersales.bizcalendar.models import CalendarDay, CalendarYear, WorkingPattern, WorkingPeriod
from aftersales.bizcalendar.rules import Period
from aftersales.core import audit
from aftersales.core.errors import PermissionDenied, ValidationFailed
from aftersales.core.said import Said


def official_years() -> frozenset[int]:
    """Years whose official 调休 schedule the installed ``holidays`` library carries."""
    return frozenset(ChinaStaticHolidays.special_public_holidays)


@transaction.atomic
def seed_years(years: list[int], *, actor: Any = None) -> int:
    """Load public holidays and 调休 working days of ``years`` (idempotent). Returns rows added."""
    added = 0
    for year in years:
        table = holidays_lib.China(years=[year], language="zh_CN")
        wanted: dict[dt.date, tuple[bool, str]] = {
            day: (False, str(name)) for day, name in table.items() if day.year == year
        }
        for day in table.weekend_workdays:
            if day.year == year:
                wanted[day] = (True, "调休上班")
        existing = {
            d.date: d
            for d in CalendarDay.objects.active().filter(
                source=CalendarDay.Source.LIBRARY, date__year=year
            )
        }
        for day, (working, name) in sorted(wanted.items()):
            row = existing.pop(day, None)
            if row is None:
                CalendarDay.objects.create(
                    date=day, source=CalendarDay.Source.LIBRARY, working=working, name=name
                )
                added += 1
            elif row.working != working or row.name != name:
                row.working, row.name = working, name
                row.save(update_fields=["working", "name", "updated_at"])
        for stale in existing.values():  # the library changed its mind (e.g. a new schedule)
            CalendarDay.objects.filter(pk=stale.pk).update(archived_at=timezone.now())
        cy, created = CalendarYear.objects.get_or_create(year=year)
        official = year in official_years()
        if created or cy.official != official:
            cy.official = official
            cy.note = (
                "含国务院办公厅放假安排" if official else "节假日按规则推算，待官方安排公布后请确认"
            )
            cy.save()
        audit.record(
            cy,
            actor=actor,
            action="action",
            verb="seed_calendar",
            payload={"year": year, "days": len(wanted), "official": official},
        )
    selectors.invalidate()
    return added


def _require_admin(actor: Any) -> None:
    if not actor or not actor.has_perm("bizcalendar.change_calendarday"):
        raise PermissionDenied("只有管理员可以修改工作日历")


@transaction.atomic
def set_override(
    *,
    actor: Any,
    day: dt.date,
    working: bool,
    periods: list[tuple[str, str]] | None = None,
    name: str = "",
) -> CalendarDay:
    """An administrator's decision for one date; it wins over holidays and 调休."""
    _require_admin(actor)
    periods = periods or []
    try:
        for start, end in periods:
            Period(dt.time.fromisoformat(start), dt.time.fromisoformat(end))
    except ValueError as exc:
        raise ValidationFailed(Said("工作时段无效：%(exc)s", exc=exc), field="periods") from exc
    if not working and periods:
        raise ValidationFailed("休息日不能设置工作时段", field="periods")
    previous = CalendarDay.objects.active().filter(date=day, source=CalendarDay.Source.ADMIN)
    before = None
    for old in previous:
        before = audit.snapshot(old)
        CalendarDay.objects.filter(pk=old.pk).update(archived_at=timezone.now())
    row = CalendarDay.objects.create(
        date=day,
        source=CalendarDay.Source.ADMIN,
        working=working,
        name=name,
        periods=[list(p) for p in periods],
    )
    audit.record(
        row,
        actor=actor,
        action="create",
        verb="calendar_override",
        before=before,
        after=audit.snapshot(row),
    )
    selectors.invalidate()
    return row


@transaction.atomic
def confirm_year(*, actor: Any, year: int, note: str = "") -> CalendarYear:
    _require_admin(actor)
    cy, _ = CalendarYear.objects.select_for_update().get_or_create(year=year)
    cy.confirmed_by = actor
    cy.confirmed_at = timezone.now()
    cy.note = note or cy.note
    cy.save()
    audit.record(
        cy, actor=actor, action="action", verb="confirm_calendar_year", payload={"year": year}
    )
    return cy


@transaction.atomic
def ensure_standard_pattern() -> WorkingPattern:
    """Mon–Fri 08:30–12:00 and 13:30–17:30, the seeds' working hours (idempotent)."""
    pattern, created = WorkingPattern.objects.get_or_create(
        code="standard",
        defaults={"name": "标准作息（周一至周五 8:30-12:00，13:30-17:30）", "is_default": True},
    )
    if created:
        for weekday in range(5):
            WorkingPeriod.objects.create(
                pattern=pattern, weekday=weekday, start=dt.time(8, 30), end=dt.time(12, 0)
            )
            WorkingPeriod.objects.create(
                pattern=pattern, weekday=weekday, start=dt.time(13, 30), end=dt.time(17, 30)
            )
    return pattern
