"""Demo quality loop (质量闭环演示数据), made through the services the users call: warranty
repairs of one product model filed with the same component and cause (their "keep old part"
lines become old parts, which are then taken to every state), the quality warning those
faults raise on the model with its proactive-check tickets, complaints of every class and
stage, and a CAPA awaiting its verification. Nothing when complaints already exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from aftersales.accounts.models import Department
from aftersales.approvals.documents import users_with_roles
from aftersales.catalog.models import Part
from aftersales.installed_base.models import Equipment
from aftersales.installed_base.selectors import warranty_status
from aftersales.quality.models import Complaint, CorrectiveAction, OldPart
from aftersales.quality.services import capa, complaints, old_parts, warnings
from aftersales.service.models import WorkOrder, WorkOrderState
from aftersales.service.services import dispatch, intake, lifecycle, reports, warranty
from aftersales.staff.models import StaffProfile
from aftersales.stock.models import Bin, Warehouse, WarehouseKind

COMPONENT = "DEMO-MOD"
CAUSE = "manufacturing"
REPAIR_DESCRIPTION = "模组批量黑屏（演示）"


@dataclass
class QualityReport:
    complaints: int = 0
    old_parts: int = 0
    warnings: int = 0
    capas: int = 0


def _repair(users: dict[str, Any], equipment: Equipment, tech: Any, part: Part) -> Any:
    """A warranty repair of ``equipment`` filed with the component and cause the warning
    watches; None when the equipment is not under warranty (no old part then)."""
    ticket = intake.ticket_create(
        actor=users["agent"],
        data=intake.TicketInput(
            description=REPAIR_DESCRIPTION,
            contact_name="现场联系人",
            contact_phone="13800000000",
            channel="phone",
            equipment_id=equipment.pk,
            allow_duplicate=True,
            different_fault_reason="模组批量黑屏，与在办报修不同（演示）",
        ),
    )
    record = warranty.current(ticket)
    if record is None or not record.in_warranty:
        return None
    lifecycle.acknowledge(actor=users["agent"], ticket=ticket, note="已电话确认批量黑屏")
    wo = dispatch.dispatch(actor=users["coordinator"], ticket=ticket, technician_ids=[tech.pk])
    dispatch.accept(actor=tech, work_order=wo)
    dispatch.check_in(actor=tech, work_order=wo)
    reports.save(
        actor=tech,
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="模组黑屏",
            environment="室内，温湿度正常",
            cause="模组驱动芯片批次失效",
            cause_class=CAUSE,
            fault_category="模组",
            component_code=COMPONENT,
            responsibility="product",
            actions="更换模组，测试正常",
            minutes_spent=40,
            customer_opinion="满意",
            quick_rating=5,
            parts=[(part.code, 1, True)],
        ),
    )
    report = reports.request_link_confirmation(actor=tech, work_order=wo)
    reports.confirm_by_link(token=report.confirm_token, name="现场联系人")
    filed = reports.submit(actor=tech, work_order=wo)
    dispatch.check_out(actor=tech, work_order=wo)  # the report filed: the visit is done
    return filed


def _old_parts_in_every_state(users: dict[str, Any], made: list[OldPart], part: Part) -> int:
    keeper, qd = users["warehouse"], users["quality_director"]
    store = Warehouse.objects.filter(kind=WarehouseKind.MAIN, archived_at=None).first()
    if store is None:
        store = Warehouse.objects.create(code="DEMO-MAIN", name="售后总库", kind="main")
    bin_ = Bin.objects.filter(warehouse=store, archived_at=None).order_by("pk").first()

    def receive(op: OldPart) -> None:
        old_parts.ship(
            actor=op.technician or users["coordinator"], old_part=op, waybill="SF1000000001"
        )
        old_parts.receive(
            actor=keeper, old_part=op, warehouse_id=store.pk, bin_id=bin_.pk if bin_ else None
        )

    def appraise(op: OldPart, disposition: str, text: str, **kw: Any) -> None:
        data = old_parts.AppraisalInput(disposition=disposition, appraisal=text, **kw)
        old_parts.appraise(actor=qd, old_part=op, data=data)

    def reusable(op: OldPart) -> None:
        receive(op)
        appraise(op, "reusable", "检测正常，可再用")

    def scrap(op: OldPart) -> None:
        receive(op)
        appraise(op, "scrap", "驱动芯片烧毁，无修复价值")

    def claim(op: OldPart) -> None:
        receive(op)
        appraise(
            op,
            "supplier_claim",
            "驱动芯片批次失效，属供应商来料问题",
            supplier="深圳某光电器件有限公司（演示）",
        )

    def shipped(op: OldPart) -> None:
        old_parts.ship(
            actor=op.technician or users["coordinator"], old_part=op, waybill="YT2000000002"
        )

    def pending(op: OldPart) -> None:  # due back within the rule's 15 days
        return None

    steps: list[Callable[[OldPart], None]] = [pending, shipped, receive, reusable, scrap, claim]
    for op, step in zip(made, steps, strict=False):
        step(op)
    now = timezone.now()
    old_parts.register(  # a return's old part that should have come back already
        actor=users["coordinator"],
        data=old_parts.OldPartInput(
            part_code=part.code, source="return", source_note="TH-演示", fault="退货拆件"
        ),
        now=now - dt.timedelta(days=20),
    )
    waived = old_parts.register(
        actor=users["coordinator"],
        data=old_parts.OldPartInput(part_code=part.code, fault="现场烧毁"),
    )
    old_parts.waive(actor=qd, old_part=waived, reason="现场烧毁，无法返回（演示）")
    return len(made) + 2


def _complaints(users: dict[str, Any], equipment: list[Equipment]) -> tuple[int, int]:
    agent, qd, coord = users["agent"], users["quality_director"], users["coordinator"]
    dept = Department.objects.active().order_by("code").first()
    dept_id = dept.pk if dept else None

    def reg(e: Equipment, category: str, text: str, **kw: Any) -> Complaint:
        return complaints.register(
            actor=agent,
            data=complaints.ComplaintInput(
                category=category,
                description=text,
                customer_id=e.site.customer_id,
                equipment_id=e.pk,
                contact_name="客户联系人",
                contact_phone="13900000000",
                demand="尽快处理",
                **kw,
            ),
        )

    def inv(c: Complaint, severity: str, **kw: Any) -> Complaint:
        return complaints.investigate(
            actor=qd,
            complaint=c,
            data=complaints.InvestigationInput(
                cause="驱动芯片批次失效" if severity != "not_our_fault" else "客户电源电压不稳",
                severity=severity,
                responsible_department_id=dept_id,
                production_batch="B2026-09",
                production_line="SMT-2",
                **kw,
            ),
        )

    e = [equipment[i % len(equipment)] for i in range(6)]
    reg(e[0], "quality_defect", "新装屏体一周内多块模组黑屏（演示，待调查）")
    minor = inv(reg(e[1], "quality_defect", "个别像素点不亮（演示）"), "minor")
    complaints.feed_back(actor=agent, complaint=minor, feedback="已更换模组，客户确认正常")
    serious = inv(reg(e[2], "quality_defect", "整屏反复黑屏，影响活动（演示，重大）"), "serious")
    complaints.submit_handling(
        actor=coord,
        complaint=serious,
        measures_production="加强驱动芯片来料检验",
        measures_technical="更换同批次全部模组",
        solution="免费更换同批次模组并延保一年",
        department_ids=[dept_id] if dept_id else [],
    )
    outside = inv(reg(e[3], "other", "屏幕烧坏要求赔偿（演示）"), "not_our_fault")
    complaints.explain(
        actor=agent,
        complaint=outside,
        appraisal_result="电源输入电压超过额定值",
        appraisal_basis="现场测量记录及电源板烧蚀痕迹",
        advice="建议加装稳压电源",
    )
    techs = users_with_roles(["technician"])
    if techs:
        person = reg(
            e[4],
            "service_attitude",
            "工程师上门态度生硬（演示）",
            person_issue="rudeness",
            staff_member_id=techs[0].pk,
        )
        inv(person, "minor", person_accountable=True)
    reg(e[5], "human_factors", "操作培训不到位导致误操作（演示）")
    made = 0
    draft = CorrectiveAction.objects.filter(complaint=serious).first()
    if draft is not None and dept_id:
        owner = users.get("coordinator")
        capa.plan(
            actor=coord,
            capa=draft,
            cause="驱动芯片批次失效",
            measures="更换供应商批次，加严来料检验",
            owner_department_id=dept_id,
            owner_id=owner.pk if owner else None,
            deadline=timezone.localdate() + dt.timedelta(days=30),
        )
        capa.submit(actor=coord, capa=draft, done_note="已更换批次并加严检验（演示）")
        made += 1
    return Complaint.objects.count(), made


def load_quality(*, users: dict[str, Any]) -> QualityReport:
    report = QualityReport()
    needed = ("agent", "coordinator", "quality_director", "warehouse")
    if Complaint.objects.exists() or any(users.get(n) is None for n in needed):
        return report
    # the repairs are done one after the other by a technician not on site elsewhere now
    busy = set(
        WorkOrder.objects.filter(state=WorkOrderState.ON_SITE).values_list(
            "technician_id", flat=True
        )
    )
    techs = [t for t in users_with_roles(["technician"]) if t.pk not in busy]
    part = Part.objects.active().order_by("code").first()
    if not techs or part is None:
        return report
    by_model: dict[int, list[Equipment]] = {}
    for e in (
        Equipment.objects.filter(archived_at__isnull=True, site__customer__archived_at=None)
        .select_related("site")
        .order_by("pk")
    ):
        by_model.setdefault(e.model_id, []).append(e)
    if not by_model:
        return report
    pool = max(by_model.values(), key=len)
    region_of = dict(
        StaffProfile.objects.filter(user__in=techs).values_list("user_id", "region_id")
    )
    filed: list[Any] = []
    # repairs on most of the model's units, leaving some for the proactive checks
    limit = min(6, max(3, len(pool) - 2))
    today = timezone.localdate()
    for e in pool:
        if len(filed) == limit:
            break
        status = warranty_status(e, today)
        if status.end is None or status.end < today:
            continue  # out of warranty: no old part would come back (no ticket left behind)
        # each repair by a technician of the site's region (the planner reads today's
        # visits as facts: no one crosses the country between two check-ins)
        tech = next((t for t in techs if region_of.get(t.pk) == e.site.region_id), None)
        if tech is None:
            continue
        r = _repair(users, e, tech, part)
        if r is not None:
            filed.append(r)
    made = [op for r in filed for op in OldPart.objects.filter(report=r)]
    if made:
        report.old_parts = _old_parts_in_every_state(users, made, part)
    raised = warnings.scan()
    for w in raised:
        warnings.create_checks(actor=users["coordinator"], warning=w)
    report.warnings = len(raised)
    report.complaints, report.capas = _complaints(users, pool)
    return report
