"""The callbacks panel (回访结果与满意度趋势): each question's answers per month — overall,
per region and per product category — as a mean mark (1–5) or a share (problem solved,
not reached), and the trend of the marks month by month. Pure: summed facts and display
names in, the table and the chart out (the facts are ``collectors.callbacks``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from aftersales.reports import collectors
from aftersales.reports.registry import Agg, Chart, Column, Table, mean, pct, summed

QUESTION_ORDER = {q: i for i, q in enumerate(collectors.QUESTIONS)}
SHARES = ("solved", "unreachable")  # a share in per cent; the others a mean mark


def _value(a: Agg, question: str) -> Any:
    if question in SHARES:
        return pct(a.hits, a.n)
    return mean(a.total, a.n)


def callbacks_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("月份")),
            Column(_l("问题")),
            Column(_l("片区")),
            Column(_l("产品类别")),
            Column(_l("回答数"), "int"),
            Column(_l("平均分(1-5) / 比例%"), "number"),
            Column(_l("低于3分"), "int"),
        ]
    )
    every = _("全部")
    by_region = summed(aggs, "month", "key1", "region_id")
    by_product = summed(aggs, "month", "key1", "category_id")
    overall = summed(aggs, "month", "key1")
    for o in sorted(overall, key=lambda a: (a["month"], QUESTION_ORDER.get(a["key1"], 9))):
        month, q = o["month"], o["key1"]

        def row(a: Agg, region: str, product: str, month: Any = month, q: Any = q) -> list[Any]:
            low = a.hits if q == "score" else ""
            return [month, names.label("question", q), region, product, a.n, _value(a, q), low]

        t.rows.append(row(o, every, every))
        regions = [a for a in by_region if (a["month"], a["key1"]) == (month, q)]
        for a in sorted(regions, key=lambda a: names.region(a["region_id"])):
            t.rows.append(row(a, names.region(a["region_id"]), every))
        products = [a for a in by_product if (a["month"], a["key1"]) == (month, q)]
        for a in sorted(products, key=lambda a: names.category(a["category_id"])):
            t.rows.append(row(a, every, names.category(a["category_id"])))
    return t


def callbacks_chart(aggs: list[Agg], names: Any) -> Chart:
    groups = summed(aggs, "month", "key1")
    months = sorted({a["month"] for a in groups})
    by = {(a["month"], a["key1"]): a for a in groups}
    return Chart(
        "line",
        months,
        [
            (
                names.label("question", q),
                [
                    float(mean(by[(m, q)].total, by[(m, q)].n) or 0) if (m, q) in by else 0.0
                    for m in months
                ],
            )
            for q in ("attitude", "quality", "score")
        ],
    )
