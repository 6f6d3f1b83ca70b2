"""The repeat-repair window is data an administrator edits (时限规则 service.repeat_window,
default 30 days, SPEC §3.5): the detection and the report's printed wording follow it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.approvals.models import DeadlineRule
from aftersales.approvals.services.deadlines import rule
from aftersales.core.models import AuditEvent
from aftersales.core.services import update_record
from aftersales.service.models import ServiceReport, Ticket, TicketType
from aftersales.service.services import dispatch, reports
from aftersales.service.tests.test_flow_services import new_ticket
from aftersales.service.views.pdf import report_html

pytestmark = pytest.mark.django_db


def _filed(world, ticket, tech):  # type: ignore[no-untyped-def]
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[tech.id])
    dispatch.accept(actor=tech, work_order=wo)
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
    return reports.submit(actor=tech, work_order=wo)


def test_the_window_an_administrator_sets_decides_and_is_printed(world) -> None:  # type: ignore[no-untyped-def]
    first = new_ticket(world)
    r1 = _filed(world, first, world.tech1)
    ServiceReport.objects.filter(pk=r1.pk).update(filed_at=timezone.now() - dt.timedelta(days=40))
    second = new_ticket(
        world,
        allow_duplicate=True,
        different_fault_reason="另一处故障",
        description="同一位置又黑屏",
    )
    r2 = _filed(world, second, world.tech2)
    assert r2.repeat_of is None  # 40 days > the default 30
    # filing the report gave the ticket its fault category: audited on the ticket
    event = AuditEvent.objects.get(verb="fault_category_from_report", object_id=str(second.pk))
    assert (event.before, event.after) == ({"fault_category": ""}, {"fault_category": "模组故障"})
    assert rule("service.repeat_window").amount == Decimal("30")

    admin = t.user("admin", is_staff=True, is_superuser=True)
    update_record(
        DeadlineRule.objects.get(code="service.repeat_window"),
        actor=admin,
        changes={"amount": Decimal("45")},
    )
    assert reports.find_repeat(r2, timezone.now()) == first
    third = new_ticket(
        world, allow_duplicate=True, different_fault_reason="另一处故障", description="第三次黑屏"
    )
    ServiceReport.objects.filter(pk=r2.pk).update(archived_at=timezone.now())
    r3 = _filed(world, third, world.tech2)
    assert r3.repeat_of == first
    html = report_html(ServiceReport.objects.get(pk=r3.pk))
    assert "同一故障 45 天内再次维修" in html and first.number in html
    assert "30 天" not in html


def test_inspection_tickets_are_not_repeat_repairs(world) -> None:  # type: ignore[no-untyped-def]
    """A proactive check (type inspection) is neither counted as a repeat repair nor as the
    repair a later customer fault repeats."""
    first = new_ticket(world)
    _filed(world, first, world.tech1)
    check = new_ticket(
        world,
        allow_duplicate=True,
        different_fault_reason="主动巡检，非客户报修",
        description="巡检：同一位置模组",
    )
    Ticket.objects.filter(pk=check.pk).update(type=TicketType.INSPECTION)
    r_check = _filed(world, check, world.tech2)
    assert r_check.repeat_of is None
    later = new_ticket(
        world,
        allow_duplicate=True,
        different_fault_reason="巡检后客户再次报修",
        description="同一位置又黑屏",
    )
    ServiceReport.objects.filter(pk=r_check.pk).update(filed_at=timezone.now())
    r_later = _filed(world, later, world.tech2)
    assert r_later.repeat_of == first  # the customer's repair, not the inspection
    ServiceReport.objects.exclude(pk__in=[r_check.pk, r_later.pk]).update(
        filed_at=timezone.now() - dt.timedelta(days=40)
    )
    assert reports.find_repeat(r_later, timezone.now()) is None
