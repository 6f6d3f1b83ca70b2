"""A hand-made month (March 2026) for the KPI tests: the tickets are *defined* here as plain
values — when each was received, how long the first response, the arrival and the resolution
took, the visits, reopenings, reports — and loaded as real rows; the SLA clocks' status and
breach minutes are set by the service's own SLA engine (``clocks.refresh``) and the repeat
links by the service's own rule (``reports.find_repeat``). The tests compute the expected
figures from this definition with plain arithmetic, not from the code under test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from aftersales import testing as t
from aftersales.accounts.models import Department
from aftersales.demo.defaults import ensure_defaults
from aftersales.service.models import (
    ServiceReport,
    SlaClock,
    Ticket,
    TicketState,
    WorkOrder,
    WorkOrderState,
)
from aftersales.sla.models import SlaPolicy

TZ = ZoneInfo("Asia/Shanghai")
MONTH_START = dt.date(2026, 3, 1)
MONTH_END = dt.date(2026, 3, 31)
EVALUATED_AFTER_DAYS = 60  # the SLA engine judges every clock 60 days after reception
TARGETS = {"response": 30, "on_site": 240, "resolution": 1440}  # minutes, 7×24


@dataclass(frozen=True)
class Visit:
    tech: str  # "t1", "t2" (team A) or "t3" (team B)
    after: int  # minutes after reception: check-in
    report_day: dt.date | None = None  # the filed service report, if any
    fault: str = "黑屏"


@dataclass(frozen=True)
class Def:
    key: str
    received: dt.datetime
    region: str  # "east" | "north"
    severity: str
    equipment: str  # "e1".."e4"
    response: int | None  # minutes to the first response (None: never responded)
    resolution: int | None  # minutes to resolution (None: still open)
    visits: tuple[Visit, ...] = ()
    reopened: int = 0
    remote: bool = False
    type: str = "repair"
    tier: str = "normal"
    extra: dict[str, str] = field(default_factory=dict)


def in_march(moment: dt.datetime) -> bool:
    return MONTH_START <= moment.astimezone(TZ).date() <= MONTH_END


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


D = dt.date
TICKETS: tuple[Def, ...] = (
    # fast, one visit, fixed first time
    Def("A", at(2, 9), "east", "normal", "e1", 10, 600, (Visit("t1", 120, D(2026, 3, 2)),)),
    # late response, late arrival, fixed in one visit
    Def("B", at(3, 10), "east", "normal", "e2", 45, 1200, (Visit("t1", 300, D(2026, 3, 3)),)),
    # two visits: not a first-time fix; resolution late
    Def(
        "C",
        at(5, 8),
        "north",
        "urgent",
        "e3",
        20,
        2000,
        (Visit("t2", 200, D(2026, 3, 5)), Visit("t2", 1500, D(2026, 3, 6))),
    ),
    # remote fix, no visit: a first-time fix
    Def("D", at(8, 14), "north", "normal", "e4", 5, 90, (), remote=True),
    # the same fault on e1 as A, 10 days later: a repeat repair charged to t1
    Def("E", at(12, 9), "east", "normal", "e1", 25, 700, (Visit("t3", 100, D(2026, 3, 12)),)),
    # reopened once: not a first-time fix
    Def(
        "F",
        at(15, 11),
        "north",
        "urgent",
        "e4",
        31,
        1000,
        (Visit("t3", 250, D(2026, 3, 15)),),
        reopened=1,
        tier="key",
    ),
    # received in March, resolved in April: SLA in March, first-time fix in April
    Def("G", at(30, 20), "east", "normal", "e2", 15, 3000, (Visit("t1", 230, D(2026, 3, 31)),)),
    # received in February, resolved in March: first-time fix in March, SLA in February
    Def(
        "H",
        at(27, 9, month=2),
        "north",
        "normal",
        "e3",
        12,
        5 * 1440,
        (Visit("t3", 200, D(2026, 3, 4)),),
    ),
    # the same fault on e1 again, 40 days after E (and outside the 30-day window): no repeat
    Def(
        "I",
        at(21, 9, month=4),
        "east",
        "normal",
        "e1",
        10,
        100,
        (Visit("t2", 60, D(2026, 4, 21)),),
    ),
    # still open at the month's end (no resolution): backlog
    Def("J", at(28, 9), "north", "major", "e4", 8, None, (Visit("t3", 100),)),
    # a consultation: counted in the contacts, not a repair
    Def("K", at(10, 9), "east", "low", "e2", 3, 20, (), type="consultation"),
)


def build() -> SimpleNamespace:
    from aftersales.service.services import clocks, reports

    ensure_defaults(today=dt.date(2026, 3, 1))
    regions = {"east": t.region("EAST", "华东区"), "north": t.region("NORTH", "华北区")}
    teams = {
        "A": Department.objects.create(code="TA", name="一组"),
        "B": Department.objects.create(code="TB", name="二组"),
    }
    techs = {
        "t1": t.user("technician", username="t1", department=teams["A"]),
        "t2": t.user("technician", username="t2", department=teams["A"]),
        "t3": t.user("technician", username="t3", department=teams["B"]),
    }
    led = t.category("led", "LED显示屏")
    model = t.product_model(led, code="P3-500")
    customers = {
        (r, tier): t.customer(regions[r], None, tier=tier)
        for r in regions
        for tier in ("normal", "key")
    }
    sites = {k: t.site(c) for k, c in customers.items()}
    policy = SlaPolicy.objects.filter(is_default=True).first()
    assert policy is not None
    made: dict[str, Ticket] = {}
    eq_rows: dict[tuple[str, str, str], Any] = {}
    filings: list[tuple[dt.datetime, WorkOrder, Ticket, str]] = []
    for d in TICKETS:
        site = sites[(d.region, d.tier)]
        where = (d.equipment, d.region, d.tier)
        if where not in eq_rows:
            eq_rows[where] = t.equipment(site, model, serial_no="SN-" + "-".join(where))
        eq = eq_rows[where]
        resolved = d.received + dt.timedelta(minutes=d.resolution) if d.resolution else None
        ticket = Ticket.objects.create(
            number=f"T-{d.key}",
            type=d.type,
            channel="phone" if d.key != "D" else "portal",
            severity=d.severity,
            state=TicketState.CLOSED if resolved else TicketState.IN_PROGRESS,
            customer=site.customer,
            site=site,
            equipment=eq,
            contact_name="王经理",
            contact_phone="13800138000",
            description="故障",
            received_at=d.received,
            resolved_at=resolved,
            closed_at=resolved,
            reopen_count=d.reopened,
            remote=d.remote,
            sla_policy=policy,
            fault_category="黑屏",
        )
        made[d.key] = ticket
        for metric, minutes in (
            ("response", d.response),
            ("on_site", d.visits[0].after if d.visits else None),
            ("resolution", d.resolution),
        ):
            if metric == "on_site" and not d.visits:
                continue
            clock = SlaClock.objects.create(
                ticket=ticket,
                metric=metric,
                target_minutes=TARGETS[metric],
                working_time=False,
                started_at=d.received,
                due_at=d.received + dt.timedelta(minutes=TARGETS[metric]),
                met_at=d.received + dt.timedelta(minutes=minutes) if minutes is not None else None,
            )
            clocks.refresh(clock, ticket, d.received + dt.timedelta(days=EVALUATED_AFTER_DAYS))
        for i, v in enumerate(d.visits):
            check_in = d.received + dt.timedelta(minutes=v.after)
            wo = WorkOrder.objects.create(
                ticket=ticket,
                number=f"W-{d.key}{i}",
                state=WorkOrderState.DONE if v.report_day else WorkOrderState.ON_SITE,
                technician=techs[v.tech],
                dispatched_at=check_in - dt.timedelta(minutes=30),
                check_in_at=check_in,
            )
            if v.report_day:
                filed = dt.datetime.combine(v.report_day, dt.time(18, 0), tzinfo=TZ)
                filings.append((filed, wo, ticket, v.fault))
    # reports are filed in time order, as in life: the repeat rule looks back from each one
    for filed, wo, ticket, fault in sorted(filings, key=lambda f: f[0]):
        report = ServiceReport.objects.create(
            work_order=wo, ticket=ticket, fault_category=fault, filed_at=filed
        )
        report.repeat_of = reports.find_repeat(report, filed)
        report.save(update_fields=["repeat_of"])
    return SimpleNamespace(regions=regions, teams=teams, techs=techs, tickets=made, category=led)
