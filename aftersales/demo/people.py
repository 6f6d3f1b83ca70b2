"""Demo logins: company staff with profiles and skills, dealer and customer portal users,
and the duty roster (值班表) for the next 14 days. All demo users share ``DEMO_PASSWORD``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from aftersales.accounts.models import Department, OrgKind, User
from aftersales.accounts.roles import ROLE_BY_CODE, group_for
from aftersales.bizcalendar import rules as cal_rules
from aftersales.bizcalendar import selectors as cal_selectors
from aftersales.bizcalendar.models import CalendarDay
from aftersales.core.models import Region
from aftersales.demo.data import DEMO_PASSWORD
from aftersales.demo.plan.types import LoginPlan, StaffPlan
from aftersales.installed_base.models import ProductCategory
from aftersales.staff.models import DutyShift, StaffProfile

ROSTER_DAYS = 14
DAY_START = dt.time(8, 30)
DAY_END = dt.time(17, 30)


@cache
def _demo_password_hash() -> str:
    """One hash for every demo user, computed once per process."""
    return make_password(DEMO_PASSWORD)


def _split(name: str) -> tuple[str, str]:
    """Chinese names: one-character surname, the rest is the given name."""
    return name[:1], name[1:]


def create_users(
    *,
    staff: Iterable[StaffPlan],
    logins: Iterable[LoginPlan],
    regions: dict[str, Region],
    departments: dict[str, Department],
    dealer_ids: dict[str, int],
    customer_ids: dict[str, int],
) -> list[User]:
    """Create the missing demo users (bulk, one password hash for all) with their roles."""
    existing = set(User.objects.values_list("username", flat=True))
    password = ""  # hashed once, when the first user is missing (argon2 is slow on purpose)
    users: list[User] = []
    roles: dict[str, str] = {}
    for s in staff:
        if s.username in existing:
            continue
        password = password or _demo_password_hash()
        last, first = _split(s.display_name)
        admin = s.role == "admin"
        users.append(
            User(
                username=s.username,
                password=password,
                display_name=s.display_name,
                last_name=last,
                first_name=first,
                email=f"{s.username}@demo.example.com",
                phone=s.phone,
                org_kind=OrgKind.COMPANY,
                is_staff=admin,
                is_superuser=admin,
                department=departments.get(s.department),
                region=regions.get(s.region),
            )
        )
        roles[s.username] = s.role
    for lg in logins:
        if lg.username in existing:
            continue
        dealer_id = dealer_ids.get(lg.dealer_code)
        customer_id = customer_ids.get(lg.customer_code)
        if dealer_id is None and customer_id is None:
            continue
        password = password or _demo_password_hash()
        last, first = _split(lg.display_name)
        users.append(
            User(
                username=lg.username,
                password=password,
                display_name=lg.display_name,
                last_name=last,
                first_name=first,
                email=f"{lg.username}@demo.example.com",
                phone=lg.phone,
                org_kind=OrgKind.DEALER if dealer_id else OrgKind.CUSTOMER,
                dealer_id=dealer_id,
                customer_id=customer_id,
            )
        )
        roles[lg.username] = lg.role
    created = User.objects.bulk_create(users)
    groups: dict[str, Group] = {code: group_for(code) for code in set(roles.values())}
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=groups[roles[u.username]].pk) for u in created]
    )
    return created


def create_profiles(
    *,
    staff: Iterable[StaffPlan],
    regions: dict[str, Region],
    categories: dict[str, ProductCategory],
) -> list[StaffProfile]:
    """StaffProfile for every company user of the plan, with skills and home base."""
    plans = {s.username: s for s in staff}
    users = User.objects.filter(username__in=plans, staff_profile__isnull=True)
    taken = set(StaffProfile.objects.values_list("employee_no", flat=True))
    profiles: list[StaffProfile] = []
    for user in users:
        s = plans[user.username]
        if s.employee_no in taken:
            continue
        profiles.append(
            StaffProfile(
                user=user,
                employee_no=s.employee_no,
                region=regions.get(s.region),
                home_address=s.home_address,
                home_lat=s.home_lat,
                home_lng=s.home_lng,
                is_field_engineer=s.role == "technician",
                daily_capacity=6 if s.role == "technician" else 0,
            )
        )
    created = StaffProfile.objects.bulk_create(profiles)
    through = StaffProfile.skills.through
    through.objects.bulk_create(
        [
            through(staffprofile_id=p.pk, productcategory_id=categories[code].pk)
            for p in created
            for code in plans[p.user.username].skills
        ]
    )
    return created


def _at(day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=timezone.get_default_timezone())


def create_roster(*, today: dt.date, staff: Iterable[StaffPlan]) -> list[DutyShift]:
    """Shifts for ``ROSTER_DAYS`` days from ``today``: normal day shifts of technicians and
    agents on working days, a 24-hour on-call technician per region and an on-call
    coordinator every day (7×24), and holiday duty on rest days and public holidays."""
    plans = list(staff)
    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in plans])}
    techs: dict[str, list[StaffPlan]] = {}
    for s in plans:
        if s.role == "technician" and s.username in users:
            techs.setdefault(s.region, []).append(s)
    agents = [s for s in plans if s.role == "agent" and s.username in users]
    coordinators = [s for s in plans if s.role == "coordinator" and s.username in users]
    cal = cal_selectors.build_calendar()
    last = today + dt.timedelta(days=ROSTER_DAYS)
    names = dict(
        CalendarDay.objects.active()
        .filter(date__gte=today, date__lt=last, working=False)
        .values_list("date", "name")
    )
    wanted: list[tuple[StaffPlan, str, dt.datetime, dt.datetime, str]] = []
    for offset in range(ROSTER_DAYS):
        day = today + dt.timedelta(days=offset)
        working = bool(cal_rules.periods_on(cal, day))
        on_call_from, on_call_to = _at(day, DAY_START), _at(day + dt.timedelta(days=1), DAY_START)
        for _region, people in sorted(techs.items()):
            wanted.append(
                (
                    people[offset % len(people)],
                    DutyShift.Kind.ON_CALL,
                    on_call_from,
                    on_call_to,
                    "7×24值班",
                )
            )
            if working:
                wanted += [
                    (p, DutyShift.Kind.NORMAL, _at(day, DAY_START), _at(day, DAY_END), "")
                    for p in people
                ]
            else:
                person = people[(offset + 1) % len(people)]
                note = names.get(day) or "周末值班"
                wanted.append(
                    (person, DutyShift.Kind.HOLIDAY, _at(day, DAY_START), _at(day, DAY_END), note)
                )
        if coordinators:
            wanted.append(
                (
                    coordinators[offset % len(coordinators)],
                    DutyShift.Kind.ON_CALL,
                    on_call_from,
                    on_call_to,
                    "升级处理值班",
                )
            )
        if working:
            wanted += [
                (a, DutyShift.Kind.NORMAL, _at(day, DAY_START), _at(day, DAY_END), "")
                for a in agents
            ]
        elif agents:
            note = f"{names.get(day) or '周末'}热线值班"
            wanted.append(
                (
                    agents[offset % len(agents)],
                    DutyShift.Kind.HOLIDAY,
                    _at(day, dt.time(9, 0)),
                    _at(day, dt.time(17, 0)),
                    note,
                )
            )
    have = set(
        DutyShift.objects.filter(starts_at__gte=_at(today, dt.time(0, 0))).values_list(
            "user__username", "kind", "starts_at"
        )
    )
    regions = {r.code: r for r in Region.objects.all()}
    shifts = [
        DutyShift(
            user=users[p.username],
            kind=kind,
            starts_at=start,
            ends_at=end,
            region=regions.get(p.region),
            note=note,
        )
        for p, kind, start, end, note in wanted
        if (p.username, kind, start) not in have
    ]
    return DutyShift.objects.bulk_create(shifts)


def role_name(code: str) -> str:
    return ROLE_BY_CODE[code].name if code in ROLE_BY_CODE else code
