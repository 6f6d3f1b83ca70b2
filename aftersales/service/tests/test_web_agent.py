"""Agent workspace pages with the Django test client: the queue and its filters, intake with
the equipment look-up and the duplicate guard, the ticket page and each action form, and the
row-level visibility (another dealer's ticket answers 404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aftersales.core.models import AuditEvent
from aftersales.service.models import Ticket, TicketState, WarrantyRecord
from aftersales.service.services import intake
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


def test_queue_lists_open_tickets_with_sla_and_filters(world: dict[str, Any]) -> None:
    urgent = w.ticket(world, severity="urgent", description="整屏不亮")
    normal = w.ticket(world, equipment="e2", description="偶尔闪烁")
    agent = login(world["agent"])
    page = html(agent.get("/service/tickets/"))
    assert urgent.number in page and normal.number in page
    # the clock shown is the one due soonest (首次响应 on a working day; on a holiday a
    # natural-time clock can come first)
    for ticket in (urgent, normal):
        soonest = min(ticket.clocks.all(), key=lambda c: c.due_at)
        assert f"{soonest.get_metric_display()} 剩余" in page
    assert 'data-testid="sla"' in page
    assert 'href="/service/tickets/"' in page  # nav entry 报修
    only_urgent = html(agent.get("/service/tickets/", {"severity": "urgent"}))
    assert urgent.number in only_urgent and normal.number not in only_urgent
    by_serial = html(
        agent.get(
            "/service/tickets/", {"q": "LED2025002"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rows"
        )
    )
    assert normal.number in by_serial and urgent.number not in by_serial
    assert "<h1>" not in by_serial  # the htmx answer is the rows fragment
    mine = html(agent.get("/service/tickets/", {"mine": "1"}))
    assert urgent.number in mine  # the agent who registered it owns it (首问负责)
    assert urgent.number not in html(
        login(world["coordinator"]).get("/service/tickets/", {"mine": "1"})
    )


def test_queue_pages_by_twenty(world: dict[str, Any]) -> None:
    for i in range(23):
        w.ticket(world, description=f"故障{i}")
    agent = login(world["agent"])
    first = html(agent.get("/service/tickets/"))
    assert first.count('data-testid="ticket-row"') == 20 and "第 1 / 2 页，共 23 条" in first
    second = html(
        agent.get("/service/tickets/", {"page": "2"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rows")
    )
    assert second.count('data-testid="ticket-row"') == 3


def test_dealer_sees_only_own_customers_tickets(world: dict[str, Any]) -> None:
    own = w.ticket(world)
    other = w.ticket(world, equipment="e2")
    dealer = login(world["dealer1"])
    page = html(dealer.get("/service/tickets/"))
    assert own.number in page and other.number not in page
    assert dealer.get(f"/service/tickets/{other.pk}/").status_code == 404
    assert dealer.get(f"/service/tickets/{own.pk}/").status_code == 200
    resp = dealer.post(f"/service/tickets/{other.pk}/act/cancel/", {"reason": "试试"})
    assert resp.status_code == 404
    assert Ticket.objects.get(pk=other.pk).state == TicketState.REGISTERED


def test_customer_is_sent_to_the_portal(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    cust = login(world["cust1"])
    assert cust.get("/service/tickets/")["Location"] == "/portal/"
    assert cust.get(f"/service/tickets/{t.pk}/")["Location"] == f"/portal/tickets/{t.pk}/"
    assert cust.get("/service/tickets/new/").status_code == 404


def test_equipment_lookup_prefills_customer_site_and_shows_duplicates(
    world: dict[str, Any],
) -> None:
    agent = login(world["agent"])
    found = html(agent.get("/service/tickets/new/equipment/", {"serial": "LED2025001"}))
    assert "LED2025001" in found and "上海浦东会展中心" in found and "LED2025002" not in found
    picked = html(agent.get("/service/tickets/new/pick/", {"equipment_id": world["e1"].pk}))
    assert f'name="customer_id" value="{world["c1"].pk}"' in picked
    assert f'name="site_id" value="{world["s1"].pk}"' in picked
    assert "保修状态" in picked and 'data-testid="duplicates"' not in picked
    first = w.ticket(world)
    picked = html(agent.get("/service/tickets/new/pick/", {"equipment_id": world["e1"].pk}))
    assert 'data-testid="duplicates"' in picked and first.number in picked and "仍然新建" in picked
    # a dealer cannot look up another dealer's equipment
    other = html(
        login(world["dealer1"]).get("/service/tickets/new/equipment/", {"serial": "LED2025002"})
    )
    assert "没有找到设备" in other
    assert (
        login(world["dealer1"])
        .get("/service/tickets/new/pick/", {"equipment_id": world["e2"].pk})
        .status_code
        == 404
    )


def _form(world: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "channel": "phone",
        "type": "repair",
        "severity": "urgent",
        "equipment_id": world["e1"].pk,
        "site_id": world["s1"].pk,
        "customer_id": world["c1"].pk,
        "contact_name": "王经理",
        "contact_phone": "13700137000",
        "description": "整屏黑屏",
        **extra,
    }


def test_new_ticket_form_creates_and_redirects(world: dict[str, Any]) -> None:
    agent = login(world["agent"])
    assert "登记报修" in html(agent.get("/service/tickets/new/", {"equipment_id": world["e1"].pk}))
    resp = agent.post("/service/tickets/new/", _form(world))
    t = Ticket.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/service/tickets/{t.pk}/"
    assert t.channel == "phone" and t.severity == "urgent" and t.owner == world["agent"]
    assert f"已登记报修单 {t.number}" in html(agent.get(resp["Location"]))


def test_duplicate_guard_needs_the_explicit_checkbox(world: dict[str, Any]) -> None:
    first = w.ticket(world)
    agent = login(world["agent"])
    resp = agent.post("/service/tickets/new/", _form(world))
    page = html(resp)
    assert resp.status_code == 409 and "该设备已有未关闭的报修单" in page and first.number in page
    assert 'data-testid="allow-duplicate"' in page and "整屏黑屏" in page  # typed text kept
    assert Ticket.objects.count() == 1
    resp = agent.post(
        "/service/tickets/new/",
        _form(world, allow_duplicate="1", different_fault_reason="另一处故障"),
    )
    assert resp.status_code == 302 and Ticket.objects.count() == 2
    assert Ticket.objects.order_by("-id").first().duplicate_of == first


def test_new_ticket_errors_are_chinese(world: dict[str, Any]) -> None:
    agent = login(world["agent"])
    resp = agent.post("/service/tickets/new/", _form(world, contact_phone="12"))
    assert resp.status_code == 422 and "联系电话格式不正确" in html(resp)
    resp = agent.post("/service/tickets/new/", _form(world, channel="portal"))
    assert "受理渠道无效" in html(resp)
    assert not Ticket.objects.exists()


def test_dealer_registers_through_the_dealer_channel(world: dict[str, Any]) -> None:
    dealer = login(world["dealer1"])
    resp = dealer.post("/service/tickets/new/", _form(world, channel="phone"))
    assert resp.status_code == 302
    t = Ticket.objects.get()
    assert t.channel == "dealer" and t.dealer == world["d1"]


def test_ticket_page_shows_timeline_clocks_warranty_and_candidates(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    page = html(login(world["coordinator"]).get(f"/service/tickets/{t.pk}/"))
    assert t.number in page and "登记报修" in page  # timeline
    assert 'data-testid="clocks"' in page and "首次响应" in page and "到场" in page
    assert "免费（配件、人工、差旅全免）" in page and "保修起始日为验收日期" in page  # reasons
    assert "人工调整判定" in page  # coordinator may override
    assert 'data-testid="candidate"' in page and "工程师小赵" in page and "同片区" in page
    assert 'data-action="acknowledge"' in page and 'data-action="cancel"' in page
    agent_page = html(login(world["agent"]).get(f"/service/tickets/{t.pk}/"))
    assert "人工调整判定" not in agent_page


def test_each_ticket_action_calls_its_service(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    agent = login(world["agent"])
    url = f"/service/tickets/{t.pk}/act/"
    resp = agent.post(url + "acknowledge/", {"note": "已电话联系"})
    assert resp.status_code == 302
    t.refresh_from_db()
    assert t.state == TicketState.ACKNOWLEDGED
    # wait without a reason: the service's Chinese error, nothing changes
    page = html(agent.post(url + "wait/", {"for": "customer", "reason": ""}, follow=True))
    assert "请填写等待原因" in page
    agent.post(url + "wait/", {"for": "customer", "reason": "客户出差"})
    t.refresh_from_db()
    assert t.state == TicketState.WAITING_CUSTOMER and t.pauses.filter(note="客户出差").exists()
    agent.post(url + "resume/")
    t.refresh_from_db()
    assert t.state == TicketState.IN_PROGRESS
    page = html(agent.post(url + "close/", follow=True))
    assert "不能执行「回访后关闭」" in page
    assert "不能执行「取消」" in html(
        agent.post(url + "cancel/", {"reason": "客户已自行解决"}, follow=True)
    )
    other = w.ticket(world, equipment="e2")
    agent.post(f"/service/tickets/{other.pk}/act/cancel/", {"reason": "客户已自行解决"})
    other.refresh_from_db()
    assert other.state == TicketState.CANCELLED and other.cancel_reason == "客户已自行解决"
    assert agent.post(url + "explode/").status_code == 404


def test_resolve_remotely_then_reopen(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    agent = login(world["agent"])
    html(
        agent.post(
            f"/service/tickets/{t.pk}/act/resolve_remotely/", {"solution": "远程重启控制器后恢复"}
        )
    )
    t.refresh_from_db()
    assert t.state == TicketState.RESOLVED and t.remote and t.callbacks.count() == 1
    agent.post(f"/service/tickets/{t.pk}/act/reopen/", {"cause": "客户反映又黑屏"})
    t.refresh_from_db()
    assert t.state == TicketState.REOPENED and t.reopen_count == 1


def test_hand_over_and_claim(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    agent = login(world["agent"])
    page = html(
        agent.post(
            f"/service/tickets/{t.pk}/act/hand_over/",
            {"to_user_id": world["coordinator"].pk, "reason": ""},
            follow=True,
        )
    )
    assert "移交必须填写原因" in page
    agent.post(
        f"/service/tickets/{t.pk}/act/hand_over/",
        {"to_user_id": world["coordinator"].pk, "reason": "需主办跟进"},
    )
    t.refresh_from_db()
    assert t.owner == world["coordinator"]
    assert AuditEvent.objects.filter(verb="hand_over", reason="需主办跟进").exists()
    # a portal ticket has no owner until an agent claims it
    portal = intake.ticket_create(
        actor=world["cust1"],
        data=intake.TicketInput(
            description="门户报修",
            contact_name="王经理",
            contact_phone="13700137000",
            channel="portal",
            equipment_id=world["e1"].pk,
            allow_duplicate=True,
            different_fault_reason="另一处故障",
        ),
    )
    assert 'data-action="claim"' in html(agent.get(f"/service/tickets/{portal.pk}/"))
    agent.post(f"/service/tickets/{portal.pk}/act/claim/")
    portal.refresh_from_db()
    assert portal.owner == world["agent"]


def test_htmx_action_error_is_json_for_app_js(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    resp = login(world["agent"]).post(
        f"/service/tickets/{t.pk}/act/cancel/", {"reason": ""}, HTTP_HX_REQUEST="true"
    )
    assert resp.status_code == 422 and resp.json()["message"] == "取消必须填写原因"
    ok = login(world["agent"]).post(
        f"/service/tickets/{t.pk}/act/acknowledge/", HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 204 and ok["HX-Redirect"] == f"/service/tickets/{t.pk}/"


def test_warranty_override_by_coordinator_only(world: dict[str, Any]) -> None:
    t = w.ticket(world)
    url = f"/service/tickets/{t.pk}/warranty/override/"
    page = html(
        login(world["agent"]).post(
            url, {"outcome": "chargeable", "reason": "人为损坏"}, follow=True
        )
    )
    assert "只有售后主办可以调整保修判定" in page
    login(world["coordinator"]).post(url, {"outcome": "chargeable", "reason": "现场确认人为损坏"})
    rec = WarrantyRecord.objects.filter(ticket=t, archived_at__isnull=True).get()
    assert rec.outcome == "chargeable" and rec.override_reason == "现场确认人为损坏"
    page = html(login(world["coordinator"]).get(f"/service/tickets/{t.pk}/"))
    assert "收费（需客户确认报价）" in page and "现场确认人为损坏" in page
