"""SPEC §4.1–4.2: request → analysis → phone confirmation → review and approval → release."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.approvals.models import ApprovalRequest, Deadline
from aftersales.approvals.services import engine
from aftersales.approvals.testing import day
from aftersales.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.notifications.models import Notification
from aftersales.parts.models import PartsRequest, PartsRequestLine
from aftersales.parts.services import requests
from aftersales.parts.tests.helpers import approved_request, file_request, pending_task

pytestmark = pytest.mark.django_db


def test_request_gets_a_bj_number_and_its_lines(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w, now=day(0))
    assert r.number == "BJ20261123-0001"
    assert r.state == "requested" and r.source == "agent"
    assert r.dealer_id == w.dealer_a.id  # the customer's dealer
    assert [(ln.part.code, ln.quantity) for ln in r.lines.all()] == [("DOOR-01", 2)]
    assert AuditEvent.objects.filter(object_id=str(r.pk), action="create").exists()
    assert file_request(w, now=day(0)).number == "BJ20261123-0002"


def test_dealer_files_for_its_own_customer(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w, actor=w.dealer_user_a)
    assert r.source == "dealer" and r.dealer_id == w.dealer_a.id


def test_analysis_quality_cause_is_free(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w)
    r = requests.analyse(actor=w.agent, request=r, cause="material", now=day(0))
    assert (r.state, r.charge_type, r.amount) == ("analysed", "free", None)


def test_analysis_customer_cause_is_charged_with_amount(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w)
    r = requests.analyse(
        actor=w.agent, request=r, cause="customer_damage", amount="1000.50", now=day(0)
    )
    assert (r.charge_type, r.amount) == ("charged", Decimal("1000.50"))
    with pytest.raises(ValidationFailed, match="收费金额"):
        requests.analyse(actor=w.agent, request=r, cause="expired", amount=None, now=day(0))


def test_phone_confirmation_commits_a_date_at_most_15_days_ahead(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w)
    requests.analyse(actor=w.agent, request=r, cause="process", now=day(0))
    with pytest.raises(ValidationFailed, match="最长不超过15天"):
        requests.confirm(
            actor=w.agent,
            request=r,
            committed_date=dt.date(2026, 12, 9),  # 16 days after 23 Nov
            note="电话确认",
            now=day(0),
        )
    r.refresh_from_db()
    assert r.state == "analysed" and r.committed_date is None
    r = requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-08", note="电话确认", now=day(0)
    )
    assert r.state == "confirmed" and r.committed_date == dt.date(2026, 12, 8)
    delivery = Deadline.objects.get(object_id=r.pk, step="delivery")
    assert delivery.due_at == dt.datetime(2026, 12, 9, 0, 0, tzinfo=day(0).tzinfo)
    # the confirmed request goes back to the customer (portal user of 杭州客户)
    assert Notification.objects.filter(
        key__startswith=f"parts:{r.pk}:confirmed", recipient=w.customer_user_a
    ).exists()


def test_the_longest_promise_is_the_administrators_rule(w) -> None:  # type: ignore[no-untyped-def]
    """时限规则 ``parts.promise_max`` (default 15 days) bounds the committed date."""
    from aftersales.approvals.testing import edit_rule

    edit_rule("parts.promise_max", amount=20)
    r = file_request(w)
    requests.analyse(actor=w.agent, request=r, cause="process", now=day(0))
    with pytest.raises(ValidationFailed, match="最长不超过20天"):
        requests.confirm(
            actor=w.agent, request=r, committed_date="2026-12-14", note="电话", now=day(0)
        )
    r = requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-09", note="电话", now=day(0)
    )
    assert r.committed_date == dt.date(2026, 12, 9)  # 16 days: refused under the default


def test_not_released_without_both_review_and_approval(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w)
    requests.analyse(actor=w.agent, request=r, cause="process", now=day(0))
    with pytest.raises(InvalidTransition):
        requests.release(actor=w.agent, request=r, group="parts_group", now=day(0))
    requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-01", note="已确认", now=day(0)
    )
    requests.submit(actor=w.agent, request=r, now=day(0))
    with pytest.raises(InvalidTransition):
        requests.release(actor=w.agent, request=r, group="parts_group", now=day(0))
    # reviewed by 售后主办 only: still not released
    engine.decide(actor=w.coordinator, task=pending_task(r), decision="approve", now=day(0))
    r.refresh_from_db()
    assert r.state == "in_review"
    with pytest.raises(InvalidTransition):
        requests.release(actor=w.agent, request=r, group="parts_group", now=day(0))
    engine.decide(actor=w.qd, task=pending_task(r), decision="approve", now=day(0, 10))
    r.refresh_from_db()
    assert r.state == "approved"
    r = requests.release(
        actor=w.agent, request=r, group="parts_group", now=day(1), confirm_late=True
    )
    assert r.state == "in_production" and r.responsible_group == "parts_group"
    assert r.production_due_at == day(13)  # 12-day production cycle
    assert Deadline.objects.get(object_id=r.pk, step="production").due_at == day(13)


def test_the_state_cannot_be_moved_around_the_engine(w) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from aftersales.parts.services.base import lock_request, move

    r = file_request(w)
    requests.analyse(actor=w.agent, request=r, cause="process", now=day(0))
    requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-01", note="已确认", now=day(0)
    )
    requests.submit(actor=w.agent, request=r, now=day(0))
    with pytest.raises(PermissionDenied, match="只能由审批流程完成"), transaction.atomic():
        move(lock_request(r), "approve", actor=w.qd, now=day(0))


def test_returned_for_changes_then_resubmitted_keeps_history(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w)
    requests.analyse(actor=w.agent, request=r, cause="process", now=day(0))
    requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-01", note="已确认", now=day(0)
    )
    requests.submit(actor=w.agent, request=r, now=day(0))
    with pytest.raises(ValidationFailed, match="须填写意见"):
        engine.decide(actor=w.coordinator, task=pending_task(r), decision="return", now=day(0))
    engine.decide(
        actor=w.coordinator,
        task=pending_task(r),
        decision="return",
        comment="原因写清楚",
        now=day(0),
    )
    r.refresh_from_db()
    assert r.state == "returned"
    requests.analyse(actor=w.agent, request=r, cause="customer_damage", amount="80", now=day(0))
    requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-01", note="再次确认", now=day(0)
    )
    requests.submit(actor=w.agent, request=r, now=day(0))
    rounds = ApprovalRequest.objects.filter(object_id=r.pk).order_by("round")
    assert [(x.round, x.state) for x in rounds] == [(1, "returned"), (2, "pending")]


def test_rejection_ends_the_request(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w)
    requests.analyse(actor=w.agent, request=r, cause="process", now=day(0))
    requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-01", note="已确认", now=day(0)
    )
    requests.submit(actor=w.agent, request=r, now=day(0))
    engine.decide(actor=w.coordinator, task=pending_task(r), decision="approve", now=day(0))
    engine.decide(
        actor=w.qd, task=pending_task(r), decision="reject", comment="非我司产品", now=day(0)
    )
    r.refresh_from_db()
    assert r.state == "rejected"


def test_approved_request_notifies_and_can_be_delivered(w) -> None:  # type: ignore[no-untyped-def]
    r = approved_request(w)
    assert Notification.objects.filter(key=f"parts:{r.pk}:approved", recipient=w.agent).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": [requests.LineInput(part_code="DOOR-01", quantity=-1)]}, "正整数"),
        ({"lines": [requests.LineInput(part_code="DOOR-01", quantity="0")]}, "正整数"),
        (
            {"lines": [requests.LineInput(part_code="NOPE-9", quantity=1)]},
            "配件编码「NOPE-9」不存在",
        ),
        ({"reason": "  "}, "请填写补件原因"),
        ({"lines": []}, "请至少填写一项补件"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(w, change, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match=message):
        file_request(w, **change)
    assert PartsRequest.objects.count() == 0
    assert PartsRequestLine.objects.count() == 0


def test_amount_with_a_comma_is_refused_and_nothing_changes(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w)
    with pytest.raises(ValidationFailed, match="含逗号") as err:
        requests.analyse(
            actor=w.agent, request=r, cause="customer_damage", amount="1,000", now=day(0)
        )
    assert err.value.field == "amount"
    r.refresh_from_db()
    assert (r.state, r.charge_type, r.amount) == ("requested", "", None)
    with pytest.raises(ValidationFailed, match="负数"):
        requests.analyse(actor=w.agent, request=r, cause="customer_damage", amount="-5", now=day(0))


def test_roles_outside_the_table_are_refused(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w)
    with pytest.raises(PermissionDenied):
        requests.analyse(actor=w.warehouse, request=r, cause="process", now=day(0))
    requests.analyse(actor=w.agent, request=r, cause="process", now=day(0))
    requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-01", note="已确认", now=day(0)
    )
    requests.submit(actor=w.agent, request=r, now=day(0))
    # 品质办主任 cannot take the 售后主办 review step, nor the reverse
    with pytest.raises(PermissionDenied):
        engine.decide(actor=w.qd, task=pending_task(r), decision="approve", now=day(0))
    engine.decide(actor=w.coordinator, task=pending_task(r), decision="approve", now=day(0))
    for outsider in (w.coordinator2, w.qcd, w.manager):
        with pytest.raises(PermissionDenied):
            engine.decide(actor=outsider, task=pending_task(r), decision="approve", now=day(0))
    # another organisation gets the answer of a missing task (no existence oracle, 8#15)
    with pytest.raises(NotFound, match="审批任务不存在"):
        engine.decide(actor=w.dealer_user_a, task=pending_task(r), decision="approve", now=day(0))


def test_request_from_a_service_ticket_of_the_same_customer(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.service.models import Ticket

    ticket = Ticket.objects.create(
        number="BX20261123-0001",
        channel="phone",
        customer=w.cust_a,
        contact_name="王经理",
        contact_phone="13800138000",
        description="柜门变形",
    )
    r = file_request(w, ticket_id=ticket.pk)
    assert r.ticket_id == ticket.pk and list(ticket.parts_requests.all()) == [r]
    with pytest.raises(ValidationFailed, match="报修单与客户不一致"):
        file_request(w, ticket_id=ticket.pk, customer_id=w.direct.id)
