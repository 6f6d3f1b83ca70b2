"""The staff panel of the KPI board (人员考核事实): a hand-made March of assessment facts,
defined below as plain values, against the board's table — per person and kind, counted,
waived and still open, the month's edges in local time, archived facts left out — its Excel
export equal to the table, the board's filters and role scope, and the monthly pack's sheet."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from aftersales import testing as t
from aftersales.accounts.models import Department
from aftersales.core.models import Region
from aftersales.reports import registry
from aftersales.reports.filters import ReportFilters
from aftersales.reports.selectors import run_all
from aftersales.reports.services import packs, summary, workbook
from aftersales.reports.tests.tables import Tables, assert_export_is_table
from aftersales.staff.models import AssessmentFact, FactKind, StaffProfile

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MARCH = "start=2026-03-01&end=2026-03-31"
HEADER = ["人员", "考核类型", "事实数", "已计入", "已免责", "待考核"]
K = FactKind


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


# who: display name, the user's region, the staff profile's region, team, dealer or not
PEOPLE: dict[str, tuple[str, str | None, str | None, str | None, bool]] = {
    "wang": ("王工", "east", None, "A", False),
    "li": ("李工", None, "north", "B", False),  # his region from the staff profile
    "zhao": ("赵工", "east", "east", "B", False),
    "dtech": ("经销商张工", None, None, None, True),  # a dealer's own engineer
}
# person, kind, when (local time), outcome, archived
FACTS: tuple[tuple[str, str, dt.datetime, str, bool], ...] = (
    ("wang", K.LATE_ARRIVAL, at(3, 2, 9), "counted", False),
    ("wang", K.LATE_ARRIVAL, at(3, 15, 14), "waived", False),
    ("wang", K.LATE_ARRIVAL, at(3, 31, 23, 50), "open", False),  # March's last minutes
    ("wang", K.REPEAT_REPAIR, at(3, 10, 8), "counted", False),
    ("wang", K.INCOMPLETE_REPORT, at(3, 12, 8), "counted", True),  # archived: not counted
    ("li", K.UNSATISFIED_CALLBACK, at(3, 1, 0, 5), "counted", False),  # 28 Feb in UTC
    ("li", K.UNSATISFIED_CALLBACK, at(3, 20, 10), "waived", False),
    ("li", K.REFUSED_DISPATCH, at(3, 21, 10), "open", False),
    ("li", K.PERSON_COMPLAINT, at(3, 22, 10), "waived", False),
    ("zhao", K.MISSED_INSPECTION, at(3, 5, 10), "counted", False),
    ("zhao", K.LATE_REPORT, at(3, 6, 10), "open", False),
    ("zhao", K.LATE_REPORT, at(3, 7, 10), "counted", False),
    ("dtech", K.LATE_ARRIVAL, at(3, 9, 10), "counted", False),
    # outside March
    ("wang", K.LATE_ARRIVAL, at(2, 28, 23, 55), "counted", False),
    ("zhao", K.LATE_REPORT, at(4, 1, 0, 5), "counted", False),
)


def expected(people: set[str] | None = None) -> dict[tuple[str, str], list[str]]:
    """The table's rows by (person's name, kind's label): facts, counted, waived, open —
    counted straight from FACTS."""
    tally: dict[tuple[str, str], Counter[str]] = {}
    for who, kind, when, outcome, archived in FACTS:
        if archived or when.month != 3 or (people is not None and who not in people):
            continue
        c = tally.setdefault((PEOPLE[who][0], str(K(kind).label)), Counter())
        c["n"] += 1
        c[outcome] += 1
    return {k: [str(c[x]) for x in ("n", "counted", "waived", "open")] for k, c in tally.items()}


@pytest.fixture
def world() -> dict[str, Any]:
    regions = {"east": t.region("EAST", "华东区"), "north": t.region("NORTH", "华北区")}
    teams = {
        "A": Department.objects.create(code="TA", name="一组"),
        "B": Department.objects.create(code="TB", name="二组"),
    }
    dealer = t.dealer(regions["east"])
    users = {}
    for key, (name, region, profile_region, team, of_dealer) in PEOPLE.items():
        u = t.user(
            "technician",
            org=dealer if of_dealer else None,
            display_name=name,
            region=regions[region] if region else None,
            department=teams[team] if team else None,
        )
        if profile_region:
            StaffProfile.objects.create(
                user=u, employee_no=f"E{u.pk}", region=regions[profile_region]
            )
        users[key] = u
    source = ContentType.objects.get_for_model(Region)
    for i, (who, kind, when, outcome, archived) in enumerate(FACTS):
        AssessmentFact.objects.create(
            person=users[who],
            kind=kind,
            source_type=source,
            source_id=f"s{i}",
            source_repr=f"来源{i}",
            occurred_at=when,
            outcome=outcome,
            archived_at=timezone.now() if archived else None,
        )
    summary.build(dt.date(2026, 2, 1), dt.date(2026, 4, 30), panels=["staff"])
    return {"regions": regions, "teams": teams, "dealer": dealer, "users": users}


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def staff_table(c: Client, query: str = MARCH) -> list[list[str]]:
    resp = c.get(f"/reports/?{query}")
    assert resp.status_code == 200, resp.content.decode()[:500]
    p = Tables()
    p.feed(resp.content.decode())
    return p.tables.get("staff", [])


def as_dict(rows: list[list[str]]) -> dict[tuple[str, str], list[str]]:
    body = rows[1:-1]
    out = {(r[0], r[1]): r[2:] for r in body}
    assert len(out) == len(body)  # one row per person and kind
    return out


def test_the_staff_panel_counts_what_the_facts_say_and_exports_its_table(world) -> None:  # type: ignore[no-untyped-def]
    c = login(t.user("manager"))
    rows = staff_table(c)
    assert rows[0] == HEADER
    want = expected()
    assert as_dict(rows) == want
    assert rows[-1][:2] == ["合计", ""]
    assert rows[-1][2:] == [str(sum(int(v[i]) for v in want.values())) for i in range(4)]
    assert rows[-1][2:] == ["12", "6", "3", "3"]  # the same by hand, the outside ones left out
    # the chart stacks counted / waived / open per person, the same figures
    page = c.get(f"/reports/?{MARCH}&panel=staff").content.decode()
    m = re.search(r'<script id="report-charts" type="application/json">(.*?)</script>', page)
    assert m
    spec = json.loads(m.group(1))["staff"]
    assert spec["kind"] == "stack" and sorted(spec["categories"]) == sorted(
        {name for name, _kind in want}
    )
    assert [sum(s["data"]) for s in spec["series"]] == [6.0, 3.0, 3.0]
    # the Excel export is the table on the screen
    assert_export_is_table(c, f"/reports/export/staff.xlsx?{MARCH}", rows)


def test_the_monthly_pack_has_the_staff_panel(world) -> None:  # type: ignore[no-untyped-def]
    """The pack is every registered panel (reports.services.packs.generate runs run_all): the
    staff panel is registered, its sheet is in the month's workbook and its page in the PDF."""
    assert "staff" in [p.key for p in registry.panels()]
    f = ReportFilters(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    results = run_all(f)
    wb = load_workbook(io.BytesIO(workbook.build(results, f)))
    assert "人员考核事实" in wb.sheetnames
    sheet = list(wb["人员考核事实"].iter_rows(values_only=True))
    assert sheet[0] == tuple(HEADER)
    assert ("合计", None, 12, 6, 3, 3) in sheet
    html = packs.pack_html(results, f)
    section = html[html.index("人员考核事实") :]
    assert "<svg" in section and "王工" in section and "李工" in section


def test_the_board_filters_narrow_the_staff_panel(world) -> None:  # type: ignore[no-untyped-def]
    c = login(t.user("manager"))
    east, north = world["regions"]["east"], world["regions"]["north"]
    team_b = world["teams"]["B"]
    assert as_dict(staff_table(c, f"{MARCH}&region={east.pk}")) == expected({"wang", "zhao"})
    # 李工's region is his staff profile's (his user has none)
    assert as_dict(staff_table(c, f"{MARCH}&region={north.pk}")) == expected({"li"})
    assert as_dict(staff_table(c, f"{MARCH}&team={team_b.pk}")) == expected({"li", "zhao"})
    # one week: the facts of those days only
    week = as_dict(staff_table(c, "start=2026-03-01&end=2026-03-07"))
    assert week == {
        ("李工", "回访不满意"): ["1", "1", "0", "0"],
        ("王工", "迟到"): ["1", "1", "0", "0"],
        ("赵工", "漏检/逾期巡检"): ["1", "1", "0", "0"],
        ("赵工", "服务报告逾期提交"): ["2", "1", "0", "1"],
    }
    # a product category does not apply to a person: nothing
    cat = t.category()
    assert staff_table(c, f"{MARCH}&category={cat.pk}") == []  # the panel says 没有数据


def test_a_regions_manager_sees_his_regions_people_and_a_dealer_its_own(world) -> None:  # type: ignore[no-untyped-def]
    east, north = world["regions"]["east"], world["regions"]["north"]
    boss = login(t.user("manager", region=north))
    assert as_dict(staff_table(boss)) == expected({"li"})
    refused = boss.get(f"/reports/export/staff.xlsx?{MARCH}&region={east.pk}")
    assert refused.status_code == 403 and "只能查看本片区的报表" in refused.content.decode()
    dealer_user = t.user("dealer", org=world["dealer"])
    dealer_user.user_permissions.add(*Permission.objects.filter(codename="view_panelfact"))
    assert as_dict(staff_table(login(dealer_user))) == expected({"dtech"})
