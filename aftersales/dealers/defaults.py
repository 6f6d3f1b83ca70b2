"""The dealer domain's deadline rules (configuration is data: seeded here, edited by an
administrator afterwards; offered to the deadline engine as its fallback defaults)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aftersales.approvals import defaults as approval_defaults
from aftersales.approvals.defaults import RuleDefault

ARRANGE = "dealers.arrange"
CHECK = "dealers.coordinator_check"
# the rule's amount is the lead time: a plan is due that long *before* the season starts
STOCKING = "dealers.stocking_plan"

RULES: tuple[RuleDefault, ...] = (
    RuleDefault(
        ARRANGE,
        "经销商安排服务",
        Decimal(2),
        "hours",
        30,
        ("coordinator",),
        "SPEC §3.3 交经销商处理的报修，经销商须在2小时内确认安排并告知客户",
    ),
    RuleDefault(
        CHECK,
        "主办核查经销商安排",
        Decimal(4),
        "hours",
        0,
        (),
        "SPEC §3.3 售后主办在4小时后核查经销商是否已安排",
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
