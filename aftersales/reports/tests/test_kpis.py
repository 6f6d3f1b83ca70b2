"""Every KPI figure of the fixture month against the figure computed here, by hand, from the
month's definition (tests/fixture_month.py) — not from the code under test."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from aftersales.reports import registry, selectors
from aftersales.reports.filters import ReportFilters
from aftersales.reports.services import summary
from aftersales.reports.tests import fixture_month as fm

pytestmark = pytest.mark.django_db

MARCH = ReportFilters(start=fm.MONTH_START, end=fm.MONTH_END)
TEAM_OF = {"t1": "A", "t2": "A", "t3": "B"}
REPEAT_WINDOW = dt.timedelta(days=30)  # SPEC §3.5 default


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    w = fm.build()
    summary.build(dt.date(2026, 2, 1), dt.date(2026, 4, 30))
    return w


def in_march(moment: dt.datetime) -> bool:
    return fm.MONTH_START <= moment.astimezone(fm.TZ).date() <= fm.MONTH_END


def agg(key: str, f: ReportFilters = MARCH) -> list[registry.Agg]:
    panel = registry.get(key)
    assert panel is not None
    return selectors.aggregate(panel, f)


def test_sla_compliance_per_target_severity_region_team(world) -> None:  # type: ignore[no-untyped-def]
    expected: dict[tuple[str, str, int, int | None], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for d in fm.TICKETS:
        if not in_march(d.received):
            continue
        team = world.teams[TEAM_OF[d.visits[-1].tech]].pk if d.visits else None
        for metric, minutes in (
            ("response", d.response),
            ("on_site", d.visits[0].after if d.visits else None),
            ("resolution", d.resolution),
        ):
            if metric == "on_site" and not d.visits:
                continue
            target = fm.TARGETS[metric]
            elapsed = minutes if minutes is not None else fm.EVALUATED_AFTER_DAYS * 1440
            met = minutes is not None and minutes <= target
            row = expected[(metric, d.severity, world.regions[d.region].pk, team)]
            row[0] += 1
            row[1] += int(met)
            if not met:
                row[2] += elapsed - target
                row[3] = max(row[3], elapsed - target)
    got = {
        (a["key1"], a["key2"], a["region_id"], a["team_id"]): [a.n, a.hits, a.total, a.peak]
        for a in agg("sla")
    }
    assert got == dict(expected)
    # the headline figure: response compliance over the month
    resp = [d for d in fm.TICKETS if in_march(d.received)]
    met = sum(1 for d in resp if d.response is not None and d.response <= fm.TARGETS["response"])
    table = registry.get("sla").table(
        agg("sla"), selectors.names_for(registry.get("sla"), agg("sla"))
    )  # type: ignore[union-attr]
    assert sum(r[5] for r in table.rows if r[0] == "首次响应") == met
    assert sum(r[4] for r in table.rows if r[0] == "首次响应") == len(resp)


def test_first_time_fix_rate(world) -> None:  # type: ignore[no-untyped-def]
    resolved = [
        d
        for d in fm.TICKETS
        if d.type == "repair"
        and d.resolution is not None
        and in_march(d.received + dt.timedelta(minutes=d.resolution))
    ]
    fixed = [d for d in resolved if d.reopened == 0 and len(d.visits) <= 1]
    (a,) = agg("first_fix")
    assert (a.n, a.hits) == (len(resolved), len(fixed))
    table = registry.get("first_fix").table(
        [a], selectors.names_for(registry.get("first_fix"), [a])
    )  # type: ignore[union-attr]
    assert table.rows[-1][1:] == [
        len(resolved),
        len(fixed),
        (Decimal(len(fixed)) * 100 / len(resolved)).quantize(Decimal("0.1")),
    ]


def test_repeat_repairs_by_technician_and_model(world) -> None:  # type: ignore[no-untyped-def]
    filed = sorted(
        (
            dt.datetime.combine(v.report_day, dt.time(18, 0), tzinfo=fm.TZ),
            d.key,
            (d.equipment, d.region, d.tier),
            v.fault,
            v.tech,
        )
        for d in fm.TICKETS
        for v in d.visits
        if v.report_day
    )
    n: dict[str, int] = defaultdict(int)
    hits: dict[str, int] = defaultdict(int)
    for at, key, eq, fault, tech in filed:
        if not in_march(at):
            continue
        n[tech] += 1
        earlier = [
            e
            for e in filed
            if e[2] == eq and e[3] == fault and e[1] != key and at - REPEAT_WINDOW <= e[0] < at
        ]
        if earlier:
            hits[max(earlier)[4]] += 1
    got_n: dict[str, int] = defaultdict(int)
    got_hits: dict[str, int] = defaultdict(int)
    by_pk = {str(u.pk): name for name, u in world.techs.items()}
    for a in agg("repeats"):
        assert a["key2"] == "P3-500"
        got_n[by_pk[a["key1"]]] += a.n
        got_hits[by_pk[a["key1"]]] += a.hits
    assert {k: v for k, v in got_n.items() if v} == dict(n)
    assert {k: v for k, v in got_hits.items() if v} == dict(hits)
    assert sum(hits.values()) == 4  # the fixture's story: E after A, G after B, C twice after H


def test_mean_times(world) -> None:  # type: ignore[no-untyped-def]
    march = [d for d in fm.TICKETS if in_march(d.received)]
    minutes = {
        "response": [d.response for d in march if d.response is not None],
        "on_site": [d.visits[0].after for d in march if d.visits],
        "resolution": [d.resolution for d in march if d.resolution is not None],
    }
    got = registry.summed(agg("times"), "key1")
    assert {a["key1"]: (a.n, a.total, a.peak) for a in got} == {
        m: (len(v), sum(v), max(v)) for m, v in minutes.items()
    }


def test_backlog_at_the_months_end(world) -> None:  # type: ignore[no-untyped-def]
    close = dt.datetime(2026, 4, 1, tzinfo=fm.TZ)
    open_ = [
        d
        for d in fm.TICKETS
        if d.received < close
        and (d.resolution is None or d.received + dt.timedelta(minutes=d.resolution) >= close)
    ]
    ages = sorted((close - d.received).total_seconds() / 86400 for d in open_)
    got = agg("backlog")
    assert sum(a.n for a in got) == len(open_) == 2
    buckets = {a["key1"] for a in got}
    assert buckets == {
        "1to3d" if 1 <= age < 3 else "3to7d" if 3 <= age < 7 else "other" for age in ages
    }


def test_contacts_by_channel_and_type(world) -> None:  # type: ignore[no-untyped-def]
    march = [d for d in fm.TICKETS if in_march(d.received)]
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for d in march:
        expected[("phone" if d.key != "D" else "portal", d.type)] += 1
    assert {(a["key1"], a["key2"]): a.n for a in agg("contacts")} == dict(expected)


def test_filters_narrow_every_panel(world) -> None:  # type: ignore[no-untyped-def]
    north = ReportFilters(
        start=fm.MONTH_START, end=fm.MONTH_END, region_id=world.regions["north"].pk
    )
    march_north = [d for d in fm.TICKETS if in_march(d.received) and d.region == "north"]
    assert sum(a.n for a in agg("contacts", north)) == len(march_north)
    key = ReportFilters(start=fm.MONTH_START, end=fm.MONTH_END, tier="key")
    assert sum(a.n for a in agg("contacts", key)) == sum(
        1 for d in fm.TICKETS if in_march(d.received) and d.tier == "key"
    )
    team_b = ReportFilters(start=fm.MONTH_START, end=fm.MONTH_END, team_id=world.teams["B"].pk)
    assert sum(a.n for a in agg("contacts", team_b)) == sum(
        1
        for d in fm.TICKETS
        if in_march(d.received) and d.visits and TEAM_OF[d.visits[-1].tech] == "B"
    )


def test_rebuilding_a_day_replaces_its_facts(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.reports.models import PanelFact

    before = PanelFact.objects.count()
    summary.build(fm.MONTH_START, fm.MONTH_END)
    assert PanelFact.objects.count() == before


def test_whole_months_read_their_month_rows_and_edges_their_days(world) -> None:  # type: ignore[no-untyped-def]
    from aftersales.reports.models import PanelFact

    assert PanelFact.objects.filter(panel="contacts", span="month", day=fm.MONTH_START).exists()
    span = ReportFilters(start=dt.date(2026, 2, 20), end=fm.MONTH_END)
    inside = [
        d for d in fm.TICKETS if span.start <= d.received.astimezone(fm.TZ).date() <= span.end
    ]
    assert sum(a.n for a in agg("contacts", span)) == len(inside)
    # the month rows add up to the month's day rows
    days = PanelFact.objects.filter(
        panel="sla", span="day", day__gte=fm.MONTH_START, day__lte=fm.MONTH_END
    )
    month = PanelFact.objects.filter(panel="sla", span="month", day=fm.MONTH_START)
    assert sum(f.n for f in days) == sum(f.n for f in month) > 0
