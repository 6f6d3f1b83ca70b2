"""The monthly pack: a Chinese PDF and an Excel workbook of every panel, stored once per month
(also when two workers run the job at once), e-mailed through the outbox, listed, downloaded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from aftersales import testing as t
from aftersales.notifications.models import Notification
from aftersales.reports import registry
from aftersales.reports.models import MonthlyPack
from aftersales.reports.services import packs
from aftersales.reports.tests import fixture_month as fm

MARCH = dt.date(2026, 3, 1)


@pytest.mark.django_db
def test_the_pack_is_made_once_per_month_and_emailed() -> None:
    fm.build()
    boss = t.user("manager", email="boss@example.com")
    t.user("manager", email="east@example.com", region=t.region("EASTX"))  # a region's manager
    first = packs.generate(dt.date(2026, 3, 17))
    again = packs.generate(MARCH)
    assert MonthlyPack.objects.count() == 1
    assert again.pk == first.pk and again.generated_at == first.generated_at
    with first.pdf.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    with first.workbook.open("rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    assert len(wb.sheetnames) == len(registry.panels())
    mails = Notification.objects.filter(key="reports:pack:2026-03", channel="email")
    assert [n.recipient_id for n in mails] == [boss.pk]  # the company-wide manager only
    html = packs.pack_html(
        [r for r in packs.run_all(packs.ReportFilters(start=MARCH, end=fm.MONTH_END))],
        packs.ReportFilters(start=MARCH, end=fm.MONTH_END),
    )
    assert "SLA达成率" in html and "<svg" in html and "一次修复率" in html
    # listed and downloadable
    c = Client()
    c.force_login(boss)
    page = c.get("/reports/packs/").content.decode()
    assert 'data-month="2026-03"' in page
    pdf = c.get(f"/reports/packs/{first.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    # on demand, the same month is regenerated in place: still one pack
    packs.generate(MARCH, actor=boss, force=True)
    assert MonthlyPack.objects.count() == 1
    assert MonthlyPack.objects.get().generated_by == boss


@pytest.mark.django_db
def test_generate_on_demand_refuses_a_future_month() -> None:
    c = Client()
    c.force_login(t.user("manager"))
    next_year = dt.date.today().year + 1
    resp = c.post("/reports/packs/generate/", {"month": f"{next_year}-01"}, follow=True)
    assert "不能生成未来月份的报表包" in resp.content.decode()
    resp = c.post("/reports/packs/generate/", {"month": "2026-99"}, follow=True)
    assert "月份格式不正确" in resp.content.decode()
    assert not MonthlyPack.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_job_for_the_same_month_store_one_pack() -> None:
    from aftersales.reports import tasks

    fm.build()
    t.user("manager", email="boss@example.com")
    tasks.monthly_pack.defer(month=MARCH.isoformat())
    tasks.monthly_pack.defer(month=MARCH.isoformat())
    tasks.monthly_pack_previous.defer(timestamp=0)  # (today's previous month: another pack)
    t.run_workers(2, queues="reports", timeout=300)
    assert MonthlyPack.objects.filter(month=MARCH).count() == 1
    pack = MonthlyPack.objects.get(month=MARCH)
    assert pack.generated_at is not None and pack.pdf.name and pack.workbook.name
    assert Notification.objects.filter(key="reports:pack:2026-03", channel="email").count() == 1


@pytest.mark.django_db
def test_the_packs_recipients_are_admin_edited_data() -> None:
    """Who receives the pack is the PackRecipient table: an address added in the admin gets
    the next pack, archived it gets none (besides the managers by role, as before)."""
    from aftersales.reports.models import PackRecipient

    fm.build()
    boss = t.user("manager", email="boss@example.com")
    admin = t.user("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    c = Client()
    c.force_login(admin)
    resp = c.post(
        "/admin/reports/packrecipient/add/",
        {"email": "chief.engineer@example.com", "name": "总工", "note": ""},
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    packs.generate(MARCH)
    mails = Notification.objects.filter(key="reports:pack:2026-03", channel="email")
    assert sorted(n.address for n in mails) == ["boss@example.com", "chief.engineer@example.com"]
    assert MonthlyPack.objects.get().emailed_to == 2
    # archived in the admin: the regenerated pack goes to the managers only
    row = PackRecipient.objects.get()
    resp = c.post(
        "/admin/reports/packrecipient/",
        {"action": "archive_selected", "_selected_action": [row.pk]},
    )
    assert resp.status_code == 302
    assert PackRecipient.objects.active().count() == 0
    pack = packs.generate(MARCH, actor=boss, force=True)
    assert pack.emailed_to == 1
    latest = Notification.objects.filter(channel="email").exclude(key="reports:pack:2026-03")
    assert [n.address for n in latest] == ["boss@example.com"]
