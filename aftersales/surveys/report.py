"""The satisfaction-survey panel of the KPI board (SPEC §3.6): the answers given in the period
to the quarterly / yearly surveys' score and yes/no questions — per question overall, per
region and per product category (the invitation's, kept at sending time) — as a mean mark
(1–5) or the share answering yes.

Registered in the reports' one registry from this app's ``ready()``; the board, the panel's
Excel export and the monthly pack pick it up. The filters: region and product category are
the invitation's, customer tier and dealer the customer's; the team does not apply (a filter
on it leaves this panel empty)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from aftersales.reports.collectors import X, _facts, _grouped, bounds
from aftersales.reports.registry import (
    Agg,
    Chart,
    Column,
    Fact,
    Panel,
    Table,
    pct,
    register,
    summed,
)
from aftersales.surveys.models import QuestionKind, SurveyAnswer

CHART_REGIONS = 6


def collect(start: dt.date, end: dt.date) -> Iterator[Fact]:
    """The answers of the invitations answered that day, per question (score and yes/no
    questions; a question left blank is not an answer): ``n`` answers, ``total`` the sum of
    the marks, ``hits`` the yes answers."""
    lo, hi = bounds(start, end)
    qs = SurveyAnswer.objects.filter(
        invitation__answered_at__gte=lo,
        invitation__answered_at__lt=hi,
        invitation__archived_at__isnull=True,
        question__kind__in=[QuestionKind.SCORE, QuestionKind.YES_NO],
    ).filter(Q(score__isnull=False) | Q(yes__isnull=False))
    dims = {
        X["region_id"]: F("invitation__region_id"),
        X["team_id"]: Value(None, output_field=IntegerField()),
        X["category_id"]: F("invitation__category_id"),
        X["tier"]: F("invitation__customer__tier"),
        X["dealer_id"]: F("invitation__customer__dealer_id"),
    }
    rows = _grouped(qs, "invitation__answered_at", dims, {"key1": F("question_id")}).annotate(
        n=Count("id"),
        total=Sum("score"),
        hits=Count("id", filter=Q(yes=True)),
    )
    yield from _facts(rows)


def result(a: Agg, kind: str) -> Decimal | None:
    """A score question's mean mark (two decimals, as on the survey's results page), a yes/no
    question's share of yes in per cent (one decimal)."""
    if not a.n:
        return None
    if kind == QuestionKind.SCORE:
        return (Decimal(a.total) / a.n).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return pct(a.hits, a.n)


def table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("调查")),
            Column(_l("问题")),
            Column(_l("片区")),
            Column(_l("产品类别")),
            Column(_l("回答数"), "int"),
            Column(_l("平均分(1-5) / 是%"), "number"),
        ]
    )
    every = _("全部")
    by_region = summed(aggs, "key1", "region_id")
    by_product = summed(aggs, "key1", "category_id")
    for q in sorted(summed(aggs, "key1"), key=lambda a: names.survey_question(a["key1"]).order):
        info = names.survey_question(q["key1"])
        t.rows.append([info.survey, info.text, every, every, q.n, result(q, info.kind)])
        regions = [a for a in by_region if a["key1"] == q["key1"]]
        for a in sorted(regions, key=lambda a: names.region(a["region_id"])):
            name = names.region(a["region_id"])
            t.rows.append([info.survey, info.text, name, every, a.n, result(a, info.kind)])
        products = [a for a in by_product if a["key1"] == q["key1"]]
        for a in sorted(products, key=lambda a: names.category(a["category_id"])):
            name = names.category(a["category_id"])
            t.rows.append([info.survey, info.text, every, name, a.n, result(a, info.kind)])
    return t


def chart(aggs: list[Agg], names: Any) -> Chart:
    """The score questions' mean mark, overall and in the regions with the most answers."""
    scored = [
        a
        for a in sorted(summed(aggs, "key1"), key=lambda a: names.survey_question(a["key1"]).order)
        if names.survey_question(a["key1"]).kind == QuestionKind.SCORE
    ]
    ids = [a["key1"] for a in scored]
    regions = sorted(summed(aggs, "region_id"), key=lambda a: -a.n)[:CHART_REGIONS]
    cells = {(a["key1"], a["region_id"]): a for a in summed(aggs, "key1", "region_id")}

    def mark(a: Agg | None) -> float:
        value = result(a, QuestionKind.SCORE) if a is not None else None
        return float(value) if value is not None else 0.0

    series = [(_("全部"), [mark(a) for a in scored])]
    series += [
        (names.region(r["region_id"]), [mark(cells.get((q, r["region_id"]))) for q in ids])
        for r in regions
    ]
    return Chart("bar", [names.survey_question(q).text for q in ids], series)


PANEL = Panel(
    "surveys",
    _l("满意度调查结果（按问题、片区、产品）"),
    _l(
        "按答卷日统计季度、年度满意度调查的评分题（平均分）与是/否题（回答“是”的比例）；"
        "片区、产品类别为发送调查时客户的片区与主要产品类别"
    ),
    ("key1", "region_id", "category_id"),
    collect,
    table,
    chart,
    order=95,
    lookups=(("survey_question", "key1"),),
)


def register_panel() -> None:
    register(PANEL)
