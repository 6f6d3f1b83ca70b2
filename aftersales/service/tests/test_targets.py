"""10: a major incident owes a solution plan within its policy's time (default 2 h, 7×24),
and a coordinator may judge a normal fault complex, which gives it the policy's working days
(default 3) to be resolved (SPEC §3.3). Both are policy data, audited, role-checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from aftersales import testing as t
from aftersales.core.errors import Conflict, PermissionDenied
from aftersales.core.models import AuditEvent
from aftersales.core.services import update_record
from aftersales.service.models import SlaClock, Ticket
from aftersales.service.services import clocks, lifecycle, targets
from aftersales.service.tests.test_flow_services import new_ticket
from aftersales.sla.models import SlaPolicy, SlaTarget

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH)


def _another(world, description: str, **kw):  # type: ignore[no-untyped-def]
    """A second open ticket on the same screen: a different fault, said so."""
    return new_ticket(
        world,
        description=description,
        allow_duplicate=True,
        different_fault_reason=f"另一故障：{description}",
        **kw,
    )


def _events(ticket: Ticket, verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_id=str(ticket.pk), verb=verb).order_by("at"))


def test_a_major_incident_has_a_two_hour_plan_clock_met_by_the_plan(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world, severity="major", received_at=MONDAY)
    plan = ticket.clocks.get(metric="plan")
    assert (plan.target_minutes, plan.working_time) == (120, False)
    assert plan.due_at == MONDAY + dt.timedelta(hours=2)
    at = MONDAY + dt.timedelta(minutes=50)
    targets.record_solution_plan(
        actor=world.coordinator, ticket=ticket, plan="更换主控板，两人两小时内恢复", now=at
    )
    plan.refresh_from_db()
    assert plan.met_at == at and plan.status == SlaClock.Status.MET
    ticket.refresh_from_db()
    assert ticket.solution_plan_at == at
    # a revision keeps the first plan's time and the clock's result; both are audited
    later = at + dt.timedelta(hours=3)
    targets.record_solution_plan(
        actor=world.manager, ticket=ticket, plan="改为整屏更换备用机", now=later
    )
    ticket.refresh_from_db()
    plan.refresh_from_db()
    assert ticket.solution_plan == "改为整屏更换备用机" and ticket.solution_plan_at == at
    assert plan.met_at == at
    events = _events(ticket, "solution_plan")
    assert [e.actor for e in events] == [world.coordinator, world.manager]
    assert events[1].before["solution_plan"] == "更换主控板，两人两小时内恢复"


def test_no_plan_in_time_is_a_breach_and_normal_tickets_have_no_plan_clock(world) -> None:  # type: ignore[no-untyped-def]
    major = new_ticket(world, severity="major", received_at=MONDAY)
    clocks.process_ticket(major.pk, now=MONDAY + dt.timedelta(minutes=121))
    plan = major.clocks.get(metric="plan")
    assert plan.breach_notified_at is not None and plan.met_at is None
    normal = _another(world, "第二块屏闪烁", received_at=MONDAY)
    assert not normal.clocks.filter(metric="plan").exists()


def test_the_plan_time_is_the_policys(world) -> None:  # type: ignore[no-untyped-def]
    admin = t.user("admin", is_staff=True, is_superuser=True)
    target = SlaTarget.objects.get(policy__code="default", severity="major", metric="plan")
    update_record(target, actor=admin, changes={"amount": 60})
    clocks._POLICIES.clear()
    ticket = new_ticket(world, severity="major", received_at=MONDAY)
    assert ticket.clocks.get(metric="plan").due_at == MONDAY + dt.timedelta(hours=1)


def test_only_coordinators_and_leaders_record_a_plan_and_a_bad_one_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world, severity="major", received_at=MONDAY)
    with pytest.raises(PermissionDenied):
        targets.record_solution_plan(actor=world.agent, ticket=ticket, plan="重启")
    with pytest.raises(PermissionDenied):
        targets.record_solution_plan(actor=world.tech1, ticket=ticket, plan="重启")
    with pytest.raises(Exception, match="解决方案"):
        targets.record_solution_plan(actor=world.coordinator, ticket=ticket, plan="   ")
    ticket.refresh_from_db()
    assert ticket.solution_plan == "" and ticket.solution_plan_at is None
    assert ticket.clocks.get(metric="plan").met_at is None
    assert not _events(ticket, "solution_plan")


def test_resolving_without_a_plan_cancels_the_plan_clock(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world, severity="major", received_at=MONDAY)
    lifecycle.resolve_remotely(actor=world.agent, ticket=ticket, solution="远程切换备用信号源")
    plan = ticket.clocks.get(metric="plan")
    assert plan.status == SlaClock.Status.CANCELLED and plan.next_check_at is None


def test_a_complex_fault_gets_three_working_days_and_its_breach_is_undone(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world, received_at=MONDAY)  # normal: resolution within 1 working day
    resolution = ticket.clocks.get(metric="resolution")
    one_day = resolution.target_minutes
    tuesday = MONDAY + dt.timedelta(days=1, hours=2)
    clocks.process_ticket(ticket.pk, now=tuesday)
    resolution.refresh_from_db()
    assert resolution.breach_notified_at is not None  # due Tuesday 10:00, now 12:00
    targets.mark_complex(
        actor=world.coordinator, ticket=ticket, reason="多模组批量故障，需返厂检测", now=tuesday
    )
    resolution.refresh_from_db()
    assert resolution.target_minutes == 3 * one_day
    assert resolution.due_at == dt.datetime(2026, 11, 26, 10, 0, tzinfo=SH)  # Thursday
    assert resolution.status == SlaClock.Status.RUNNING
    assert resolution.breach_notified_at is None and resolution.next_check_at is not None
    ticket.refresh_from_db()
    assert ticket.complex_at == tuesday
    (event,) = _events(ticket, "mark_complex")
    assert event.actor == world.coordinator
    assert event.before["target_minutes"] == one_day
    assert event.after["target_minutes"] == 3 * one_day
    with pytest.raises(Conflict):
        targets.mark_complex(actor=world.coordinator, ticket=ticket, reason="再次认定")


def test_complex_days_are_policy_data_and_only_normal_faults_qualify(world) -> None:  # type: ignore[no-untyped-def]
    admin = t.user("admin", is_staff=True, is_superuser=True)
    policy = SlaPolicy.objects.get(code="default")
    update_record(policy, actor=admin, changes={"complex_resolution_days": 5})
    clocks._POLICIES.clear()
    ticket = new_ticket(world, received_at=MONDAY)
    targets.mark_complex(actor=world.manager, ticket=ticket, reason="需厂家协同", now=MONDAY)
    resolution = ticket.clocks.get(metric="resolution")
    assert resolution.due_at == dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH)  # next Monday
    major = _another(world, "整屏黑屏", severity="major", received_at=MONDAY)
    with pytest.raises(Conflict, match="一般故障"):
        targets.mark_complex(actor=world.coordinator, ticket=major, reason="复杂")
    other = _another(world, "另一处色差", received_at=MONDAY)
    with pytest.raises(PermissionDenied):
        targets.mark_complex(actor=world.agent, ticket=other, reason="复杂")
    assert Ticket.objects.get(pk=other.pk).complex_at is None


def test_api_and_page_offer_both_with_column_lengths(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.accounts.services import issue_token

    major = new_ticket(world, severity="major", received_at=MONDAY)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=world.coordinator)[1]}")
    url = f"/api/v1/tickets/{major.pk}/solution-plan"
    too_long = api.post(url, {"plan": "长" * 2001}, content_type="application/json")
    assert too_long.status_code == 422
    assert Ticket.objects.get(pk=major.pk).solution_plan == ""
    outsider = t.user("customer", org=t.customer())
    foreign = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=outsider)[1]}")
    assert foreign.post(url, {"plan": "x"}, content_type="application/json").status_code == 404
    ok = api.post(url, {"plan": "调备用屏"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["solution_plan"] == "调备用屏"
    normal = _another(world, "局部花屏", received_at=MONDAY)
    resp = api.post(
        f"/api/v1/tickets/{normal.pk}/complex",
        {"reason": "长" * 201},
        content_type="application/json",
    )
    assert resp.status_code == 422
    resp = api.post(
        f"/api/v1/tickets/{normal.pk}/complex",
        {"reason": "需返厂"},
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["complex_at"] is not None

    web = Client()
    web.force_login(world.coordinator)
    page = web.get(reverse("service:ticket_detail", args=[major.pk])).content.decode()
    assert 'data-action="solution_plan"' in page and 'maxlength="2000"' in page
    assert "调备用屏" in page
    page = web.get(reverse("service:ticket_detail", args=[normal.pk])).content.decode()
    assert 'data-action="complex"' not in page  # already complex
    fresh = _another(world, "控制卡报警", received_at=MONDAY)
    page = web.get(reverse("service:ticket_detail", args=[fresh.pk])).content.decode()
    assert 'data-action="complex"' in page and 'maxlength="200"' in page
    resp = web.post(
        reverse("service:ticket_action", args=[fresh.pk, "complex"]), {"reason": "线路复杂"}
    )
    assert resp.status_code == 302
    assert Ticket.objects.get(pk=fresh.pk).complex_reason == "线路复杂"
    agent = Client()
    agent.force_login(world.agent)
    page = agent.get(reverse("service:ticket_detail", args=[fresh.pk])).content.decode()
    assert 'data-action="solution_plan"' not in page and 'data-action="complex"' not in page
