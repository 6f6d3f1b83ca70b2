"""List exports to Excel: the ticket export holds exactly the filtered list's rows, a dealer's
export only its own customers' rows, callbacks and work orders likewise; a bad filter is a
Chinese message on the list (no 500); a long export becomes a job run by a real worker with
progress, downloaded by its owner only."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from procrastinate.contrib.django.models import ProcrastinateJob

from aftersales import testing as t
from aftersales.core.models import AuditEvent
from aftersales.service.models import Callback
from aftersales.service.services import dispatch
from aftersales.service.tests import web_world as w
from aftersales.workbench.models import ExportJob


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet(resp: Any) -> list[list[Any]]:
    assert resp.status_code == 200, resp.status_code
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(resp.streaming_content) if resp.streaming else resp.content
    ws = load_workbook(io.BytesIO(body), read_only=True).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    world = w.build()
    world["t1"] = w.ticket(world, severity="urgent", description='=HYPERLINK("x")一号馆黑屏')
    world["t2"] = w.ticket(world, description="一号馆闪烁")
    world["t3"] = w.ticket(world, equipment="e2", description="医院花屏")
    return world


@pytest.mark.django_db
def test_ticket_export_is_the_filtered_list(world: dict[str, Any]) -> None:
    agent = login(world["agent"])
    rows = sheet(agent.get("/workbench/export/tickets.xlsx"))
    assert rows[0][0] == "报修单号"
    numbers = {r[0] for r in rows[1:]}
    assert numbers == {world["t1"].number, world["t2"].number, world["t3"].number}
    urgent = sheet(agent.get("/workbench/export/tickets.xlsx", {"severity": "urgent"}))
    assert [r[0] for r in urgent[1:]] == [world["t1"].number]
    # the same rows as the list with the same filters
    listed = agent.get("/service/tickets/", {"severity": "urgent"}).context["page"]
    assert [t.number for t in listed] == [r[0] for r in urgent[1:]]
    # a stored formula stays text
    assert urgent[1][11].startswith("=HYPERLINK")


@pytest.mark.django_db
def test_a_dealers_export_holds_only_its_rows(world: dict[str, Any]) -> None:
    rows = sheet(login(world["dealer1"]).get("/workbench/export/tickets.xlsx", {"state": "all"}))
    assert {r[0] for r in rows[1:]} == {world["t1"].number, world["t2"].number}
    assert all(r[5] == world["c1"].name for r in rows[1:])
    rows = sheet(login(world["dealer2"]).get("/workbench/export/tickets.xlsx"))
    assert [r[0] for r in rows[1:]] == [world["t3"].number]


@pytest.mark.django_db
def test_callback_and_work_order_exports(world: dict[str, Any]) -> None:
    today = timezone.localdate()
    Callback.objects.create(customer=world["c1"], ticket=world["t1"], due_date=today)
    Callback.objects.create(customer=world["c2"], due_date=today + dt.timedelta(days=9))
    agent = login(world["agent"])
    assert len(sheet(agent.get("/workbench/export/callbacks.xlsx"))) == 3
    assert len(sheet(agent.get("/workbench/export/callbacks.xlsx", {"due": "today"}))) == 2
    # a technician may not export callbacks (his list is closed to him too)
    assert login(world["tech"]).get("/workbench/export/callbacks.xlsx").status_code == 404

    coord = world["coordinator"]
    wo1 = dispatch.dispatch(actor=coord, ticket=world["t1"], technician_ids=[world["tech"].pk])
    wo3 = dispatch.dispatch(actor=coord, ticket=world["t3"], technician_ids=[world["tech2"].pk])
    rows = sheet(login(coord).get("/workbench/export/work_orders.xlsx"))
    assert {r[0] for r in rows[1:]} == {wo1.number, wo3.number}
    mine = sheet(login(world["tech"]).get("/workbench/export/work_orders.xlsx", {"state": "all"}))
    assert [r[0] for r in mine[1:]] == [wo1.number]  # a technician: his own work orders
    dealer2 = sheet(login(world["dealer2"]).get("/workbench/export/work_orders.xlsx"))
    assert [r[0] for r in dealer2[1:]] == [wo3.number]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "query", "message"),
    [
        ("tickets", {"state": "nonsense"}, "筛选条件「状态」的值无效"),
        ("tickets", {"at_risk": "maybe"}, "筛选条件「即将超时」的值无效"),
        ("callbacks", {"due": "someday"}, "筛选条件「应回访日期」的值无效"),
        ("work_orders", {"from": "2026-13-01"}, "筛选条件「派工开始日期」应为日期"),
        ("work_orders", {"from": "2026-05-01", "to": "2026-04-01"}, "结束日期不能早于开始日期"),
        ("work_orders", {"from": "2016-01-01", "to": "2026-01-01"}, "导出期间最长一年"),
        ("work_orders", {"technician_id": "abc"}, "筛选条件「工程师」应为编号"),
    ],
)
def test_bad_export_filter_is_a_chinese_message(
    world: dict[str, Any], kind: str, query: dict[str, str], message: str
) -> None:
    client = login(world["coordinator"])
    resp = client.get(f"/workbench/export/{kind}.xlsx", query, follow=True)
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_too_many_rows_is_refused_with_a_message(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("aftersales.workbench.services.MAX_LIST_ROWS", 2)
    resp = login(world["agent"]).get("/workbench/export/tickets.xlsx", follow=True)
    assert "超过 2 行" in resp.content.decode()


@pytest.mark.django_db(transaction=True)
def test_long_export_runs_in_the_worker_with_progress(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = w.build()
    for i in range(7):
        w.ticket(world, equipment="e1" if i % 2 else "e2", description=f"故障{i}")
    settings.EXPORT_INLINE_MAX_ROWS = 2
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the worker stores the file
    dealer = login(world["dealer1"])
    resp = dealer.get("/workbench/export/tickets.xlsx")
    job = ExportJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/workbench/exports/{job.pk}/"
    assert (job.status, job.total_rows, job.user) == ("pending", 3, world["dealer1"])
    assert ProcrastinateJob.objects.filter(task_name="workbench.export").count() == 1
    page = dealer.get(f"/workbench/exports/{job.pk}/").content.decode()
    assert 'data-status="pending"' in page and 'hx-trigger="every 2s"' in page

    t.run_workers(1)
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert job.done_rows == job.total_rows == 3
    assert AuditEvent.objects.filter(verb="export_done", object_id=str(job.pk)).exists()
    done = dealer.get(f"/workbench/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in done and "hx-trigger" not in done
    rows = sheet(dealer.get(f"/workbench/exports/{job.pk}/download/"))
    assert len(rows) == 4 and all(r[5] == world["c1"].name for r in rows[1:])
    # nobody else gets the job or its file (not through /media either)
    other = login(world["dealer2"])
    assert other.get(f"/workbench/exports/{job.pk}/").status_code == 404
    assert other.get(f"/workbench/exports/{job.pk}/download/").status_code == 404
    assert login(world["manager"]).get(f"/media/{job.file.name}").status_code == 404
