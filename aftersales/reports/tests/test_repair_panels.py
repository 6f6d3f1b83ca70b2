"""The monthly repair statistics (故障、部件与原因、配件使用、维修费用) against hand counts of
a made-up March defined below as plain values: reports filed in March only (not archived, not
an inspection's), the parts they fitted by how the ticket's current warranty decision charges
them, the tickets resolved in March by warranty outcome with their accepted quotes' amounts
(not a cancelled ticket, not a rejected quote, not an archived decision) — and each panel's
Excel export equal to its table on the screen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from aftersales import testing as t
from aftersales.catalog.models import Part
from aftersales.reports.services import summary
from aftersales.reports.tests.tables import Tables, assert_export_is_table, same
from aftersales.service.models import (
    Quote,
    ReportPart,
    ServiceReport,
    Ticket,
    WarrantyRecord,
    WorkOrder,
    WorkOrderState,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MARCH = "start=2026-03-01&end=2026-03-31"
NONE = "（未指定）"
CAUSES = {"manufacturing": "制造", "installation": "安装", "misuse": "使用不当"}
OUTCOMES = {"free": "免费", "chargeable": "收费", "parts_at_cost": "只收取工本费", "": NONE}
CHARGES = {"waived": "免费", "at_cost": "成本价", "at_price": "按价目", "": NONE}


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


# ticket: model, type, resolved at, state, current warranty decision (outcome, parts charge)
# or None, quotes (state, total, waived)
TICKETS: dict[str, tuple[Any, ...]] = {
    "T1": ("P3", "repair", at(3, 5), "closed", ("free", "waived"), ()),
    "T2": (
        "P3",
        "repair",
        at(3, 12),
        "closed",
        ("chargeable", "at_price"),
        (("accepted", "300.00", "20.00"), ("rejected", "500.00", "0.00")),
    ),
    "T3": (
        "L55",
        "repair",
        at(3, 31, 23, 50),  # the month's last minutes
        "closed",
        ("parts_at_cost", "at_cost"),
        (("accepted", "80.50", "0.00"), ("accepted", "19.50", "5.00")),
    ),
    "T4": ("L55", "repair", None, "in_progress", None, ()),  # still open
    "T5": ("P3", "inspection", at(3, 10), "closed", ("free", "waived"), ()),
    "T6": ("P3", "repair", at(3, 30), "closed", ("free", "waived"), ()),
    "T7": ("P3", "repair", at(4, 1, 0, 10), "closed", ("chargeable", "at_price"), ()),
    "T8": ("P3", "repair", at(3, 8), "cancelled", ("chargeable", "at_price"), ()),
    "T9": ("L55", "repair", at(3, 15), "closed", None, ()),  # no decision recorded
}
# report: ticket, filed at, fault category, faulty component, cause, parts fitted, archived
REPORTS: tuple[tuple[Any, ...], ...] = (
    ("T1", at(3, 5), "黑屏", "PSU", "manufacturing", (("PWR-200", 2), ("MOD-P3", 1)), False),
    ("T2", at(3, 11), "花屏", "MOD", "misuse", (("MOD-P3", 3),), False),
    ("T3", at(3, 1, 0, 20), "黑屏", "PSU", "manufacturing", (("PWR-200", 1),), False),
    ("T3", at(3, 19), "黑屏", "PSU", "manufacturing", (), False),
    ("T4", at(3, 25), "闪烁", "CARD", "installation", (("CARD-R", 1),), False),
    ("T5", at(3, 10), "巡检", "", "", (("PWR-200", 5),), False),  # an inspection's
    ("T6", at(3, 30), "黑屏", "PSU", "manufacturing", (("PWR-200", 4),), True),  # archived
    ("T7", at(4, 1, 0, 10), "黑屏", "PSU", "manufacturing", (("PWR-200", 7),), False),  # April
)


def counted_reports() -> list[tuple[Any, ...]]:
    return [r for r in REPORTS if not r[6] and r[1].month == 3 and TICKETS[r[0]][1] != "inspection"]


def by_hand() -> dict[str, dict[tuple[str, str], list[str]]]:
    faults: dict[tuple[str, str], int] = defaultdict(int)
    components: dict[tuple[str, str], int] = defaultdict(int)
    parts: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, set()])
    for i, (ticket, _filed, fault, component, cause, fitted, _arch) in enumerate(counted_reports()):
        faults[(TICKETS[ticket][0], fault)] += 1
        components[(component, CAUSES[cause])] += 1
        decision = TICKETS[ticket][4]
        charge = CHARGES[decision[1] if decision else ""]
        for code, qty in fitted:
            parts[(code, charge)][0] += qty
            parts[(code, charge)][1].add(i)
    costs: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)
    for _model, _type, resolved, state, decision, quotes in TICKETS.values():
        if resolved is None or resolved.month != 3 or state == "cancelled":
            continue
        row = costs[(OUTCOMES[decision[0] if decision else ""], "")]
        accepted = [q for q in quotes if q[0] == "accepted"]
        charged = sum((Decimal(q[1]) for q in accepted), Decimal(0))
        row[0] += 1
        row[1] += 1 if charged > 0 else 0
        row[2] += charged
        row[3] += sum((Decimal(q[2]) for q in accepted), Decimal(0))
    return {
        "faults": {k: [str(v)] for k, v in faults.items()},
        "components": {k: [str(v)] for k, v in components.items()},
        "parts_used": {k: [str(q), str(len(r))] for k, (q, r) in parts.items()},
        "costs": {
            k: [str(int(v[0])), str(int(v[1])), f"{v[2]:.2f}", f"{v[3]:.2f}"]
            for k, v in costs.items()
        },
    }


@pytest.fixture
def world() -> None:
    region = t.region("EAST", "华东区")
    led = t.category("led", "LED显示屏")
    models = {code: t.product_model(led, code=code) for code in ("P3", "L55")}
    for code in ("PWR-200", "MOD-P3", "CARD-R"):
        Part.objects.create(
            code=code, name=code, category=led, unit_cost=Decimal("1"), price=Decimal("2")
        )
    customer = t.customer(region)
    site = t.site(customer)
    tech = t.user("technician")
    tickets = {}
    for key, (model, kind, resolved, state, decision, quotes) in TICKETS.items():
        tk = Ticket.objects.create(
            number=key,
            type=kind,
            channel="phone",
            severity="normal",
            state=state,
            customer=customer,
            site=site,
            equipment=t.equipment(site, models[model]),
            contact_name="王经理",
            contact_phone="13800138000",
            description="故障",
            received_at=at(2, 20),
            resolved_at=resolved,
        )
        if decision:  # the current one, and an older one archived (not read)
            for outcome, parts_charge, archived in (
                ("excluded", "at_price", True),
                (*decision, False),
            ):
                WarrantyRecord.objects.create(
                    ticket=tk,
                    outcome=outcome,
                    parts_charge=parts_charge,
                    labour_charge="waived",
                    travel_charge="waived",
                    archived_at=timezone.now() if archived else None,
                )
        for i, (q_state, total, waived) in enumerate(quotes):
            Quote.objects.create(
                ticket=tk,
                state=q_state,
                total=Decimal(total),
                waived_total=Decimal(waived),
                accept_token=f"{key}-{i}",
            )
        tickets[key] = tk
    for i, (key, filed, fault, component, cause, fitted, archived) in enumerate(REPORTS):
        wo = WorkOrder.objects.create(
            ticket=tickets[key],
            number=f"W{i}",
            state=WorkOrderState.DONE,
            technician=tech,
            dispatched_at=filed - dt.timedelta(hours=3),
            check_in_at=filed - dt.timedelta(hours=2),
        )
        report = ServiceReport.objects.create(
            work_order=wo,
            ticket=tickets[key],
            fault_category=fault,
            component_code=component,
            cause_class=cause,
            filed_at=filed,
            archived_at=timezone.now() if archived else None,
        )
        for code, qty in fitted:
            ReportPart.objects.create(report=report, part=Part.objects.get(code=code), quantity=qty)
    summary.build(
        dt.date(2026, 2, 1),
        dt.date(2026, 4, 30),
        panels=["faults", "components", "parts_used", "costs"],
    )


def test_the_repair_statistics_count_what_the_rows_say(world) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(t.user("manager"))
    p = Tables()
    p.feed(c.get(f"/reports/?{MARCH}").content.decode())
    want = by_hand()
    for key, width in (("faults", 2), ("components", 2), ("parts_used", 2), ("costs", 1)):
        rows = p.tables[key]
        body, total = rows[1:-1], rows[-1]
        got = {(r[0], r[1] if width == 2 else ""): r[width:] for r in body}
        assert len(got) == len(body), key
        assert got == want[key], key
        assert total[0] == "合计", key
        for col in range(width, len(total)):  # the total row sums its column
            assert same(total[col], sum(Decimal(r[col]) for r in body)), (key, col)
    # by hand, a few
    assert want["faults"][("L55", "黑屏")] == ["2"]  # the two visits' reports of T3
    assert want["parts_used"][("MOD-P3", "按价目")] == ["3", "1"]
    assert want["costs"][("只收取工本费", "")] == ["1", "1", "100.00", "5.00"]
    assert want["costs"][(NONE, "")] == ["1", "0", "0.00", "0.00"]
    # each exported as it is shown
    for key in want:
        screen = p.tables[key]
        assert_export_is_table(c, f"/reports/export/{key}.xlsx?{MARCH}", screen, key)
