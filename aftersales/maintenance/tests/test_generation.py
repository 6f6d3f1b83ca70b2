"""Generating visits: dates on the calendar, idempotence (also two workers at once), plan
edits, contract end, release as inspection tickets."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction

from aftersales.core.models import AuditEvent
from aftersales.maintenance.models import CancelReason, MaintenanceVisit, VisitState
from aftersales.maintenance.services import generation, plans
from aftersales.maintenance.tests import world
from aftersales.maintenance.tests.world import TODAY, make_plan, plan_input
from aftersales.service.models import Ticket, TicketState, TicketType
from aftersales.service.services import dispatch


def dues(plan) -> list[tuple[str, dt.date, str]]:  # type: ignore[no-untyped-def]
    return [
        (v.occurrence_key, v.due_date, v.state)
        for v in MaintenanceVisit.objects.filter(plan=plan).order_by("nominal_date")
    ]


def test_a_monthly_plan_over_national_day_lands_on_the_last_working_day(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, lead_days=70, release_days=0)
    assert [(k, d) for k, d, _ in dues(plan)] == [
        ("2026-09-01", dt.date(2026, 9, 1)),
        ("2026-10-01", dt.date(2026, 9, 30)),
        ("2026-11-01", dt.date(2026, 10, 30)),
    ]


def test_a_sunday_tiaoxiu_day_is_a_valid_visit_date(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, start_date=dt.date(2026, 8, 20), lead_days=25)
    assert [(k, d) for k, d, _ in dues(plan)] == [("2026-09-20", dt.date(2026, 9, 20))]


def test_running_twice_creates_nothing_more(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, release_days=0)
    first = dues(plan)
    again = generation.generate(today=TODAY, release=False)
    assert again.created == 0
    assert dues(plan) == first
    later = generation.generate(today=TODAY + dt.timedelta(days=40), release=False)
    assert later.created == 2  # December and January came into the 90-day horizon
    assert MaintenanceVisit.objects.filter(plan=plan).count() == len(first) + 2


def test_generation_is_audited_per_plan_and_run(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w)
    rows = AuditEvent.objects.filter(verb="generate_visits", object_id=str(plan.pk))
    assert rows.count() == 1
    assert rows.get().payload["created"] == ["2026-09-01", "2026-10-01", "2026-11-01"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_create_each_occurrence_once() -> None:
    w = world.build()
    plan_ids = []
    for i in range(3):
        data = plan_input(w, name=f"计划{i}", lead_days=200)
        plan_ids.append(
            plans.plan_create(
                actor=w.coordinator, data=data, today=TODAY - dt.timedelta(days=400)
            ).pk
        )
    assert not MaintenanceVisit.objects.exists()  # nothing yet: the plans' horizon was long ago
    started = threading.Event()
    results: list[int] = []
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                results.append(generation.generate(today=TODAY, release=False).created)
                started.set()
                time.sleep(0.8)  # the second worker runs while these rows are uncommitted
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            started.set()
            connection.close()

    def second() -> None:
        try:
            started.wait(5)
            with transaction.atomic():
                results.append(generation.generate(today=TODAY, release=False).created)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(20)
    assert not errors
    per_plan = 7  # 1 Sep 2026 … 1 Mar 2027
    assert sorted(results) == [0, 3 * per_plan]
    assert MaintenanceVisit.objects.count() == 3 * per_plan


def test_an_interval_edit_moves_only_future_unstarted_visits(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, start_date=dt.date(2026, 6, 1), release_days=0)
    today = TODAY
    # a past visit done, the first future one started (released, on site), the rest planned
    generation.release_due(today=today)
    v_sep = MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-09-01")
    wo = dispatch.dispatch(actor=w.coordinator, ticket=v_sep.ticket, technician_ids=[w.tech.pk])
    dispatch.accept(actor=w.tech, work_order=wo)
    dispatch.check_in(actor=w.tech, work_order=wo)
    MaintenanceVisit.objects.filter(pk=v_sep.pk).update(state=VisitState.IN_PROGRESS)
    done = MaintenanceVisit.objects.create(
        plan=plan,
        occurrence_key="2026-08-03",
        customer=w.c1,
        region=w.region,
        nominal_date=dt.date(2026, 8, 3),
        due_date=dt.date(2026, 8, 3),
        release_on=dt.date(2026, 8, 3),
        state=VisitState.DONE,
    )
    plans.plan_update(
        actor=w.coordinator,
        plan=plan,
        data=plan_input(w, start_date=dt.date(2026, 6, 1), interval=2, release_days=0),
        today=today,
    )
    got = dues(plan)
    assert ("2026-08-03", dt.date(2026, 8, 3), VisitState.DONE) in got  # untouched
    states = {k: s for k, _, s in got}
    assert states["2026-09-01"] == VisitState.IN_PROGRESS  # started: kept, though off-schedule now
    assert states["2026-10-01"] == VisitState.PLANNED  # Jun, Aug, Oct … every two months
    assert states["2026-11-01"] == VisitState.CANCELLED
    assert MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-11-01").cancel_reason == (
        CancelReason.REPLANNED
    )
    done.refresh_from_db()
    assert done.state == VisitState.DONE
    # back to monthly: the cancelled month is planned again, not duplicated
    plans.plan_update(
        actor=w.coordinator,
        plan=plan,
        data=plan_input(w, start_date=dt.date(2026, 6, 1), interval=1, release_days=0),
        today=today,
    )
    assert (
        MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-11-01").state
        == VisitState.PLANNED
    )
    assert MaintenanceVisit.objects.filter(plan=plan, occurrence_key="2026-11-01").count() == 1


def test_an_edit_cancels_the_ticket_of_a_released_visit_that_has_not_started(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, release_days=40)
    generation.release_due(today=TODAY)
    v_oct = MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-10-01")
    assert v_oct.state == VisitState.RELEASED
    plans.plan_update(
        actor=w.coordinator,
        plan=plan,
        data=plan_input(w, start_date=dt.date(2026, 9, 1), recurrence="quarterly", release_days=40),
        today=TODAY,
    )
    v_oct.refresh_from_db()
    assert v_oct.state == VisitState.CANCELLED
    assert Ticket.objects.get(pk=v_oct.ticket_id).state == TicketState.CANCELLED


def test_ending_a_contract_cancels_its_future_visits(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, contract_id=w.k1.pk, start_date=None, lead_days=120, release_days=0)
    assert plan.start_date == w.k1.start_date
    assert len(dues(plan)) == 4  # Sep … Dec
    w.k1.end_date = dt.date(2026, 10, 15)
    w.k1.save(update_fields=["end_date"])
    result = generation.generate(today=TODAY, release=False)
    assert result.cancelled == 2
    got = {k: s for k, _, s in dues(plan)}
    assert got == {
        "2026-09-01": VisitState.PLANNED,
        "2026-10-01": VisitState.PLANNED,
        "2026-11-01": VisitState.CANCELLED,
        "2026-12-01": VisitState.CANCELLED,
    }
    reasons = set(
        MaintenanceVisit.objects.filter(state=VisitState.CANCELLED).values_list(
            "cancel_reason", flat=True
        )
    )
    assert reasons == {CancelReason.CONTRACT_ENDED}
    assert generation.generate(today=TODAY, release=False).cancelled == 0


def test_release_creates_one_inspection_ticket_per_visit(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, release_days=7)
    assert generation.release_due(today=TODAY) == 1  # only September is within 7 days
    assert generation.release_due(today=TODAY) == 0
    visit = MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-09-01")
    assert visit.state == VisitState.RELEASED
    ticket = visit.ticket
    assert ticket.type == TicketType.INSPECTION
    assert ticket.site_id == w.s1.pk and ticket.equipment_id == w.e1.pk
    assert ticket.contact_name == "王经理"
    assert Ticket.objects.filter(type=TicketType.INSPECTION).count() == 1


def test_a_later_run_starts_after_what_was_generated_and_an_extended_contract_continues(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w, contract_id=w.k1.pk, start_date=None, lead_days=120, release_days=0)
    plan.refresh_from_db()
    assert plan.generated_through == dt.date(2026, 12, 30)
    w.k1.end_date = dt.date(2026, 9, 15)
    w.k1.save(update_fields=["end_date"])
    generation.generate(today=TODAY, release=False)
    # extended again: the months after the short end come back on the next run
    w.k1.end_date = dt.date(2027, 12, 31)
    w.k1.save(update_fields=["end_date"])
    result = generation.generate(today=TODAY + dt.timedelta(days=1), release=False)
    # Oct–Dec had been cancelled by the short end: they are planned again, not duplicated
    assert (result.created, result.moved) == (0, 3)
    got = {k: s for k, _, s in dues(plan)}
    assert set(got.values()) == {VisitState.PLANNED} and len(got) == 4
    result = generation.generate(today=dt.date(2026, 10, 5), release=False)
    assert result.created == 2  # January and February 2027 came into the 120-day horizon
    assert {"2027-01-01", "2027-02-01"} <= {k for k, _, _ in dues(plan)}


def test_a_planner_cancels_a_visit_by_hand_with_its_reason(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.core.errors import DomainError, ValidationFailed

    plan = make_plan(w)
    generation.release_due(today=TODAY)
    visit = MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-09-01")
    assert visit.state == "released" and visit.ticket is not None
    with pytest.raises(ValidationFailed):
        generation.cancel_visit(actor=w.coordinator, visit=visit, note=" ")
    with pytest.raises(DomainError):
        generation.cancel_visit(actor=w.tech, visit=visit, note="不去了")
    visit.refresh_from_db()
    assert visit.state == "released"
    generation.cancel_visit(actor=w.coordinator, visit=visit, note="客户闭馆")
    visit.refresh_from_db()
    assert (visit.state, visit.cancel_reason) == ("cancelled", "manual")
    assert visit.ticket is not None and visit.ticket.state == "cancelled"
    event = AuditEvent.objects.get(verb="visit_cancel", object_id=str(visit.pk))
    assert event.actor_id == w.coordinator.pk and "客户闭馆" in event.reason
    with pytest.raises(DomainError):  # once
        generation.cancel_visit(actor=w.coordinator, visit=visit, note="again")


def test_the_planner_cancels_a_visit_on_its_page_with_a_required_reason(w) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    plan = make_plan(w)
    generation.release_due(today=TODAY)
    visit = MaintenanceVisit.objects.get(plan=plan, occurrence_key="2026-09-01")
    planner, tech, customer = Client(), Client(), Client()
    planner.force_login(w.coordinator)
    tech.force_login(w.tech)
    customer.force_login(w.cust1)
    url = f"/maintenance/visits/{visit.pk}/"
    page = planner.get(url).content.decode()
    assert 'data-testid="cancel-visit"' in page
    assert 'name="cancel_note" maxlength="150" required' in page
    act = f"/maintenance/visits/{visit.pk}/act/cancel/"
    # no reason, a too long one, a technician, a customer: refused, nothing written
    for client, note in (
        (planner, "  "),
        (planner, "闭" * 151),
        (tech, "不去了"),
        (customer, "不要"),
    ):
        client.post(act, {"cancel_note": note})
    visit.refresh_from_db()
    assert visit.state == "released" and visit.ticket.state != "cancelled"
    assert not AuditEvent.objects.filter(verb="visit_cancel").exists()
    shown = planner.post(act, {"cancel_note": "  "}, follow=True).content.decode()
    assert "取消必须填写原因" in shown
    done = planner.post(act, {"cancel_note": "客户场馆九月闭馆改造"}, follow=True)
    visit.refresh_from_db()
    assert (visit.state, visit.cancel_reason, visit.cancel_note) == (
        "cancelled",
        "manual",
        "客户场馆九月闭馆改造",
    )
    assert visit.ticket.state == "cancelled"
    event = AuditEvent.objects.get(verb="visit_cancel", object_id=str(visit.pk))
    assert event.actor_id == w.coordinator.pk and "客户场馆九月闭馆改造" in event.reason
    text = done.content.decode()
    assert 'data-testid="cancelled"' in text and "客户场馆九月闭馆改造" in text
    assert 'data-testid="cancel-visit"' not in text  # once


def test_the_api_cancels_a_visit_for_a_planner_only(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.parts.tests.test_api import call

    plan = make_plan(w)
    visit = MaintenanceVisit.objects.filter(plan=plan).order_by("due_date")[1]
    url = f"/api/v1/maintenance/visits/{visit.pk}/cancel"
    err = call("post", url, w.coordinator, {"cancel_note": ""}, status=422)
    assert err["code"] and "原因" in err["message"]
    call("post", url, w.coordinator, {"cancel_note": "闭" * 151}, status=422)
    call("post", url, w.tech, {"cancel_note": "不去了"}, status=403)
    call("post", url, w.cust1, {"cancel_note": "不要了"}, status=403)
    call("post", url, w.cust2, {"cancel_note": "不要了"}, status=403)
    visit.refresh_from_db()
    assert visit.state == "planned" and not AuditEvent.objects.filter(verb="visit_cancel").exists()
    got = call("post", url, w.coordinator, {"cancel_note": "客户要求改期至下月"})
    assert (got["state"], got["cancel_reason"], got["cancel_note"]) == (
        "cancelled",
        "manual",
        "客户要求改期至下月",
    )
    # the customer sees it cancelled, not the planner's reason
    mine = call("get", f"/api/v1/maintenance/visits/{visit.pk}", w.cust1)
    assert mine["state"] == "cancelled" and mine["cancel_note"] == ""
    again = call("post", url, w.coordinator, {"cancel_note": "再取消"}, status=409)
    assert again["code"]
    assert AuditEvent.objects.filter(verb="visit_cancel").count() == 1
