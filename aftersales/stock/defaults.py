"""The stock domain's deadline rules (configuration is data: seeded here, edited by an
administrator afterwards; offered to the deadline engine as its fallback defaults)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aftersales.approvals import defaults as approval_defaults
from aftersales.approvals.defaults import RuleDefault

# the rule's amount is how long before the month's end each location's count is due
# (0: by the end of the month); reminded ``remind_before_minutes`` before that
MONTHLY_COUNT = "stock.monthly_count"
# a loan not back by the end of its agreed day is told about at once (stock.loans_overdue);
# the rule's amount later it is escalated to the rule's roles
LOAN_ESCALATION = "stock.loan_escalation"

RULES: tuple[RuleDefault, ...] = (
    RuleDefault(
        MONTHLY_COUNT,
        "月度盘点",
        Decimal(0),
        "calendar_days",
        5 * 24 * 60,
        ("manager",),
        "SPEC §11 每月盘点（001 第三篇 四；时长=月底前天数，0即月底前完成）",
    ),
    RuleDefault(
        LOAN_ESCALATION,
        "备用机逾期升级",
        Decimal(3),
        "calendar_days",
        0,
        ("team_leader", "manager"),
        "SPEC §11 备用机维修完成后收回（issue 15 overdue loans escalate；时长=约定归还日之后）",
    ),
)


def register() -> None:
    for r in RULES:
        approval_defaults.RULE_BY_CODE.setdefault(r.code, r)


def ensure_defaults(apps: Any = None) -> None:
    approval_defaults.ensure_flows_and_rules((), RULES, apps)
