"""The SLA rules production runs, read from the database: a contract gives the ticket its
policy, a 7×24 contract the 7×24 policy, a covering contract overrides the warranty; the
regional on-site targets; the dispatch-confirmation clock and the loaner time are the
policy's (SPEC §3.3), each edited through the service path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.core.services import update_record
from aftersales.customers.models import ServiceContract
from aftersales.service.models import LoanerTask, SlaClock
from aftersales.service.services import clocks, warranty
from aftersales.service.tests.test_flow_services import new_ticket
from aftersales.sla.models import SlaPolicy, SlaTarget

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH)


def _contract(world, **kw):  # type: ignore[no-untyped-def]
    return ServiceContract.objects.create(
        customer=world.customer,
        code=kw.pop("code", "HT-2026-001"),
        name="维保合同",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
        **kw,
    )


def _admin():  # type: ignore[no-untyped-def]
    # SLA policies are edited in the back office (Django admin)
    return t.user("admin", is_staff=True, is_superuser=True)


def _clock(ticket, metric):  # type: ignore[no-untyped-def]
    return ticket.clocks.get(metric=metric)


def test_a_contracts_sla_policy_is_the_tickets(world) -> None:  # type: ignore[no-untyped-def]
    gold = SlaPolicy.objects.create(code="gold", name="金牌服务")
    SlaTarget.objects.create(
        policy=gold, severity="normal", metric="response", amount=Decimal(15), working_time=False
    )
    _contract(world, sla_policy=gold)
    ticket = new_ticket(world, received_at=MONDAY)
    assert (ticket.sla_policy, ticket.sla_policy_source) == (gold, "contract")
    response = _clock(ticket, "response")
    assert (response.target_minutes, response.working_time) == (15, False)
    assert response.due_at == MONDAY + dt.timedelta(minutes=15)


def test_a_7x24_contract_counts_every_severity_around_the_clock(world) -> None:  # type: ignore[no-untyped-def]
    saturday = dt.datetime(2026, 11, 28, 22, 0, tzinfo=SH)
    plain = new_ticket(world, received_at=saturday)
    assert plain.sla_policy_source == "default" and _clock(plain, "response").working_time
    _contract(world, is_7x24=True)
    ticket = new_ticket(
        world, received_at=saturday, allow_duplicate=True, different_fault_reason="另一处故障"
    )
    assert (ticket.sla_policy.code, ticket.sla_policy_source) == ("7x24", "contract")
    response = _clock(ticket, "response")
    assert not response.working_time
    assert response.due_at == saturday + dt.timedelta(minutes=60)  # Saturday 23:00


def test_a_covering_contract_overrides_the_warranty(world) -> None:  # type: ignore[no-untyped-def]
    world.equipment.acceptance_date = dt.date(2023, 1, 1)
    world.equipment.save()
    world.site.acceptance_date = dt.date(2023, 1, 1)
    world.site.save()
    out = new_ticket(world)
    assert warranty.current(out).outcome == "chargeable"
    _contract(world, code="HT-FREE", covers_travel=False)
    covered = new_ticket(world, allow_duplicate=True, different_fault_reason="另一处故障")
    record = warranty.current(covered)
    assert (record.contract_no, record.outcome, record.travel_charge) == (
        "HT-FREE",
        "chargeable",
        "at_price",
    )
    assert (record.parts_charge, record.labour_charge) == ("waived", "waived")
    assert any(r["code"] == "contract" for r in record.reasons)


def test_regional_on_site_targets(world) -> None:  # type: ignore[no-untyped-def]
    """Field engineers are in EAST: a site there is local (2 h for urgent), one in a
    neighbouring region 12 h, one elsewhere 48 h (the default policy's regional targets)."""
    north = t.region("NORTH", "华北区")
    far = t.region("WEST", "西南区")
    north.neighbours.add(world.region)

    def on_site(region):  # type: ignore[no-untyped-def]
        site = t.site(world.customer, region=region)
        eq = t.equipment(site, world.model)
        ticket = new_ticket(world, severity="urgent", equipment_id=eq.id, received_at=MONDAY)
        return _clock(ticket, "on_site").target_minutes

    assert (on_site(world.region), on_site(north), on_site(far)) == (120, 720, 2880)
    # a regional target shorter than the severity's does not shorten it
    policy = SlaPolicy.objects.get(code="default")
    policy.regional_targets.filter(relation="neighbour").update(minutes=60)
    update_record(policy, actor=_admin(), changes={"name": "默认服务时限（改）"})
    assert on_site(north) == 120


def test_dispatch_confirmation_clock_is_the_policys(world) -> None:  # type: ignore[no-untyped-def]
    urgent = new_ticket(world, severity="urgent", received_at=MONDAY)
    dispatch_clock = _clock(urgent, "dispatch")
    assert (dispatch_clock.target_minutes, dispatch_clock.working_time) == (10, False)
    assert dispatch_clock.due_at == MONDAY + dt.timedelta(minutes=10)
    assert (
        not new_ticket(world, allow_duplicate=True, different_fault_reason="另一处故障")
        .clocks.filter(metric="dispatch")
        .exists()
    )
    policy = SlaPolicy.objects.get(code="default")
    update_record(policy, actor=_admin(), changes={"dispatch_confirm_minutes": 5})
    again = new_ticket(
        world,
        severity="major",
        received_at=MONDAY,
        allow_duplicate=True,
        different_fault_reason="另一处故障",
    )
    assert _clock(again, "dispatch").due_at == MONDAY + dt.timedelta(minutes=5)


def test_loaner_time_is_the_policys_in_the_sweep_too(world) -> None:  # type: ignore[no-untyped-def]
    policy = SlaPolicy.objects.get(code="default")
    update_record(policy, actor=_admin(), changes={"loaner_after_minutes": 60})
    received = timezone.now() - dt.timedelta(minutes=90)
    ticket = new_ticket(world, severity="urgent", received_at=received)
    # no clock check pending: only the sweep's own loaner query can find the ticket
    SlaClock.objects.filter(ticket=ticket).update(next_check_at=None)
    clocks.sweep(now=received + dt.timedelta(minutes=59))
    assert not LoanerTask.objects.filter(ticket=ticket).exists()
    clocks.sweep(now=received + dt.timedelta(minutes=61))
    task = LoanerTask.objects.get(ticket=ticket)
    assert task.note == "1小时内未修复，需提供备用机；暂无可用备用机"  # no loaner pool here
