"""How the service screens word things: timeline events, states and choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aftersales.core.i18n import translated
from aftersales.core.said import Said, say
from aftersales.service.models import TicketState, WorkOrderState
from aftersales.service.models.report import Responsibility
from aftersales.service.transitions import TRANSITIONS
from aftersales.warranty.rules import CAUSE_CHOICES as RULE_CAUSES

VERB_LABELS: dict[str, str] = {
    "ticket_create": "登记报修",
    "warranty_decision": "保修判定",
    "warranty_override": "人工调整保修判定",
    "dispatch": "派工",
    "accept": "工程师接单",
    "decline": "工程师拒单",
    "reassign": "改派",
    "schedule": "预约上门时间",
    "on_the_way": "工程师已出发",
    "check_in": "到场签到",
    "check_out": "离场",
    "start_work": "开始处理",
    "report_save": "保存服务报告",
    "report_signed": "客户签字确认",
    "report_confirmed_by_link": "客户通过链接确认报告",
    "report_filed": "提交服务报告",
    "quote_create": "编制报价",
    "quote_decide": "客户确认报价",
    "callback_task": "生成回访任务",
    "callback_done": "完成回访",
    "hand_over": "移交首问负责人",
    "solution_plan": "提出解决方案",
    "mark_complex": "认定复杂故障",
    "claim": "认领报修单",
    "sla_breach": "SLA超时",
    "loaner_task": "需提供备用机",
}

CAUSE_CHOICES: list[tuple[str, str]] = list(RULE_CAUSES)
RESPONSIBILITY_CHOICES: list[tuple[str, str]] = translated(Responsibility.choices)
OUTCOME_CHOICES: list[tuple[str, str]] = [
    ("free", "免费（配件、人工、差旅全免）"),
    ("parts_at_cost", "只收取工本费（配件成本价）"),
    ("chargeable", "收费（需客户确认报价）"),
    ("excluded", "不予保修（按收费处理）"),
]
CHARGE_LABELS = {"waived": "免", "at_cost": "成本价", "at_price": "按价目"}
STATE_CSS: dict[str, str] = {
    TicketState.REGISTERED: "st-new",
    TicketState.ACKNOWLEDGED: "st-new",
    TicketState.REOPENED: "st-alert",
    TicketState.WAITING_CUSTOMER: "st-wait",
    TicketState.WAITING_PARTS: "st-wait",
    TicketState.AT_FACTORY: "st-wait",
    TicketState.RESOLVED: "st-done",
    TicketState.CLOSED: "st-done",
    TicketState.CANCELLED: "st-off",
}
WO_STATE_CSS: dict[str, str] = {
    WorkOrderState.OFFERED: "st-new",
    WorkOrderState.ACCEPTED: "st-work",
    WorkOrderState.ON_SITE: "st-work",
    WorkOrderState.DONE: "st-done",
    WorkOrderState.LEFT: "st-wait",
}


def state_label(state: str) -> str:
    try:
        return str(TicketState(state).label)
    except ValueError:
        return {"draft": "草稿", "filed": "已提交", "due": "待回访", "done": "已完成"}.get(
            state, state
        )


@dataclass
class TimelineItem:
    at: Any
    who: str
    label: str
    change: str
    reason: str
    detail: str


def _detail(ev: Any) -> str:
    payload = ev.payload or {}
    after = ev.after or {}
    bits: list[str] = []
    if ev.verb == "dispatch" and payload.get("work_order"):
        bits.append(Said("派工单 %(work_order)s", work_order=payload["work_order"]))
    if payload.get("late_minutes"):
        bits.append(Said("迟到 %(late_minutes)s 分钟", late_minutes=payload["late_minutes"]))
    if ev.verb in ("warranty_decision", "warranty_override") and after.get("outcome"):
        from aftersales.service.models import WarrantyRecord

        bits.append(WarrantyRecord.OUTCOME_LABELS.get(after["outcome"], after["outcome"]))
    if ev.verb == "quote_create" and after.get("total") is not None:
        bits.append(Said("合计 ¥%(total)s", total=after["total"]))
    if ev.verb == "quote_decide":
        decision = "接受" if ev.to_state == "accepted" else "拒绝"
        bits.append(Said("%(decision)s（%(by)s）", decision=decision, by=payload.get("by", "")))
    if ev.verb == "callback_done" and payload.get("score") is not None:
        bits.append(
            Said(
                "总体评分 %(score)s/5，%(v3)s",
                score=payload["score"],
                v3="已解决" if payload.get("solved") else "未解决",
            )
        )
    if ev.verb == "report_filed" and payload.get("late"):
        bits.append("逾期提交")
    if ev.verb == "report_filed" and payload.get("repeat_of"):
        bits.append(Said("重复维修（原报修单 %(repeat_of)s）", repeat_of=payload["repeat_of"]))
    if ev.verb in ("report_signed", "report_confirmed_by_link") and payload.get("by"):
        bits.append(Said("签字人 %(by)s", by=payload["by"]))
    return "；".join(say(b) for b in bits)  # said here: a join keeps no template


def timeline_items(events: list[Any]) -> list[TimelineItem]:
    """Audit rows of a ticket and its work orders, reports, quotes and callbacks, in words."""
    from django.contrib.contenttypes.models import ContentType

    from aftersales.service.models import Ticket

    ticket_ct = ContentType.objects.get_for_model(Ticket).pk
    items = []
    for ev in events:
        if ev.verb in TRANSITIONS and ev.verb not in VERB_LABELS:
            label = TRANSITIONS[ev.verb].label
        else:
            label = VERB_LABELS.get(ev.verb, ev.get_action_display())
        change = ""
        if ev.from_state and ev.to_state and ev.content_type_id == ticket_ct:
            change = Said(
                "%(before)s → %(after)s",
                before=state_label(ev.from_state),
                after=state_label(ev.to_state),
            )
        items.append(
            TimelineItem(
                at=ev.at,
                who=ev.actor_repr,
                label=label,
                change=change,
                reason=ev.reason,
                detail=_detail(ev),
            )
        )
    return items
