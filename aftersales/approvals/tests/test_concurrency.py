"""Two approvers clicking the same step at the same moment: one transition, one event."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from aftersales.approvals.models import ApprovalTask
from aftersales.approvals.services import engine
from aftersales.approvals.testing import day
from aftersales.core.errors import Conflict
from aftersales.core.models import AuditEvent
from aftersales.parts.services import requests
from aftersales.parts.tests.helpers import file_request, pending_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvers_on_the_same_step_make_one_transition_and_one_event(w) -> None:  # type: ignore[no-untyped-def]
    r = file_request(w)
    requests.analyse(actor=w.agent, request=r, cause="process", now=day(0))
    requests.confirm(
        actor=w.agent, request=r, committed_date="2026-12-01", note="已确认", now=day(0)
    )
    requests.submit(actor=w.agent, request=r, now=day(0))
    engine.decide(actor=w.coordinator, task=pending_task(r), decision="approve", now=day(0))
    task = pending_task(r)
    # a second 品质办主任
    from aftersales import testing as t

    qd2 = t.user("quality_director", username="qd2")
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def click(user) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            engine.decide(actor=user, task=task.pk, decision="approve", now=day(0, 10))
            results[user.username] = "won"
        except Conflict as exc:
            results[user.username] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(u,)) for u in (w.qd, qd2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert sorted(results.values()) == ["already_decided", "won"]
    r.refresh_from_db()
    assert r.state == "approved"
    transitions = AuditEvent.objects.filter(
        object_id=str(r.pk), verb="approve", action="transition"
    )
    assert transitions.count() == 1
    decisions = AuditEvent.objects.filter(object_id=str(r.pk), verb="approval_approve")
    assert decisions.count() == 2  # the coordinator's review and the one winning approval
    task = ApprovalTask.objects.get(pk=task.pk)
    assert task.state == "approved" and task.decided_by.username == next(
        k for k, v in results.items() if v == "won"
    )
