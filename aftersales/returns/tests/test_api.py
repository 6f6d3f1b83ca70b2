"""The returns API: a dealer sees only its own returns (others' 404), the flow's refusals
come back as Chinese errors with machine codes."""

from __future__ import annotations

import pytest

from aftersales.parts.tests.test_api import call
from aftersales.returns.models import ReturnRequest

pytestmark = pytest.mark.django_db


def new_return(user, customer_id, **kw):  # type: ignore[no-untyped-def]
    body = {
        "reason": "屏体死灯",
        "customer_id": customer_id,
        "lines": [{"part_code": "PSU-5V", "quantity": 2}],
        **kw,
    }
    return call("post", "/api/v1/returns", user, body, status=201)


def test_a_dealer_sees_only_its_own_returns(w) -> None:  # type: ignore[no-untyped-def]
    mine = new_return(w.dealer_user_a, w.cust_a.id)
    theirs = new_return(w.dealer_user_b, w.cust_b.id, kind="dealer_stock", stock_cause="unsold")
    assert theirs["freight_payer"] == "dealer"
    assert [x["id"] for x in call("get", "/api/v1/returns", w.dealer_user_a)["items"]] == [
        mine["id"]
    ]
    call("get", f"/api/v1/returns/{theirs['id']}", w.dealer_user_a, status=404)
    call(
        "post",
        f"/api/v1/returns/{theirs['id']}/respond",
        w.dealer_user_a,
        {"agree": True},
        status=404,
    )
    staff = call("get", f"/api/v1/returns?dealer_id={w.dealer_b.id}", w.coordinator)
    assert [x["id"] for x in staff["items"]] == [theirs["id"]]


def test_return_through_the_api(w) -> None:  # type: ignore[no-untyped-def]
    r = new_return(w.customer_user_a, None)
    pk = r["id"]
    assert r["customer_id"] == w.cust_a.id
    early = call(
        "post",
        f"/api/v1/returns/{pk}/receive",
        w.warehouse,
        {"counts": {}, "packaging": "intact", "deliverer_name": "张", "deliverer_signed": True},
        status=409,
    )
    assert early["code"] == "invalid_transition"
    call(
        "post",
        f"/api/v1/returns/{pk}/submit",
        w.customer_user_a,
        {"department_ids": [w.sales.id]},
        status=403,
    )
    r = call(
        "post", f"/api/v1/returns/{pk}/submit", w.coordinator, {"department_ids": [w.sales.id]}
    )
    assert r["state"] == "in_approval"
    task = call("get", "/api/v1/approvals/inbox", w.sales_rep)[0]["id"]
    call("post", f"/api/v1/approvals/tasks/{task}/decide", w.sales_rep, {"decision": "approve"})
    task = call("get", "/api/v1/approvals/inbox", w.qcd)[0]["id"]
    call("post", f"/api/v1/approvals/tasks/{task}/decide", w.qcd, {"decision": "approve"})
    r = call(
        "post",
        f"/api/v1/returns/{pk}/attempt",
        w.coordinator,
        {"method": "parts", "accepted": False, "note": "客户坚持退货"},
    )
    line = r["lines"][0]["id"]
    r = call(
        "post",
        f"/api/v1/returns/{pk}/receive",
        w.warehouse,
        {
            "counts": {str(line): 2},
            "packaging": "wet",
            "packaging_note": "外箱淋湿",
            "deliverer_name": "张师傅",
            "deliverer_signed": True,
        },
    )
    assert r["state"] == "received" and any(d["step"] == "inspection" for d in r["deadlines"])
    assert ReturnRequest.objects.get(pk=pk).packaging == "wet"
    rules = call("get", "/api/v1/return-rules", w.customer_user_a)
    assert any(x["name"] == "服装退换规则" and x["period_days"] == 7 for x in rules)
