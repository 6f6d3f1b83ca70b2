"""SPEC §4.7 the closing run every 15 days with a 3-day grace, §4.10 the monthly analysis;
the deadlines' reminders and escalations."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales.approvals.models import Deadline
from aftersales.approvals.services import deadlines, engine
from aftersales.approvals.testing import day
from aftersales.core.errors import ValidationFailed
from aftersales.notifications.models import Notification
from aftersales.parts.models import ClosingItem, ClosingRun
from aftersales.parts.services import analysis, closing, fulfilment, requests
from aftersales.parts.tests.helpers import approved_request, pending_task
from aftersales.parts.tests.test_fulfilment import good_receipt

pytestmark = pytest.mark.django_db


def test_closing_run_on_day_15_lists_open_item_overdue_only_after_day_18(w) -> None:  # type: ignore[no-untyped-def]
    late = approved_request(w, now=day(0))
    requests.release(actor=w.agent, request=late, group="parts_group", now=day(0))
    in_time = approved_request(w, now=day(0))
    requests.release(actor=w.agent, request=in_time, group="purchasing", now=day(0))

    run = closing.run_if_due(day(15))
    assert run is not None and run.number.startswith("SW")
    assert run.grace_until == day(18)
    listed = {i.request_id: i for i in ClosingItem.objects.filter(run=run)}
    assert set(listed) == {late.pk, in_time.pk}
    assert not any(i.overdue for i in listed.values())
    assert run.state == "in_review"

    # the list is approved by 品质办主任 and issued
    engine.decide(actor=w.qd, task=pending_task(run), decision="approve", now=day(15, 11))
    run.refresh_from_db()
    assert run.state == "approved"

    fulfilment.receive(actor=w.team_leader, request=in_time, data=good_receipt(), now=day(16))
    assert closing.enforce(day(17)) == 0
    assert closing.enforce(day(18)) == 0  # the grace runs to the end of day 18's instant
    assert not ClosingItem.objects.filter(overdue=True).exists()
    assert closing.enforce(day(18) + dt.timedelta(minutes=1)) == 1
    item = ClosingItem.objects.get(run=run, request=late)
    assert item.overdue and item.responsible_group == "parts_group"
    settled = ClosingItem.objects.get(run=run, request=in_time)
    assert not settled.overdue and settled.settled_at == day(16)
    assert closing.enforce(day(19)) == 0  # judged once
    assert Notification.objects.filter(key=f"closing:{run.pk}:overdue").exists()


def test_closing_runs_every_15_days(w) -> None:  # type: ignore[no-untyped-def]
    first = closing.run_if_due(day(0))
    assert first is not None
    assert closing.run_if_due(day(14, 23)) is None
    second = closing.run_if_due(day(15))
    assert second is not None and ClosingRun.objects.count() == 2


def test_monthly_analysis_with_review_and_approval(w) -> None:  # type: ignore[no-untyped-def]
    free = approved_request(w, now=day(0))
    charged = approved_request(w, now=day(1))
    from aftersales.parts.models import PartsRequest

    PartsRequest.objects.filter(pk=charged.pk).update(
        cause="customer_damage", charge_type="charged", amount="120.00"
    )
    a = analysis.prepare(actor=w.agent, month=dt.date(2026, 11, 1), now=day(8))
    f = a.figures
    assert f["requests"] == 2 and f["quantity"] == 4
    assert f["free"] == 1 and f["charged"] == 1 and f["charged_amount"] == "120.00"
    assert f["by_cause"] == {"客户自身原因损坏": 1, "工艺技术问题": 1}
    assert f["top_parts"][0]["code"] == "DOOR-01"
    with pytest.raises(ValidationFailed, match="分析总结"):
        analysis.submit(actor=w.agent, analysis=a, now=day(8))
    a = analysis.prepare(
        actor=w.agent, month=dt.date(2026, 11, 1), summary="柜门变形集中", now=day(8)
    )
    analysis.submit(actor=w.agent, analysis=a, now=day(8))
    engine.decide(actor=w.coordinator, task=pending_task(a), decision="approve", now=day(8))
    engine.decide(actor=w.qcd, task=pending_task(a), decision="approve", now=day(9))
    a.refresh_from_db()
    assert a.state == "approved"
    with pytest.raises(ValidationFailed, match="不能重新统计"):
        analysis.prepare(actor=w.agent, month=dt.date(2026, 11, 1), now=day(9))
    assert free.pk


def test_deadline_reminder_before_and_escalation_after_each_once(w) -> None:  # type: ignore[no-untyped-def]
    r = approved_request(w, now=day(0))
    requests.release(actor=w.agent, request=r, group="parts_group", now=day(0))
    production = Deadline.objects.get(object_id=r.pk, step="production")
    assert production.remind_at == day(10)
    assert deadlines.process_due(day(9)) == 0
    assert deadlines.process_due(day(10, 10)) >= 1
    production.refresh_from_db()
    assert production.reminded_at == day(10, 10) and production.escalated_at is None
    assert production.colour(day(10, 10)) == "sla-warn"
    assert Notification.objects.filter(
        key=f"deadline:{production.pk}:remind", recipient=w.team_leader
    ).exists()
    deadlines.process_due(day(13, 10))
    production.refresh_from_db()
    assert production.escalated_at == day(13, 10) and production.colour(day(13, 10)) == "sla-bad"
    escalated = Notification.objects.filter(key=f"deadline:{production.pk}:escalate")
    assert escalated.filter(recipient=w.coordinator).exists()
    count = escalated.count()
    deadlines.process_due(day(14))
    assert Notification.objects.filter(key=f"deadline:{production.pk}:escalate").count() == count
