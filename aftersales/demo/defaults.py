"""Defaults every installation needs, demo or production: the standard working pattern and
this year's and next year's holidays, and the SLA policies of SPEC §3.3.

``ensure_defaults()`` only adds what is missing: a policy or target an administrator has
edited is left as it is (configuration is data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from aftersales.bizcalendar import services as calendar_services
from aftersales.bizcalendar.models import CalendarYear
from aftersales.core import audit
from aftersales.sla import rules as sla_rules
from aftersales.sla.models import Metric, Severity, SlaPolicy, SlaRegionalTarget, SlaTarget

DEFAULT_POLICY = "default"
POLICY_7X24 = sla_rules.SEVEN_BY_24_CODE  # a 7×24 contract without its own policy gets it

MIN = SlaTarget.Unit.MINUTES
WDAY = SlaTarget.Unit.WORKING_DAYS


@dataclass(frozen=True)
class TargetDefault:
    severity: str
    metric: str
    amount: int
    unit: str
    working_time: bool


@dataclass(frozen=True)
class PolicyDefault:
    code: str
    name: str
    description: str
    is_default: bool
    targets: tuple[TargetDefault, ...]
    # 到场 by region relation (local / neighbour / other), minutes around the clock
    regional: tuple[tuple[str, int], ...] = (("local", 120), ("neighbour", 720), ("other", 2880))


def _t(
    sev: Severity, metric: Metric, amount: int, unit: str = MIN, working: bool = False
) -> TargetDefault:
    return TargetDefault(sev.value, metric.value, amount, unit, working)


S, M = Severity, Metric
SLA_POLICIES: tuple[PolicyDefault, ...] = (
    PolicyDefault(
        DEFAULT_POLICY,
        "默认服务时限",
        "重大/紧急 7×24：30分钟响应、2小时到场、4小时解决（否则提供备用机），"
        "重大故障2小时内提出解决方案；"
        "一般（工作时间）：1个工作小时响应、1个工作日到场并解决，调度员认定的复杂故障3个工作日解决；"
        "低/咨询（工作时间）：1个工作日响应并预约上门（到场按预约，不计时限）、5个工作日解决。"
        "区域到场时限：本地2小时、邻近片区12小时、外省48小时（全天候计）。",
        True,
        (
            _t(S.MAJOR, M.RESPONSE, 30),
            _t(S.MAJOR, M.ON_SITE, 120),
            _t(S.MAJOR, M.RESOLUTION, 240),
            _t(S.MAJOR, M.PLAN, 120),
            _t(S.URGENT, M.RESPONSE, 30),
            _t(S.URGENT, M.ON_SITE, 120),
            _t(S.URGENT, M.RESOLUTION, 240),
            _t(S.NORMAL, M.RESPONSE, 60, MIN, True),
            _t(S.NORMAL, M.ON_SITE, 1, WDAY, True),
            _t(S.NORMAL, M.RESOLUTION, 1, WDAY, True),
            _t(S.LOW, M.RESPONSE, 1, WDAY, True),
            _t(S.LOW, M.RESOLUTION, 5, WDAY, True),
        ),
    ),
    PolicyDefault(
        POLICY_7X24,
        "7×24全天候服务",
        "适用于签订7×24小时维保合同的客户：所有严重程度全天候计时。"
        "重大/紧急：30分钟响应、2小时到场、4小时解决，重大故障2小时内提出解决方案；一般：1小时响应、8小时到场、24小时解决；"
        "低/咨询：4小时响应、72小时解决（到场按预约）。",
        False,
        (
            _t(S.MAJOR, M.RESPONSE, 30),
            _t(S.MAJOR, M.ON_SITE, 120),
            _t(S.MAJOR, M.RESOLUTION, 240),
            _t(S.MAJOR, M.PLAN, 120),
            _t(S.URGENT, M.RESPONSE, 30),
            _t(S.URGENT, M.ON_SITE, 120),
            _t(S.URGENT, M.RESOLUTION, 240),
            _t(S.NORMAL, M.RESPONSE, 60),
            _t(S.NORMAL, M.ON_SITE, 480),
            _t(S.NORMAL, M.RESOLUTION, 1440),
            _t(S.LOW, M.RESPONSE, 240),
            _t(S.LOW, M.RESOLUTION, 4320),
        ),
    ),
)


@dataclass
class DefaultsReport:
    calendar_years: list[int] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    targets: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.calendar_years or self.policies or self.targets)


def ensure_calendar(today: dt.date, report: DefaultsReport) -> None:
    """The standard pattern, and holidays for this year and next unless already seeded."""
    calendar_services.ensure_standard_pattern()
    years = [today.year, today.year + 1]
    have = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    missing = [y for y in years if y not in have]
    if missing:
        calendar_services.seed_years(missing)
        report.calendar_years.extend(missing)


def ensure_sla_policies(report: DefaultsReport) -> None:
    pattern = calendar_services.ensure_standard_pattern()
    for spec in SLA_POLICIES:
        policy = SlaPolicy.objects.filter(code=spec.code).first()
        if policy is None:
            has_default = SlaPolicy.objects.active().filter(is_default=True).exists()
            policy = SlaPolicy.objects.create(
                code=spec.code,
                name=spec.name,
                description=spec.description,
                is_default=spec.is_default and not has_default,
                pattern=pattern,
            )
            audit.record(
                policy,
                actor=None,
                action="create",
                verb="seed_default",
                after=audit.snapshot(policy),
            )
            report.policies.append(spec.code)
        have = set(policy.targets.values_list("severity", "metric"))
        new_targets = [
            SlaTarget(
                policy=policy,
                severity=t.severity,
                metric=t.metric,
                amount=Decimal(t.amount),
                unit=t.unit,
                working_time=t.working_time,
            )
            for t in spec.targets
            if (t.severity, t.metric) not in have
        ]
        SlaTarget.objects.bulk_create(new_targets)
        have_regional = set(policy.regional_targets.values_list("relation", flat=True))
        new_regional = [
            SlaRegionalTarget(policy=policy, relation=relation, minutes=minutes, working_time=False)
            for relation, minutes in spec.regional
            if relation not in have_regional
        ]
        SlaRegionalTarget.objects.bulk_create(new_regional)
        report.targets += len(new_targets) + len(new_regional)


@transaction.atomic
def ensure_defaults(*, today: dt.date | None = None) -> DefaultsReport:
    """Seed the calendar and the SLA policies where missing (idempotent, quiet when complete)."""
    report = DefaultsReport()
    ensure_calendar(today or timezone.localdate(), report)
    ensure_sla_policies(report)
    return report
