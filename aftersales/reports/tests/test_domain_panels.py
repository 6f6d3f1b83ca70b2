"""The panels of the quality, maintenance and stock apps on the board: figures against an
independent count from the rows, each Excel export equal to its table on screen, a dealer
and a region's manager seeing their own only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aftersales import testing as t
from aftersales.maintenance.models import MaintenanceVisit
from aftersales.maintenance.models.visit import OPEN_VISIT_STATES, VisitState
from aftersales.maintenance.tests import world as mworld
from aftersales.quality.models import Complaint
from aftersales.reports.models import PanelFact
from aftersales.reports.services import summary
from aftersales.reports.tests.tables import Tables, assert_export_is_table
from aftersales.stock.models import MinStock, Shortage
from aftersales.stock.tests import helpers as sh

pytestmark = pytest.mark.django_db
OCT = dt.date(2026, 10, 1)
DOMAIN = ("complaints", "maintenance", "stock", "shortages")


def _at(day: int, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 10, day, hour))


@pytest.fixture
def world() -> SimpleNamespace:
    w = mworld.build()
    plan = mworld.make_plan(
        w, today=dt.date(2026, 10, 15)
    )  # monthly visits of the first customer, region EAST
    visits = list(
        MaintenanceVisit.objects.filter(plan=plan, due_date__gte=OCT).order_by("due_date")
    )
    MaintenanceVisit.objects.filter(pk=visits[0].pk).update(state=VisitState.DONE)
    MaintenanceVisit.objects.filter(pk=visits[1].pk).update(overdue_at=_at(31, 9))
    # complaints: a dealer's (replied after 5 h, closed), a consumer's (not replied), one
    # cancelled (not counted)
    w.dealer_a, w.dealer_b = t.dealer(w.region), t.dealer(w.region)
    w.c3 = t.customer(w.region, w.dealer_b)
    base = {"channel": "phone", "contact_name": "李先生", "description": "投诉"}
    Complaint.objects.create(
        number="TS1",
        category="service_attitude",
        complainant="dealer",
        dealer=w.dealer_a,
        registered_at=_at(5, 9),
        replied_at=_at(5, 14),
        state="closed",
        closed_at=_at(9, 9),
        **base,
    )
    Complaint.objects.create(
        number="TS2",
        category="quality_defect",
        customer=w.c3,
        registered_at=_at(6, 10),
        **base,
    )
    Complaint.objects.create(
        number="TS3",
        category="other",
        customer=w.c1,
        registered_at=_at(7, 10),
        state="cancelled",
        **base,
    )
    # stock: 10 units at 12.50 in the store (region EAST) received 4 months ago (a red slow
    # mover), 3 cards at 20.00 in the van today; a minimum of 2 power units on the van
    s = sh.build()
    s.store.region = w.region
    s.store.save()
    sh.receive(s, 10, "12.50", when=timezone.now() - dt.timedelta(days=124))
    sh.receive(s, 3, "20.00", part=s.card, wh=s.van)
    MinStock.objects.create(warehouse=s.van, part=s.psu, min_qty=2, reorder_to=4)
    Shortage.objects.create(
        technician=s.tech,
        van=s.van,
        part=s.card,
        needed=3,
        issued=1,
        short=2,
        source_key="t1",
        created_at=_at(8, 11),
    )
    w.s = s
    summary.build(OCT, timezone.localdate())
    return w


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def period() -> str:
    return f"start={OCT.isoformat()}&end={timezone.localdate().isoformat()}"


def test_the_domain_panels_count_what_the_rows_say(world) -> None:  # type: ignore[no-untyped-def]
    c = client_for(t.user("manager"))
    page = c.get(f"/reports/?{period()}")
    assert page.status_code == 200
    p = Tables()
    p.feed(page.content.decode())
    # complaints: two counted, one replied (5.0 h), one closed
    rows = {r[0]: r for r in p.tables["complaints"][1:]}
    assert rows["非质量问题：服务态度"][1:] == ["经销商", "1", "1", "5.0", "5.0", "1", "100.0"]
    assert rows["质量问题"][1:5] == ["消费者/客户", "1", "0", "—"]
    assert rows["合计"][2] == "2" and rows["合计"][6] == "1"
    # maintenance: planned / done / overdue straight from the visits due since October
    due = MaintenanceVisit.objects.filter(due_date__gte=OCT, due_date__lte=timezone.localdate())
    due = [v for v in due if v.state != VisitState.CANCELLED]
    planned = len(due)
    done = sum(1 for v in due if v.state == VisitState.DONE)
    overdue = sum(1 for v in due if v.state in OPEN_VISIT_STATES and v.overdue_at)
    assert planned >= 2 and done == 1 and overdue == 1
    assert p.tables["maintenance"][-1] == [
        "合计",
        str(planned),
        "1",
        "1",
        str((Decimal(100) / planned).quantize(Decimal("0.1"))),
    ]
    # stock: value per location, the red slow mover, the van below its minimum
    stock = {r[0]: r for r in p.tables["stock"][1:]}
    assert stock["售后总库"][2:6] == ["10", "125.00", "1", "125.00"]
    assert stock["张工车载库"][2:] == ["3", "60.00", "0", "0.00", "1"]
    assert stock["合计"][2:] == ["13", "185.00", "1", "125.00", "1"]
    assert p.tables["shortages"][1] == ["RCV-CARD", "1", "2", "1"]
    # and every one exported as shown
    for key in DOMAIN:
        screen = p.tables[key]
        assert_export_is_table(c, f"/reports/export/{key}.xlsx?{period()}", screen, key)


def test_a_dealer_sees_its_own_complaints_and_no_stock(world) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    dealer_user = t.user("dealer", org=world.dealer_a)  # given the board by permission
    dealer_user.user_permissions.add(*Permission.objects.filter(codename="view_panelfact"))
    c = client_for(dealer_user)
    page = c.get(f"/reports/?{period()}")
    assert page.status_code == 200
    p = Tables()
    p.feed(page.content.decode())
    assert [r[0] for r in p.tables["complaints"][1:]] == ["非质量问题：服务态度", "合计"]
    assert [r[0] for r in p.tables.get("stock", [])[1:]] in ([], ["合计"])  # no location


def test_a_regions_manager_sees_his_regions_store_only(world) -> None:  # type: ignore[no-untyped-def]
    c = client_for(t.user("manager", region=world.region))
    p = Tables()
    p.feed(c.get(f"/reports/?{period()}").content.decode())
    assert [r[0] for r in p.tables["stock"][1:]] == ["售后总库", "合计"]


def test_stock_is_recorded_for_today_and_earlier_days_are_kept(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    PanelFact.objects.filter(panel="stock", day=today).update(day=yesterday)  # as if built then
    summary.build(OCT, today)  # a rebuild of the whole period
    days = set(PanelFact.objects.filter(panel="stock").values_list("day", flat=True))
    assert days == {yesterday, today}  # yesterday's state was not wiped nor re-read
    summary.build(OCT, yesterday)  # a rebuild of past days only writes no stock
    assert set(PanelFact.objects.filter(panel="stock").values_list("day", flat=True)) == days
