"""Issue 8 #4: the duplicate check (API and the web picker) shows only the open tickets the
user may open; of any other it says only that one exists — no number, contact or text."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aftersales.accounts.services import issue_token
from aftersales.service.models import Ticket
from aftersales.service.services import dispatch, intake
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db

HIDDEN = "该设备已有未关闭的报修单，请联系售后主办了解"


@pytest.fixture
def world() -> dict[str, Any]:
    return w.build()


def _foreign_ticket(world: dict[str, Any], equipment: str) -> Ticket:
    return intake.ticket_create(
        actor=world["agent"],
        data=intake.TicketInput(
            description="机房门禁秘密故障说明",
            contact_name="赵秘书",
            contact_phone="13912345678",
            channel="phone",
            equipment_id=world[equipment].pk,
            allow_duplicate=True,
            different_fault_reason="另一处故障",
        ),
    )


def _leaks(body: str, ticket: Ticket) -> list[str]:
    return [v for v in (ticket.number, "赵秘书", "13912345678", "机房门禁秘密") if v in body]


def _api(user: Any) -> tuple[Client, dict[str, str]]:
    _, key = issue_token(user=user)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _dealer_sees_moved_equipment(world: dict[str, Any]) -> Ticket:
    """e2's open ticket belongs to 乙经销商's customer; the screen then moves to a site of
    甲经销商's customer, so dealer1 sees the equipment but not that ticket."""
    foreign = _foreign_ticket(world, "e2")
    e2 = world["e2"]
    e2.site = world["s1"]
    e2.save(update_fields=["site"])
    return foreign


def test_technician_gets_only_his_ticket_and_the_bare_fact_from_the_api(
    world: dict[str, Any],
) -> None:
    his = w.ticket(world, description="他的工单")
    dispatch.dispatch(actor=world["coordinator"], ticket=his, technician_ids=[world["tech"].pk])
    other = _foreign_ticket(world, "e1")
    c, h = _api(world["tech"])
    resp = c.get("/api/v1/tickets/duplicates", {"equipment_id": world["e1"].pk}, **h)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert _leaks(body, other) == []
    data = resp.json()
    assert [t["number"] for t in data["tickets"]] == [his.number]
    assert data["notice"] == {"code": "duplicate_ticket_hidden", "message": HIDDEN}
    # the office sees both, and no notice
    c, h = _api(world["coordinator"])
    data = c.get("/api/v1/tickets/duplicates", {"equipment_id": world["e1"].pk}, **h).json()
    assert {t["number"] for t in data["tickets"]} == {his.number, other.number}
    assert data["notice"] is None


def test_technician_gets_nothing_from_the_web_picker(world: dict[str, Any]) -> None:
    his = w.ticket(world)
    dispatch.dispatch(actor=world["coordinator"], ticket=his, technician_ids=[world["tech"].pk])
    other = _foreign_ticket(world, "e1")
    client = Client()
    client.force_login(world["tech"])
    resp = client.get("/service/tickets/new/pick/", {"equipment_id": world["e1"].pk})
    assert resp.status_code == 404  # a technician does not register tickets
    assert _leaks(resp.content.decode(), other) == []


def test_dealer_of_another_organisation_gets_the_fact_only_from_the_api(
    world: dict[str, Any],
) -> None:
    foreign = _dealer_sees_moved_equipment(world)
    c, h = _api(world["dealer1"])
    resp = c.get("/api/v1/tickets/duplicates", {"equipment_id": world["e2"].pk}, **h)
    assert resp.status_code == 200, resp.content
    assert _leaks(resp.content.decode(), foreign) == []
    assert resp.json() == {
        "tickets": [],
        "notice": {"code": "duplicate_ticket_hidden", "message": HIDDEN},
    }
    # registering without "different fault" is refused with the same bare fact
    payload = {
        "description": "屏幕花屏",
        "contact_name": "王经理",
        "contact_phone": "13700137000",
        "channel": "dealer",
        "equipment_id": world["e2"].pk,
    }
    refused = c.post("/api/v1/tickets", payload, content_type="application/json", **h)
    assert refused.status_code == 409
    assert refused.json()["code"] == "duplicate_ticket"
    assert refused.json()["message"] == HIDDEN and refused.json()["details"] == []
    assert _leaks(refused.content.decode(), foreign) == []
    assert Ticket.objects.filter(equipment=world["e2"]).count() == 1


def test_dealer_of_another_organisation_gets_the_fact_only_from_the_web_picker(
    world: dict[str, Any],
) -> None:
    foreign = _dealer_sees_moved_equipment(world)
    dealer = Client()
    dealer.force_login(world["dealer1"])
    resp = dealer.get("/service/tickets/new/pick/", {"equipment_id": world["e2"].pk})
    assert resp.status_code == 200
    page = resp.content.decode()
    assert _leaks(page, foreign) == []
    assert 'data-testid="duplicates-hidden"' in page and HIDDEN in page
    assert "仍然新建" in page  # a different fault may still be registered
    form = {
        "type": "repair",
        "severity": "normal",
        "equipment_id": world["e2"].pk,
        "site_id": world["s1"].pk,
        "customer_id": world["c1"].pk,
        "description": "屏幕花屏",
        "contact_name": "王经理",
        "contact_phone": "13700137000",
    }
    refused = dealer.post("/service/tickets/new/", form)
    assert refused.status_code == 409
    assert _leaks(refused.content.decode(), foreign) == []
    assert HIDDEN in refused.content.decode()
    created = dealer.post(
        "/service/tickets/new/",
        {**form, "allow_duplicate": "1", "different_fault_reason": "另一处故障"},
    )
    assert created.status_code == 302
    assert Ticket.objects.filter(equipment=world["e2"]).count() == 2
