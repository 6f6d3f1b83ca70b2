"""The stock API: posting documents, typed errors in Chinese, visibility per role."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aftersales.accounts.services import issue_token
from aftersales.core.models import AuditEvent
from aftersales.stock.models import Movement
from aftersales.stock.tests.helpers import on_hand, receive

pytestmark = pytest.mark.django_db


def h(user: Any) -> dict[str, str]:
    _, key = issue_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(user: Any, url: str, body: dict[str, Any]) -> Any:
    return Client().post(url, json.dumps(body), content_type="application/json", **h(user))


def test_receipt_issue_and_detail_through_the_api(s) -> None:  # type: ignore[no-untyped-def]
    resp = post(
        s.keeper,
        "/api/v1/stock/receipts",
        {
            "warehouse_id": s.store.pk,
            "lines": [
                {"part_code": "PSU-5V", "quantity": "4", "unit_cost": "88.80", "bin_id": s.bin_a.pk}
            ],
            "reference": "CG-1",
        },
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["kind"] == "receipt" and body["lines"][0]["amount"] == "355.20"
    resp = post(
        s.keeper,
        "/api/v1/stock/transfers",
        {
            "from_warehouse_id": s.store.pk,
            "to_warehouse_id": s.van.pk,
            "lines": [{"part_id": s.psu.pk, "quantity": 3}],
        },
    )
    assert resp.status_code == 201, resp.content
    resp = post(
        s.keeper,
        "/api/v1/stock/issues",
        {"warehouse_id": s.van.pk, "lines": [{"part_id": s.psu.pk, "quantity": 5}]},
    )
    assert resp.status_code == 409 and resp.json()["code"] == "insufficient_stock"
    assert "库存不足" in resp.json()["message"]
    levels = Client().get("/api/v1/stock/levels", **h(s.tech)).json()
    assert [(r["warehouse"], r["quantity"]) for r in levels["items"]] == [("张工车载库", 3)]
    assert Client().get("/api/v1/stock/totals", **h(s.keeper)).json() == {
        "units": 4,
        "value": "355.20",
    }
    pk = Movement.objects.get(kind="transfer").pk
    assert Client().get(f"/api/v1/stock/movements/{pk}", **h(s.tech)).status_code == 200
    assert Client().get(f"/api/v1/stock/movements/{pk}", **h(s.tech2)).status_code == 404
    assert Client().get(f"/api/v1/stock/warehouses/{s.van.pk}", **h(s.tech2)).status_code == 404


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ({"quantity": "1,000"}, "lines[0].quantity", "含逗号"),
        ({"quantity": -2}, "lines[0].quantity", "正整数"),
        ({"bin_id": 999999}, "lines[0].bin_id", "库位不存在"),
        ({"part_code": "NOPE"}, "lines[0].part", "配件不存在"),
        ({"unit_cost": "1,5"}, "lines[0].unit_cost", "逗号"),
    ],
)
def test_bad_input_is_a_chinese_error_and_writes_nothing(s, line, field, message) -> None:  # type: ignore[no-untyped-def]
    before = Movement.objects.count(), AuditEvent.objects.filter(verb__startswith="stock_").count()
    body = {"part_code": "PSU-5V", "quantity": 1, "unit_cost": "1.00", **line}
    resp = post(s.keeper, "/api/v1/stock/receipts", {"warehouse_id": s.store.pk, "lines": [body]})
    assert resp.status_code == 422, resp.content
    assert resp.json()["field"] == field and message in resp.json()["message"]
    assert (
        Movement.objects.count(),
        AuditEvent.objects.filter(verb__startswith="stock_").count(),
    ) == before


def test_dealers_and_agents_cannot_post_and_outsiders_see_nothing(s) -> None:  # type: ignore[no-untyped-def]
    from aftersales import testing as t

    receive(s, 2, "5.00")
    body = {"warehouse_id": s.store.pk, "lines": [{"part_id": s.psu.pk, "quantity": 1}]}
    assert post(s.agent, "/api/v1/stock/issues", body).status_code == 403
    dealer = t.user("dealer", org=t.dealer(t.region("S9", "南区")))
    assert post(dealer, "/api/v1/stock/issues", body).status_code == 404
    assert Client().get("/api/v1/stock/levels", **h(dealer)).json()["count"] == 0
    assert on_hand(s.store, s.psu) == 2


def test_warehouses_and_bins_are_master_data_of_the_keeper(s) -> None:  # type: ignore[no-untyped-def]
    resp = post(
        s.keeper, "/api/v1/stock/warehouses", {"code": "WEST", "name": "西区库", "kind": "regional"}
    )
    assert resp.status_code == 201, resp.content
    wh = resp.json()["id"]
    resp = post(
        s.keeper,
        "/api/v1/stock/bins",
        {"warehouse_id": wh, "zone": "C", "shelf": "1", "level": "2"},
    )
    assert resp.status_code == 201 and resp.json()["code"] == "C-1-2"
    resp = post(
        s.keeper,
        "/api/v1/stock/bins",
        {"warehouse_id": wh, "zone": "C", "shelf": "1", "level": "2"},
    )
    assert resp.status_code in (409, 422)
    assert (
        post(
            s.agent, "/api/v1/stock/warehouses", {"code": "X", "name": "X", "kind": "main"}
        ).status_code
        == 403
    )
    resp = post(
        s.keeper, "/api/v1/stock/warehouses", {"code": "VANX", "name": "无主车", "kind": "van"}
    )
    assert resp.status_code == 422


def test_shortages_are_listed_and_replenished_by_the_keeper(s) -> None:  # type: ignore[no-untyped-def]
    from aftersales.stock.services import consumption

    receive(s, 5, "10.00")
    consumption.consume(
        actor=s.tech, technician=s.tech, wanted=[(s.psu, 2)], reference="T-9", source_key="k:1"
    )
    mine = Client().get("/api/v1/stock/shortages", **h(s.tech)).json()["items"]
    assert [(r["part_code"], r["short"], r["state"]) for r in mine] == [("PSU-5V", 2, "open")]
    assert Client().get("/api/v1/stock/shortages", **h(s.tech2)).json()["count"] == 0
    pk = mine[0]["id"]
    assert post(s.tech, f"/api/v1/stock/shortages/{pk}/replenish", {}).status_code == 403
    assert post(s.tech2, f"/api/v1/stock/shortages/{pk}/replenish", {}).status_code == 404
    resp = post(s.keeper, f"/api/v1/stock/shortages/{pk}/replenish", {})
    assert resp.status_code == 200 and resp.json()["state"] == "replenished"
    assert on_hand(s.van, s.psu) == 2
    assert post(s.keeper, f"/api/v1/stock/shortages/{pk}/replenish", {}).status_code == 409
