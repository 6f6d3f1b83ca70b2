"""The technician's pages with the Django test client: my jobs, accept / decline, set out,
check-in with a location, start work, the report form (parts, errors keep the typed text),
signature, confirmation link, submit with its Chinese refusal, resolve; and the dispatch
forms and board that feed them."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from aftersales.service.models import ServiceReport, TicketState, WorkOrder, WorkOrderState
from aftersales.service.services import dispatch, reports
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return w.build()


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(resp: Any) -> str:
    return resp.content.decode()


def signature_png() -> str:
    img = Image.new("RGB", (300, 120), "white")
    for x in range(20, 280):
        img.putpixel((x, 60 + (x % 20)), (0, 0, 0))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


REPORT = {
    "phenomenon": "左下角模组黑屏",
    "environment": "室内",
    "cause": "模组驱动芯片损坏",
    "cause_class": "manufacturing",
    "fault_category": "模组故障",
    "component_code": "MOD-P3",
    "responsibility": "product",
    "actions": "更换P3模组一块",
    "minutes_spent": "40",
    "customer_opinion": "满意",
    "quick_rating": "5",
    "part_code": ["MOD-P3"],
    "part_qty": ["1"],
    "part_keep": ["1"],
}

TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def test_dispatch_form_assigns_and_offers(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    coord = login(world["coordinator"])
    resp = coord.post(
        f"/service/tickets/{t.pk}/dispatch/",
        {
            "technician_ids": [world["tech"].pk, world["tech2"].pk],
            "window_start": f"{TOMORROW}T09:00",
            "window_end": f"{TOMORROW}T11:00",
            "note": "带备用模组",
        },
    )
    assert resp.status_code == 302
    wo = WorkOrder.objects.get(ticket=t)
    assert wo.technician is None and wo.offers.count() == 2 and wo.note == "带备用模组"
    assert (
        wo.window_start is not None and wo.window_start.hour == 1
    )  # 09:00 Asia/Shanghai = 01:00 UTC
    t.refresh_from_db()
    assert t.state == TicketState.DISPATCHED
    # both technicians see the offer in their list; the first to accept wins
    assert wo.number in html(login(world["tech2"]).get("/service/my-jobs/"))
    tech = login(world["tech"])
    assert 'data-testid="accept"' in html(tech.get(f"/service/my-jobs/{wo.pk}/"))
    tech.post(f"/service/my-jobs/{wo.pk}/act/accept/")
    page = html(login(world["tech2"]).post(f"/service/my-jobs/{wo.pk}/act/accept/", follow=True))
    assert "工单已被其他工程师接单" in page
    wo.refresh_from_db()
    assert wo.technician == world["tech"] and wo.state == WorkOrderState.ACCEPTED


def test_dispatch_without_technician_shows_the_error(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    page = html(
        login(world["coordinator"]).post(f"/service/tickets/{t.pk}/dispatch/", {}, follow=True)
    )
    assert "请选择工程师" in page and not WorkOrder.objects.exists()


def test_decline_needs_a_reason_and_returns_to_the_list(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    wo = dispatch.dispatch(actor=world["coordinator"], ticket=t, technician_ids=[world["tech"].pk])
    tech = login(world["tech"])
    assert "拒单必须填写原因" in html(
        tech.post(f"/service/my-jobs/{wo.pk}/act/decline/", {"reason": ""}, follow=True)
    )
    resp = tech.post(f"/service/my-jobs/{wo.pk}/act/decline/", {"reason": "在外地"})
    assert resp["Location"] == "/service/my-jobs/"
    wo.refresh_from_db()
    assert wo.state == WorkOrderState.DECLINED


def test_other_technicians_cannot_open_the_job(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    wo = dispatch.dispatch(actor=world["coordinator"], ticket=t, technician_ids=[world["tech"].pk])
    assert login(world["tech2"]).get(f"/service/my-jobs/{wo.pk}/").status_code == 404
    assert login(world["tech2"]).post(f"/service/my-jobs/{wo.pk}/act/accept/").status_code == 404
    assert login(world["cust1"]).get(f"/service/my-jobs/{wo.pk}/").status_code == 404


def test_the_whole_visit_through_the_forms(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    wo = dispatch.dispatch(actor=world["coordinator"], ticket=t, technician_ids=[world["tech"].pk])
    tech = login(world["tech"])
    base = f"/service/my-jobs/{wo.pk}/"
    tech.post(base + "act/accept/")
    assert "已出发" in html(tech.post(base + "act/set_out/", follow=True))
    tech.post(base + "act/check_in/", {"lat": "31.2304161", "lng": "121.4737019"})
    wo.refresh_from_db()
    assert wo.state == WorkOrderState.ON_SITE and str(wo.check_in_lat) == "31.230416"
    tech.post(base + "act/start_work/")
    t.refresh_from_db()
    assert t.state == TicketState.IN_PROGRESS
    # submitting before the customer confirmed: the Chinese refusal names what is missing
    tech.post(base + "report/", REPORT)
    report = ServiceReport.objects.get(work_order=wo)
    assert report.parts.get().part.code == "MOD-P3" and report.quick_rating == 5
    page = html(tech.post(base + "report/submit/", follow=True))
    assert "服务报告不完整，缺少：客户签字确认" in page
    # an empty signature is refused, a drawn one is stored
    page = html(
        tech.post(
            base + "report/sign/",
            {"signature_png": "data:image/png;base64,AAAA", "signed_by": "王经理"},
            follow=True,
        )
    )
    assert "签名" in page
    tech.post(base + "report/sign/", {"signature_png": signature_png(), "signed_by": "王经理"})
    report.refresh_from_db()
    assert report.signature and report.signed_by == "王经理"
    assert "服务报告已提交" in html(tech.post(base + "report/submit/", follow=True))
    page = html(tech.get(base))
    assert 'data-testid="report-filed"' in page and 'data-testid="resolve"' in page
    assert f"/service/reports/{report.pk}/pdf/" in page
    tech.post(base + "act/resolve/")
    t.refresh_from_db()
    assert t.state == TicketState.RESOLVED and t.callbacks.count() == 1


def test_report_form_errors_keep_what_was_typed(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    wo = w.on_site(world, t)
    resp = login(world["tech"]).post(
        f"/service/my-jobs/{wo.pk}/report/",
        {**REPORT, "part_code": ["NOPE-1"], "actions": "换了一块不存在的配件"},
    )
    page = html(resp)
    assert resp.status_code == 422 and "配件编码不存在：NOPE-1" in page
    assert "换了一块不存在的配件" in page and 'value="NOPE-1"' in page
    resp = login(world["tech"]).post(
        f"/service/my-jobs/{wo.pk}/report/", {**REPORT, "minutes_spent": "半小时"}
    )
    assert "耗时应为整数" in html(resp)


def test_confirmation_link_instead_of_signature(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    wo = w.on_site(world, t)
    tech = login(world["tech"])
    base = f"/service/my-jobs/{wo.pk}/"
    assert "请先填写服务报告" in html(tech.post(base + "report/link/", follow=True))
    tech.post(base + "report/", {**REPORT, "part_code": [], "no_parts_used": "1"})
    tech.post(base + "report/link/")
    report = ServiceReport.objects.get(work_order=wo)
    assert report.confirm_token and report.no_parts_used
    page = html(tech.get(base))
    assert f"/r/{report.confirm_token}/" in page and 'data-testid="confirm-link"' in page


def test_my_jobs_lists_only_own_work(world: dict[str, Any]) -> None:
    t1 = w.ticket(world)
    t2 = w.ticket(world, equipment="e2")
    wo1 = dispatch.dispatch(
        actor=world["coordinator"], ticket=t1, technician_ids=[world["tech"].pk]
    )
    wo2 = dispatch.dispatch(
        actor=world["coordinator"], ticket=t2, technician_ids=[world["tech2"].pk]
    )
    page = html(login(world["tech"]).get("/service/my-jobs/"))
    assert wo1.number in page and wo2.number not in page
    assert 'href="/service/my-jobs/"' in page  # nav entry 我的工单


def test_dispatch_board_and_reassign_with_reason(world: dict[str, Any]) -> None:
    waiting = w.ticket(world, severity="urgent")
    t = w.ticket(world, equipment="e2")
    wo = dispatch.dispatch(actor=world["coordinator"], ticket=t, technician_ids=[world["tech"].pk])
    coord = login(world["coordinator"])
    page = html(coord.get("/service/dispatch/"))
    assert waiting.number in page and wo.number in page and "工程师小赵" in page
    assert 'href="/service/dispatch/"' in page  # nav entry 派工
    resp = coord.post(
        f"/service/work-orders/{wo.pk}/reassign/",
        {"technician_ids": [world["tech2"].pk], "reason": "", "next": "/service/dispatch/"},
        follow=True,
    )
    assert "改派必须填写原因" in html(resp)
    resp = coord.post(
        f"/service/work-orders/{wo.pk}/reassign/",
        {
            "technician_ids": [world["tech2"].pk],
            "reason": "小赵被其他客户耽搁",
            "next": "/service/dispatch/",
        },
    )
    assert resp["Location"] == "/service/dispatch/"
    wo.refresh_from_db()
    assert wo.state == WorkOrderState.REASSIGNED and wo.reassign_reason == "小赵被其他客户耽搁"
    assert (
        WorkOrder.objects.get(ticket=t, state=WorkOrderState.OFFERED).technician == world["tech2"]
    )
    # the board is for dispatchers only
    assert login(world["tech"]).get("/service/dispatch/").status_code == 404
    assert login(world["dealer1"]).get("/service/dispatch/").status_code == 404


def test_schedule_window(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    wo = dispatch.dispatch(actor=world["coordinator"], ticket=t, technician_ids=[world["tech"].pk])
    coord = login(world["coordinator"])
    page = html(
        coord.post(
            f"/service/work-orders/{wo.pk}/schedule/",
            {"window_start": f"{TOMORROW}T11:00", "window_end": f"{TOMORROW}T09:00"},
            follow=True,
        )
    )
    assert "预约结束时间必须晚于开始时间" in page
    coord.post(
        f"/service/work-orders/{wo.pk}/schedule/",
        {"window_start": f"{TOMORROW}T09:00", "window_end": f"{TOMORROW}T11:00"},
    )
    t.refresh_from_db()
    assert t.state == TicketState.SCHEDULED


def test_quote_create_and_recorded_decision(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    coord = login(world["coordinator"])
    coord.post(
        f"/service/tickets/{t.pk}/warranty/override/",
        {"outcome": "chargeable", "reason": "人为损坏"},
    )
    page = html(
        coord.post(
            f"/service/tickets/{t.pk}/quotes/new/",
            {"part_code": ["NOPE"], "part_qty": ["1"]},
            follow=True,
        )
    )
    assert "配件编码 NOPE 不存在" in page
    coord.post(
        f"/service/tickets/{t.pk}/quotes/new/",
        {"part_code": ["PWR-200"], "part_qty": ["2"], "labour_hours": "2", "distance_km": "10"},
    )
    quote = t.quotes.get()
    assert quote.total > 0 and quote.lines.count() == 3
    page = html(coord.get(f"/service/tickets/{t.pk}/"))
    assert f"/quote/{quote.accept_token}/" in page and f"合计 ¥{quote.total}" in page
    wo = w.on_site(world, t)
    tech = login(world["tech"])
    page = html(tech.get(f"/service/my-jobs/{wo.pk}/"))
    assert "需客户确认报价后才能开始工作" in page
    coord.post(f"/service/quotes/{quote.pk}/decision/", {"accept": "1", "by_name": "王经理"})
    quote.refresh_from_db()
    assert quote.state == "accepted" and quote.decided_via == "recorded"
    assert 'data-testid="start-work"' in html(tech.get(f"/service/my-jobs/{wo.pk}/"))


def test_part_search(world: dict[str, Any]) -> None:
    page = html(
        login(world["tech"]).get(
            "/service/parts/search/", {"part_q": "开关"}, HTTP_HX_REQUEST="true"
        )
    )
    assert "PWR-200" in page and "MOD-P3" not in page and 'data-testid="part-add"' in page


def test_technician_report_cannot_be_edited_after_filing(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    wo = w.on_site(world, t)
    w.filed_report(world, wo)
    resp = login(world["tech"]).post(f"/service/my-jobs/{wo.pk}/report/", REPORT)
    assert "服务报告已提交，不能修改" in html(resp)
    assert reports.ReportInput  # the form maps onto the service's input


def test_an_english_technician_gets_english_errors_and_confirmations(
    world: dict[str, Any],
) -> None:
    """9#17: a service's refusal and a view's confirmation reach an English user in English
    (the web page and the API), a Chinese user in Chinese."""
    t = w.ticket(world)
    wo = dispatch.dispatch(actor=world["coordinator"], ticket=t, technician_ids=[world["tech"].pk])
    tech = login(world["tech"])
    tech.cookies["django_language"] = "en"
    refused = html(tech.post(f"/service/my-jobs/{wo.pk}/act/decline/", {"reason": ""}, follow=True))
    assert "A reason is required to decline" in refused and "拒单必须填写原因" not in refused
    api = tech.post(
        f"/api/v1/work-orders/{wo.pk}/decline",
        {"reason": ""},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code in (400, 422), api.content
    assert "拒" not in api.json()["message"], api.json()
    done = html(
        tech.post(f"/service/my-jobs/{wo.pk}/act/decline/", {"reason": "在外地"}, follow=True)
    )
    assert "Declined" in done and "已拒单" not in done
    chinese = login(world["coordinator"])
    # the stored warranty reasons are said from their templates, per requester
    english = login(world["coordinator"]).get(f"/api/v1/tickets/{t.pk}", HTTP_ACCEPT_LANGUAGE="en")
    reasons = [r["text"] for r in english.json()["warranty"]["reasons"]]
    assert reasons and not any(re.search(r"[\u4e00-\u9fff]", r) for r in reasons), reasons
    zh = chinese.get(f"/api/v1/tickets/{t.pk}").json()["warranty"]["reasons"]
    assert all(re.search(r"[\u4e00-\u9fff]", r["text"]) for r in zh), zh
    page = html(chinese.post(f"/service/tickets/{t.pk}/dispatch/", {}, follow=True))
    assert "请选择工程师" in page
