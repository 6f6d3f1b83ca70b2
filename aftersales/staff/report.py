"""The staff panel of the KPI board (考核事实, SPEC §8): the assessment facts of the period per
person and kind — how many were counted against the person, waived, or still to be assessed.

Registered in the reports' one registry from this app's ``ready()``; the board, the panel's
Excel export and the monthly pack pick it up. The filter dimensions of a fact are the
person's: his region (the staff profile's, else the user's) and team (his department); a
dealer's own people carry the dealer. Product category and customer tier do not apply to a
person (a filter on them leaves this panel empty, as for the other panels without them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from aftersales.reports.collectors import X, _facts, _grouped, bounds
from aftersales.reports.registry import Agg, Chart, Column, Fact, Panel, Table, register, summed
from aftersales.staff.models import AssessmentFact, FactKind

KIND_ORDER = {k: i for i, k in enumerate(FactKind.values)}
CHART_PEOPLE = 15


def collect(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """Facts that occurred that day (not archived), per person and kind: ``n`` facts,
    ``hits`` counted, ``total`` waived, ``total2`` still open (待考核)."""
    lo, hi = bounds(start, end)
    qs = AssessmentFact.objects.filter(
        occurred_at__gte=lo, occurred_at__lt=hi, archived_at__isnull=True
    )
    dims = {
        X["region_id"]: Coalesce(F("person__staff_profile__region_id"), F("person__region_id")),
        X["team_id"]: F("person__department_id"),
        X["category_id"]: Value(None, output_field=IntegerField()),
        X["tier"]: Value(""),
        X["dealer_id"]: F("person__dealer_id"),
    }
    outcome = AssessmentFact.Outcome
    rows = _grouped(qs, "occurred_at", dims, {"key1": F("person_id"), "key2": F("kind")}).annotate(
        n=Count("id"),
        hits=Count("id", filter=Q(outcome=outcome.COUNTED)),
        total=Count("id", filter=Q(outcome=outcome.WAIVED)),
        total2=Count("id", filter=Q(outcome=outcome.OPEN)),
    )
    yield from _facts(rows)


def table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("人员")),
            Column(_l("考核类型")),
            Column(_l("事实数"), "int"),
            Column(_l("已计入"), "int"),
            Column(_l("已免责"), "int"),
            Column(_l("待考核"), "int"),
        ]
    )
    rows = summed(aggs, "key1", "key2")
    for a in sorted(
        rows, key=lambda a: (names.person(a["key1"]), a["key1"], KIND_ORDER.get(a["key2"], 99))
    ):
        t.rows.append(
            [
                names.person(a["key1"]),
                names.label("fact_kind", a["key2"]),
                a.n,
                a.hits,
                a.total,
                a.total2,
            ]
        )
    t.rows.append(
        [
            _("合计"),
            "",
            sum(a.n for a in rows),
            sum(a.hits for a in rows),
            sum(a.total for a in rows),
            sum(a.total2 for a in rows),
        ]
    )
    return t


def chart(aggs: list[Agg], names: Any) -> Chart:
    people = sorted(summed(aggs, "key1"), key=lambda a: (-a.n, names.person(a["key1"])))
    people = people[:CHART_PEOPLE]
    return Chart(
        "stack",
        [names.person(a["key1"]) for a in people],
        [
            (_("已计入"), [float(a.hits) for a in people]),
            (_("已免责"), [float(a.total) for a in people]),
            (_("待考核"), [float(a.total2) for a in people]),
        ],
    )


PANEL = Panel(
    "staff",
    _l("人员考核事实"),
    _l(
        "按发生日统计各人员的考核事实（迟到、服务报告不完整或逾期、重复维修、回访不满意、被投诉、"
        "拒绝派工、漏检/逾期巡检）：已计入、已免责、待考核；片区、班组为人员所属片区与部门"
    ),
    ("key1", "key2"),
    collect,
    table,
    chart,
    order=150,
    lookups=(("person", "key1"),),
)


def register_panel() -> None:
    register(PANEL)
