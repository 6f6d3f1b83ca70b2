"""9#13: a callback with no preset scores and a 「联系不上」 outcome — counted, retried after
the policy's interval, ended after its last allowed attempt (the ticket may then close);
the customer's survey link does not thank him for a rating an agent recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aftersales import testing as t
from aftersales.core.errors import Conflict
from aftersales.core.models import AuditEvent
from aftersales.core.services import update_record
from aftersales.service.models import Callback, TicketState
from aftersales.service.services import callbacks, lifecycle
from aftersales.service.tests.test_flow_services import new_ticket

pytestmark = pytest.mark.django_db


def _admin():  # type: ignore[no-untyped-def]
    return t.user("admin", is_staff=True, is_superuser=True)


def _resolved(world):  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    lifecycle.resolve_remotely(actor=world.agent, ticket=ticket, solution="远程重启控制器")
    ticket.refresh_from_db()
    assert ticket.sla_policy is not None
    return ticket


def test_unreachable_is_retried_then_ends_and_lets_the_ticket_close(world) -> None:  # type: ignore[no-untyped-def]
    ticket = _resolved(world)
    update_record(
        ticket.sla_policy,
        actor=_admin(),
        changes={"callback_retry_hours": 4, "callback_max_attempts": 2},
    )
    ticket.refresh_from_db()
    cb = ticket.callbacks.get()
    now = timezone.now()
    cb = callbacks.record_unreachable(actor=world.agent, callback=cb, note="无人接听", now=now)
    assert (cb.state, cb.attempts, cb.last_attempt_note) == ("due", 1, "无人接听")
    assert cb.next_attempt_at == now + dt.timedelta(hours=4)
    assert cb.due_date == timezone.localtime(cb.next_attempt_at).date()
    assert cb.attitude is None and cb.score is None  # nothing scored for the customer
    with pytest.raises(Conflict):
        lifecycle.close(actor=world.agent, ticket=ticket)
    cb = callbacks.record_unreachable(actor=world.agent, callback=cb, note="关机")
    assert (cb.state, cb.attempts, cb.next_attempt_at) == ("unreachable", 2, None)
    assert cb.done_by == world.agent and cb.done_at is not None
    with pytest.raises(Conflict):
        callbacks.record_unreachable(actor=world.agent, callback=cb)
    events = AuditEvent.objects.filter(verb="callback_unreachable", object_id=str(cb.pk))
    assert [(e.from_state, e.to_state) for e in events.order_by("id")] == [
        ("due", "due"),
        ("due", "unreachable"),
    ]
    lifecycle.close(actor=world.agent, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED
    close = AuditEvent.objects.filter(object_id=str(ticket.pk), to_state="closed").get()
    assert close.reason == "回访联系不上（2次）"


def test_an_unreached_customer_may_still_rate_through_the_link(world) -> None:  # type: ignore[no-untyped-def]
    ticket = _resolved(world)
    update_record(ticket.sla_policy, actor=_admin(), changes={"callback_max_attempts": 1})
    cb = callbacks.record_unreachable(actor=world.agent, callback=ticket.callbacks.get())
    assert cb.state == "unreachable"
    form = {"attitude": "4", "quality": "5", "solved": "1", "score": "4"}
    html = Client().post(reverse("service:survey", args=[cb.survey_token]), form).content.decode()
    assert "感谢您的评价" in html
    cb.refresh_from_db()
    assert (cb.state, cb.channel, cb.score) == ("done", "link", 4)


def test_the_survey_link_does_not_thank_for_a_rating_an_agent_made(world) -> None:  # type: ignore[no-untyped-def]
    ticket = _resolved(world)
    cb = ticket.callbacks.get()
    callbacks.record_result(
        actor=world.agent, callback=cb, attitude=5, quality=5, solved=True, score=5
    )
    html = Client().get(reverse("service:survey", args=[cb.survey_token])).content.decode()
    assert "感谢您的评价" not in html
    assert 'data-testid="survey-recorded"' in html and "我们已电话回访并记录了您的意见" in html


def test_the_agent_form_presets_no_score_and_offers_unreachable(world) -> None:  # type: ignore[no-untyped-def]
    ticket = _resolved(world)
    cb = ticket.callbacks.get()
    c = Client()
    c.force_login(world.agent)
    html = c.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    for name in ("attitude", "quality", "score", "solved"):
        assert f'<select name="{name}" required><option value="">请选择</option>' in html
    assert reverse("service:callback_unreachable", args=[cb.pk]) in html
    c.post(reverse("service:callback_result", args=[cb.pk]), {"channel": "phone"})
    cb.refresh_from_db()
    assert cb.state == "due" and cb.score is None
    c.post(reverse("service:callback_unreachable", args=[cb.pk]), {"note": "空号"})
    cb.refresh_from_db()
    assert (cb.attempts, cb.last_attempt_note) == (1, "空号")
    html = c.get(reverse("service:ticket_detail", args=[ticket.pk])).content.decode()
    assert "已联系不上 1 次（空号）" in html


def test_the_callback_day_and_the_api_follow_the_policy_and_visibility(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.accounts.services import issue_token

    ticket = new_ticket(world)
    update_record(ticket.sla_policy, actor=_admin(), changes={"callback_after_days": 3})
    lifecycle.resolve_remotely(actor=world.agent, ticket=ticket, solution="远程重启控制器")
    cb = ticket.callbacks.get()
    assert cb.due_date == timezone.localdate() + dt.timedelta(days=3)
    other = t.user("customer", org=t.customer())
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=other)[1]}")
    url = f"/api/v1/callbacks/{cb.pk}/unreachable"
    resp = api.post(url, {"note": "x"}, content_type="application/json")
    assert resp.status_code == 404
    agent = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=world.agent)[1]}")
    resp = agent.post(url, {"note": "占线"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["attempts"] == 1
    long = agent.post(url, {"note": "长" * 201}, content_type="application/json")
    assert long.status_code == 422
    assert Callback.objects.get(pk=cb.pk).attempts == 1
