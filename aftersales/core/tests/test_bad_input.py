"""Bad input is a 400/422 with a Chinese message, never a server error, and writes nothing:
page numbers, huge integers, NUL bytes, over-long text, times without a zone (issue 8 §8,
§9; issue 9 §2)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aftersales.accounts.services import issue_token
from aftersales.customers.models import Customer
from aftersales.service.models import Ticket
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return w.build()


def api(user: Any) -> Client:
    _, key = issue_token(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def chinese(resp: Any) -> str:
    text = resp.content.decode()
    if resp["Content-Type"].startswith("application/json"):
        text = json.dumps(resp.json(), ensure_ascii=False)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    return text


@pytest.mark.parametrize("page", ["0", "-1", "100000000000", "99999999999999999999999"])
@pytest.mark.parametrize("url", ["/api/v1/customers", "/api/v1/tickets", "/api/v1/parts"])
def test_page_numbers_out_of_range_are_422(world: dict[str, Any], url: str, page: str) -> None:
    resp = api(world["manager"]).get(url, {"page": page})
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] == "validation_failed" and "page" in chinese(resp)


def test_last_page_and_beyond_still_answer(world: dict[str, Any]) -> None:
    c = api(world["manager"])
    assert c.get("/api/v1/customers", {"page": 100000}).json()["items"] == []
    assert c.get("/api/v1/customers", {"page_size": 10**6}).status_code == 200


def test_huge_integers_in_path_query_and_body(world: dict[str, Any]) -> None:
    c = api(world["manager"])
    huge = 10**20
    assert c.get(f"/api/v1/customers/{huge}").status_code == 404
    assert c.get(f"/api/v1/tickets/{huge}").status_code == 404
    resp = c.get("/api/v1/customers", {"region_id": huge})
    assert resp.status_code == 422 and "region_id" in chinese(resp)
    body = {"code": "C-HUGE", "name": "大数客户", "region_id": huge}
    resp = c.post("/api/v1/customers", body, content_type="application/json")
    assert resp.status_code == 422 and "region_id" in chinese(resp)
    assert not Customer.objects.filter(code="C-HUGE").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/customers",
        "/api/v1/tickets",
        "/customers/",
        "/sites/",
        "/equipment/",
        "/service/",
        "/returns/",
    ],
)
def test_nul_in_a_search_is_400_everywhere(world: dict[str, Any], url: str) -> None:
    c = api(world["manager"])
    c.force_login(world["manager"])
    resp = c.get(url, {"q": "会展\x00中心"})
    assert resp.status_code == 400, (url, resp.status_code)
    assert "控制字符" in chinese(resp)


def test_nul_in_a_json_body_or_form_field_is_400_and_writes_nothing(
    world: dict[str, Any],
) -> None:
    c = api(world["agent"])
    resp = c.post(
        "/api/v1/tickets",
        {
            "customer_id": world["c1"].pk,
            "contact_name": "王\x00经理",
            "contact_phone": "13700137000",
            "description": "整屏黑屏",
        },
        content_type="application/json",
    )
    assert resp.status_code == 400 and resp.json()["code"] == "invalid_characters"
    web = Client()
    web.force_login(world["agent"])
    form = {
        "channel": "phone",
        "type": "repair",
        "severity": "urgent",
        "customer_id": world["c1"].pk,
        "contact_name": "王经理",
        "contact_phone": "13700137000",
        "description": "整屏\x00黑屏",
    }
    resp = web.post("/service/tickets/new/", form)
    assert resp.status_code == 400 and "控制字符" in chinese(resp)
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("field,length", [("address", 201), ("fault_category", 51)])
def test_over_long_ticket_fields_are_422_through_the_api(
    world: dict[str, Any], field: str, length: int
) -> None:
    body = {
        "customer_id": world["c1"].pk,
        "contact_name": "王经理",
        "contact_phone": "13700137000",
        "description": "整屏黑屏",
        field: "长" * length,
    }
    resp = api(world["agent"]).post("/api/v1/tickets", body, content_type="application/json")
    assert resp.status_code == 422 and field in chinese(resp) and "过长" in resp.json()["message"]
    assert not Ticket.objects.exists()


def test_over_long_web_form_value_is_a_chinese_field_error(world: dict[str, Any]) -> None:
    web = Client()
    web.force_login(world["agent"])
    form = {
        "channel": "phone",
        "type": "repair",
        "severity": "urgent",
        "customer_id": world["c1"].pk,
        "contact_name": "王" * 51,
        "contact_phone": "13700137000",
        "description": "整屏黑屏",
    }
    resp = web.post("/service/tickets/new/", form)
    assert resp.status_code in (400, 422) and "过长" in chinese(resp)
    assert not Ticket.objects.exists()


def test_free_text_is_capped(world: dict[str, Any]) -> None:
    c = api(world["manager"])
    customer = world["c1"]
    resp = c.patch(
        f"/api/v1/customers/{customer.pk}",
        {"notes": "备" * 100_000},
        content_type="application/json",
    )
    assert resp.status_code == 422 and "notes" in chinese(resp)
    customer.refresh_from_db()
    assert customer.notes == ""


def test_schedule_needs_a_time_zone(world: dict[str, Any]) -> None:
    wo = w.on_site(world, w.ticket(world))
    resp = api(world["coordinator"]).post(
        f"/api/v1/work-orders/{wo.pk}/schedule",
        {"start": "2026-12-01T09:00:00", "end": "2026-12-01T11:00:00"},
        content_type="application/json",
    )
    assert resp.status_code == 422 and "时区" in chinese(resp)


@pytest.mark.django_db
def test_a_form_encoded_post_to_a_json_endpoint_is_answered_not_a_500() -> None:
    """A multipart or form-encoded body on an API endpoint with a body parameter: the NUL
    check parsed the stream and the endpoint then could not read the body (a 500)."""
    from django.test import Client

    from aftersales import testing as t
    from aftersales.accounts.services import issue_token

    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=t.user('agent'))[1]}")
    resp = api.post("/api/v1/customers", {"name": "x"})
    assert resp.status_code in (400, 422)
