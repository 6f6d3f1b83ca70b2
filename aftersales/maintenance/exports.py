"""Excel exports of plans and of inspection results (safe cells: no formulas)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse

from aftersales.core.exports import xlsx
from aftersales.maintenance.models import InspectionResult, MaintenancePlan, MaintenanceVisit


def plans_xlsx(plans: Iterable[MaintenancePlan]) -> HttpResponse:
    header = [
        "计划编号",
        "计划名称",
        "类型",
        "客户",
        "项目",
        "合同",
        "周期",
        "间隔",
        "季节窗口",
        "开始日期",
        "结束日期",
        "最少工程师",
        "检查表",
        "逾期任务数",
    ]
    rows = (
        [
            p.number,
            p.name,
            p.get_kind_display(),
            p.customer.name,
            p.site.name if p.site else "",
            p.contract.code if p.contract else "",
            p.get_recurrence_display(),
            p.interval,
            p.window.name if p.window else "",
            p.start_date,
            p.end_date or "",
            p.min_engineers,
            p.checklist_code,
            getattr(p, "overdue_count", 0),
        ]
        for p in plans
    )
    return xlsx("巡检计划.xlsx", "巡检计划", header, rows)


def results_xlsx(visits: Iterable[MaintenanceVisit]) -> HttpResponse:
    header = [
        "计划编号",
        "客户",
        "计划日期",
        "完成时间",
        "序号",
        "检查项目",
        "标准",
        "结果",
        "测量值",
        "备注",
        "整改报修单",
    ]
    ids = [v.pk for v in visits]
    results = (
        InspectionResult.objects.filter(visit_id__in=ids)
        .select_related("visit__plan", "visit__customer", "item", "follow_up")
        .order_by("visit__due_date", "visit_id", "item__seq")
    )
    rows = (
        [
            r.visit.plan.number,
            r.visit.customer.name,
            r.visit.nominal_date,
            r.visit.completed_at or "",
            r.item.seq,
            r.item.text,
            r.item.expected,
            r.get_outcome_display(),
            r.value if r.value is not None else "",
            r.remark,
            r.follow_up.number if r.follow_up else "",
        ]
        for r in results
    )
    return xlsx("巡检结果.xlsx", "巡检结果", header, rows)
