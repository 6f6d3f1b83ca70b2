"""The report panels of the after-sales department (SPEC §13, issue 17), registered in the one
registry. Each table function is pure: summed facts and display names in, rows out."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from aftersales.reports import collectors, satisfaction
from aftersales.reports.registry import (
    Agg,
    Chart,
    Column,
    Panel,
    Table,
    hours,
    mean,
    pct,
    register,
    summed,
    yuan,
)

SEVERITY_ORDER = ("major", "urgent", "normal", "low")
METRIC_ORDER = {m: i for i, m in enumerate(collectors.SLA_METRICS)}
AGE_ORDER = {code: i for i, (_limit, code) in enumerate(collectors.AGE_BUCKETS)}


def _sev(code: str) -> int:
    return SEVERITY_ORDER.index(code) if code in SEVERITY_ORDER else 9


def _f(value: Any) -> float:
    return float(value) if value is not None else 0.0


# -- SLA compliance ------------------------------------------------------------------------


def sla_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("目标")),
            Column(_l("严重程度")),
            Column(_l("片区")),
            Column(_l("班组")),
            Column(_l("已判定"), "int"),
            Column(_l("达成"), "int"),
            Column(_l("达成率%"), "pct"),
            Column(_l("超时"), "int"),
            Column(_l("超时合计(分钟)"), "int"),
            Column(_l("平均超时(分钟)"), "number"),
            Column(_l("最长超时(分钟)"), "int"),
        ]
    )
    rows = sorted(
        aggs,
        key=lambda a: (
            METRIC_ORDER.get(a["key1"], 9),
            _sev(a["key2"]),
            names.region(a["region_id"]),
            names.team(a["team_id"]),
        ),
    )
    for a in rows:
        breached = a.n - a.hits
        t.rows.append(
            [
                names.label("metric", a["key1"]),
                names.label("severity", a["key2"]),
                names.region(a["region_id"]),
                names.team(a["team_id"]),
                a.n,
                a.hits,
                pct(a.hits, a.n),
                breached,
                a.total,
                mean(a.total, breached),
                a.peak,
            ]
        )
    return t


def sla_chart(aggs: list[Agg], names: Any) -> Chart:
    by = {(a["key1"], a["key2"]): a for a in summed(aggs, "key1", "key2")}
    sevs = sorted({a["key2"] for a in aggs}, key=_sev)
    return Chart(
        "bar",
        [names.label("severity", s) for s in sevs],
        [
            (
                names.label("metric", m),
                [_f(pct(by[(m, s)].hits, by[(m, s)].n)) if (m, s) in by else 0.0 for s in sevs],
            )
            for m in collectors.SLA_METRICS
        ],
        unit="%",
    )


# -- first-time fix --------------------------------------------------------------------------


def first_fix_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("产品类别")),
            Column(_l("已解决维修单"), "int"),
            Column(_l("一次修复"), "int"),
            Column(_l("一次修复率%"), "pct"),
        ]
    )
    groups = summed(aggs, "category_id")
    for a in sorted(groups, key=lambda a: names.category(a["category_id"])):
        t.rows.append([names.category(a["category_id"]), a.n, a.hits, pct(a.hits, a.n)])
    n, hits = sum(a.n for a in groups), sum(a.hits for a in groups)
    t.rows.append([_("合计"), n, hits, pct(hits, n)])
    return t


def first_fix_chart(aggs: list[Agg], names: Any) -> Chart:
    groups = summed(aggs, "category_id")
    return Chart(
        "bar",
        [names.category(a["category_id"]) for a in groups],
        [(_("一次修复率%"), [_f(pct(a.hits, a.n)) for a in groups])],
        unit="%",
    )


# -- repeat repairs --------------------------------------------------------------------------


def repeats_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("工程师")),
            Column(_l("型号")),
            Column(_l("提交报告"), "int"),
            Column(_l("重复维修"), "int"),
            Column(_l("重复维修率%"), "pct"),
        ]
    )
    for a in sorted(aggs, key=lambda a: (-a.hits, names.person(a["key1"]), a["key2"])):
        t.rows.append(
            [names.person(a["key1"]), a["key2"] or _("（未指定）"), a.n, a.hits, pct(a.hits, a.n)]
        )
    return t


def repeats_chart(aggs: list[Agg], names: Any) -> Chart:
    people = sorted(summed(aggs, "key1"), key=lambda a: -a.hits)[:15]
    return Chart(
        "bar",
        [names.person(a["key1"]) for a in people],
        [(_("重复维修"), [float(a.hits) for a in people])],
    )


# -- mean times -------------------------------------------------------------------------------


def times_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("指标")),
            Column(_l("严重程度")),
            Column(_l("单数"), "int"),
            Column(_l("平均(小时)"), "number"),
            Column(_l("最长(小时)"), "number"),
        ]
    )
    for a in sorted(aggs, key=lambda a: (METRIC_ORDER.get(a["key1"], 9), _sev(a["key2"]))):
        t.rows.append(
            [
                names.label("metric", a["key1"]),
                names.label("severity", a["key2"]),
                a.n,
                hours(mean(a.total, a.n)),
                hours(a.peak),
            ]
        )
    return t


def times_chart(aggs: list[Agg], names: Any) -> Chart:
    groups = {a["key1"]: a for a in summed(aggs, "key1")}
    metrics = [m for m in collectors.SLA_METRICS if m in groups]
    return Chart(
        "bar",
        [names.label("metric", m) for m in metrics],
        [(_("平均(小时)"), [_f(hours(mean(groups[m].total, groups[m].n))) for m in metrics])],
        unit="h",
    )


# -- backlog ----------------------------------------------------------------------------------


def backlog_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("账龄")),
            Column(_l("严重程度")),
            Column(_l("未完成报修"), "int"),
            Column(_l("最长(天)"), "number"),
        ]
    )
    for a in sorted(aggs, key=lambda a: (AGE_ORDER.get(a["key1"], 9), _sev(a["key2"]))):
        t.rows.append(
            [
                names.label("age", a["key1"]),
                names.label("severity", a["key2"]),
                a.n,
                mean(a.peak, 1440),
            ]
        )
    t.rows.append(
        [_("合计"), "", sum(a.n for a in aggs), mean(max((a.peak for a in aggs), default=0), 1440)]
    )
    return t


def backlog_chart(aggs: list[Agg], names: Any) -> Chart:
    groups = sorted(summed(aggs, "key1"), key=lambda a: AGE_ORDER.get(a["key1"], 9))
    return Chart(
        "bar",
        [names.label("age", a["key1"]) for a in groups],
        [(_("未完成报修"), [float(a.n) for a in groups])],
    )


# -- requests by channel and type (the weekly contacts report) --------------------------------


def contacts_table(aggs: list[Agg], names: Any) -> Table:
    t = Table([Column(_l("渠道")), Column(_l("类型")), Column(_l("数量"), "int")])
    for a in sorted(aggs, key=lambda a: (-a.n, a["key1"], a["key2"])):
        t.rows.append([names.label("channel", a["key1"]), names.label("type", a["key2"]), a.n])
    t.rows.append([_("合计"), "", sum(a.n for a in aggs)])
    return t


def contacts_chart(aggs: list[Agg], names: Any) -> Chart:
    channels = sorted({a["key1"] for a in aggs})
    types = sorted({a["key2"] for a in aggs})
    by = {(a["key1"], a["key2"]): a.n for a in aggs}
    return Chart(
        "stack",
        [names.label("channel", c) for c in channels],
        [(names.label("type", ty), [float(by.get((c, ty), 0)) for c in channels]) for ty in types],
    )


# -- monthly repair statistics ------------------------------------------------------------------


def _count_table(first: Any, second: Any, label1: Any, label2: Any) -> Any:
    def table(aggs: list[Agg], names: Any) -> Table:
        t = Table([Column(label1), Column(label2), Column(_l("报告数"), "int")])
        for a in sorted(aggs, key=lambda a: (-a.n, a["key1"], a["key2"])):
            t.rows.append([first(names, a["key1"]), second(names, a["key2"]), a.n])
        t.rows.append([_("合计"), "", sum(a.n for a in aggs)])
        return t

    return table


def _top_chart(first: Any) -> Any:
    def chart(aggs: list[Agg], names: Any) -> Chart:
        top = sorted(summed(aggs, "key1"), key=lambda a: -a.n)[:10]
        return Chart(
            "bar",
            [first(names, a["key1"]) for a in top],
            [(_("报告数"), [float(a.n) for a in top])],
        )

    return chart


def _plain(names: Any, code: str) -> str:
    return code or _("（未指定）")


def _cause(names: Any, code: str) -> str:
    return names.label("cause", code)


def _responsibility(names: Any, code: str) -> str:
    return names.label("responsibility", code)


def parts_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("配件")),
            Column(_l("收费方式")),
            Column(_l("数量"), "int"),
            Column(_l("报告数"), "int"),
        ]
    )
    for a in sorted(aggs, key=lambda a: (-a.n, a["key1"], a["key2"])):
        t.rows.append([a["key1"], names.label("charge", a["key2"]), a.n, a.hits])
    t.rows.append([_("合计"), "", sum(a.n for a in aggs), sum(a.hits for a in aggs)])
    return t


def parts_chart(aggs: list[Agg], names: Any) -> Chart:
    groups = summed(aggs, "key2")
    return Chart(
        "pie",
        [names.label("charge", a["key2"]) for a in groups],
        [(_("数量"), [float(a.n) for a in groups])],
    )


def costs_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("保修判定")),
            Column(_l("已解决报修"), "int"),
            Column(_l("收费单数"), "int"),
            Column(_l("收费金额(元)"), "money"),
            Column(_l("减免金额(元)"), "money"),
        ]
    )
    for a in sorted(aggs, key=lambda a: a["key1"]):
        t.rows.append(
            [names.label("outcome", a["key1"]), a.n, a.hits, yuan(a.total), yuan(a.total2)]
        )
    t.rows.append(
        [
            _("合计"),
            sum(a.n for a in aggs),
            sum(a.hits for a in aggs),
            yuan(sum(a.total for a in aggs)),
            yuan(sum(a.total2 for a in aggs)),
        ]
    )
    return t


def costs_chart(aggs: list[Agg], names: Any) -> Chart:
    return Chart(
        "pie",
        [names.label("outcome", a["key1"]) for a in aggs],
        [(_("已解决报修"), [float(a.n) for a in aggs])],
    )


# -- parts requests and returns on time ----------------------------------------------------------


def deadlines_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("单据")),
            Column(_l("步骤")),
            Column(_l("到期"), "int"),
            Column(_l("按时"), "int"),
            Column(_l("逾期"), "int"),
            Column(_l("按时率%"), "pct"),
            Column(_l("平均逾期(小时)"), "number"),
        ]
    )
    for a in sorted(aggs, key=lambda a: (a["key1"], a["key2"])):
        t.rows.append(
            [
                names.label("doc", a["key1"]),
                names.step(a["key2"]),
                a.n,
                a.hits,
                a.total,
                pct(a.hits, a.n),
                hours(mean(a.total2, a.total)),
            ]
        )
    return t


def deadlines_chart(aggs: list[Agg], names: Any) -> Chart:
    groups = summed(aggs, "key1")
    return Chart(
        "stack",
        [names.label("doc", a["key1"]) for a in groups],
        [
            (_("按时"), [float(a.hits) for a in groups]),
            (_("逾期"), [float(a.total) for a in groups]),
        ],
    )


# -- complaints (quality) -------------------------------------------------------------------------


def complaints_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("投诉类别")),
            Column(_l("投诉方")),
            Column(_l("投诉数"), "int"),
            Column(_l("已答复"), "int"),
            Column(_l("平均答复(小时)"), "number"),
            Column(_l("最长答复(小时)"), "number"),
            Column(_l("已结案"), "int"),
            Column(_l("结案率%"), "pct"),
        ]
    )
    for a in sorted(aggs, key=lambda a: (-a.n, a["key1"], a["key2"])):
        t.rows.append(
            [
                names.label("complaint_category", a["key1"]),
                names.label("complainant", a["key2"]),
                a.n,
                a.hits,
                hours(mean(a.total, a.hits)),
                hours(a.peak) if a.hits else None,
                a.total2,
                pct(a.total2, a.n),
            ]
        )
    n, closed = sum(a.n for a in aggs), sum(a.total2 for a in aggs)
    t.rows.append([_("合计"), "", n, sum(a.hits for a in aggs), None, None, closed, pct(closed, n)])
    return t


def complaints_chart(aggs: list[Agg], names: Any) -> Chart:
    groups = summed(aggs, "key1")
    return Chart(
        "stack",
        [names.label("complaint_category", a["key1"]) for a in groups],
        [
            (_("已结案"), [float(a.total2) for a in groups]),
            (_("未结案"), [float(a.n - a.total2) for a in groups]),
        ],
    )


# -- planned maintenance --------------------------------------------------------------------------


def maintenance_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("计划类型")),
            Column(_l("计划"), "int"),
            Column(_l("完成"), "int"),
            Column(_l("逾期未完成"), "int"),
            Column(_l("完成率%"), "pct"),
        ]
    )
    groups = summed(aggs, "key1")
    for a in sorted(groups, key=lambda a: (-a.n, a["key1"])):
        t.rows.append([names.label("plan_kind", a["key1"]), a.n, a.hits, a.total, pct(a.hits, a.n)])
    n, done = sum(a.n for a in groups), sum(a.hits for a in groups)
    t.rows.append([_("合计"), n, done, sum(a.total for a in groups), pct(done, n)])
    return t


def maintenance_chart(aggs: list[Agg], names: Any) -> Chart:
    groups = summed(aggs, "key1")
    return Chart(
        "bar",
        [names.label("plan_kind", a["key1"]) for a in groups],
        [
            (_("计划"), [float(a.n) for a in groups]),
            (_("完成"), [float(a.hits) for a in groups]),
            (_("逾期未完成"), [float(a.total) for a in groups]),
        ],
    )


# -- stock ------------------------------------------------------------------------------------------


def stock_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("库存地点")),
            Column(_l("类型")),
            Column(_l("数量"), "int"),
            Column(_l("库存金额(元)"), "money"),
            Column(_l("呆滞（行）"), "int"),
            Column(_l("呆滞金额(元)"), "money"),
            Column(_l("低于最低库存（配件）"), "int"),
        ]
    )
    rows = summed(aggs, "key1", "key2")
    for a in sorted(rows, key=lambda a: (-a.total, names.warehouse(a["key1"]))):
        t.rows.append(
            [
                names.warehouse(a["key1"]),
                names.label("warehouse_kind", a["key2"]),
                a.n,
                yuan(a.total),
                a.peak,
                yuan(a.total2),
                a.hits,
            ]
        )
    t.rows.append(
        [
            _("合计"),
            "",
            sum(a.n for a in rows),
            yuan(sum(a.total for a in rows)),
            sum(a.peak for a in rows),
            yuan(sum(a.total2 for a in rows)),
            sum(a.hits for a in rows),
        ]
    )
    return t


def stock_chart(aggs: list[Agg], names: Any) -> Chart:
    rows = sorted(summed(aggs, "key1"), key=lambda a: -a.total)[:15]
    return Chart(
        "stack",
        [names.warehouse(a["key1"]) for a in rows],
        [
            (_("正常周转金额(元)"), [_f(yuan(a.total - a.total2)) for a in rows]),
            (_("呆滞金额(元)"), [_f(yuan(a.total2)) for a in rows]),
        ],
        unit="¥",
    )


def shortages_table(aggs: list[Agg], names: Any) -> Table:
    t = Table(
        [
            Column(_l("配件")),
            Column(_l("缺件次数"), "int"),
            Column(_l("缺少数量"), "int"),
            Column(_l("待补货"), "int"),
        ]
    )
    groups = summed(aggs, "key1")
    for a in sorted(groups, key=lambda a: (-a.n, a["key1"])):
        t.rows.append([a["key1"] or _("（未指定）"), a.n, a.total, a.hits])
    t.rows.append(
        [
            _("合计"),
            sum(a.n for a in groups),
            sum(a.total for a in groups),
            sum(a.hits for a in groups),
        ]
    )
    return t


def shortages_chart(aggs: list[Agg], names: Any) -> Chart:
    top = sorted(summed(aggs, "key1"), key=lambda a: -a.n)[:10]
    return Chart("bar", [a["key1"] for a in top], [(_("缺件次数"), [float(a.n) for a in top])])


PANELS = (
    Panel(
        "sla",
        _l("SLA达成率"),
        _l(
            "按受理日统计已判定的计时（按时达成或已超时）：首次响应、到场、解决 × 严重程度 × 片区 × 班组，含超时时长"
        ),
        ("key1", "key2", "region_id", "team_id"),
        collectors.sla,
        sla_table,
        sla_chart,
        order=10,
    ),
    Panel(
        "first_fix",
        _l("一次修复率"),
        _l("按解决日统计维修单：未重开且最多一次上门即为一次修复"),
        ("category_id",),
        collectors.first_fix,
        first_fix_table,
        first_fix_chart,
        order=20,
    ),
    Panel(
        "repeats",
        _l("重复维修"),
        _l("按报告提交日统计：同一设备同类故障在时限内再次维修，计入前次维修的工程师"),
        ("key1", "key2"),
        collectors.repeats,
        repeats_table,
        repeats_chart,
        order=30,
        lookups=(("person", "key1"),),
    ),
    Panel(
        "times",
        _l("平均响应、到场、解决时间"),
        _l("按受理日统计，自受理起计（自然时间）"),
        ("key1", "key2"),
        collectors.times,
        times_table,
        times_chart,
        order=40,
    ),
    Panel(
        "backlog",
        _l("未完成报修及账龄"),
        _l("期末（所选期间最后一个已汇总日）未解决、未关闭的报修单"),
        ("key1", "key2"),
        collectors.backlog,
        backlog_table,
        backlog_chart,
        order=50,
        snapshot=True,
    ),
    Panel(
        "contacts",
        _l("来电来函来访（按渠道、类型）"),
        _l("按受理日统计每一次来电、来函、来访、门户与扫码报修；选一周即为周报"),
        ("key1", "key2"),
        collectors.contacts,
        contacts_table,
        contacts_chart,
        order=60,
    ),
    Panel(
        "faults",
        _l("故障统计（按型号、故障类别）"),
        _l("按报告提交日统计服务报告"),
        ("key1", "key2"),
        collectors.faults,
        _count_table(_plain, _plain, _l("型号"), _l("故障类别")),
        _top_chart(_plain),
        order=70,
    ),
    Panel(
        "components",
        _l("故障统计（按部件、原因）"),
        _l("按报告提交日统计服务报告"),
        ("key1", "key2"),
        collectors.components,
        _count_table(_plain, _cause, _l("故障部件"), _l("原因分类")),
        _top_chart(_plain),
        order=75,
    ),
    Panel(
        "parts_used",
        _l("配件使用（免费与收费）"),
        _l("按报告提交日统计报告中更换的配件，按报修单当前保修判定的配件收费方式"),
        ("key1", "key2"),
        collectors.parts_used,
        parts_table,
        parts_chart,
        order=80,
    ),
    Panel(
        "costs",
        _l("维修费用（免费与收费）"),
        _l("按解决日统计报修单的保修判定及客户已接受报价的金额"),
        ("key1",),
        collectors.costs,
        costs_table,
        costs_chart,
        order=85,
    ),
    Panel(
        "callbacks",
        _l("回访结果与满意度趋势"),
        _l(
            "按回访完成日统计各问题的平均分、问题解决比例与联系不上比例：每月合计，"
            "并按片区、产品类别（报修设备的类别）分列"
        ),
        ("month", "key1", "region_id", "category_id"),
        collectors.callbacks,
        satisfaction.callbacks_table,
        satisfaction.callbacks_chart,
        order=90,
    ),
    Panel(
        "deadlines",
        _l("补件与退货按时 / 逾期"),
        _l("按到期日统计补件单、退货单各步骤时限：按时完成、逾期（逾期完成或到期未完成）"),
        ("key1", "key2"),
        collectors.deadlines,
        deadlines_table,
        deadlines_chart,
        order=100,
        lookups=(("step", "key2"),),
    ),
    Panel(
        "complaints",
        _l("投诉（按类别、投诉方）"),
        _l("按登记日统计投诉单（已撤销的不计）：首次答复时长、结案情况"),
        ("key1", "key2"),
        collectors.complaints,
        complaints_table,
        complaints_chart,
        order=110,
    ),
    Panel(
        "maintenance",
        _l("计划巡检：计划、完成、逾期"),
        _l("按应完成日期统计巡检任务（已取消的不计），与合同巡检覆盖同一口径"),
        ("key1",),
        collectors.maintenance,
        maintenance_table,
        maintenance_chart,
        order=120,
    ),
    Panel(
        "stock",
        _l("库存金额与呆滞"),
        _l("期末（所选期间最后一个已记录日）各库存地点的数量、金额、呆滞与低于最低库存"),
        ("key1", "key2"),
        collectors.stock,
        stock_table,
        stock_chart,
        order=130,
        live=True,
        lookups=(("warehouse", "key1"),),
    ),
    Panel(
        "shortages",
        _l("缺件（按配件）"),
        _l("按登记日统计工程师报告用件时车载库存不足的缺件记录"),
        ("key1",),
        collectors.shortages,
        shortages_table,
        shortages_chart,
        order=140,
    ),
)


def register_all() -> None:
    for panel in PANELS:
        register(panel)
