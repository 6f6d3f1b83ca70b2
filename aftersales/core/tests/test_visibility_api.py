"""Row-level visibility through the API and the web pages, per organisation and role."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    reg = t.region("EAST", "华东区")
    d1, d2 = t.dealer(reg, name="甲经销商"), t.dealer(reg, name="乙经销商")
    c1 = t.customer(reg, d1, name="甲客户")
    c2 = t.customer(reg, d2, name="乙客户")
    c3 = t.customer(reg, None, name="直销客户")
    s1, s2, s3 = t.site(c1), t.site(c2), t.site(c3)
    e1, e2, e3 = t.equipment(s1), t.equipment(s2), t.equipment(s3)
    return {
        "d1": d1,
        "d2": d2,
        "c1": c1,
        "c2": c2,
        "c3": c3,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "e1": e1,
        "e2": e2,
        "e3": e3,
    }


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, key = issue_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def ids(resp) -> set[int]:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.content
    return {row["id"] for row in resp.json()["items"]}


def test_dealer_sees_only_own_customers_by_api(world) -> None:  # type: ignore[no-untyped-def]
    dealer_user = t.user("dealer", org=world["d1"])
    h = bearer(dealer_user)
    c = Client()
    assert ids(c.get("/api/v1/customers", **h)) == {world["c1"].id}
    assert ids(c.get("/api/v1/sites", **h)) == {world["s1"].id}
    assert ids(c.get("/api/v1/equipment", **h)) == {world["e1"].id}
    other = c.get(f"/api/v1/customers/{world['c2'].id}", **h)
    assert other.status_code == 404
    assert other.json()["code"] == "not_found"
    assert c.get(f"/api/v1/equipment/{world['e2'].id}", **h).status_code == 404
    assert c.get(f"/api/v1/customers/{world['c1'].id}", **h).status_code == 200


def test_dealer_gets_404_for_other_dealers_customer_on_web(world) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(t.user("dealer", org=world["d1"]))
    assert c.get(f"/customers/{world['c2'].id}/").status_code == 404
    assert c.get(f"/equipment/{world['e2'].id}/").status_code == 404
    page = c.get("/customers/")
    assert "甲客户" in page.content.decode() and "乙客户" not in page.content.decode()
    assert c.get(f"/customers/{world['c1'].id}/").status_code == 200


def test_customer_user_sees_only_own_records(world) -> None:  # type: ignore[no-untyped-def]
    h = bearer(t.user("customer", org=world["c2"]))
    c = Client()
    assert ids(c.get("/api/v1/customers", **h)) == {world["c2"].id}
    assert ids(c.get("/api/v1/sites", **h)) == {world["s2"].id}
    assert ids(c.get("/api/v1/equipment", **h)) == {world["e2"].id}
    assert c.get(f"/api/v1/sites/{world['s1'].id}", **h).status_code == 404


def test_technician_sees_sites_he_is_responsible_for(world) -> None:  # type: ignore[no-untyped-def]
    tech = t.user("technician")
    world["s3"].responsible_engineer = tech
    world["s3"].save()
    h = bearer(tech)
    c = Client()
    assert ids(c.get("/api/v1/sites", **h)) == {world["s3"].id}
    assert ids(c.get("/api/v1/equipment", **h)) == {world["e3"].id}
    assert c.get(f"/api/v1/customers/{world['c1'].id}", **h).status_code == 404
    # reference data stays readable for him
    assert c.get("/api/v1/product-models", **h).status_code == 200


def test_agent_sees_everything(world) -> None:  # type: ignore[no-untyped-def]
    h = bearer(t.user("agent"))
    got = ids(Client().get("/api/v1/customers?page_size=100", **h))
    assert {world["c1"].id, world["c2"].id, world["c3"].id} <= got


def test_dealer_cannot_create_site_for_other_dealers_customer(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.customers.models import Site

    h = bearer(t.user("dealer", org=world["d1"]))
    before = Site.objects.count()
    resp = Client().post(
        "/api/v1/sites",
        {
            "customer_id": world["c2"].id,
            "code": "X-1",
            "name": "越权项目",
            "address": "某地",
            "region_id": world["c2"].region_id,
        },
        content_type="application/json",
        **h,
    )
    assert resp.status_code == 404
    assert resp.json()["field"] == "customer"
    assert Site.objects.count() == before


def test_dealer_created_customer_belongs_to_dealer(world) -> None:  # type: ignore[no-untyped-def]
    h = bearer(t.user("dealer", org=world["d1"]))
    resp = Client().post(
        "/api/v1/customers",
        {
            "code": "NEW-1",
            "name": "新客户",
            "region_id": world["c1"].region_id,
            "dealer_id": world["d2"].id,
        },
        content_type="application/json",
        **h,
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["dealer"] == world["d1"].id


def test_equipment_warranty_status_by_api(world) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    eq = world["e1"]
    cat = eq.model.category
    t.policy(cat, months=12)
    eq.acceptance_date = dt.date(2026, 3, 15)
    eq.save()
    h = bearer(t.user("dealer", org=world["d1"]))
    body = Client().get(f"/api/v1/equipment/{eq.id}/warranty", **h).json()
    assert body["start"] == "2026-03-15" and body["end"] == "2027-03-15"
    assert body["in_warranty"] is True and body["policy"]
    assert Client().get(f"/api/v1/equipment/{world['e2'].id}/warranty", **h).status_code == 404
