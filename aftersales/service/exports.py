"""The service lists' Excel exports (tickets, callbacks, work orders), registered with
``core.exports``: each reads the list's own filters and selector for the requesting user, so
what a dealer or a technician exports is what his list shows him."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from aftersales.core import listfilters
from aftersales.core.errors import NotFound, ValidationFailed
from aftersales.core.exports import ListExport, register_list_export
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.service import selectors
from aftersales.service.models import WorkOrder, WorkOrderState
from aftersales.service.models.work import LIVE_WO_STATES
from aftersales.sla.models import Severity

MAX_PERIOD_DAYS = 366


class _Query:
    """A QueryDict seen as a request for the views' filter readers."""

    def __init__(self, query: QueryDict) -> None:
        self.GET = query


def _yes(value: Any) -> str:
    return "是" if value else ""


# --- tickets ---------------------------------------------------------------------------


def ticket_rows(user: Any, query: QueryDict) -> QuerySet[Any]:
    from aftersales.service.views.agent import queue_filters

    filters = queue_filters(_Query(query))  # type: ignore[arg-type]
    return selectors.ticket_queue(user, filters).select_related("dealer")


def ticket_cells(t: Any) -> list[Any]:
    due = selectors.next_due(t)
    return [
        t.number,
        t.get_type_display(),
        t.get_channel_display(),
        t.get_severity_display(),
        t.get_state_display(),
        t.customer.name,
        str(t.site) if t.site_id else "",
        t.equipment.model.code if t.equipment_id else "",
        t.equipment.serial_no if t.equipment_id else "",
        t.contact_name,
        t.contact_phone,
        t.description,
        str(t.owner) if t.owner_id else "",
        t.dealer.name if t.dealer_id else "",
        t.received_at,
        t.resolved_at,
        t.closed_at,
        f"{due['metric']} {timezone.localtime(due['due_at']):%Y-%m-%d %H:%M}" if due else "",
        _yes(due and due["minutes_left"] < 0),
    ]


TICKETS = register_list_export(
    ListExport(
        kind="tickets",
        title="报修单",
        header=[
            "报修单号",
            "类型",
            "渠道",
            "严重程度",
            "状态",
            "客户",
            "项目/现场",
            "设备型号",
            "出厂编号",
            "联系人",
            "联系电话",
            "故障描述",
            "首问负责人",
            "经办经销商",
            "受理时间",
            "解决时间",
            "关闭时间",
            "最近时限",
            "已超时",
        ],
        rows=ticket_rows,
        cells=ticket_cells,
        list_url="service:ticket_list",
    )
)


# --- callbacks ---------------------------------------------------------------------------


def callback_rows(user: Any, query: QueryDict) -> QuerySet[Any]:
    from aftersales.service.views.agent import CALLBACK_ROLES, callback_filters
    from aftersales.service.views.common import has_any

    if not has_any(user, CALLBACK_ROLES):
        raise NotFound("无权查看回访任务")
    f = callback_filters(_Query(query))  # type: ignore[arg-type]
    return selectors.callbacks_due(user, f).select_related("site")


def callback_cells(cb: Any) -> list[Any]:
    return [
        cb.due_date,
        cb.get_kind_display(),
        cb.get_state_display(),
        cb.customer.name,
        cb.customer.phone,
        cb.ticket.number if cb.ticket_id else "",
        str(cb.site) if cb.site_id else "",
        cb.attempts,
        cb.next_attempt_at,
        cb.last_attempt_note,
    ]


CALLBACKS = register_list_export(
    ListExport(
        kind="callbacks",
        title="待回访",
        header=[
            "应回访日期",
            "类型",
            "状态",
            "客户",
            "客户电话",
            "报修单",
            "项目/现场",
            "联系不上次数",
            "下次回访时间",
            "最近一次联系情况",
        ],
        rows=callback_rows,
        cells=callback_cells,
        list_url="service:callback_list",
    )
)


# --- work orders -------------------------------------------------------------------------

WO_STATES = ("live", "all", *WorkOrderState.values)


def _date(query: QueryDict, name: str, label: str) -> dt.date | None:
    value = (query.get(name) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(
            Said("筛选条件「%(label)s」应为日期（YYYY-MM-DD）", label=label), field=name
        ) from exc


def work_order_rows(user: Any, query: QueryDict) -> QuerySet[Any]:
    """Work orders the user may see: ``state`` (live by default / all / a state),
    ``technician_id``, ``severity``, dispatched between ``from`` and ``to`` (at most a year)."""
    state = listfilters.choice(query, "state", "状态", WO_STATES) or "live"
    technician_id = listfilters.positive_int(query, "technician_id", "工程师")
    severity = listfilters.choice(query, "severity", "严重程度", Severity.values)
    start, end = _date(query, "from", "派工开始日期"), _date(query, "to", "派工结束日期")
    if start and end and end < start:
        raise ValidationFailed("派工结束日期不能早于开始日期", field="to")
    if start and end and (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationFailed("导出期间最长一年，请缩短日期范围", field="to")
    qs = visible(WorkOrder, user).filter(archived_at__isnull=True)
    if state == "live":
        qs = qs.filter(state__in=LIVE_WO_STATES)
    elif state != "all":
        qs = qs.filter(state=state)
    if technician_id:
        qs = qs.filter(technician_id=technician_id)
    if severity:
        qs = qs.filter(ticket__severity=severity)
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(dispatched_at__gte=dt.datetime.combine(start, dt.time(), tz))
    if end:
        qs = qs.filter(
            dispatched_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz)
        )
    return qs.select_related("ticket__customer", "ticket__site", "technician").order_by(
        "-dispatched_at", "-id"
    )


def work_order_cells(wo: Any) -> list[Any]:
    return [
        wo.number,
        wo.ticket.number,
        wo.get_state_display(),
        wo.ticket.get_severity_display(),
        wo.ticket.customer.name,
        str(wo.ticket.site) if wo.ticket.site_id else "",
        str(wo.technician) if wo.technician_id else "",
        wo.dispatched_at,
        wo.accepted_at,
        wo.window_start,
        wo.check_in_at,
        wo.check_out_at,
        wo.late_minutes,
        _yes(wo.remote),
        wo.get_leave_reason_display() if wo.leave_reason else "",
    ]


WORK_ORDERS = register_list_export(
    ListExport(
        kind="work_orders",
        title="派工单",
        header=[
            "派工单号",
            "报修单号",
            "状态",
            "严重程度",
            "客户",
            "项目/现场",
            "工程师",
            "派工时间",
            "接单时间",
            "预约开始",
            "到场时间",
            "离场时间",
            "迟到分钟",
            "远程服务",
            "未完工离场原因",
        ],
        rows=work_order_rows,
        cells=work_order_cells,
        list_url="service:dispatch_board",
    )
)
