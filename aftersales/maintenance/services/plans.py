"""Creating and editing maintenance plans. Everything is checked before anything is written;
an edit re-generates only the future visits that have not started (``generation.replan``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import (
    NotFound,
    PermissionDenied,
    ValidationFailed,
    from_django_validation,
)
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.customers.models import Contact, Customer, ServiceContract, Site
from aftersales.installed_base.models import Equipment, ProductCategory
from aftersales.maintenance import rules
from aftersales.maintenance.models import (
    ChecklistTemplate,
    MaintenancePlan,
    PlanKind,
    Recurrence,
    SeasonalWindow,
)
from aftersales.maintenance.roles import PLANNERS

MAX_LEAD_DAYS = 400
MAX_ENGINEERS = 10


@dataclass
class PlanInput:
    name: str
    kind: str
    customer_id: int
    recurrence: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    interval: int = 1
    site_id: int | None = None
    contract_id: int | None = None
    equipment_ids: list[int] = field(default_factory=list)
    window_id: int | None = None
    lead_days: int = 60
    release_days: int = 14
    min_engineers: int = 1
    skill_id: int | None = None
    duration_minutes: int = 120
    visit_from: dt.time | None = None
    visit_until: dt.time | None = None
    checklist_code: str = ""
    written_report: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    coordinator_id: int | None = None
    note: str = ""


SCALARS = [f.name for f in fields(PlanInput) if f.name not in {"equipment_ids", "customer_id"}]


def require_planner(actor: Any) -> None:
    if actor is None:
        return
    if not (getattr(actor, "is_superuser", False) or actor.role_codes & PLANNERS):
        raise PermissionDenied("只有售后主办、组长、主管或管理员可以编制巡检计划")


def _visible_one(model: Any, pk: int | None, actor: Any, label: str, name: str) -> Any:
    if pk is None:
        return None
    qs = visible(model, actor) if actor is not None else model.objects.active()
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(Said("%(label)s不存在或无权使用", label=label), field=name)
    return obj


def _fail(message: str, name: str) -> ValidationFailed:
    return ValidationFailed(message, field=name)


def _check(actor: Any, data: PlanInput) -> dict[str, Any]:
    """The plan's column values from the input, every reference visible and consistent."""
    if not data.name.strip():
        raise _fail("请填写计划名称", "name")
    if data.kind not in PlanKind.values:
        raise _fail("计划类型无效", "kind")
    if data.recurrence not in Recurrence.values:
        raise _fail("周期类型无效", "recurrence")
    customer = _visible_one(Customer, data.customer_id, actor, "客户", "customer_id")
    site = _visible_one(Site, data.site_id, actor, "项目", "site_id")
    if site is not None and site.customer_id != customer.pk:
        raise _fail("项目不属于该客户", "site_id")
    contract = _visible_one(ServiceContract, data.contract_id, actor, "维保合同", "contract_id")
    if contract is not None and contract.customer_id != customer.pk:
        raise _fail("维保合同不属于该客户", "contract_id")
    start = data.start_date or (contract.start_date if contract else None)
    end = data.end_date or (contract.end_date if contract else None)
    if start is None:
        raise _fail("请填写开始日期（或选择维保合同）", "start_date")
    window = None
    if data.window_id is not None:
        window = SeasonalWindow.objects.active().filter(pk=data.window_id).first()
        if window is None:
            raise NotFound("季节窗口不存在", field="window_id")
    try:
        rules.Schedule(
            rules.Recurrence(data.recurrence),
            data.interval,
            start,
            end,
            _window(window),
        )
    except rules.ScheduleError as exc:
        name, message = next(iter(exc.errors.items()))
        raise ValidationFailed(message, field=name, details=exc.errors) from None
    if not 0 <= data.lead_days <= MAX_LEAD_DAYS:
        raise _fail(
            Said("提前生成天数须在 0 到 %(MAX_LEAD_DAYS)s 之间", MAX_LEAD_DAYS=MAX_LEAD_DAYS),
            "lead_days",
        )
    if not 0 <= data.release_days <= data.lead_days:
        raise _fail("提前派单天数不能超过提前生成天数", "release_days")
    if not 1 <= data.min_engineers <= MAX_ENGINEERS:
        raise _fail(
            Said("每次最少工程师人数须在 1 到 %(MAX_ENGINEERS)s 之间", MAX_ENGINEERS=MAX_ENGINEERS),
            "min_engineers",
        )
    if not 1 <= data.duration_minutes <= 24 * 60:
        raise _fail("预计时长须在 1 到 1440 分钟之间", "duration_minutes")
    if (data.visit_from is None) != (data.visit_until is None):
        raise _fail("客户可接待时段须同时填写开始和结束时间", "visit_until")
    if data.visit_from and data.visit_until and data.visit_until <= data.visit_from:
        raise _fail("客户可接待结束时间须晚于开始时间", "visit_until")
    code = data.checklist_code.strip()
    if code and not ChecklistTemplate.objects.active().filter(code=code).exists():
        raise _fail(Said("检查表「%(code)s」不存在", code=code), "checklist_code")
    if data.skill_id is not None and not ProductCategory.objects.filter(pk=data.skill_id).exists():
        raise NotFound("技能（产品线）不存在", field="skill_id")
    name, phone = data.contact_name.strip(), data.contact_phone.strip()
    if not (name and phone):
        primary = (
            Contact.objects.active().filter(customer=customer).order_by("-is_primary", "id").first()
        )
        name = name or (primary.name if primary else "")
        phone = phone or (primary.mobile or primary.phone if primary else customer.phone)
    digits = phone.replace("-", "").replace(" ", "")
    if not name:
        raise _fail("请填写联系人（客户没有联系人）", "contact_name")
    if not (digits.isdigit() and 7 <= len(digits) <= 13):
        raise _fail("联系电话格式不正确", "contact_phone")
    values = {n: getattr(data, n) for n in SCALARS}
    values.update(
        customer=customer,
        site=site,
        contract=contract,
        window=window,
        start_date=start,
        end_date=end,
        checklist_code=code,
        name=data.name.strip(),
        contact_name=name,
        contact_phone=phone,
    )
    for key in ("site_id", "contract_id", "window_id"):
        values.pop(key)
    return values


def _equipment(actor: Any, data: PlanInput, values: dict[str, Any]) -> list[Equipment]:
    ids = sorted(set(data.equipment_ids))
    if not ids:
        return []
    qs = visible(Equipment, actor) if actor is not None else Equipment.objects.active()
    found = list(qs.filter(pk__in=ids).select_related("site"))
    if len(found) != len(ids):
        raise NotFound("设备不存在或无权使用", field="equipment_ids")
    for e in found:
        if e.site.customer_id != values["customer"].pk:
            raise _fail(
                Said("设备 %(serial_no)s 不属于该客户", serial_no=e.serial_no), "equipment_ids"
            )
        if values["site"] is not None and e.site_id != values["site"].pk:
            raise _fail(
                Said("设备 %(serial_no)s 不在该项目", serial_no=e.serial_no), "equipment_ids"
            )
    return found


def _window(window: SeasonalWindow | None) -> rules.SeasonWindow | None:
    if window is None:
        return None
    return rules.SeasonWindow(
        window.start_month, window.start_day, window.end_month, window.end_day
    )


def schedule_from(
    *,
    recurrence: str,
    interval: int,
    start: dt.date,
    end: dt.date | None,
    contract_end: dt.date | None,
    window: rules.SeasonWindow | None,
) -> rules.Schedule | None:
    """A plan's schedule from its values, ending with its contract when that ends first;
    ``None`` when nothing of it is left (the contract ended before the plan starts)."""
    if contract_end is not None:
        end = contract_end if end is None else min(end, contract_end)
    if end is not None and end < start:
        return None
    return rules.Schedule(rules.Recurrence(recurrence), interval, start, end, window)


def schedule_of(plan: MaintenancePlan) -> rules.Schedule | None:
    """The plan's schedule (``schedule_from`` of its model instance)."""
    return schedule_from(
        recurrence=plan.recurrence,
        interval=plan.interval,
        start=plan.start_date,
        end=plan.end_date,
        contract_end=plan.contract.end_date if plan.contract is not None else None,
        window=_window(plan.window),
    )


def _full_clean(plan: MaintenancePlan) -> None:
    try:
        plan.full_clean(exclude=["number", "customer", "site", "contract", "window"])
    except ValidationError as exc:
        raise from_django_validation(exc) from exc


@transaction.atomic
def plan_create(*, actor: Any, data: PlanInput, today: dt.date | None = None) -> MaintenancePlan:
    require_planner(actor)
    values = _check(actor, data)
    equipment = _equipment(actor, data, values)
    plan = MaintenancePlan(number="", **values)
    _full_clean(plan)
    plan.number = next_number("XJ")
    plan.save(force_insert=True)
    plan.equipment.set(equipment)
    audit.record(
        plan,
        actor=actor,
        action="create",
        verb="plan_create",
        after=audit.snapshot(plan) | {"equipment": [e.pk for e in equipment]},
    )
    from aftersales.maintenance.services import generation

    generation.generate_plan(plan, today=today or timezone.localdate())
    return plan


@transaction.atomic
def plan_update(
    *, actor: Any, plan: MaintenancePlan, data: PlanInput, today: dt.date | None = None
) -> MaintenancePlan:
    """Change a plan. Its done and started visits stay as they are; the future ones that have
    not started follow the new schedule (moved, cancelled or added)."""
    require_planner(actor)
    plan = _visible_one(MaintenancePlan, plan.pk, actor, "巡检计划", "plan_id")
    plan = MaintenancePlan.objects.select_for_update().get(pk=plan.pk)
    values = _check(actor, data)
    if values["customer"].pk != plan.customer_id:
        raise _fail("计划的客户不能修改，请另建计划", "customer_id")
    equipment = _equipment(actor, data, values)
    before = audit.snapshot(plan) | {
        "equipment": sorted(plan.equipment.values_list("pk", flat=True))
    }
    for name, value in values.items():
        setattr(plan, name, value)
    _full_clean(plan)
    plan.revision += 1
    plan.save()
    plan.equipment.set(equipment)
    old, new = audit.diff(before, audit.snapshot(plan) | {"equipment": [e.pk for e in equipment]})
    audit.record(plan, actor=actor, action="update", verb="plan_update", before=old, after=new)
    from aftersales.maintenance.services import generation

    generation.replan(plan, today=today or timezone.localdate(), actor=actor)
    return plan
