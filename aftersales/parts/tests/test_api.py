"""The parts and approvals API: status codes, Chinese errors, row-level visibility (a dealer
sees only its own requests; others' answer 404), the approvals inbox and decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.accounts.services import issue_token
from aftersales.parts.models import PartsRequest

pytestmark = pytest.mark.django_db


def auth(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, key = issue_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(method: str, url: str, user, body=None, status: int = 200):  # type: ignore[no-untyped-def]
    c = Client()
    fn = getattr(c, method)
    headers = auth(user)
    resp = (
        fn(url, body, content_type="application/json", **headers)
        if body is not None
        else fn(url, **headers)
    )
    assert resp.status_code == status, (url, resp.status_code, resp.content.decode())
    return resp.json()


def new_request(w, user, customer_id, **kw):  # type: ignore[no-untyped-def]
    body = {
        "reason": "模组运输损坏",
        "customer_id": customer_id,
        "lines": [{"part_code": "PSU-5V", "quantity": 1}],
        **kw,
    }
    return call("post", "/api/v1/parts/requests", user, body, status=201)


def test_request_through_the_api_to_release(w) -> None:  # type: ignore[no-untyped-def]
    r = new_request(w, w.dealer_user_a, w.cust_a.id)
    assert r["number"].startswith("BJ") and r["source"] == "dealer"
    assert r["allowed_actions"] == ["cancel"]
    pk = r["id"]
    bad = call(
        "post",
        f"/api/v1/parts/requests/{pk}/analyse",
        w.agent,
        {"cause": "customer_damage", "amount": "1,000"},
        status=422,
    )
    assert (
        bad["code"] == "validation_failed" and "逗号" in bad["message"] and bad["field"] == "amount"
    )
    r = call(
        "post",
        f"/api/v1/parts/requests/{pk}/analyse",
        w.agent,
        {"cause": "customer_damage", "amount": "1000"},
    )
    assert (r["charge_type"], r["amount"]) == ("charged", "1000.00")
    today = timezone.localdate()
    late = call(
        "post",
        f"/api/v1/parts/requests/{pk}/confirm",
        w.agent,
        {"committed_date": str(today + dt.timedelta(days=16)), "note": "电话确认"},
        status=422,
    )
    assert "最长不超过15天" in late["message"]
    call(
        "post",
        f"/api/v1/parts/requests/{pk}/confirm",
        w.agent,
        {"committed_date": str(today + dt.timedelta(days=15)), "note": "电话确认"},
    )
    r = call("post", f"/api/v1/parts/requests/{pk}/submit", w.agent, {})
    assert r["state"] == "in_review" and r["approvals"][0]["tasks"][0]["state"] == "pending"
    # release before approval: 409 with a Chinese message
    refused = call(
        "post",
        f"/api/v1/parts/requests/{pk}/release",
        w.agent,
        {"group": "parts_group"},
        status=409,
    )
    assert refused["code"] == "invalid_transition" and "审批中" in refused["message"]
    inbox = call("get", "/api/v1/approvals/inbox", w.coordinator)
    assert [t["document_number"] for t in inbox] == [r["number"]]
    assert call("get", "/api/v1/approvals/inbox", w.qd) == []
    task = inbox[0]["id"]
    denied = call(
        "post", f"/api/v1/approvals/tasks/{task}/decide", w.qd, {"decision": "approve"}, status=403
    )
    assert denied["code"] == "permission_denied"
    call(
        "post",
        f"/api/v1/approvals/tasks/{task}/decide",
        w.coordinator,
        {"decision": "approve", "comment": "属实"},
    )
    again = call(
        "post",
        f"/api/v1/approvals/tasks/{task}/decide",
        w.coordinator2,
        {"decision": "approve"},
        status=409,
    )
    assert again["code"] == "already_decided"
    task2 = call("get", "/api/v1/approvals/inbox", w.qd)[0]["id"]
    call("post", f"/api/v1/approvals/tasks/{task2}/decide", w.qd, {"decision": "approve"})
    r = call("post", f"/api/v1/parts/requests/{pk}/release", w.agent, {"group": "parts_group"})
    assert r["state"] == "in_production"
    assert {d["step"] for d in r["deadlines"]} >= {"delivery", "production"}
    assert [e["verb"] for e in r["timeline"]][:2] == ["create", "analyse"]
    assert [a["state"] for a in r["approvals"]] == ["approved"]


def test_a_dealer_sees_only_its_own_requests(w) -> None:  # type: ignore[no-untyped-def]
    mine = new_request(w, w.dealer_user_a, w.cust_a.id)
    theirs = new_request(w, w.dealer_user_b, w.cust_b.id)
    listed = call("get", "/api/v1/parts/requests", w.dealer_user_a)
    assert [x["id"] for x in listed["items"]] == [mine["id"]]
    missing = call("get", f"/api/v1/parts/requests/{theirs['id']}", w.dealer_user_a, status=404)
    assert missing["code"] == "not_found"
    call(
        "post",
        f"/api/v1/parts/requests/{theirs['id']}/cancel",
        w.dealer_user_a,
        {"reason": "误报"},
        status=404,
    )
    # nor can it file for another dealer's customer
    call(
        "post",
        "/api/v1/parts/requests",
        w.dealer_user_a,
        {
            "reason": "x",
            "customer_id": w.cust_b.id,
            "lines": [{"part_code": "PSU-5V", "quantity": 1}],
        },
        status=404,
    )
    # the customer portal user sees its own customer's requests only
    assert [x["id"] for x in call("get", "/api/v1/parts/requests", w.customer_user_a)["items"]] == [
        mine["id"]
    ]
    # company staff see both, and filter by dealer
    staff = call("get", f"/api/v1/parts/requests?dealer_id={w.dealer_b.id}", w.agent)
    assert [x["id"] for x in staff["items"]] == [theirs["id"]]
    call(
        "post", f"/api/v1/parts/requests/{theirs['id']}/cancel", w.dealer_user_b, {"reason": "误报"}
    )
    assert PartsRequest.objects.get(pk=theirs["id"]).state == "cancelled"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"lines": [{"part_code": "PSU-5V", "quantity": -1}]}, "正整数"),
        ({"lines": [{"part_code": "GHOST", "quantity": 1}]}, "配件编码「GHOST」不存在"),
        ({"reason": "", "lines": [{"part_code": "PSU-5V", "quantity": 1}]}, "请填写补件原因"),
    ],
)
def test_bad_input_through_the_api(w, body, message) -> None:  # type: ignore[no-untyped-def]
    payload = {"reason": "损坏", "customer_id": w.cust_a.id, **body}
    err = call("post", "/api/v1/parts/requests", w.agent, payload, status=422)
    assert message in err["message"]
    assert PartsRequest.objects.count() == 0


def test_overdue_filter_and_the_closing_and_ledger_endpoints(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.parts.services import requests
    from aftersales.parts.tests.helpers import approved_request

    past = timezone.now() - dt.timedelta(days=20)
    r = approved_request(w, now=past)
    requests.release(actor=w.agent, request=r, group="parts_group", now=past)
    fresh = new_request(w, w.agent, w.direct.id)
    overdue = call("get", "/api/v1/parts/requests?overdue=true", w.agent)
    assert [x["id"] for x in overdue["items"]] == [r.pk]
    assert fresh["id"] not in [x["id"] for x in overdue["items"]]
    run = call("post", "/api/v1/parts/closing-runs", w.team_leader, {}, status=201)
    assert [i["request_id"] for i in run["items"]] == [r.pk]
    call("post", "/api/v1/parts/closing-runs", w.dealer_user_a, {}, status=403)
    assert call("get", "/api/v1/parts/borrowings", w.team_leader)["items"] == []
    assert call("get", "/api/v1/parts/borrowings", w.dealer_user_a)["items"] == []
