"""The policy rules production applies (``sla.rules.choose_policy`` / ``resolve_targets``),
tested on the defaults an installation is seeded with (``demo.defaults.SLA_POLICIES``).
No database: the defaults are turned into the plain values ``service.services.clocks``
builds from the rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from aftersales.demo.defaults import DEFAULT_POLICY, POLICY_7X24, SLA_POLICIES, WDAY
from aftersales.sla.rules import (
    ClockTarget,
    PolicySource,
    RegionalTarget,
    Relation,
    Severity,
    Target,
    choose_policy,
    days_to_minutes,
    region_relation,
    resolve_targets,
)

DAY = 450  # 08:30–12:00 / 13:30–17:30


@dataclass(frozen=True)
class Policy:
    code: str
    customer_tier: str = ""
    is_default: bool = False


def seeded(code: str) -> tuple[list[Target], dict[Relation, RegionalTarget]]:
    spec = next(p for p in SLA_POLICIES if p.code == code)
    rows = [
        Target(t.severity, t.metric, Decimal(t.amount), t.unit == WDAY, t.working_time)
        for t in spec.targets
    ]
    return rows, {Relation(r): RegionalTarget(m) for r, m in spec.regional}


def clocks(code: str, severity: Severity, **kw: object) -> dict[str, tuple[int, bool]]:
    rows, regional = seeded(code)
    out = resolve_targets(
        rows,
        severity,
        working_day_minutes=DAY,
        regional=regional,
        dispatch_confirm_minutes=10,
        **kw,  # type: ignore[arg-type]
    )
    return {c.metric: (c.minutes, c.working_time) for c in out}


def test_default_policy_table() -> None:
    for severity in (Severity.MAJOR, Severity.URGENT):
        got = clocks(DEFAULT_POLICY, severity)
        assert got["response"] == (30, False)
        assert got["on_site"] == (120, False)
        assert got["resolution"] == (240, False)
        assert got["dispatch"] == (10, False)
    assert clocks(DEFAULT_POLICY, Severity.MAJOR)["plan"] == (120, False)
    assert "plan" not in clocks(DEFAULT_POLICY, Severity.URGENT)
    assert clocks(DEFAULT_POLICY, Severity.NORMAL) == {
        "response": (60, True),
        "on_site": (DAY, True),
        "resolution": (DAY, True),
    }
    # low: on site by appointment, no clock; 5 working days to resolve
    assert clocks(DEFAULT_POLICY, Severity.LOW) == {
        "response": (DAY, True),
        "resolution": (5 * DAY, True),
    }


def test_seven_by_24_counts_days_as_whole_days() -> None:
    got = clocks(POLICY_7X24, Severity.LOW)
    assert got == {"response": (240, False), "resolution": (4320, False)}
    assert days_to_minutes(Decimal(1), working_time=False, working_day_minutes=DAY) == 1440
    assert days_to_minutes(Decimal("1.5"), working_time=True, working_day_minutes=DAY) == 675
    with pytest.raises(ValueError):
        days_to_minutes(Decimal(1), working_time=True, working_day_minutes=0)


def test_regional_on_site_targets_only_lengthen() -> None:
    # normal: 1 working day on site; neighbouring 12 h and other province 48 h around the clock
    assert clocks(DEFAULT_POLICY, Severity.NORMAL, relation=Relation.LOCAL)["on_site"] == (
        DAY,
        True,
    )
    assert clocks(DEFAULT_POLICY, Severity.NORMAL, relation=Relation.NEIGHBOUR)["on_site"] == (
        720,
        False,
    )
    assert clocks(DEFAULT_POLICY, Severity.NORMAL, relation=Relation.OTHER)["on_site"] == (
        2880,
        False,
    )
    # a major ticket far away gets the longer regional target too; a shorter one never wins
    assert clocks(DEFAULT_POLICY, Severity.MAJOR, relation=Relation.NEIGHBOUR)["on_site"] == (
        720,
        False,
    )
    rows, _ = seeded(DEFAULT_POLICY)
    short = {Relation.OTHER: RegionalTarget(60)}
    out = resolve_targets(
        rows, Severity.MAJOR, working_day_minutes=DAY, relation=Relation.OTHER, regional=short
    )
    assert ClockTarget("on_site", 120, False) in out
    # without a confirmation time no dispatch clock
    assert all(c.metric != "dispatch" for c in out)


def test_negative_target_is_refused() -> None:
    with pytest.raises(ValueError):
        resolve_targets(
            [Target("normal", "response", Decimal(-1))], "normal", working_day_minutes=DAY
        )


def test_region_relation() -> None:
    staffed = {1, 2}
    neighbours = {3: {2}, 4: {5}}
    assert region_relation(1, staffed, neighbours) is Relation.LOCAL
    assert region_relation(3, staffed, neighbours) is Relation.NEIGHBOUR
    assert region_relation(4, staffed, neighbours) is Relation.OTHER
    assert region_relation(None, staffed, neighbours) is Relation.OTHER
    assert region_relation(None, {None, 1}, neighbours) is Relation.LOCAL


def test_policy_choice_order() -> None:
    default = Policy("default", is_default=True)
    seven = Policy(POLICY_7X24)
    key = Policy("key", customer_tier="key")
    contract = Policy("c-1")
    policies = [default, seven, key]
    assert choose_policy(policies, contract_policy=contract, customer_tier="key") == (
        contract,
        PolicySource.CONTRACT,
    )
    assert choose_policy(policies, contract_is_7x24=True, customer_tier="key") == (
        seven,
        PolicySource.CONTRACT,
    )
    assert choose_policy(policies, customer_tier="key") == (key, PolicySource.TIER)
    assert choose_policy(policies, customer_tier="normal") == (default, PolicySource.DEFAULT)
    assert choose_policy([seven], customer_tier="") == (None, PolicySource.DEFAULT)
