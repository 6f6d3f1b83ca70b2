"""What a customer or a dealer may see of a document's history (9#3), in one place.

Staff see every audit event. A customer or a dealer sees only the milestones listed here,
each in the customer's own words, with no name of who did it, no reason or comment, no
approval step and no inspection detail; an event not listed is internal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# document (app_label.model) → verb → the customer's wording
CUSTOMER_EVENTS: dict[str, dict[str, str]] = {
    "parts.partsrequest": {
        "create": "补件申请已提交",
        "confirm": "已与您确认交付日期",
        "reject": "补件申请未获批准",
        "release": "已安排生产",
        "ship_from_stock": "已安排从成品仓发货",
        "receive": "配件已到库，等待发货",
        "borrow": "配件已到库，等待发货",
        "load": "已装车发货",
        "deliver": "已确认交付",
        "cancel": "补件申请已取消",
    },
    "returns.returnrequest": {
        "create": "退货申请已提交",
        "submit": "退货申请已受理",
        "refuse": "退货申请未获同意",
        "resolve_otherwise": "已改为补件或折价解决",
        "await_goods": "同意退货，请将货物发回",
        "receive": "退货已到厂清点",
        "send_record": "检验记录已发给您确认",
        "confirm": "您已确认检验记录",
        "dispute": "您对检验记录提出了异议",
        "deem": "逾期未回传，检验记录视为确认",
        "handle": "返修/换货已完成，已结案",
        "close_by_credit": "冲账已完成，已结案",
    },
    "quality.complaint": {
        "create": "投诉已登记",
        "reply": "已答复您的投诉",
        "investigate": "已完成调查",
        "submit_handling": "正在制定处理方案",
        "approve": "处理方案已确定",
        "feed_back": "已处理并反馈，已结案",
        "close": "已按商定方案处理，已结案",
        "explain": "已依鉴定结果答复，已结案",
        "cancel": "投诉已撤销",
    },
    # a unit sent to the factory for repair (返厂维修): where it is, never why or by whom
    "service.factoryrepair": {
        "send": "设备/部件已寄往工厂维修",
        "arrive": "工厂已收到，正在维修",
        "ship_back": "工厂已修复并发回",
        "receive": "已收回，继续为您处理",
    },
    # a dealer sees its old parts' milestones (customers never see old parts)
    "quality.oldpart": {
        "create": "旧件待返回",
        "ship": "旧件已寄回",
        "receive": "旧件已入库",
        "restock": "旧件已完成鉴定",
        "scrap": "旧件已完成鉴定",
        "claim": "旧件已完成鉴定",
        "waive": "旧件免返回",
    },
}
# document → the deadline steps that are the customer's business (his own confirmation,
# the delivery date promised to him); every other deadline is internal
CUSTOMER_DEADLINES: dict[str, frozenset[str]] = {
    "parts.partsrequest": frozenset({"delivery"}),
    "returns.returnrequest": frozenset({"confirmation"}),
    "quality.complaint": frozenset({"reply"}),
    "quality.oldpart": frozenset({"return"}),
    "service.factoryrepair": frozenset({"round_trip"}),
}
COMPANY = "售后服务部"


@dataclass(frozen=True)
class CustomerEvent:
    """One audit event as a customer or dealer may see it."""

    at: Any
    actor_repr: str
    action: str
    verb: str
    from_state: str
    to_state: str
    reason: str = ""
    payload: dict[str, Any] | None = None


def is_external(user: Any) -> bool:
    return getattr(user, "org_kind", "company") in ("customer", "dealer")


def customer_label(document: Any, verb: str) -> str | None:
    return CUSTOMER_EVENTS.get(document._meta.label_lower, {}).get(verb)


def for_user(document: Any, events: list[Any], user: Any) -> list[Any]:
    """The events ``user`` may see: all for staff; for a customer or a dealer the listed
    milestones only, stripped of who, why and every payload."""
    if not is_external(user):
        return events
    shown = []
    for e in events:
        label = customer_label(document, e.verb)
        if label is None:
            continue
        own = getattr(e, "actor_id", None) == getattr(user, "pk", None)
        shown.append(
            CustomerEvent(
                at=e.at,
                actor_repr=str(user) if own else COMPANY,
                action=label,
                verb=e.verb,
                from_state=e.from_state,
                to_state=e.to_state,
            )
        )
    return shown


def deadlines_for(document: Any, rows: list[Any], user: Any, step: Any = None) -> list[Any]:
    """The deadlines ``user`` may see; ``step`` reads a row's step (default ``.step``)."""
    if not is_external(user):
        return rows
    allowed = CUSTOMER_DEADLINES.get(document._meta.label_lower, frozenset())
    read = step or (lambda row: row.step)
    return [row for row in rows if read(row) in allowed]
