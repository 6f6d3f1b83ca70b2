"""The service flow through its services: intake, warranty, SLA, dispatch, report, callback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from aftersales.core.models import AuditEvent
from aftersales.service.models import LoanerTask, SlaClock, Ticket, TicketState
from aftersales.service.services import (
    callbacks,
    clocks,
    dispatch,
    intake,
    lifecycle,
    qr,
    reports,
    warranty,
)

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def new_ticket(w, **kw):  # type: ignore[no-untyped-def]
    data = intake.TicketInput(
        description=kw.pop("description", "屏幕左下角黑屏"),
        contact_name="王经理",
        contact_phone="13800138000",
        channel=kw.pop("channel", "phone"),
        equipment_id=kw.pop("equipment_id", w.equipment.id),
        **kw,
    )
    return intake.ticket_create(
        actor=kw.pop("actor", w.agent) if "actor" in kw else w.agent, data=data
    )


def test_registration_numbers_owns_decides_warranty_and_starts_clocks(world) -> None:  # type: ignore[no-untyped-def]
    received = dt.datetime(2026, 9, 30, 17, 0, tzinfo=SH)
    ticket = new_ticket(world, received_at=received)
    assert ticket.number == "BX20260930-0001"
    assert (
        ticket.owner == world.agent
        and ticket.customer == world.customer
        and ticket.site == world.site
    )
    record = warranty.current(ticket)
    assert record is not None and record.outcome == "free" and record.in_warranty
    texts = " ".join(r["text"] for r in record.reasons)
    assert "2025-06-01" in texts and "2027-06-01" in texts
    due = {c.metric: c.due_at for c in ticket.clocks.all()}
    # normal severity, working time: 1 working hour from Wed 17:00 before National Day
    assert timezone.localtime(due["response"]) == dt.datetime(2026, 10, 8, 9, 0, tzinfo=SH)
    assert ticket.sla_policy_source == "default"
    assert AuditEvent.objects.filter(verb="ticket_create", object_id=str(ticket.pk)).exists()


def test_duplicate_guard_shows_open_ticket_and_creates_nothing(world) -> None:  # type: ignore[no-untyped-def]
    first = new_ticket(world)
    with pytest.raises(Conflict) as err:
        new_ticket(world, description="又坏了")
    assert err.value.code == "duplicate_ticket" and first.number in err.value.message
    assert Ticket.objects.count() == 1
    second = new_ticket(
        world, description="另一块屏", allow_duplicate=True, different_fault_reason="另一处故障"
    )
    assert second.duplicate_of == first


def test_transition_not_in_table_is_refused_in_chinese(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    with pytest.raises(InvalidTransition) as err:
        lifecycle.close(actor=world.coordinator, ticket=ticket)
    assert "已登记" in err.value.message or "回访" in err.value.message
    with pytest.raises(InvalidTransition):
        lifecycle.resume(actor=world.agent, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.REGISTERED


def test_technician_cannot_touch_tickets_not_his(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    lifecycle.acknowledge(actor=world.agent, ticket=ticket)
    # a ticket with no work order of his is not even visible to him: the answer is the same
    # as for a missing ticket, and nothing changes
    with pytest.raises(NotFound) as err:
        lifecycle.wait(actor=world.tech1, ticket=ticket, for_="customer", reason="客户不在")
    assert err.value.message == "报修单不存在或无权查看"
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ACKNOWLEDGED and not ticket.pauses.exists()
    # offered to him and another, he may see it, but until he accepts it is not his
    dispatch.dispatch(
        actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id, world.tech2.id]
    )
    with pytest.raises(PermissionDenied) as denied:
        lifecycle.wait(actor=world.tech1, ticket=ticket, for_="customer", reason="客户不在")
    assert denied.value.message == "只能处理派给自己的工单"
    ticket.refresh_from_db()
    assert ticket.state == TicketState.DISPATCHED and not ticket.pauses.exists()


def test_pause_moves_due_by_paused_working_time(world) -> None:  # type: ignore[no-untyped-def]
    t0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SH)  # Monday
    ticket = new_ticket(world, received_at=t0)
    resolution_before = ticket.clocks.get(metric="resolution").due_at
    lifecycle.acknowledge(actor=world.agent, ticket=ticket)
    from aftersales.service.models import TicketPause

    lifecycle.wait(actor=world.agent, ticket=ticket, for_="customer", reason="客户要求改天")
    pause = TicketPause.objects.get(ticket=ticket)
    # a two-hour pause from 09:30 to 11:30 (working time), set explicitly
    TicketPause.objects.filter(pk=pause.pk).update(started_at=t0 + dt.timedelta(minutes=30))
    lifecycle.resume(actor=world.agent, ticket=ticket)
    TicketPause.objects.filter(pk=pause.pk).update(ended_at=t0 + dt.timedelta(minutes=150))
    ticket.refresh_from_db()
    clock = ticket.clocks.get(metric="resolution")
    state = clocks.evaluate(clock, ticket, t0 + dt.timedelta(hours=3))
    assert state.paused_minutes == 120
    # 450 working minutes from Mon 09:00 end Tue 09:00; +120 working minutes → Tue 11:00
    assert timezone.localtime(resolution_before) == dt.datetime(2026, 11, 24, 9, 0, tzinfo=SH)
    assert timezone.localtime(state.due) == dt.datetime(2026, 11, 24, 11, 0, tzinfo=SH)


def test_incomplete_report_cannot_resolve(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id])
    dispatch.accept(actor=world.tech1, work_order=wo)
    dispatch.check_in(actor=world.tech1, work_order=wo)
    dispatch.start_work(actor=world.tech1, ticket=ticket)
    reports.save(
        actor=world.tech1,
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="左下角模组不亮",
            actions="更换电源",
            no_parts_used=True,
            customer_opinion="满意",
            responsibility="product",
        ),
    )
    with pytest.raises(Conflict) as err:
        reports.submit(actor=world.tech1, work_order=wo)
    assert err.value.code == "report_incomplete" and "故障原因" in err.value.message
    with pytest.raises(Conflict) as err2:
        lifecycle.resolve(actor=world.tech1, ticket=ticket)
    assert "故障原因" in err2.value.message
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS and ticket.resolved_at is None


def test_chargeable_work_needs_accepted_quote(world) -> None:  # type: ignore[no-untyped-def]
    world.equipment.acceptance_date = dt.date(2023, 1, 1)
    world.equipment.save()
    world.site.acceptance_date = dt.date(2023, 1, 1)
    world.site.save()
    ticket = new_ticket(world)
    assert warranty.current(ticket).outcome == "chargeable"
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id])
    dispatch.accept(actor=world.tech1, work_order=wo)
    dispatch.check_in(actor=world.tech1, work_order=wo)
    with pytest.raises(Conflict) as err:
        dispatch.start_work(actor=world.tech1, ticket=ticket)
    assert err.value.code == "quote_required"
    quote = warranty.quote_create(
        actor=world.tech1,
        ticket=ticket,
        parts=[warranty.QuotePart("PSU-5V", 2)],
        labour_hours="1.5",
        distance_km="20",
    )
    # parts at cost 2 × 85.00, labour 1.5 h × 120.00, travel 20 km × 2.50
    assert quote.parts_total == Decimal("170.00") and quote.labour_total == Decimal("180.00")
    assert quote.travel_total == Decimal("50.00") and quote.total == Decimal("400.00")
    warranty.quote_decide(quote_token=quote.accept_token, accept=True, by_name="王经理")
    dispatch.start_work(actor=world.tech1, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS


def test_bad_quote_input_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    with pytest.raises(ValidationFailed) as err:
        warranty.quote_create(
            actor=world.agent, ticket=ticket, parts=[warranty.QuotePart("NOPE", 1)]
        )
    assert "NOPE" in err.value.message
    with pytest.raises(ValidationFailed):
        warranty.quote_create(actor=world.agent, ticket=ticket, parts=[], labour_hours="1,5")
    assert not ticket.quotes.exists()


def test_override_needs_reason_and_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    with pytest.raises(ValidationFailed):
        warranty.override(actor=world.coordinator, ticket=ticket, outcome="chargeable", reason=" ")
    with pytest.raises(PermissionDenied):
        warranty.override(actor=world.agent, ticket=ticket, outcome="chargeable", reason="x")
    rec = warranty.override(
        actor=world.coordinator, ticket=ticket, outcome="parts_at_cost", reason="人为损坏"
    )
    assert rec.overridden_by == world.coordinator and "人为损坏" in rec.reasons[-1]["text"]
    ev = AuditEvent.objects.get(verb="warranty_override")
    assert ev.before == {"outcome": "free"} and ev.after == {"outcome": "parts_at_cost"}


def test_hand_over_needs_reason(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    with pytest.raises(ValidationFailed):
        intake.ticket_hand_over(
            actor=world.agent, ticket=ticket, to_user=world.coordinator, reason=""
        )
    intake.ticket_hand_over(
        actor=world.agent, ticket=ticket, to_user=world.coordinator, reason="休假"
    )
    ticket.refresh_from_db()
    assert ticket.owner == world.coordinator


def test_qr_wrong_phone_refused_and_nothing_written(world) -> None:  # type: ignore[no-untyped-def]
    before = (Ticket.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied) as err:
        qr.qr_submit(
            token=world.equipment.qr_token,
            phone="13900000000",
            contact_name="路人",
            description="坏了",
        )
    assert err.value.code == "phone_check_failed" and "手机号" in err.value.message
    assert (Ticket.objects.count(), AuditEvent.objects.count()) == before
    ticket = qr.qr_submit(
        token=world.equipment.qr_token,
        phone="138-0013-8000",
        contact_name="王经理",
        description="黑屏",
    )
    assert ticket.channel == "qr" and ticket.owner is None and ticket.equipment == world.equipment


def test_late_arrival_against_window_is_recorded(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    now = timezone.now()
    wo = dispatch.dispatch(
        actor=world.coordinator,
        ticket=ticket,
        technician_ids=[world.tech1.id],
        window_start=now - dt.timedelta(hours=2),
        window_end=now - dt.timedelta(minutes=45),
    )
    dispatch.accept(actor=world.tech1, work_order=wo)
    wo = dispatch.check_in(actor=world.tech1, work_order=wo)
    assert 44 <= wo.late_minutes <= 46


def test_candidates_ranked_by_skill_and_distance(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    ranked = dispatch.candidates(ticket)
    assert [c.facts.user_id for c in ranked[:2]] == [world.tech1.id, world.tech2.id]
    assert all(c.eligible for c in ranked[:2])


def test_reassign_needs_reason_and_dispatches_new_order(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id])
    with pytest.raises(ValidationFailed):
        dispatch.reassign(
            actor=world.coordinator, work_order=wo, technician_ids=[world.tech2.id], reason=""
        )
    new = dispatch.reassign(
        actor=world.coordinator,
        work_order=wo,
        technician_ids=[world.tech2.id],
        reason="工程师被其他客户现场耽搁",
    )
    wo.refresh_from_db()
    assert wo.state == "reassigned" and new.technician == world.tech2


def test_loaner_task_for_urgent_ticket_not_fixed_in_4h(world) -> None:  # type: ignore[no-untyped-def]
    received = timezone.now() - dt.timedelta(hours=5)
    ticket = new_ticket(world, severity="urgent", received_at=received)
    clocks.sweep(now=timezone.now())
    clocks.sweep(now=timezone.now())
    assert LoanerTask.objects.filter(ticket=ticket).count() == 1


def test_warning_breach_manager_escalation_in_order(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.notifications.models import Notification

    received = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH)
    ticket = new_ticket(world, severity="urgent", received_at=received)
    response = ticket.clocks.get(metric="response")
    assert response.target_minutes == 30 and not response.working_time
    clocks.process_ticket(ticket.id, now=received + dt.timedelta(minutes=23))  # 76 %: warn
    keys = set(Notification.objects.values_list("key", flat=True))
    assert f"ticket:{ticket.id}:sla:response:warn" in keys
    assert f"ticket:{ticket.id}:sla:response:breach" not in keys
    clocks.process_ticket(ticket.id, now=received + dt.timedelta(minutes=31))
    assert Notification.objects.filter(key=f"ticket:{ticket.id}:sla:response:breach").exists()
    clocks.process_ticket(ticket.id, now=received + dt.timedelta(minutes=30 + 121))
    assert Notification.objects.filter(
        key=f"ticket:{ticket.id}:sla:response:manager", recipient=world.manager
    ).exists()
    c = SlaClock.objects.get(ticket=ticket, metric="response")
    assert c.status == "breached" and c.breach_minutes == 121
    # a second pass at the same time raises nothing new
    assert clocks.process_ticket(ticket.id, now=received + dt.timedelta(minutes=30 + 121)) == 0


def test_callback_two_of_five_reopens_under_coordinator(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    lifecycle.resolve_remotely(actor=world.agent, ticket=ticket, solution="电话指导客户重启控制器")
    cb = ticket.callbacks.get()
    with pytest.raises(ValidationFailed):
        callbacks.record_result(
            actor=world.agent, callback=cb, attitude=3, quality=2, solved=False, score=2
        )
    callbacks.record_result(
        actor=world.agent,
        callback=cb,
        attitude=3,
        quality=2,
        solved=False,
        score=2,
        dissatisfaction_cause="问题复现",
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.REOPENED and ticket.coordinator == world.coordinator
    assert ticket.reopen_count == 1


def test_satisfied_callback_closes(world) -> None:  # type: ignore[no-untyped-def]
    ticket = new_ticket(world)
    lifecycle.resolve_remotely(actor=world.agent, ticket=ticket, solution="远程升级固件")
    callbacks.record_result(
        actor=world.agent,
        callback=ticket.callbacks.get(),
        attitude=5,
        quality=5,
        solved=True,
        score=5,
    )
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED and ticket.closed_at is not None


def test_offered_technicians_can_accept_through_the_api(world) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from aftersales.accounts.services import issue_token

    ticket = new_ticket(world)
    wo = dispatch.dispatch(
        actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id, world.tech2.id]
    )
    _, key = issue_token(user=world.tech2)
    c = Client()
    assert (
        c.get(f"/api/v1/tickets/{ticket.id}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    )
    resp = c.post(f"/api/v1/work-orders/{wo.id}/accept", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert resp.status_code == 200 and resp.json()["technician_id"] == world.tech2.id
    _, key1 = issue_token(user=world.tech1)
    # once taken, the other technician no longer sees it
    assert (
        c.post(
            f"/api/v1/work-orders/{wo.id}/accept", HTTP_AUTHORIZATION=f"Bearer {key1}"
        ).status_code
        == 404
    )


def test_report_photo_must_be_an_image(world) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    ticket = new_ticket(world)
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id])
    dispatch.accept(actor=world.tech1, work_order=wo)
    reports.save(actor=world.tech1, work_order=wo, data=reports.ReportInput(phenomenon="黑屏"))
    with pytest.raises(ValidationFailed):
        reports.add_photo(
            actor=world.tech1, work_order=wo, image=SimpleUploadedFile("x.jpg", b"not an image")
        )
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(buf, format="JPEG")
    photo = reports.add_photo(
        actor=world.tech1,
        work_order=wo,
        image=SimpleUploadedFile("fault.jpg", buf.getvalue()),
        caption="故障模组",
    )
    assert photo.report.photos.count() == 1 and photo.caption == "故障模组"


def _complete_report(w, wo, fault="模组故障"):  # type: ignore[no-untyped-def]
    reports.save(
        actor=w.tech1,
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="黑屏",
            cause="电源老化",
            cause_class="material",
            fault_category=fault,
            responsibility="product",
            actions="更换电源",
            no_parts_used=True,
            customer_opinion="满意",
            remote=True,
        ),
    )


def test_late_filing_is_flagged_and_repeat_repair_linked(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.service.models import ServiceReport, WorkOrder

    first = new_ticket(world)
    wo1 = dispatch.dispatch(actor=world.coordinator, ticket=first, technician_ids=[world.tech1.id])
    dispatch.accept(actor=world.tech1, work_order=wo1)
    dispatch.check_in(actor=world.tech1, work_order=wo1)
    dispatch.check_out(actor=world.tech1, work_order=wo1, reason="report_later")
    # the visit ended six days ago: filing now is late (more than 5 days)
    WorkOrder.objects.filter(pk=wo1.pk).update(check_out_at=timezone.now() - dt.timedelta(days=6))
    _complete_report(world, wo1)
    r1 = reports.submit(actor=world.tech1, work_order=wo1)
    assert r1.filed_late and r1.repeat_of is None

    second = new_ticket(
        world,
        allow_duplicate=True,
        different_fault_reason="另一处故障",
        description="同一位置又黑屏",
    )
    wo2 = dispatch.dispatch(actor=world.coordinator, ticket=second, technician_ids=[world.tech2.id])
    dispatch.accept(actor=world.tech2, work_order=wo2)
    reports.save(
        actor=world.tech2,
        work_order=wo2,
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
    r2 = reports.submit(actor=world.tech2, work_order=wo2)
    assert not r2.filed_late and r2.repeat_of == first
    # outside the 30-day window it is not a repeat
    ServiceReport.objects.filter(pk=r1.pk).update(filed_at=timezone.now() - dt.timedelta(days=31))
    assert reports.find_repeat(r2, timezone.now()) is None


def test_decision_reads_the_equipment_history_repairs_and_fitted_parts(world) -> None:  # type: ignore[no-untyped-def]
    """The repeat-repair rule (more than 3 warranty repairs: replace the unit) and the
    replaced-part rule (a part fitted in a warranty repair gets its own period) read the
    equipment's history from the database, not only in the pure rule tests."""
    from aftersales.installed_base.models import EquipmentComponent
    from aftersales.service.models import ServiceReport

    filed = timezone.now() - dt.timedelta(days=30)
    for k in range(4):
        earlier = new_ticket(world, allow_duplicate=True, different_fault_reason="另一处故障")
        wo = dispatch.dispatch(
            actor=world.coordinator, ticket=earlier, technician_ids=[world.tech1.id]
        )
        ServiceReport.objects.create(
            work_order=wo, ticket=earlier, filed_at=filed + dt.timedelta(days=k), cause="模组损坏"
        )
    third = new_ticket(world, allow_duplicate=True, different_fault_reason="另一处故障")
    record = warranty.current(third)
    assert record is not None and record.replace_unit
    assert any(r["code"] == "replace_unit" and "4 次" in r["text"] for r in record.reasons)

    ServiceReport.objects.filter(ticket__equipment=world.equipment).update(
        archived_at=timezone.now()
    )
    fresh = new_ticket(world, allow_duplicate=True, different_fault_reason="另一处故障")
    assert not warranty.current(fresh).replace_unit

    EquipmentComponent.objects.create(
        equipment=world.equipment,
        code="PSU",
        name="电源",
        fitted_date=dt.date(2026, 9, 1),
        fitted_in_warranty_repair=True,
    )
    record = warranty.decide(fresh, actor=None, component_code="PSU")
    assert record is not None and record.warranty_end == dt.date(2028, 9, 1)
    assert any(r["code"] == "fitted_part" for r in record.reasons)
    # the part's own period (独立保修月数) is carried through the registration's history
    # statement: 3 months from 2026-09-01 end before the unit's 24 (2027-06-01)
    EquipmentComponent.objects.filter(equipment=world.equipment, code="PSU").update(
        warranty_months=3
    )
    record = warranty.decide(fresh, actor=None, component_code="PSU")
    assert record is not None and record.warranty_end == dt.date(2027, 6, 1)
    assert not any(r["code"] == "fitted_part" for r in record.reasons)
    EquipmentComponent.objects.filter(equipment=world.equipment, code="PSU").update(
        warranty_months=36
    )
    record = warranty.decide(fresh, actor=None, component_code="PSU")
    assert record is not None and record.warranty_end == dt.date(2029, 9, 1)
    assert any("新件保修期36个月" in r["text"] for r in record.reasons)


def test_check_in_elsewhere_while_a_visit_is_open_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    """A technician is at one site at a time: the second site's check-in is refused until he
    has checked out of the first; a second ticket at the same site may be checked in."""
    from aftersales import testing as t
    from aftersales.service.models import WorkOrder, WorkOrderState

    first = new_ticket(world)
    wo1 = dispatch.dispatch(actor=world.coordinator, ticket=first, technician_ids=[world.tech1.id])
    dispatch.accept(actor=world.tech1, work_order=wo1)
    dispatch.check_in(actor=world.tech1, work_order=wo1)

    other_site = t.site(
        world.customer, name="会展中心二号馆", lat=Decimal("31.1"), lng=Decimal("121.4")
    )
    other_eq = t.equipment(other_site, world.model, serial_no="LED2025002")
    elsewhere = new_ticket(world, equipment_id=other_eq.id, description="二号馆屏幕花屏")
    wo2 = dispatch.dispatch(
        actor=world.coordinator, ticket=elsewhere, technician_ids=[world.tech1.id]
    )
    dispatch.accept(actor=world.tech1, work_order=wo2)
    with pytest.raises(Conflict) as refused:
        dispatch.check_in(actor=world.tech1, work_order=wo2)
    assert refused.value.code == "open_visit_elsewhere"
    assert "会展中心一号馆" in refused.value.message and first.number in refused.value.message
    assert WorkOrder.objects.get(pk=wo2.pk).state == WorkOrderState.ACCEPTED
    assert Ticket.objects.get(pk=elsewhere.pk).state != TicketState.ON_SITE

    same_site_eq = t.equipment(world.site, world.model, serial_no="LED2025003")
    same_site = new_ticket(world, equipment_id=same_site_eq.id, description="副屏不亮")
    wo3 = dispatch.dispatch(
        actor=world.coordinator, ticket=same_site, technician_ids=[world.tech1.id]
    )
    dispatch.accept(actor=world.tech1, work_order=wo3)
    assert dispatch.check_in(actor=world.tech1, work_order=wo3).state == WorkOrderState.ON_SITE

    dispatch.check_out(actor=world.tech1, work_order=wo1, reason="report_later")
    dispatch.check_out(actor=world.tech1, work_order=wo3, reason="report_later")
    assert dispatch.check_in(actor=world.tech1, work_order=wo2).state == WorkOrderState.ON_SITE
