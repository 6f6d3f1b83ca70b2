"""The quality domain's deadline rules and approval flow (configuration is data: seeded
here, edited by an administrator afterwards; ``ensure_defaults`` only adds what is missing).

The rules are also offered to the deadline engine as its fallback defaults, so a step still
starts on an installation (or a flushed test database) that lacks the row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aftersales.approvals import defaults as approval_defaults
from aftersales.approvals.defaults import FlowDefault, RuleDefault, StepDefault

QD = "quality_director"
# department codes whose company members appraise old parts (the technical department)
TECHNICAL_DEPARTMENTS = frozenset({"TECH"})
# department codes whose company members hear of every quality warning (R&D, SPEC §6.3
# "feeds R&D"; the technical department too)
RD_DEPARTMENTS = frozenset({"RD", *TECHNICAL_DEPARTMENTS})

RULES: tuple[RuleDefault, ...] = (
    RuleDefault(
        "quality.dealer_reply",
        "经销商投诉书面答复",
        Decimal(24),
        "hours",
        4 * 60,
        ("coordinator", QD),
        "SPEC §6.1 经销商投诉24小时内书面答复（002 §四）",
    ),
    RuleDefault(
        "quality.consumer_decision",
        "消费者投诉处理意见",
        Decimal(24),
        "hours",
        4 * 60,
        ("coordinator", QD),
        "SPEC §6.1 消费者投诉24小时内给出处理意见（002 §四）",
    ),
    RuleDefault(
        "quality.old_part_return",
        "旧件返回期限",
        Decimal(15),
        "calendar_days",
        3 * 24 * 60,
        ("coordinator", QD),
        "SPEC §6.4 保修更换的旧件随维修记录返回（003#11 §四3，默认15天；经销商按约定期限）",
    ),
    RuleDefault(
        "quality.supplier_claim",
        "旧件供应商索赔跟进",
        Decimal(30),
        "calendar_days",
        3 * 24 * 60,
        (QD,),
        "SPEC §6.4 供应商产品的旧件通知供应商并跟进索赔（§3.2 责任鉴定）",
    ),
    RuleDefault(
        "quality.capa",
        "纠正预防措施完成期限",
        Decimal(30),
        "calendar_days",
        3 * 24 * 60,
        (QD,),
        "SPEC §6.2 措施按期完成（期限由品质办按措施确定，默认30天）",
    ),
    RuleDefault(
        "quality.review_action",
        "月度质量评审改进措施期限",
        Decimal(30),
        "calendar_days",
        3 * 24 * 60,
        (QD,),
        "SPEC §6.1 月度评审的改进措施落实责任人并跟踪（001 第一篇 4.16；期限由评审确定）",
    ),
)

FLOWS: tuple[FlowDefault, ...] = (
    FlowDefault(
        "complaint_handling",
        "重大投诉处理单审批",
        "quality.complaint",
        "重大投诉由生产、技术部门提出措施，售后与销售与客户商定方案，相关部门会签，"
        "品质办主任批准（001 第一篇 4.14）",
        (
            StepDefault(1, "相关部门会签", (), departments_from_document=True),
            StepDefault(2, "品质办主任批准", (QD,)),
        ),
    ),
    FlowDefault(
        "quality_review",
        "月度质量评审审批",
        "quality.qualityreview",
        "售后服务部门每月审视上月份的投诉案件（000 §三(四)），评审结论与改进措施经品管中心总监"
        "批准（SPEC §1 品管中心总监 monthly analysis）",
        (StepDefault(1, "品管中心总监批准", ("quality_centre_director",)),),
    ),
)


def register() -> None:
    """Offer the rules to the deadline engine as defaults (called at app ready)."""
    for r in RULES:
        approval_defaults.RULE_BY_CODE.setdefault(r.code, r)


def ensure_defaults(apps: Any = None) -> None:
    approval_defaults.ensure_flows_and_rules(FLOWS, RULES, apps)


def ensure_flow(code: str) -> None:
    """The flow row, created from the defaults when missing (before ``engine.submit``)."""
    from aftersales.approvals.models import ApprovalFlow

    if not ApprovalFlow.objects.filter(code=code).exists():
        ensure_defaults()


# default warning thresholds (every category without its own): the same fault of one model
# three times in a month, six in a quarter, twelve in a year (an administrator tunes them)
THRESHOLDS: tuple[tuple[str, int], ...] = (("month", 3), ("quarter", 6), ("year", 12))


def ensure_thresholds(apps: Any = None) -> None:
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    model = apps.get_model("quality", "WarningThreshold")
    for window, count in THRESHOLDS:
        if not model.objects.filter(
            category__isnull=True, window=window, archived_at__isnull=True
        ).exists():
            model.objects.create(window=window, min_count=count, note="默认阈值")
