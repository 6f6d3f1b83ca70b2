"""Pages without login (扫码报修, survey, report confirmation, quote decision), the QR
label, the customer portal, the equipment's service history and the report PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aftersales.service.models import Callback, Quote, ServiceReport, Ticket, TicketState
from aftersales.service.services import dispatch, lifecycle, reports, warranty
from aftersales.service.tests import web_world as w
from aftersales.service.views import pdf

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


def test_qr_page_shows_the_equipment_and_refuses_a_wrong_phone(world: dict[str, Any]) -> None:
    url = f"/q/{world['e1'].qr_token}/"
    page = html(Client().get(url))
    assert (
        "扫码报修" in page
        and "LED2025001" in page
        and "室内P3全彩屏" in page
        and "会展中心一号馆" in page
    )
    resp = Client().post(
        url, {"contact_name": "路人", "phone": "13911112222", "description": "屏幕不亮"}
    )
    assert resp.status_code == 403
    assert "手机号与该设备登记的联系人不符，请拨打服务热线报修" in html(resp)
    assert "屏幕不亮" in html(resp)  # what was typed stays
    assert not Ticket.objects.exists()


def test_qr_submission_with_the_registered_phone_gives_the_number(world: dict[str, Any]) -> None:
    url = f"/q/{world['e1'].qr_token}/"
    resp = Client().post(
        url,
        {
            "contact_name": "王经理",
            "phone": "137-0013-7000",
            "description": "屏幕不亮",
            "severity": "urgent",
        },
    )
    t = Ticket.objects.get()
    assert (
        resp.status_code == 200
        and t.number in html(resp)
        and 'data-testid="ticket-number"' in html(resp)
    )
    assert (
        t.channel == "qr"
        and t.equipment == world["e1"]
        and t.severity == "urgent"
        and t.owner is None
    )


def test_qr_unknown_token_duplicate_and_rate_limit(world: dict[str, Any]) -> None:
    assert Client().get("/q/nope/").status_code == 404
    url = f"/q/{world['e1'].qr_token}/"
    form = {"contact_name": "王经理", "phone": w.CUSTOMER_PHONE, "description": "屏幕不亮"}
    assert Client().post(url, form).status_code == 200
    first = Ticket.objects.get()
    resp = Client().post(url, form)  # the same equipment already has an open ticket
    # the reporter is shown the open ticket's progress instead (issue 9 #6)
    assert resp.status_code == 409 and "该设备已有报修正在处理" in html(resp)
    assert 'data-testid="progress"' in html(resp) and first.number in html(resp)
    for _ in range(2):
        lifecycle.cancel(actor=world["agent"], ticket=Ticket.objects.latest("id"), reason="重复")
        assert Client().post(url, form).status_code == 200
    lifecycle.cancel(actor=world["agent"], ticket=Ticket.objects.latest("id"), reason="重复")
    resp = Client().post(url, form)
    assert resp.status_code == 429 and "提交过于频繁" in html(resp)
    assert Ticket.objects.count() == 3


def test_qr_label_is_an_svg_for_staff_only(world: dict[str, Any]) -> None:
    url = f"/q/{world['e1'].qr_token}/label/"
    assert Client().get(url)["Location"].startswith("/login/")
    page = html(login(world["agent"]).get(url))
    assert "<svg" in page and 'class="qr"' in page and "LED2025001" in page
    assert f"http://testserver/q/{world['e1'].qr_token}/" in page
    assert login(world["cust1"]).get(url).status_code == 404
    assert login(world["dealer2"]).get(url).status_code == 404  # not the dealer's customer
    assert login(world["dealer1"]).get(url).status_code == 200


def _resolved(world: dict[str, Any]) -> Ticket:
    t = w.ticket(world)
    wo = w.on_site(world, t)
    dispatch.start_work(actor=world["tech"], ticket=t)
    w.filed_report(world, wo)
    return lifecycle.resolve(actor=world["tech"], ticket=t)


def test_survey_by_link_satisfied_and_dissatisfied(world: dict[str, Any]) -> None:
    t = _resolved(world)
    cb = Callback.objects.get(ticket=t)
    url = f"/s/{cb.survey_token}/"
    assert "服务评价" in html(Client().get(url)) and t.number in html(Client().get(url))
    resp = Client().post(url, {"attitude": "5", "quality": "4", "solved": "0", "score": "2"})
    assert resp.status_code == 422 and "客户不满意时必须记录原因" in html(resp)
    resp = Client().post(
        url,
        {
            "attitude": "5",
            "quality": "4",
            "solved": "0",
            "score": "2",
            "dissatisfaction_cause": "第二天又黑屏",
        },
    )
    assert 'data-testid="survey-done"' in html(resp)
    t.refresh_from_db()
    assert t.state == TicketState.REOPENED
    assert "该回访已完成" not in html(Client().get(url)) and "感谢您的评价" in html(
        Client().get(url)
    )
    assert Client().get("/s/nope/").status_code == 404


def test_report_confirmation_by_link_and_customer_pdf(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    wo = w.on_site(world, t)
    reports.save(
        actor=world["tech"],
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="黑屏",
            cause="电源损坏",
            responsibility="product",
            actions="更换电源",
            no_parts_used=True,
            customer_opinion="",
        ),
    )
    report = reports.request_link_confirmation(actor=world["tech"], work_order=wo)
    url = f"/r/{report.confirm_token}/"
    page = html(Client().get(url))
    assert "服务报告确认" in page and "更换电源" in page and t.number in page
    assert "请填写确认人姓名" in html(Client().post(url, {"name": ""}))
    page = html(Client().post(url, {"name": "王经理", "opinion": "处理及时"}))
    assert 'data-testid="report-confirmed"' in page
    report.refresh_from_db()
    assert report.confirmed_by_link_at and report.customer_opinion == "处理及时"
    assert "该报告已确认" in html(Client().post(url, {"name": "王经理"}))
    pdf_resp = Client().get(f"/r/{report.confirm_token}/pdf/")
    assert pdf_resp["Content-Type"] == "application/pdf" and pdf_resp.content.startswith(b"%PDF")
    assert Client().get("/r/nope/").status_code == 404


def test_quote_page_accept_by_link(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    warranty.override(actor=world["coordinator"], ticket=t, outcome="chargeable", reason="人为损坏")
    q = warranty.quote_create(
        actor=world["coordinator"],
        ticket=t,
        parts=[warranty.QuotePart("PWR-200", 1)],
        labour_hours=1,
    )
    url = f"/quote/{q.accept_token}/"
    page = html(Client().get(url))
    assert "报价确认" in page and "开关电源200W" in page and f"合计 ¥{q.total}" in page
    assert "请填写确认人姓名" in html(Client().post(url, {"accept": "1", "by_name": ""}))
    page = html(Client().post(url, {"accept": "1", "by_name": "王经理"}))
    assert 'data-testid="quote-decided"' in page and "客户已接受" in page
    q.refresh_from_db()
    assert q.state == Quote.State.ACCEPTED and q.decided_via == "link"
    assert "不能再次确认" in html(Client().post(url, {"accept": "0", "by_name": "王经理"}))


def test_portal_submit_follow_and_visibility(world: dict[str, Any]) -> None:
    cust = login(world["cust1"])
    page = html(cust.get("/portal/new/"))
    assert "LED2025001" in page and "LED2025002" not in page  # own equipment only
    resp = cust.post(
        "/portal/new/",
        {
            "equipment_id": world["e2"].pk,
            "type": "repair",
            "severity": "normal",
            "contact_name": "王经理",
            "contact_phone": "13700137000",
            "description": "别人的设备",
        },
    )
    assert resp.status_code == 422 and "设备不存在或无权使用" in html(resp)
    resp = cust.post(
        "/portal/new/",
        {
            "equipment_id": world["e1"].pk,
            "type": "repair",
            "severity": "urgent",
            "contact_name": "王经理",
            "contact_phone": "13700137000",
            "description": "一号馆大屏黑屏",
        },
    )
    t = Ticket.objects.get()
    assert resp["Location"] == f"/portal/tickets/{t.pk}/" and t.channel == "portal"
    page = html(cust.get(resp["Location"]))
    assert t.number in page and 'data-testid="steps"' in page and "已提交" in page
    assert t.number in html(cust.get("/portal/"))
    other = w.ticket(world, equipment="e2")
    assert cust.get(f"/portal/tickets/{other.pk}/").status_code == 404
    assert other.number not in html(cust.get("/portal/"))
    # staff are sent to their own pages
    assert login(world["agent"]).get("/portal/")["Location"] == "/service/tickets/"
    assert login(world["agent"]).post("/portal/new/").status_code == 404


def test_portal_quote_confirm_and_rating(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    warranty.override(actor=world["coordinator"], ticket=t, outcome="chargeable", reason="人为损坏")
    q = warranty.quote_create(
        actor=world["coordinator"], ticket=t, parts=[warranty.QuotePart("PWR-200", 1)]
    )
    cust = login(world["cust1"])
    page = html(cust.get(f"/portal/tickets/{t.pk}/"))
    assert 'data-testid="quote-accept"' in page
    cust.post(f"/portal/quotes/{q.pk}/decision/", {"accept": "1", "by_name": "王经理"})
    q.refresh_from_db()
    assert q.state == Quote.State.ACCEPTED and q.decided_via == "portal"
    assert (
        login(world["cust2"]).post(f"/portal/quotes/{q.pk}/decision/", {"accept": "0"}).status_code
        == 404
    )
    wo = w.on_site(world, t)
    dispatch.start_work(actor=world["tech"], ticket=t)
    reports.save(
        actor=world["tech"],
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="黑屏",
            cause="电源损坏",
            responsibility="customer",
            actions="更换电源",
            parts=[("PWR-200", 1, True)],
            customer_opinion="同意",
        ),
    )
    report = reports.request_link_confirmation(actor=world["tech"], work_order=wo)
    assert 'data-testid="report-to-confirm"' in html(cust.get(f"/portal/tickets/{t.pk}/"))
    cust.post(f"/portal/reports/{report.pk}/confirm/", {"name": "王经理", "opinion": "同意"})
    report.refresh_from_db()
    assert report.confirmed_by_link_at is not None
    reports.submit(actor=world["tech"], work_order=wo)
    lifecycle.resolve(actor=world["tech"], ticket=t)
    cb = Callback.objects.get(ticket=t)
    assert 'data-testid="rate"' in html(cust.get(f"/portal/tickets/{t.pk}/"))
    cust.post(
        f"/portal/callbacks/{cb.pk}/rate/",
        {"attitude": "5", "quality": "5", "solved": "1", "score": "5"},
    )
    cb.refresh_from_db()
    assert cb.state == Callback.State.DONE and cb.channel == "portal"
    # the agent closes after the satisfied callback
    login(world["agent"]).post(f"/service/tickets/{t.pk}/act/close/")
    t.refresh_from_db()
    assert t.state == TicketState.CLOSED
    assert 'data-testid="report"' in html(cust.get(f"/portal/tickets/{t.pk}/"))


def test_agent_records_the_callback_and_the_ticket_closes(world: dict[str, Any]) -> None:
    t = _resolved(world)
    cb = Callback.objects.get(ticket=t)
    agent = login(world["agent"])
    assert 'data-action="callback"' in html(agent.get(f"/service/tickets/{t.pk}/"))
    agent.post(
        f"/service/callbacks/{cb.pk}/result/",
        {"attitude": "5", "quality": "5", "solved": "1", "score": "5", "channel": "phone"},
    )
    t.refresh_from_db()
    assert t.state == TicketState.CLOSED


def _texts(box: Any) -> list[str]:
    out = [box.text] if type(box).__name__ == "TextBox" else []
    for child in getattr(box, "children", None) or []:
        out += _texts(child)
    return out


def test_report_pdf_renders_chinese_with_signature(world: dict[str, Any]) -> None:
    from aftersales.service.tests.test_web_technician import signature_png

    t = w.ticket(world)
    wo = w.on_site(world, t)
    reports.save(
        actor=world["tech"],
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="左下角模组黑屏",
            environment="室内恒温",
            cause="模组驱动芯片损坏",
            cause_class="manufacturing",
            responsibility="product",
            actions="更换P3模组一块，测试正常",
            minutes_spent=45,
            parts=[("MOD-P3", 1, True)],
            customer_opinion="处理及时，满意",
            quick_rating=5,
        ),
    )
    reports.sign(
        actor=world["tech"], work_order=wo, signature_png=signature_png(), signed_by="王经理"
    )
    report = reports.submit(actor=world["tech"], work_order=wo)
    report = ServiceReport.objects.get(pk=report.pk)
    source = pdf.report_html(report)
    for text in (
        "服务报告单",
        wo.number,
        t.number,
        "上海浦东会展中心",
        "会展中心一号馆",
        "LED2025001",
        "左下角模组黑屏",
        "模组驱动芯片损坏",
        "制造",
        "我方产品",
        "更换P3模组一块，测试正常",
        "MOD-P3",
        "P3模组",
        "工程师小赵",
        "处理及时，满意",
        "王经理",
        "stored:signatures/",
        "Noto Sans CJK SC",
    ):
        assert text in source, text
    resp = login(world["agent"]).get(f"/service/reports/{report.pk}/pdf/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    # WeasyPrint lays the text out in the CJK font itself (no fallback boxes)
    from weasyprint import HTML

    doc = HTML(string=source).render()
    assert len(doc.pages) == 1
    laid_out = "".join(_texts(doc.pages[0]._page_box))
    for text in (
        "服务报告单",
        wo.number,
        "左下角模组黑屏",
        "更换P3模组一块，测试正常",
        "王经理",
        "工程师小赵",
    ):
        assert text in laid_out, text
    assert b"Noto-Sans-CJK-SC" in HTML(string=source).write_pdf(uncompressed_pdf=True)
    # visibility: another dealer / customer gets 404, the own customer may download
    assert login(world["dealer2"]).get(f"/service/reports/{report.pk}/pdf/").status_code == 404
    assert login(world["cust2"]).get(f"/service/reports/{report.pk}/pdf/").status_code == 404
    assert login(world["cust1"]).get(f"/service/reports/{report.pk}/pdf/").status_code == 200


def test_equipment_history_page_and_fragment(world: dict[str, Any]) -> None:
    t = _resolved(world)
    agent = login(world["agent"])
    page = html(agent.get(f"/service/equipment/{world['e1'].pk}/history/"))
    assert (
        t.number in page and "P3模组" in page and "工程师小赵" in page and "更换P3模组一块" in page
    )
    fragment = html(
        agent.get(f"/service/equipment/{world['e1'].pk}/history/", HTTP_HX_REQUEST="true")
    )
    assert "<h1>" not in fragment and t.number in fragment
    equipment_page = html(agent.get(f"/equipment/{world['e1'].pk}/"))
    assert f"/service/equipment/{world['e1'].pk}/history/" in equipment_page
    assert (
        login(world["dealer2"]).get(f"/service/equipment/{world['e1'].pk}/history/").status_code
        == 404
    )


def test_callback_worklist_for_agents(world: dict[str, Any]) -> None:
    t = _resolved(world)
    agent = login(world["agent"])
    assert 'data-testid="callbacks-due"' in html(agent.get("/service/tickets/"))
    page = html(agent.get("/service/callbacks/"))
    assert t.number in page and "服务回访" in page
    assert login(world["tech"]).get("/service/callbacks/").status_code == 404
    assert login(world["dealer2"]).get("/service/callbacks/").status_code == 404
