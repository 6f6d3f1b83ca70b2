"""The dealer domain's deadline rules (configuration is data: seeded here, edited by an
administrator afterwards; offered to the deadline engine as its fallback defaults)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aftersales.approvals import defaults as approval_defaults
from aftersales.approvals.defaults import RuleDefault

ARRANGE = "dealers.arrange"
CHECK = "dealers.coordinator_check"
# the company's leaders an unarranged task is reported to (003: 未予落实的，应该上报公司领导协调)
LEADERS = ("manager",)
# the rule's amount is the lead time: a plan is due that long *before* the season starts
STOCKING = "dealers.stocking_plan"

RULES: tuple[RuleDefault, ...] = (
    RuleDefault(
        ARRANGE,
        "承办方安排服务任务",
        Decimal(2),
        "hours",
        30,
        ("coordinator",),
        "SPEC §3.3 / 003 交经销商或公司部门处理的报修，承办方须在2小时内确认安排并告知客户",
    ),
    RuleDefault(
        CHECK,
        "主办核查服务任务安排",
        Decimal(4),
        "hours",
        0,
        LEADERS,
        "SPEC §3.3 / 003 售后主办在4小时后核查承办方是否已安排；逾期未核查或未落实的上报公司领导",
    ),
    RuleDefault(
        STOCKING,
        "经销商提交备货计划",
        Decimal(30),
        "calendar_days",
        7 * 24 * 60,
        ("sales", "coordinator"),
        "003 #11 经销商须在销售前30天提出配件储备计划（时长=旺季开始前天数）",
    ),
)


def register() -> None:
    for r in RULES:
        approval_defaults.RULE_BY_CODE.setdefault(r.code, r)


def ensure_defaults(apps: Any = None) -> None:
    approval_defaults.ensure_flows_and_rules((), RULES, apps)
