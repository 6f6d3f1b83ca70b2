"""One registry of report panels. A panel is data plus three functions:

* ``collect(start, end)`` — the selector side: reads the domain's rows for the local days
  ``[start, end)`` and yields ``Fact`` rows (one per day × filter dimensions × keys), which
  ``services.summary`` stores as ``PanelFact``;
* ``table(aggs, names)`` — a pure function from the period's summed facts to the table shown
  on screen, exported to Excel and printed in the monthly pack;
* ``chart(aggs, names)`` — a pure function to the chart spec (drawn by ECharts on screen and as
  SVG in the PDF).

A domain adds a report by calling ``register(Panel(...))`` from its app's ``ready()``; the
board, the exports and the monthly pack pick it up. No page is written per report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise

GROUPABLE = ("key1", "key2", "region_id", "team_id", "category_id", "tier", "dealer_id", "month")


@dataclass(frozen=True)
class Fact:
    day: dt.date
    region_id: int | None = None
    team_id: int | None = None
    category_id: int | None = None
    tier: str = ""
    dealer_id: int | None = None
    key1: str = ""
    key2: str = ""
    n: int = 0
    hits: int = 0
    total: int = 0
    total2: int = 0
    peak: int = 0


@dataclass(frozen=True)
class Agg:
    """The period's facts of one group, summed (``peak``: the largest)."""

    keys: dict[str, Any]
    n: int = 0
    hits: int = 0
    total: int = 0
    total2: int = 0
    peak: int = 0

    def __getitem__(self, name: str) -> Any:
        return self.keys.get(name, "")


@dataclass(frozen=True)
class Column:
    label: str | Promise
    kind: str = "text"  # text | int | pct | number | money


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)

    def header(self) -> list[str]:
        return [str(c.label) for c in self.columns]


@dataclass(frozen=True)
class Chart:
    """What to draw: ``kind`` bar | line | pie; categories along the axis, one series each."""

    kind: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    unit: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "categories": self.categories,
            "series": [{"name": name, "data": data} for name, data in self.series],
            "unit": self.unit,
        }


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    note: str | Promise  # what is counted, on which day
    group_by: tuple[str, ...]
    collect: Callable[[dt.date, dt.date], Iterable[Fact]]
    table: Callable[[list[Agg], Any], Table]
    chart: Callable[[list[Agg], Any], Chart]
    order: int = 100
    snapshot: bool = False  # a state at a day's end (backlog): the period's last built day
    # a state only readable now (stock on hand): each build writes today's facts only and
    # leaves the days before as they were recorded then (implies ``snapshot``)
    live: bool = False
    # which group key holds ids/codes the names must look up besides the dimensions
    # ({"person": "key1"}: key1 is a user id)
    lookups: tuple[tuple[str, str], ...] = ()


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    bad = set(panel.group_by) - set(GROUPABLE)
    if bad:
        raise ValueError(f"panel {panel.key}: cannot group by {sorted(bad)}")
    _PANELS[panel.key] = panel


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def get(key: str) -> Panel | None:
    return _PANELS.get(key)


# -- pure helpers the panels' table functions share ------------------------------------------

ONE_DECIMAL = Decimal("0.1")


def pct(part: int, whole: int) -> Decimal | None:
    """``part / whole`` in per cent with one decimal; ``None`` when nothing was counted."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def hours(minutes: Decimal | int | None) -> Decimal | None:
    if minutes is None:
        return None
    return (Decimal(minutes) / 60).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def yuan(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def summed(aggs: Iterable[Agg], *keys: str) -> list[Agg]:
    """Re-group ``aggs`` by ``keys`` (for a chart over fewer dimensions than the table)."""
    out: dict[tuple[Any, ...], list[int]] = {}
    for a in aggs:
        k = tuple(a[x] for x in keys)
        acc = out.setdefault(k, [0, 0, 0, 0, 0])
        acc[0] += a.n
        acc[1] += a.hits
        acc[2] += a.total
        acc[3] += a.total2
        acc[4] = max(acc[4], a.peak)
    return [
        Agg(dict(zip(keys, k, strict=True)), n, hits, total, total2, peak)
        for k, (n, hits, total, total2, peak) in sorted(out.items(), key=lambda kv: str(kv[0]))
    ]
