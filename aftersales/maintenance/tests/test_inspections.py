"""Doing an inspection: answers checked against the frozen checklist version, one repair
ticket per failed item (never more on a double submit), engineers required, overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.core.errors import DomainError, PermissionDenied, ValidationFailed
from aftersales.maintenance.models import InspectionResult, MaintenanceVisit, VisitState
from aftersales.maintenance.services import checklists, generation, inspections, overdue
from aftersales.maintenance.services.inspections import AnswerInput
from aftersales.maintenance.tests.world import (
    TODAY,
    make_plan,
    on_site_visit,
    signature_png,
    small_checklist,
)
from aftersales.notifications.models import Notification
from aftersales.service.models import Channel, Ticket, TicketType
from aftersales.staff.models import AssessmentFact, FactKind


def items(visit: MaintenanceVisit) -> list[int]:
    return list(visit.checklist.items.order_by("seq").values_list("pk", flat=True))  # type: ignore[union-attr]


def answer_all(w, visit, temp: str = "9.5", first: str = "pass") -> None:  # type: ignore[no-untyped-def]
    a, b, c = items(visit)
    inspections.record(
        actor=w.tech,
        visit=visit,
        answers=[
            AnswerInput(a, outcome=first, remark="压缩机异响" if first == "fail" else ""),
            AnswerInput(b, value=temp),
            AnswerInput(c, outcome="pass"),
        ],
    )


def finish(w, visit, **kw):  # type: ignore[no-untyped-def]
    values = {"signed_by": "王经理", "signature_png": signature_png()} | kw
    return inspections.complete(actor=w.tech, visit=visit, **values)


def test_an_out_of_range_value_is_failed_automatically(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)
    answer_all(w, visit, temp="13.2")
    result = InspectionResult.objects.get(visit=visit, item__seq=2)
    assert result.outcome == "fail" and result.out_of_range and result.value == Decimal("13.2")


def test_a_failed_item_creates_exactly_one_repair_ticket_and_a_double_submit_none_more(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)
    answer_all(w, visit, temp="13.2", first="fail")
    done = finish(w, visit)
    assert len(done.follow_ups) == 2  # item 1 failed, item 2 out of range
    again = finish(w, visit)
    assert again.follow_ups == []
    tickets = Ticket.objects.filter(type=TicketType.REPAIR, channel=Channel.INSPECTION)
    assert tickets.count() == 2
    r2 = InspectionResult.objects.get(visit=visit, item__seq=2)
    assert r2.follow_up is not None and "出水温度" in r2.follow_up.description
    assert "13.2" in r2.follow_up.description
    assert r2.follow_up.equipment_id == w.e1.pk
    assert r2.follow_up.sla_policy_id is not None  # SLA like any other ticket
    assert r2.follow_up.warranty_records.exists()  # and the warranty decision
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE and visit.signed_by == "王经理" and visit.signature


def test_an_inspection_that_needs_two_engineers_cannot_be_completed_with_one(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w, min_engineers=2)
    answer_all(w, visit)
    with pytest.raises(ValidationFailed) as err:
        finish(w, visit)
    assert "2 名工程师" in err.value.message
    with pytest.raises(ValidationFailed):  # the lead himself does not count twice
        finish(w, visit, co_engineer_ids=[w.tech.pk])
    visit.refresh_from_db()
    assert visit.state == VisitState.IN_PROGRESS
    finish(w, visit, co_engineer_ids=[w.tech2.pk])
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE
    assert list(visit.co_engineers.all()) == [w.tech2]


def test_a_value_that_is_not_a_number_is_refused_and_nothing_written(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)
    a, b, _ = items(visit)
    with pytest.raises(ValidationFailed) as err:
        inspections.record(
            actor=w.tech,
            visit=visit,
            answers=[AnswerInput(a, outcome="pass"), AnswerInput(b, value="十度")],
        )
    assert "数字" in err.value.message
    assert not InspectionResult.objects.filter(visit=visit).exists()


def test_an_unknown_item_is_refused(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)
    other = checklists.publish(
        actor=None, code="other", name="其他", items=[checklists.ItemInput("别的")]
    )
    with pytest.raises(ValidationFailed):
        inspections.record(
            actor=w.tech,
            visit=visit,
            answers=[AnswerInput(other.items.get().pk, outcome="pass")],
        )


def test_every_item_must_be_answered_and_the_customer_must_sign(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)
    a, _, _ = items(visit)
    inspections.record(actor=w.tech, visit=visit, answers=[AnswerInput(a, outcome="pass")])
    with pytest.raises(ValidationFailed) as err:
        finish(w, visit)
    assert "2 项未检查" in err.value.message
    answer_all(w, visit)
    with pytest.raises(ValidationFailed):
        finish(w, visit, signature_png="")
    with pytest.raises(ValidationFailed):
        finish(w, visit, signed_by="")


def test_only_the_assigned_technician_inspects(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)
    with pytest.raises(DomainError):  # not his: not even visible
        answer_all(w.__class__(**{**vars(w), "tech": w.tech2}), visit)
    assert not InspectionResult.objects.filter(visit=visit).exists()
    with pytest.raises(PermissionDenied):
        inspections.start(actor=w.coordinator, visit=visit)


def test_a_done_inspection_keeps_its_checklist_version(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)
    answer_all(w, visit)
    finish(w, visit)
    v1 = visit.checklist
    newer = checklists.publish(
        actor=None,
        code="chiller-test",
        name="冷水机组检查 v2",
        items=[checklists.ItemInput("新检查项")],
    )
    assert newer.version == v1.version + 1
    visit.refresh_from_db()
    assert visit.checklist_id == v1.pk
    assert checklists.current("chiller-test") == newer


def test_the_seeded_hvac_checklist_has_the_unit_items(db) -> None:  # type: ignore[no-untyped-def]
    unit = checklists.current("hvac-unit")
    water = checklists.current("hvac-water")
    assert unit is not None and water is not None
    texts = list(unit.items.values_list("text", flat=True))
    assert "制冷剂静态压力" in texts and "绝缘电阻" in texts
    for code in (
        "led-screen",
        "security-system",
        "agri-machine",
        "window-facade",
        "software-system",
    ):
        assert checklists.current(code) is not None


def test_a_visit_not_done_by_its_due_date_is_overdue_once_with_a_fact_and_a_notice(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)  # due 1 September, started, not completed
    assert overdue.mark_overdue(today=TODAY) == 0
    assert overdue.mark_overdue(today=TODAY + dt.timedelta(days=1)) == 1
    assert overdue.mark_overdue(today=TODAY + dt.timedelta(days=2)) == 0
    visit.refresh_from_db()
    assert visit.is_overdue
    fact = AssessmentFact.objects.get(kind=FactKind.MISSED_INSPECTION)
    assert fact.person == w.tech and fact.source_id == str(visit.pk)
    assert Notification.objects.filter(
        recipient=w.coordinator, subject__startswith="巡检逾期"
    ).exists()


def test_an_unassigned_overdue_visit_counts_against_the_plan_coordinator(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, release_days=0)
    generation.release_due(today=TODAY)
    assert overdue.mark_overdue(today=dt.date(2026, 9, 2)) == 1
    fact = AssessmentFact.objects.get(kind=FactKind.MISSED_INSPECTION)
    assert fact.person == w.coordinator
    assert MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-09-01").is_overdue


def _events(ticket: Ticket, verb: str):  # type: ignore[no-untyped-def]
    from aftersales.core.models import AuditEvent

    return AuditEvent.objects.filter(
        content_type__model="ticket", object_id=str(ticket.pk), verb=verb
    )


def test_completing_the_inspection_finishes_its_ticket_through_the_service_flow(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.service.models import TicketState, WorkOrderState

    visit = on_site_visit(w)
    answer_all(w, visit, temp="13.2")
    done = finish(w, visit)
    ticket = Ticket.objects.get(pk=visit.ticket_id)
    assert ticket.type == TicketType.INSPECTION
    assert ticket.state == TicketState.RESOLVED and ticket.resolved_at is not None
    [event] = _events(ticket, "resolve")
    assert (event.from_state, event.to_state, event.actor_id) == ("on_site", "resolved", w.tech.pk)
    assert done.follow_ups[0].number in event.reason
    wo = ticket.work_orders.get()
    assert wo.state == WorkOrderState.DONE and wo.check_out_at is not None
    assert ticket.callbacks.filter(state="due").count() == 1  # the callback like any ticket
    finish(w, visit)  # a double submit resolves nothing twice
    assert _events(ticket, "resolve").count() == 1 and ticket.callbacks.count() == 1


def test_an_inspection_is_not_completed_before_the_technician_checked_in(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.service.services import dispatch

    small_checklist()
    plan = make_plan(w, checklist_code="chiller-test")
    generation.release_due(today=TODAY)
    visit = MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-09-01")
    wo = dispatch.dispatch(actor=w.coordinator, ticket=visit.ticket, technician_ids=[w.tech.pk])
    dispatch.accept(actor=w.tech, work_order=wo)  # accepted, not on site
    visit = inspections.start(actor=w.tech, visit=visit)
    answer_all(w, visit, first="fail")
    with pytest.raises(DomainError) as err:
        finish(w, visit)
    assert "尚未到场签到" in err.value.message
    visit.refresh_from_db()
    assert visit.state == VisitState.IN_PROGRESS
    assert not Ticket.objects.filter(type=TicketType.REPAIR).exists()  # nothing written
    assert visit.ticket is not None and visit.ticket.state == "dispatched"


def test_a_phone_inspection_resolves_its_ticket_remotely(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, kind="phone", equipment_ids=[])
    generation.release_due(today=TODAY)
    visit = MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-09-01")
    inspections.start(actor=w.coordinator, visit=visit)
    inspections.complete(actor=w.coordinator, visit=visit, remark="电话回访，运行正常")
    ticket = Ticket.objects.get(pk=visit.ticket_id)
    assert ticket.state == "resolved" and ticket.remote
    [event] = _events(ticket, "resolve_remotely")
    assert event.actor_id == w.coordinator.pk and event.to_state == "resolved"
