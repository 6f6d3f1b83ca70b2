"""10: 返厂维修 (SPEC §3.3 — a repair returned to the factory is back within 5–10 working
days). The ticket waits with its SLA clocks paused; the factory repairs within the rule
``service.factory_repair`` (5 working days from arrival) and the round trip takes at most
``service.factory_round_trip`` (10 working days from dispatch), both admin-editable deadline
rules counted on the business calendar; each step is checked, audited from → to, and a late
step escalates once. Customers and dealers see only the customer-facing milestones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from aftersales import testing as t
from aftersales.approvals.models import Deadline, DeadlineRule
from aftersales.approvals.services import deadlines
from aftersales.bizcalendar import selectors as calendar
from aftersales.bizcalendar.models import CalendarDay
from aftersales.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.core.services import update_record
from aftersales.customers.models import Customer
from aftersales.notifications.models import Notification
from aftersales.service.models import FactoryRepair, Ticket, TicketPause, TicketState
from aftersales.service.services import factory, lifecycle
from aftersales.service.tests.test_flow_services import new_ticket

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
THURSDAY = dt.datetime(2026, 11, 26, 9, 0, tzinfo=SH)  # Friday 11-27 made a holiday below
SENT = dt.datetime(2026, 11, 26, 10, 0, tzinfo=SH)
ARRIVED = dt.datetime(2026, 11, 30, 9, 0, tzinfo=SH)  # Monday, after the holiday and weekend


def _holiday_friday() -> None:
    CalendarDay.objects.create(
        date=dt.date(2026, 11, 27), source=CalendarDay.Source.ADMIN, working=False, name="调休"
    )
    calendar.invalidate()


def _ticket(world):  # type: ignore[no-untyped-def]
    ticket = new_ticket(world, received_at=THURSDAY)
    return lifecycle.acknowledge(actor=world.agent, ticket=ticket)


def _send(world, ticket, **kw):  # type: ignore[no-untyped-def]
    values = {
        "reason": "控制卡烧毁，现场无法修复",
        "items": "接收卡 ×2",
        "waybill": "顺丰 SF1234567890",
        "now": SENT,
    }
    return factory.send(actor=world.coordinator, ticket=ticket, **(values | kw))


def _deadline(repair: FactoryRepair, step: str) -> Deadline:
    return next(d for d in deadlines.of(repair) if d.step == step)


def _trail(repair: FactoryRepair) -> list[tuple[str, str, str, object]]:
    rows = AuditEvent.objects.filter(object_id=str(repair.pk), content_type__model="factoryrepair")
    return [(e.verb, e.from_state, e.to_state, e.actor) for e in rows.order_by("at", "id")]


def test_a_round_trip_on_the_calendar_pauses_the_ticket_and_escalates_a_late_step_once(
    world,  # type: ignore[no-untyped-def]
) -> None:
    _holiday_friday()
    ticket = _ticket(world)
    resolution = ticket.clocks.get(metric="resolution")
    assert resolution.due_at == dt.datetime(2026, 11, 30, 9, 0, tzinfo=SH)  # over the holiday

    repair = _send(world, ticket)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.AT_FACTORY
    pause = TicketPause.objects.get(ticket=ticket)
    assert (pause.reason, pause.started_at, pause.ended_at) == ("factory", SENT, None)
    assert pause.get_reason_display() == "返厂维修"
    # 10 working days from Thursday 10:00, the holiday Friday and the weekend not counted
    round_trip = _deadline(repair, factory.ROUND_TRIP_STEP)
    assert round_trip.due_at == dt.datetime(2026, 12, 11, 10, 0, tzinfo=SH)

    factory.arrive(actor=world.manager, repair=repair, now=ARRIVED)
    repair_deadline = _deadline(repair, factory.REPAIR_STEP)
    assert repair_deadline.due_at == dt.datetime(2026, 12, 7, 9, 0, tzinfo=SH)  # 5 working days

    # the factory is late: escalated once, to the coordinators and the person who recorded the
    # arrival (the ticket has no coordinator of its own); the round trip is not yet due
    late = dt.datetime(2026, 12, 7, 9, 1, tzinfo=SH)
    deadlines.process_due(now=late)
    deadlines.process_due(now=late + dt.timedelta(hours=1))
    repair_deadline.refresh_from_db()
    assert repair_deadline.escalated_at == late
    escalations = Notification.objects.filter(key=f"deadline:{repair_deadline.pk}:escalate")
    assert {n.recipient for n in escalations} == {world.coordinator, world.manager}
    assert escalations.filter(channel="in_app").count() == 2
    overdue = AuditEvent.objects.filter(
        content_type__model="deadline", object_id=str(repair_deadline.pk), verb="deadline_overdue"
    )
    assert overdue.count() == 1
    round_trip.refresh_from_db()
    assert round_trip.escalated_at is None

    shipped = dt.datetime(2026, 12, 9, 10, 0, tzinfo=SH)
    factory.ship_back(
        actor=world.coordinator,
        repair=repair,
        note="更换主控芯片，老化测试通过",
        waybill="顺丰 SF0987654321",
        now=shipped,
    )
    back = dt.datetime(2026, 12, 10, 10, 0, tzinfo=SH)
    factory.receive(actor=world.coordinator, repair=repair, now=back)

    repair_deadline.refresh_from_db()
    round_trip.refresh_from_db()
    assert repair_deadline.done_at == shipped and repair_deadline.is_overdue()
    assert round_trip.done_at == back and not round_trip.is_overdue()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS
    pause.refresh_from_db()
    assert pause.ended_at == back
    # the clock stood still from Thursday 10:00 to Thursday 10:00 two weeks on (4050 working
    # minutes); the 390 minutes left then run from the return: due Friday 09:00
    resolution.refresh_from_db()
    assert resolution.paused_minutes == 4050
    assert resolution.due_at == dt.datetime(2026, 12, 11, 9, 0, tzinfo=SH)

    repair.refresh_from_db()
    assert (repair.arrived_at, repair.shipped_back_at, repair.received_at) == (
        ARRIVED,
        shipped,
        back,
    )
    assert _trail(repair) == [
        ("send", "", "sent", world.coordinator),
        ("arrive", "sent", "at_factory", world.manager),
        ("ship_back", "at_factory", "shipped_back", world.coordinator),
        ("receive", "shipped_back", "received", world.coordinator),
    ]
    ticket_moves = AuditEvent.objects.filter(
        object_id=str(ticket.pk), verb__in=["send_to_factory", "factory_returned"]
    ).order_by("at")
    assert [(e.from_state, e.to_state, e.at) for e in ticket_moves] == [
        ("acknowledged", "at_factory", SENT),
        ("at_factory", "in_progress", back),
    ]


def test_both_periods_are_rules_an_administrator_edits(world) -> None:  # type: ignore[no-untyped-def]
    _holiday_friday()
    admin = t.user("admin", is_staff=True, is_superuser=True)
    update_record(
        DeadlineRule.objects.get(code=factory.ROUND_TRIP_RULE), actor=admin, changes={"amount": 8}
    )
    update_record(
        DeadlineRule.objects.get(code=factory.REPAIR_RULE), actor=admin, changes={"amount": 3}
    )
    repair = _send(world, _ticket(world))
    # 8 working days from Thursday 10:00 (holiday Friday, weekend): Wednesday 12-09 10:00
    assert _deadline(repair, factory.ROUND_TRIP_STEP).due_at == dt.datetime(
        2026, 12, 9, 10, 0, tzinfo=SH
    )
    factory.arrive(actor=world.coordinator, repair=repair, now=ARRIVED)
    assert _deadline(repair, factory.REPAIR_STEP).due_at == dt.datetime(
        2026, 12, 3, 9, 0, tzinfo=SH
    )


def _nothing_written(ticket: Ticket, state: str = TicketState.ACKNOWLEDGED) -> None:
    ticket.refresh_from_db()
    assert ticket.state == state
    assert not TicketPause.objects.filter(ticket=ticket).exists()
    assert not FactoryRepair.objects.filter(ticket=ticket).exists()
    assert not AuditEvent.objects.filter(object_id=str(ticket.pk), verb="send_to_factory").exists()
    assert not Deadline.objects.filter(rule__startswith="service.factory").exists()


def test_bad_input_is_refused_in_chinese_with_a_code_and_nothing_written(world) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(world)
    with pytest.raises(ValidationFailed) as too_long:
        _send(world, ticket, reason="长" * 201)
    assert (
        too_long.value.code == "too_long" and "返厂原因不能超过200个字符" in too_long.value.message
    )
    with pytest.raises(ValidationFailed, match="请填写承运/运单号"):
        _send(world, ticket, waybill="  ")
    with pytest.raises(PermissionDenied) as refused:
        factory.send(actor=world.agent, ticket=ticket, reason="x", items="y", waybill="z")
    assert refused.value.code == "permission_denied" and "返厂维修" in refused.value.message
    with pytest.raises(NotFound):  # a technician with no work order on it does not see it
        factory.send(actor=world.tech1, ticket=ticket, reason="x", items="y", waybill="z")
    _nothing_written(ticket)
    registered = new_ticket(
        world, description="另一块屏不亮", allow_duplicate=True, different_fault_reason="另一故障"
    )
    with pytest.raises(InvalidTransition) as early:
        _send(world, registered)
    assert (
        early.value.code == "invalid_transition" and "不能执行「返厂维修」" in early.value.message
    )
    _nothing_written(registered, TicketState.REGISTERED)


def test_the_steps_go_in_order_by_the_right_people(world) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(world)
    repair = _send(world, ticket)
    with pytest.raises(InvalidTransition, match="不能执行「确认收回」"):
        factory.receive(actor=world.coordinator, repair=repair)
    with pytest.raises(InvalidTransition, match="不能执行「工厂修复发回」"):
        factory.ship_back(actor=world.coordinator, repair=repair, note="已修", waybill="EMS 1")
    with pytest.raises(InvalidTransition, match="不能执行「返厂维修」"):
        _send(world, ticket)  # already at the factory
    with pytest.raises(PermissionDenied):
        factory.arrive(actor=world.agent, repair=repair)
    factory.arrive(actor=world.coordinator, repair=repair, now=ARRIVED)
    with pytest.raises(InvalidTransition):
        factory.arrive(actor=world.coordinator, repair=repair)
    with pytest.raises(ValidationFailed, match="工厂维修说明不能超过200个字符"):
        factory.ship_back(actor=world.coordinator, repair=repair, note="长" * 201, waybill="EMS 1")
    with pytest.raises(ValidationFailed, match="请填写发回承运/运单号"):
        factory.ship_back(actor=world.coordinator, repair=repair, note="已修", waybill="")
    repair.refresh_from_db()
    assert (
        repair.state == "at_factory" and repair.repair_note == "" and repair.shipped_back_at is None
    )
    assert [v for v, *_ in _trail(repair)] == ["send", "arrive"]
    assert _deadline(repair, factory.REPAIR_STEP).done_at is None
    ticket.refresh_from_db()
    assert ticket.state == TicketState.AT_FACTORY
    # a paused ticket at the factory is not resumed by hand: only the return resumes it
    with pytest.raises(InvalidTransition):
        lifecycle.resume(actor=world.coordinator, ticket=ticket)


def test_api_and_pages_with_customers_and_dealers_seeing_only_the_milestones(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.accounts.services import issue_token

    def api(user):  # type: ignore[no-untyped-def]
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)[1]}")

    dealer = t.dealer(world.region)
    Customer.objects.filter(pk=world.customer.pk).update(dealer=dealer)
    ticket = _ticket(world)
    coordinator = api(world.coordinator)
    url = f"/api/v1/tickets/{ticket.pk}/factory-repairs"
    body = {"reason": "控制卡烧毁", "items": "接收卡 ×2", "waybill": "长" * 101}
    resp = coordinator.post(url, body, content_type="application/json")
    assert resp.status_code == 422 and resp.json()["code"] == "validation_failed"
    _nothing_written(ticket)
    resp = coordinator.post(url, body | {"waybill": "顺丰 SF1"}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    out = resp.json()
    assert out["state"] == "sent" and out["reason"] == "控制卡烧毁"
    assert [d["step"] for d in out["deadlines"]] == ["round_trip"]
    rid = out["id"]
    assert api(world.agent).post(f"/api/v1/factory-repairs/{rid}/arrive").status_code == 403
    assert (
        coordinator.post(
            f"/api/v1/factory-repairs/{rid}/receive", {}, content_type="application/json"
        ).json()["code"]
        == "invalid_transition"
    )
    resp = coordinator.post(f"/api/v1/factory-repairs/{rid}/arrive")
    assert resp.status_code == 200 and resp.json()["state"] == "at_factory"
    resp = coordinator.post(
        f"/api/v1/factory-repairs/{rid}/ship-back",
        {"note": "更换芯片", "waybill": "EMS 2"},
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["return_waybill"] == "EMS 2"

    customer_user = t.user("customer", org=world.customer)
    dealer_user = t.user("dealer", org=dealer)
    for outsider in (customer_user, dealer_user):
        (seen,) = api(outsider).get(url).json()
        assert [e["label"] for e in seen["events"]] == [
            "设备/部件已寄往工厂维修",
            "工厂已收到，正在维修",
            "工厂已修复并发回",
        ]
        assert {e["who"] for e in seen["events"]} == {"售后服务部"}
        assert seen["reason"] == seen["repair_note"] == seen["waybill"] == ""
        assert [d["step"] for d in seen["deadlines"]] == ["round_trip"]
        refused = api(outsider).post(
            f"/api/v1/factory-repairs/{rid}/receive", {}, content_type="application/json"
        )
        assert refused.status_code == 403
    stranger = t.user("customer", org=t.customer())
    assert api(stranger).get(url).status_code == 404
    assert api(stranger).post(f"/api/v1/factory-repairs/{rid}/arrive").status_code == 404

    web = Client()
    web.force_login(world.coordinator)
    page = web.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'data-action="factory_receive"' in page and "更换芯片" in page
    resp = web.post(reverse("service:ticket_action", args=[ticket.pk, "factory_receive"]), {})
    assert resp.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS
    page = web.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'data-action="factory_send"' in page
    for name, length in (("reason", 200), ("items", 200), ("waybill", 100)):
        assert f'name="{name}" required maxlength="{length}"' in page

    portal = Client()
    portal.force_login(customer_user)
    page = portal.get(reverse("service:portal_ticket", args=[ticket.pk])).content.decode()
    assert "已收回，继续为您处理" in page and "设备/部件已寄往工厂维修" in page
    assert "控制卡烧毁" not in page and "更换芯片" not in page and "EMS 2" not in page
    dealer_web = Client()
    dealer_web.force_login(dealer_user)
    page = dealer_web.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert "工厂已修复并发回" in page and "更换芯片" not in page and "控制卡烧毁" not in page
    assert 'data-action="factory_send"' not in page


def _english_panel(c: Client, path: str) -> list[str]:
    import re

    from aftersales.web.tests.untranslated import stored_runs, untranslated

    c.cookies["django_language"] = "en"
    html = c.get(path).content.decode()
    found = re.search(r'<section class="panel" id="factory"[^>]*>.*?</section>', html, re.S)
    assert found, path
    return untranslated(found.group(), stored_runs())


def test_the_factory_panel_is_english_for_staff_and_customers(world) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(world)
    web = Client()
    web.force_login(world.coordinator)
    page = reverse("service:ticket_detail", args=[ticket.pk])
    assert _english_panel(web, page) == []  # the send form
    repair = _send(world, ticket)
    factory.arrive(actor=world.coordinator, repair=repair, now=ARRIVED)
    assert _english_panel(web, page) == []  # the trip, its deadlines and the ship-back form
    portal = Client()
    portal.force_login(t.user("customer", org=world.customer))
    assert _english_panel(portal, reverse("service:portal_ticket", args=[ticket.pk])) == []
