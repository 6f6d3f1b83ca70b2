"""Acceptance, through the API: a customer scans the QR code and reports a fault; the warranty
decision is free with its reasons; the coordinator dispatches; the technician checks in and
files a complete report with a drawn signature; the customer rates 2/5 on the callback; the
ticket re-opens under the coordinator."""

from __future__ import annotations

import base64
import io

import pytest
from django.test import Client
from PIL import Image, ImageDraw

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.core.models import AuditEvent
from aftersales.service.models import Ticket

pytestmark = pytest.mark.django_db


def auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, key = issue_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def drawn_signature() -> str:
    img = Image.new("RGBA", (300, 120), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    d.line(
        [(20, 90), (60, 30), (100, 95), (150, 25), (200, 90), (260, 40)],
        fill=(0, 0, 0, 255),
        width=4,
    )
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def call(c: Client, method: str, url: str, headers: dict[str, str], body=None, status: int = 200):  # type: ignore[no-untyped-def]
    fn = getattr(c, method)
    resp = (
        fn(url, body, content_type="application/json", **headers)
        if body is not None
        else fn(url, **headers)
    )
    assert resp.status_code == status, (url, resp.status_code, resp.content.decode())
    return resp.json()


def test_qr_to_reopen_through_the_api(world) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    customer_user = t.user("customer", org=world.customer, username="wang")
    token = world.equipment.qr_token
    # 1. the customer scans the label: the equipment is known, no login needed
    info = call(c, "get", f"/api/v1/public/qr/{token}", {})
    assert info["serial_no"] == "LED2025001" and info["customer"] == "上海浦东会展中心"
    # a wrong phone is refused and writes nothing
    bad = c.post(
        f"/api/v1/public/qr/{token}/tickets",
        {"phone": "13911112222", "contact_name": "路人", "description": "屏幕黑了"},
        content_type="application/json",
    )
    assert bad.status_code == 403 and bad.json()["code"] == "phone_check_failed"
    assert Ticket.objects.count() == 0
    created = call(
        c,
        "post",
        f"/api/v1/public/qr/{token}/tickets",
        {},
        {"phone": "13800138000", "contact_name": "王经理", "description": "左下角模组黑屏"},
        201,
    )
    tid = created["id"]
    assert created["channel"] == "qr" and created["number"].startswith("BX")

    # 2. the warranty decision is free, with its reasons
    coord = auth(world.coordinator)
    detail = call(c, "get", f"/api/v1/tickets/{tid}", coord)
    w = detail["warranty"]
    assert w["outcome"] == "free" and w["in_warranty"] is True
    texts = [r["text"] for r in w["reasons"]]
    assert any("验收" in x and "2025-06-01" in x for x in texts)
    assert any("2027-06-01" in x for x in texts)
    assert {k["metric"] for k in detail["clocks"]} >= {"response", "on_site", "resolution"}

    # 3. the coordinator takes it and dispatches to the best-ranked technician
    call(c, "post", f"/api/v1/tickets/{tid}/claim", coord, {})
    call(c, "post", f"/api/v1/tickets/{tid}/acknowledge", coord, {"reason": "已电话确认"})
    cands = call(c, "get", f"/api/v1/tickets/{tid}/candidates", coord)
    assert cands[0]["user_id"] == world.tech1.id and cands[0]["eligible"]
    wo = call(
        c,
        "post",
        f"/api/v1/tickets/{tid}/dispatch",
        coord,
        {"technician_ids": [world.tech1.id]},
        201,
    )

    # 4. the technician accepts, checks in, works, files a complete report with a drawn signature
    tech = auth(world.tech1)
    assert [x["id"] for x in call(c, "get", "/api/v1/work-orders", tech)] == [wo["id"]]
    call(c, "post", f"/api/v1/work-orders/{wo['id']}/accept", tech)
    call(
        c,
        "post",
        f"/api/v1/work-orders/{wo['id']}/check-in",
        tech,
        {"lat": "31.2001", "lng": "121.5002"},
    )
    call(c, "post", f"/api/v1/tickets/{tid}/start-work", tech)
    report = call(
        c,
        "put",
        f"/api/v1/work-orders/{wo['id']}/report",
        tech,
        {
            "phenomenon": "左下角一块模组不亮",
            "cause": "模组电源老化",
            "cause_class": "material",
            "fault_category": "模组故障",
            "responsibility": "product",
            "actions": "更换5V电源模块",
            "minutes_spent": 50,
            "customer_opinion": "处理及时",
            "quick_rating": 4,
            "parts": [{"part_code": "PSU-5V", "quantity": 1, "keep_old_part": True}],
        },
    )
    assert report["missing"] == ["客户签字确认"]
    signed = call(
        c,
        "post",
        f"/api/v1/work-orders/{wo['id']}/report/sign",
        tech,
        {"signature_png": drawn_signature(), "signed_by": "王经理"},
    )
    assert signed["missing"] == [] and signed["signed_by"] == "王经理"
    filed = call(c, "post", f"/api/v1/work-orders/{wo['id']}/report/submit", tech)
    assert filed["filed_at"] and filed["filed_late"] is False
    resolved = call(c, "post", f"/api/v1/tickets/{tid}/resolve", tech)
    assert resolved["state"] == "resolved"

    # 5. the customer rates 2/5 on the callback → the ticket re-opens under the coordinator
    cust = auth(customer_user)
    mine = call(c, "get", "/api/v1/tickets?state=all", cust)["items"]
    assert [x["id"] for x in mine] == [tid]
    ticket = Ticket.objects.get(pk=tid)
    cb = ticket.callbacks.get()
    rated = call(
        c,
        "post",
        f"/api/v1/public/surveys/{cb.survey_token}",
        {},
        {
            "attitude": 3,
            "quality": 2,
            "solved": False,
            "score": 2,
            "comment": "又出现黑块",
            "dissatisfaction_cause": "同一位置再次黑屏",
        },
    )
    assert rated["score"] == 2
    final = call(c, "get", f"/api/v1/tickets/{tid}", coord)
    assert final["state"] == "reopened" and final["coordinator_id"] == world.coordinator.id
    assert final["reopen_count"] == 1
    verbs = list(
        AuditEvent.objects.filter(object_id=str(tid), content_type__model="ticket")
        .order_by("at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs[:3] == ["ticket_create", "warranty_decision", "claim"]
    assert "reopen" in verbs and verbs.count("dispatch") == 1


def test_customer_cannot_see_other_customers_ticket(world) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    other = t.customer(world.region, None, name="别家")
    outsider = t.user("customer", org=other)
    created = call(
        c,
        "post",
        "/api/v1/tickets",
        auth(world.agent),
        {
            "description": "黑屏",
            "contact_name": "王经理",
            "contact_phone": "13800138000",
            "equipment_id": world.equipment.id,
        },
        201,
    )
    resp = c.get(f"/api/v1/tickets/{created['id']}", **auth(outsider))
    assert resp.status_code == 404
    dealer = t.dealer(world.region)
    assert (
        c.get(f"/api/v1/tickets/{created['id']}", **auth(t.user("dealer", org=dealer))).status_code
        == 404
    )


def test_api_refuses_resolve_with_incomplete_report_in_chinese(world) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    created = call(
        c,
        "post",
        "/api/v1/tickets",
        auth(world.agent),
        {
            "description": "黑屏",
            "contact_name": "王经理",
            "contact_phone": "13800138000",
            "equipment_id": world.equipment.id,
        },
        201,
    )
    tid = created["id"]
    wo = call(
        c,
        "post",
        f"/api/v1/tickets/{tid}/dispatch",
        auth(world.coordinator),
        {"technician_ids": [world.tech1.id]},
        201,
    )
    tech = auth(world.tech1)
    call(c, "post", f"/api/v1/work-orders/{wo['id']}/accept", tech)
    call(c, "post", f"/api/v1/work-orders/{wo['id']}/check-in", tech, {})
    call(c, "post", f"/api/v1/tickets/{tid}/start-work", tech)
    call(
        c,
        "put",
        f"/api/v1/work-orders/{wo['id']}/report",
        tech,
        {
            "phenomenon": "黑屏",
            "actions": "重启",
            "no_parts_used": True,
            "responsibility": "customer",
            "customer_opinion": "好",
        },
    )
    resp = c.post(f"/api/v1/tickets/{tid}/resolve", **tech)
    assert resp.status_code == 409
    body = resp.json()
    assert body["code"] == "report_incomplete" and "故障原因" in body["message"]
    assert Ticket.objects.get(pk=tid).state == "in_progress"
