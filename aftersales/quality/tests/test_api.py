"""The complaints API: status codes, Chinese errors with machine codes, a dealer sees only
its own complaints (others' 404), a customer never sees the internal investigation."""

from __future__ import annotations

import json

import pytest

from aftersales.approvals.testing import day
from aftersales.parts.tests.test_api import call
from aftersales.quality.models import Complaint
from aftersales.quality.tests.helpers import investigate, register

pytestmark = pytest.mark.django_db

SECRET_CAUSE = "内部原因：SMT-2线焊接温度漂移"


def new(user, **kw):  # type: ignore[no-untyped-def]
    body = {"category": "quality_defect", "description": "屏体闪烁", **kw}
    return call("post", "/api/v1/complaints", user, body, status=201)


def test_a_dealer_sees_only_its_own_complaints(w) -> None:  # type: ignore[no-untyped-def]
    mine = new(w.dealer_user_a, customer_id=w.cust_a.id)
    theirs = new(w.dealer_user_b, customer_id=w.cust_b.id)
    assert mine["channel"] == "dealer" and mine["complainant"] == "dealer"
    assert [x["id"] for x in call("get", "/api/v1/complaints", w.dealer_user_a)["items"]] == [
        mine["id"]
    ]
    call("get", f"/api/v1/complaints/{theirs['id']}", w.dealer_user_a, status=404)
    call(
        "post",
        f"/api/v1/complaints/{theirs['id']}/cancel",
        w.dealer_user_a,
        {"reason": "x"},
        status=404,
    )
    staff = call("get", f"/api/v1/complaints?dealer_id={w.dealer_b.id}", w.coordinator)
    assert [x["id"] for x in staff["items"]] == [theirs["id"]]
    # a dealer cannot register for another dealer's customer
    call(
        "post",
        "/api/v1/complaints",
        w.dealer_user_a,
        {"category": "other", "description": "x", "customer_id": w.cust_b.id},
        status=404,
    )


def test_a_customer_never_sees_the_internal_investigation(w) -> None:  # type: ignore[no-untyped-def]
    c = register(w, staff_member_id=w.engineer.id, person_issue="rudeness")
    investigate(w, c, "minor", cause=SECRET_CAUSE, person_accountable=True)
    staff = call("get", f"/api/v1/complaints/{c.pk}", w.coordinator)
    assert staff["internal"]["cause"] == SECRET_CAUSE
    assert staff["internal"]["staff_member_name"] == "王工"
    assert any(e["verb"] == "investigate" for e in staff["timeline"])
    own = call("get", f"/api/v1/complaints/{c.pk}", w.customer_user_a)
    text = json.dumps(own, ensure_ascii=False)
    assert own["internal"] is None and own["approvals"] == []
    for secret in (SECRET_CAUSE, "SMT-2", "张三", "王工", "工艺技术部", "B2026-11"):
        assert secret not in text
    assert [e["action"] for e in own["timeline"]] == ["投诉已登记", "已完成调查"]
    assert all(e["actor"] in ("售后服务部", str(w.customer_user_a)) for e in own["timeline"])
    assert [d["step"] for d in own["deadlines"]] == ["reply"]
    listed = call("get", "/api/v1/complaints", w.customer_user_a)
    assert SECRET_CAUSE not in json.dumps(listed, ensure_ascii=False)


def test_bad_input_is_a_chinese_error_and_writes_nothing(w) -> None:  # type: ignore[no-untyped-def]
    base = {"description": "漏水", "customer_id": w.cust_a.id}
    err = call("post", "/api/v1/complaints", w.agent, base, status=422)
    assert "请选择投诉类别" in err["message"]
    err = call(
        "post",
        "/api/v1/complaints",
        w.agent,
        {**base, "category": "quality_defect", "quantity": 2, "defective_quantity": 3},
        status=422,
    )
    assert err["message"] == "不良数量（3）不能大于数量（2）"
    err = call(
        "post",
        "/api/v1/complaints",
        w.agent,
        {**base, "category": "quality_defect", "part_code": "XX-404"},
        status=422,
    )
    assert err["message"] == "配件编码「XX-404」不存在" and err["field"] == "part_code"
    assert Complaint.objects.count() == 0


def test_the_flow_through_the_api(w) -> None:  # type: ignore[no-untyped-def]
    c = new(w.agent, customer_id=w.cust_a.id, channel="letter")
    pk = c["id"]
    assert c["number"].startswith("TS") and "investigate" not in c["allowed_actions"]
    early = call(
        "post",
        f"/api/v1/complaints/{pk}/reply",
        w.agent,
        {"text": "已收到", "replied_at": "2020-01-01T09:00:00+08:00"},
        status=422,
    )
    assert early["message"] == "答复时间不能早于投诉登记时间"
    r = call("post", f"/api/v1/complaints/{pk}/reply", w.agent, {"text": "已收到，24小时内处理"})
    assert r["reply_text"].startswith("已收到") and r["deadlines"][0]["status"] == "按时完成"
    call(
        "post",
        f"/api/v1/complaints/{pk}/investigate",
        w.customer_user_a,
        {"cause": "x", "severity": "minor"},
        status=403,
    )
    r = call(
        "post",
        f"/api/v1/complaints/{pk}/investigate",
        w.qd,
        {"cause": "安装不规范", "severity": "serious", "responsible_department_id": w.tech.id},
    )
    assert r["state"] == "investigated" and r["internal"]["severity"] == "serious"
    refused = call(
        "post", f"/api/v1/complaints/{pk}/feed-back", w.agent, {"feedback": "好了"}, status=422
    )
    assert "须经处理单部门审批" in refused["message"]
    r = call(
        "post",
        f"/api/v1/complaints/{pk}/handling",
        w.coordinator,
        {
            "measures_production": "无",
            "measures_technical": "重新培训安装",
            "solution": "免费重新安装",
            "department_ids": [w.sales.id],
        },
    )
    assert r["state"] == "in_approval"
    for user in (w.sales_rep, w.qd):
        task = call("get", "/api/v1/approvals/inbox", user)[0]["id"]
        call("post", f"/api/v1/approvals/tasks/{task}/decide", user, {"decision": "approve"})
    r = call("post", f"/api/v1/complaints/{pk}/close", w.agent, {"feedback": "已重新安装"})
    assert r["state"] == "closed" and r["closed_at"] is not None
    assert len(r["approvals"]) == 1
    assert day(0)  # the scenario clock is only used by the service-level tests
