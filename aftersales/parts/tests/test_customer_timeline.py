"""9#3: a customer (or a dealer) sees only the customer-facing milestones of a parts request
— not the audit trail, not the approval comments, not the failed inspection's details."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.accounts.services import issue_token
from aftersales.approvals.services import engine
from aftersales.parts.services import fulfilment, requests
from aftersales.parts.tests.helpers import file_request, pending_task
from aftersales.parts.tests.test_fulfilment import good_receipt

pytestmark = pytest.mark.django_db

SECRETS = ("内部：成本核算偏高", "无驻补配组质检员检验合格章", "补件原因分析", "审批通过", "agent")


def _request_with_internal_history(w: Any) -> Any:
    now = timezone.now()
    r = file_request(w, actor=w.customer_user_a, now=now)
    requests.analyse(actor=w.agent, request=r, cause="process", now=now)
    requests.confirm(
        actor=w.agent,
        request=r,
        committed_date=timezone.localdate(now) + timezone.timedelta(days=15),
        note="已电话确认",
        now=now,
    )
    requests.submit(actor=w.agent, request=r, now=now)
    engine.decide(
        actor=w.coordinator,
        task=pending_task(r),
        decision="approve",
        comment="内部：成本核算偏高",
        now=now,
    )
    engine.decide(actor=w.qd, task=pending_task(r), decision="approve", now=now)
    requests.release(actor=w.agent, request=r, group="parts_group", now=now)
    fulfilment.receive(
        actor=w.team_leader, request=r, data=good_receipt(inspector_stamp=False), now=now
    )
    return r


def _api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=user)[1]}")


def test_the_customer_and_the_dealer_see_milestones_only(w) -> None:  # type: ignore[no-untyped-def]
    r = _request_with_internal_history(w)
    for user in (w.customer_user_a, w.dealer_user_a):
        body = _api(user).get(f"/api/v1/parts/requests/{r.pk}").json()
        assert [e["action"] for e in body["timeline"]] == [
            "补件申请已提交",
            "已与您确认交付日期",
            "已安排生产",
        ]
        assert all(e["reason"] == "" and e["payload"] == {} for e in body["timeline"])
        assert body["approvals"] == []
        assert {d["step"] for d in body["deadlines"]} == {"delivery"}  # his promised date
        c = Client()
        c.force_login(user)
        html = c.get(f"/parts/requests/{r.pk}/").content.decode()
        assert "已安排生产" in html
        for secret in SECRETS:
            assert secret not in html, (user, secret)


def test_staff_still_see_everything(w) -> None:  # type: ignore[no-untyped-def]
    r = _request_with_internal_history(w)
    body = _api(w.coordinator).get(f"/api/v1/parts/requests/{r.pk}").json()
    assert len(body["timeline"]) > 3 and body["approvals"]
    c = Client()
    c.force_login(w.coordinator)
    html = c.get(f"/parts/requests/{r.pk}/").content.decode()
    assert "内部：成本核算偏高" in html and "无驻补配组质检员检验合格章" in html
