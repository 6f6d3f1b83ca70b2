"""The default approval flows and deadline rules of SPEC §4 and §5 (configuration is data:
``ensure_defaults`` only adds what is missing, an administrator's edits stay)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class StepDefault:
    order: int
    name: str
    roles: tuple[str, ...]
    departments_from_document: bool = False


@dataclass(frozen=True)
class FlowDefault:
    code: str
    name: str
    document_type: str
    description: str
    steps: tuple[StepDefault, ...]


QD = "quality_director"
QCD = "quality_centre_director"

FLOWS: tuple[FlowDefault, ...] = (
    FlowDefault(
        "parts_request",
        "补件申请审批",
        "parts.partsrequest",
        "补件申请单由售后主办审核，品质办主任审批后下单给补配组、采购部（001 第一篇 4.2）",
        (
            StepDefault(1, "售后主办审核", ("coordinator",)),
            StepDefault(2, "品质办主任审批", (QD,)),
        ),
    ),
    FlowDefault(
        "fg_loading_list",
        "成品装车单审批",
        "parts.loadinglist",
        "直接从仓库发成品包的补件，成品装车单经品质办主任审批（001 第一篇 4.3）",
        (StepDefault(1, "品质办主任审批", (QD,)),),
    ),
    FlowDefault(
        "parts_closing",
        "补件收尾审批",
        "parts.closingrun",
        "欠补件明细经品质办主任审批后向补配组、采购部下达收尾指令（001 第一篇 4.5）",
        (StepDefault(1, "品质办主任审批", (QD,)),),
    ),
    FlowDefault(
        "parts_analysis",
        "月度补件分析审批",
        "parts.monthlyanalysis",
        "售后补件分析总结报售后主办审核，经品质办主任或品管中心总监确认（001 第一篇 4.12）",
        (
            StepDefault(1, "售后主办审核", ("coordinator",)),
            StepDefault(2, "品质办主任/品管中心总监确认", (QD, QCD)),
        ),
    ),
    FlowDefault(
        "return_request",
        "退货审批",
        "returns.returnrequest",
        "公司相关部门签署意见，经品质办主任或品管中心总监审批后才允许退货（001 第一篇 4.8）",
        (
            StepDefault(1, "相关部门会签", (), departments_from_document=True),
            StepDefault(2, "品质办主任/品管中心总监审批", (QD, QCD)),
        ),
    ),
    FlowDefault(
        "credit_note",
        "冲账审批",
        "returns.creditnote",
        "冲账申请报告呈报公司主管领导批准后交财务冲账（001 第一篇 4.11）",
        (StepDefault(1, "主管领导批准", ("manager",)),),
    ),
    FlowDefault(
        "stock_count",
        "盘点差异审批",
        "stock.stockcount",
        "月度盘点的盘盈盘亏经售后组长审批后才过账调整库存（SPEC §11）",
        (StepDefault(1, "售后组长审批", ("team_leader",)),),
    ),
    FlowDefault(
        "quote_manual_line",
        "报价手工项目审批",
        "service.quote",
        "不得在公布的收费标准之外收费：报价中收费标准以外的手工项目须经主管领导批准后"
        "才能发给客户确认（001 第四篇 四，SPEC §12）",
        (StepDefault(1, "主管领导批准", ("manager",)),),
    ),
    FlowDefault(
        "expense_claim",
        "差旅报销审批",
        "charges.expenseclaim",
        "维修工程师的差旅费用凭票据、与出差相符，经审批后财务才报销（003#8 §一4，SPEC §12）",
        (StepDefault(1, "售后组长审批", ("team_leader", "manager")),),
    ),
)


@dataclass(frozen=True)
class RuleDefault:
    code: str
    label: str
    amount: Decimal
    unit: str
    remind_before_minutes: int
    escalate_roles: tuple[str, ...]
    source: str


D = Decimal
RULES: tuple[RuleDefault, ...] = (
    RuleDefault("approval.step", "审批", D(1), "working_days", 240, ("manager",), "审批按工作日计"),
    RuleDefault(
        "parts.delivery",
        "承诺交付",
        D(15),
        "calendar_days",
        2 * 24 * 60,
        ("coordinator",),
        "001 4.1 交付日期最长不超过15天",
    ),
    RuleDefault(
        "parts.production",
        "补件生产",
        D(12),
        "calendar_days",
        2 * 24 * 60,
        ("coordinator", "team_leader"),
        "001 4.2 12天生产周期",
    ),
    RuleDefault(
        "parts.closing_grace",
        "收尾宽限",
        D(3),
        "calendar_days",
        24 * 60,
        ("team_leader", QD),
        "001 4.5 宽限期限不能超过三天",
    ),
    RuleDefault(
        "returns.inspection",
        "退货QA检验",
        D(48),
        "hours",
        8 * 60,
        (QD,),
        "001 4.10 48小时内组织成品QA检验",
    ),
    RuleDefault(
        "returns.record_to_customer",
        "检验记录传客户",
        D(3),
        "calendar_days",
        24 * 60,
        ("coordinator",),
        "001 4.10 3天内将退货检验记录表传真给客户",
    ),
    RuleDefault(
        "returns.customer_confirmation",
        "客户确认",
        D(2),
        "calendar_days",
        12 * 60,
        (),
        "001 4.10 客户两天内确认回传，没有回传即为默认",
    ),
    RuleDefault(
        "returns.final_handling",
        "返修/换货最终处理",
        D(15),
        "calendar_days",
        3 * 24 * 60,
        ("coordinator", "manager"),
        "001 4.11 15天内给出最终处理",
    ),
    RuleDefault(
        "service.repeat_window",
        "重复维修判定期",
        D(30),
        "calendar_days",
        0,
        (),
        "SPEC §3.5 维修后同一设备同一故障在此期间内再次报修即为重复维修（001 第四篇 三）",
    ),
    RuleDefault(
        "service.report_filing",
        "维修报告提交期限",
        D(5),
        "calendar_days",
        0,
        (),
        "000 §二(二)5(4) 完工后此期限内提交维修报告，逾期计为报告迟交",
    ),
    RuleDefault(
        "service.factory_repair",
        "工厂返修",
        D(5),
        "working_days",
        24 * 60,
        ("coordinator",),
        "SPEC §3.3 需返厂维修的，工厂自收到之日起5个工作日内修复发回（003#1，001 第五篇）",
    ),
    RuleDefault(
        "service.factory_round_trip",
        "返厂维修往返",
        D(10),
        "working_days",
        24 * 60,
        ("coordinator", "manager"),
        "SPEC §3.3 需返厂维修的，自寄出之日起10个工作日内返回（003#1，001 第五篇）",
    ),
    RuleDefault(
        "parts.promise_max",
        "补件承诺交付最长期限",
        D(15),
        "calendar_days",
        0,
        (),
        "001 4.1 交付日期最长时间不超过15天",
    ),
    RuleDefault(
        "installed_base.warranty_notice",
        "保修到期提前通知销售",
        D(30),
        "calendar_days",
        0,
        (),
        "000 §二(二)4(4) 严格记录保修期，即将超过保修期的客户及时通知销售部跟进后期服务",
    ),
)
RULE_BY_CODE = {r.code: r for r in RULES}


def ensure_defaults(apps: Any = None) -> None:
    """Create the missing default flows, steps and deadline rules (idempotent). ``apps`` is
    the migration state registry when called from a data migration."""
    ensure_flows_and_rules(FLOWS, RULES, apps)


def ensure_flows_and_rules(flows: Any, rules: Any, apps: Any = None) -> None:
    """The one way an app's default flows, steps and deadline rules are created (idempotent;
    an administrator's edits are kept): approvals' own and those of quality, dealers and
    stock. ``apps`` is the migration state registry when called from a data migration."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    flow_model = apps.get_model("approvals", "ApprovalFlow")
    step_model = apps.get_model("approvals", "ApprovalStep")
    rule_model = apps.get_model("approvals", "DeadlineRule")
    for f in flows:
        flow, _ = flow_model.objects.get_or_create(
            code=f.code,
            defaults={
                "name": f.name,
                "document_type": f.document_type,
                "description": f.description,
            },
        )
        for s in f.steps:
            step_model.objects.get_or_create(
                flow=flow,
                order=s.order,
                defaults={
                    "name": s.name,
                    "role_codes": list(s.roles),
                    "departments_from_document": s.departments_from_document,
                },
            )
    for r in rules:
        rule_model.objects.get_or_create(
            code=r.code,
            defaults={
                "label": r.label,
                "amount": r.amount,
                "unit": r.unit,
                "remind_before_minutes": r.remind_before_minutes,
                "escalate_roles": list(r.escalate_roles),
                "source": r.source,
            },
        )
