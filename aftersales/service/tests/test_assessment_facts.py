"""Facts counted on a person (SPEC §3.5, §3.6, §8), recorded by the service flow: late report
filing, repeat repair, late arrival, refused dispatch, responsibility for a dissatisfied
callback — each once, with an audit row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.service.models import WorkOrder
from aftersales.service.services import callbacks, dispatch, lifecycle, reports
from aftersales.service.tests.test_flow_services import new_ticket
from aftersales.staff import selectors as staff_selectors
from aftersales.staff.models import AssessmentFact, FactKind

pytestmark = pytest.mark.django_db


def _complete_report(tech, wo):  # type: ignore[no-untyped-def]
    reports.save(
        actor=tech,
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="黑屏",
            cause="电源老化",
            cause_class="material",
            fault_category="模组故障",
            responsibility="product",
            actions="更换电源",
            no_parts_used=True,
            customer_opinion="满意",
            remote=True,
        ),
    )


def _visit(w, ticket, tech):  # type: ignore[no-untyped-def]
    wo = dispatch.dispatch(actor=w.coordinator, ticket=ticket, technician_ids=[tech.id])
    dispatch.accept(actor=tech, work_order=wo)
    dispatch.check_in(actor=tech, work_order=wo)
    dispatch.check_out(actor=tech, work_order=wo, reason="report_later")
    return wo


def test_late_filing_and_repeat_repair_are_facts_on_the_right_people(world) -> None:  # type: ignore[no-untyped-def]
    first = new_ticket(world)
    wo1 = _visit(world, first, world.tech1)
    WorkOrder.objects.filter(pk=wo1.pk).update(check_out_at=timezone.now() - dt.timedelta(days=6))
    _complete_report(world.tech1, wo1)
    r1 = reports.submit(actor=world.tech1, work_order=wo1)
    late = AssessmentFact.objects.get(kind=FactKind.LATE_REPORT)
    assert late.person == world.tech1 and late.source_id == str(r1.pk)
    assert late.details["ticket"] == first.number
    assert AuditEvent.objects.filter(verb="assessment_fact", object_id=str(late.pk)).exists()

    second = new_ticket(
        world,
        allow_duplicate=True,
        different_fault_reason="另一处故障",
        description="同一位置又黑屏",
    )
    wo2 = _visit(world, second, world.tech2)
    _complete_report(world.tech2, wo2)
    r2 = reports.submit(actor=world.tech2, work_order=wo2)
    assert r2.repeat_of == first
    repeat = AssessmentFact.objects.get(kind=FactKind.REPEAT_REPAIR)
    # counted against the technician whose repair did not hold, not the one who came back
    assert repeat.person == world.tech1 and repeat.source_id == str(r2.pk)
    assert repeat.details["earlier_ticket"] == first.number
    # the second report was in time: no late fact for tech2
    assert not AssessmentFact.objects.filter(person=world.tech2).exists()
    # one queryable model: the month's counts per person and kind
    counts = staff_selectors.fact_counts(
        world.manager,
        since=timezone.now() - dt.timedelta(days=1),
        until=timezone.now() + dt.timedelta(days=1),
    )
    assert {(c["person_id"], c["kind"], c["n"]) for c in counts} == {
        (world.tech1.id, FactKind.LATE_REPORT, 1),
        (world.tech1.id, FactKind.REPEAT_REPAIR, 1),
    }
    # a technician sees only his own facts
    assert list(staff_selectors.assessment_facts(world.tech2)) == []
    assert staff_selectors.assessment_facts(world.tech1).count() == 2


def test_late_arrival_is_a_fact_and_punctual_arrival_is_not(world) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    late_ticket = new_ticket(world)
    wo = dispatch.dispatch(
        actor=world.coordinator,
        ticket=late_ticket,
        technician_ids=[world.tech1.id],
        window_start=now - dt.timedelta(hours=2),
        window_end=now - dt.timedelta(minutes=45),
    )
    dispatch.accept(actor=world.tech1, work_order=wo)
    dispatch.check_in(actor=world.tech1, work_order=wo)
    fact = AssessmentFact.objects.get(kind=FactKind.LATE_ARRIVAL)
    assert fact.person == world.tech1 and 44 <= fact.details["late_minutes"] <= 46

    on_time = new_ticket(
        world,
        allow_duplicate=True,
        different_fault_reason="另一处故障",
        description="另一处模组闪烁",
    )
    wo2 = dispatch.dispatch(
        actor=world.coordinator,
        ticket=on_time,
        technician_ids=[world.tech2.id],
        window_start=now - dt.timedelta(minutes=10),
        window_end=now + dt.timedelta(hours=2),
    )
    dispatch.accept(actor=world.tech2, work_order=wo2)
    dispatch.check_in(actor=world.tech2, work_order=wo2)
    assert AssessmentFact.objects.filter(kind=FactKind.LATE_ARRIVAL).count() == 1


def test_refusing_a_direct_assignment_is_a_fact_declining_an_open_offer_is_not(world) -> None:  # type: ignore[no-untyped-def]
    direct = new_ticket(world)
    wo = dispatch.dispatch(actor=world.coordinator, ticket=direct, technician_ids=[world.tech1.id])
    dispatch.decline(actor=world.tech1, work_order=wo, reason="在其他客户现场")
    fact = AssessmentFact.objects.get(kind=FactKind.REFUSED_DISPATCH)
    assert fact.person == world.tech1 and fact.details["reason"] == "在其他客户现场"

    offered = new_ticket(
        world,
        allow_duplicate=True,
        different_fault_reason="另一处故障",
        description="另一处模组闪烁",
    )
    wo2 = dispatch.dispatch(
        actor=world.coordinator, ticket=offered, technician_ids=[world.tech1.id, world.tech2.id]
    )
    dispatch.decline(actor=world.tech2, work_order=wo2, reason="不熟悉该型号")
    assert AssessmentFact.objects.filter(kind=FactKind.REFUSED_DISPATCH).count() == 1


def test_dissatisfied_callback_responsibility_is_recorded_once_by_the_supervisor(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    lifecycle.resolve_remotely(actor=world.agent, ticket=ticket, solution="电话指导重启")
    cb = ticket.callbacks.get()
    callbacks.record_result(
        actor=world.agent,
        callback=cb,
        attitude=2,
        quality=2,
        solved=False,
        score=2,
        dissatisfaction_cause="问题复现",
    )
    with pytest.raises(PermissionDenied):
        callbacks.assign_responsibility(
            actor=world.agent, callback=cb, person=world.tech1, cause="远程指导不到位"
        )
    with pytest.raises(ValidationFailed):
        callbacks.assign_responsibility(
            actor=world.coordinator, callback=cb, person=world.tech1, cause="  "
        )
    assert not AssessmentFact.objects.exists()
    fact = callbacks.assign_responsibility(
        actor=world.coordinator, callback=cb, person=world.agent, cause="远程指导不到位"
    )
    assert fact.kind == FactKind.UNSATISFIED_CALLBACK and fact.person == world.agent
    assert (
        fact.details["cause"] == "远程指导不到位" and fact.details["customer_cause"] == "问题复现"
    )
    assert AuditEvent.objects.filter(
        verb="callback_responsibility", object_id=str(cb.pk), actor=world.coordinator
    ).exists()
    with pytest.raises(Conflict):
        callbacks.assign_responsibility(
            actor=world.coordinator, callback=cb, person=world.tech2, cause="另有原因"
        )
    assert AssessmentFact.objects.count() == 1


def test_responsibility_for_a_satisfied_callback_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    lifecycle.resolve_remotely(actor=world.agent, ticket=ticket, solution="远程升级固件")
    cb = ticket.callbacks.get()
    callbacks.record_result(
        actor=world.agent, callback=cb, attitude=5, quality=5, solved=True, score=5
    )
    with pytest.raises(Conflict):
        callbacks.assign_responsibility(
            actor=world.coordinator, callback=cb, person=world.tech1, cause="无"
        )


def test_responsibility_through_the_api(world, client) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    lifecycle.resolve_remotely(actor=world.agent, ticket=ticket, solution="电话指导重启")
    cb = ticket.callbacks.get()
    callbacks.record_result(
        actor=world.agent,
        callback=cb,
        attitude=2,
        quality=2,
        solved=False,
        score=1,
        dissatisfaction_cause="态度差",
    )
    client.force_login(world.coordinator)
    resp = client.post(
        f"/api/v1/callbacks/{cb.pk}/responsibility",
        {"person_id": world.tech1.id, "cause": "服务态度"},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    assert (
        resp.json()["kind"] == "unsatisfied_callback" and resp.json()["person_id"] == world.tech1.id
    )


def test_the_filing_period_is_the_administrators_rule(world) -> None:  # type: ignore[no-untyped-def]
    """时限规则 ``service.report_filing`` (default 5 days) decides what is filed late."""
    from aftersales.approvals.testing import edit_rule

    edit_rule("service.report_filing", amount=1)
    ticket = new_ticket(world)
    wo = _visit(world, ticket, world.tech1)
    WorkOrder.objects.filter(pk=wo.pk).update(check_out_at=timezone.now() - dt.timedelta(days=2))
    _complete_report(world.tech1, wo)
    report = reports.submit(actor=world.tech1, work_order=wo)
    # two days after the visit: late under a 1-day rule, in time under the default 5 days
    assert report.filed_late
    assert AssessmentFact.objects.filter(kind=FactKind.LATE_REPORT, person=world.tech1).exists()
