"""Reads of the reports: a panel's facts for the filters (row-level visibility from
``core.visibility``, the scope from ``filters.scoped``), summed per the panel's groups, and the
panel's table and chart from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from aftersales.core.visibility import visible
from aftersales.reports import registry
from aftersales.reports.filters import ReportFilters, month_bounds
from aftersales.reports.models import PanelFact, SummaryDay
from aftersales.reports.names import Names
from aftersales.reports.registry import Agg, Chart, Panel, Table

DIM_FILTERS = ("region_id", "team_id", "category_id", "dealer_id")


def spans(start: dt.date, end: dt.date) -> Q:
    """The period as month rows for its whole months and day rows for the days around them."""
    q = Q(pk__in=[])
    day = start
    while day <= end:
        first, last = month_bounds(day)
        if day == first and last <= end:
            q |= Q(span=PanelFact.MONTH, day=first)
        else:
            q |= Q(span=PanelFact.DAY, day__gte=day, day__lte=min(last, end))
        day = last + dt.timedelta(days=1)
    return q


def facts(panel: Panel, f: ReportFilters, user: Any = None) -> QuerySet[PanelFact]:
    qs = PanelFact.objects.filter(panel=panel.key, day__gte=f.start, day__lte=f.end)
    qs = (
        qs.filter(span=PanelFact.DAY)
        if (panel.snapshot or panel.live)
        else qs.filter(spans(f.start, f.end))
    )
    if user is not None:
        qs = visible(qs, user)
    for dim in DIM_FILTERS:
        value = getattr(f, dim)
        if value is not None:
            qs = qs.filter(**{dim: value})
    if f.tier:
        qs = qs.filter(tier=f.tier)
    if panel.snapshot or panel.live:
        last = qs.aggregate(last=Max("day"))["last"]
        qs = qs.filter(day=last) if last else qs.none()
    return qs


def aggregate(panel: Panel, f: ReportFilters, user: Any = None) -> list[Agg]:
    qs = facts(panel, f, user)
    if "month" in panel.group_by:
        qs = qs.annotate(month=TruncMonth("day"))
    rows = (
        qs.values(*panel.group_by)
        .annotate(
            sn=Sum("n"),
            shits=Sum("hits"),
            stotal=Sum("total"),
            stotal2=Sum("total2"),
            speak=Max("peak"),
        )
        .order_by()
    )
    out = []
    for r in rows:
        keys = {g: r[g] for g in panel.group_by}
        if "month" in keys and keys["month"] is not None:
            keys["month"] = keys["month"].strftime("%Y-%m")
        out.append(
            Agg(
                keys,
                int(r["sn"] or 0),
                int(r["shits"] or 0),
                int(r["stotal"] or 0),
                int(r["stotal2"] or 0),
                int(r["speak"] or 0),
            )
        )
    return out


def names_for(panel: Panel, aggs: list[Agg]) -> Names:
    ids: dict[str, set[Any]] = {}
    for a in aggs:
        for dim in (*DIM_FILTERS,):
            if dim in a.keys:
                ids.setdefault(dim, set()).add(a.keys[dim])
        for name, key in panel.lookups:
            ids.setdefault(name, set()).add(a.keys.get(key))
    return Names(ids)


@dataclass
class PanelResult:
    panel: Panel
    table: Table
    chart: Chart
    empty: bool

    @property
    def rows(self) -> list[list[str]]:
        """The table as the screen shows it (the export writes the same values)."""
        from aftersales.reports.services.workbook import display

        return [[display(v) for v in row] for row in self.table.rows]


def run(panel: Panel, f: ReportFilters, user: Any = None) -> PanelResult:
    aggs = aggregate(panel, f, user)
    names = names_for(panel, aggs)
    return PanelResult(panel, panel.table(aggs, names), panel.chart(aggs, names), not aggs)


def run_all(f: ReportFilters, user: Any = None) -> list[PanelResult]:
    return [run(p, f, user) for p in registry.panels()]


def built_until() -> Any:
    """The latest summary run (the board says "figures as of")."""
    return SummaryDay.objects.aggregate(at=Max("built_at"))["at"]
