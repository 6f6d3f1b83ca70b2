"""Demo data of maintenance: plans on the demo contracts (monthly inspection with the
product line's checklist, one needing two engineers) and on key customers (annual visit with
a written report, weekly phone tracking); this month's visits in every state — done (with
failed items and their repair tickets), in progress, released, planned, overdue, cancelled.
Everything goes through the services; nothing when plans exist already."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.core.said import Said
from aftersales.customers.models import Customer, ServiceContract
from aftersales.maintenance.models import MaintenancePlan, MaintenanceVisit, VisitState
from aftersales.maintenance.services import generation, inspections, overdue, plans

CHECKLIST_BY_CATEGORY = {
    "hvac": "hvac-unit",
    "led": "led-screen",
    "security": "security-system",
    "agri": "agri-machine",
    "window": "window-facade",
    "software": "software-system",
}


def signature_png() -> str:
    """A drawn signature stand-in (a white PNG with a stroke) for the demo's inspections."""
    import base64
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 90), "white")
    ImageDraw.Draw(image).line([(20, 60), (80, 25), (140, 65), (210, 30)], fill="navy", width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _technicians() -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name="维修工程师")
        .order_by("username")
    )


def load_maintenance(
    *, users: dict[str, Any], seed: int = 2026, today: dt.date | None = None
) -> int:
    if MaintenancePlan.objects.exists():
        return 0
    from aftersales.maintenance.defaults import ensure_defaults

    ensure_defaults()  # the checklists: a flushed test database has lost the migration's rows
    coordinator = users.get("coordinator")
    techs = _technicians()
    if coordinator is None or not techs:
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    made: list[MaintenancePlan] = []
    for i, contract in enumerate(
        ServiceContract.objects.active().select_related("customer").order_by("pk")[:6]
    ):
        if contract.end_date < month_start + dt.timedelta(days=i * 3):
            continue  # a contract that ends before its first visit gets no plan
        site = contract.sites.first() or contract.customer.sites.first()
        equipment = list(site.equipment.select_related("model__category")[:3]) if site else []
        category = equipment[0].model.category.code if equipment else ""
        made.append(
            plans.plan_create(
                actor=coordinator,
                data=plans.PlanInput(
                    name=Said("%(name)s·月度巡检", name=contract.name),
                    kind="routine",
                    customer_id=contract.customer_id,
                    site_id=site.pk if site else None,
                    contract_id=contract.pk,
                    recurrence="monthly",
                    start_date=month_start + dt.timedelta(days=i * 3),
                    equipment_ids=[e.pk for e in equipment],
                    checklist_code=CHECKLIST_BY_CATEGORY.get(category, ""),
                    min_engineers=2 if i == 0 else 1,
                    # the two-engineer inspection: its product line's skill and the
                    # customer's visiting hours, which the planner (智能派工) keeps to
                    skill_id=equipment[0].model.category_id if i == 0 and equipment else None,
                    visit_from=dt.time(9, 0) if i == 0 else None,
                    visit_until=dt.time(11, 30) if i == 0 else None,
                    lead_days=60,
                    release_days=14,
                    coordinator_id=coordinator.pk,
                ),
                today=month_start,
            )
        )
    for customer in Customer.objects.active().filter(tier=Customer.Tier.KEY).order_by("pk")[:4]:
        plans.plan_create(
            actor=coordinator,
            data=plans.PlanInput(
                name=Said("%(name)s·重点客户年度走访", name=customer.name),
                kind="key_customer",
                customer_id=customer.pk,
                recurrence="yearly",
                start_date=month_start + dt.timedelta(days=20),
                written_report=True,
                coordinator_id=coordinator.pk,
            ),
            today=month_start,
        )
    generation.release_due(today=today)
    _work_this_month(made, techs, coordinator, today, rng)
    overdue.mark_overdue(today=today)
    _cancel_one(made, coordinator, today)
    return MaintenancePlan.objects.count()


def _cancel_one(made: list[MaintenancePlan], coordinator: Any, today: dt.date) -> None:
    """One visit cancelled by hand, with its reason (the next not-started one)."""
    visit = (
        MaintenanceVisit.objects.filter(
            plan__in=made, state=VisitState.PLANNED, nominal_date__gte=today
        )
        .order_by("nominal_date", "pk")
        .first()
    )
    if visit is not None:
        generation.cancel_visit(actor=coordinator, visit=visit, note="客户场馆当月闭馆改造（演示）")


def _work_this_month(
    made: list[MaintenancePlan],
    techs: list[Any],
    coordinator: Any,
    today: dt.date,
    rng: random.Random,
) -> None:
    from aftersales.service.services import dispatch

    released = list(
        MaintenanceVisit.objects.filter(plan__in=made, state=VisitState.RELEASED)
        .select_related("plan", "ticket")
        .order_by("due_date", "pk")
    )
    for index, visit in enumerate(released):
        stage = index % 4  # done with a failure, in progress, dispatched only, left released
        if stage == 3 or visit.ticket is None:
            continue
        # a technician is on site at one customer at a time: a visit to start goes to one
        # who is free, else it stays dispatched only
        turn = techs[index:] + techs[:index]
        site_id = visit.ticket.site_id
        free = None
        if stage < 2:  # the first technician in turn not on site elsewhere (one query each)
            free = next(
                (t for t in turn if dispatch.open_visit_elsewhere(t.pk, site_id) is None), None
            )
        tech = free or turn[0]
        wo = dispatch.dispatch(actor=coordinator, ticket=visit.ticket, technician_ids=[tech.pk])
        if free is None:
            continue
        dispatch.accept(actor=tech, work_order=wo)
        dispatch.check_in(actor=tech, work_order=wo)
        visit = inspections.start(actor=tech, visit=visit)
        if stage == 1 or visit.checklist_id is None:
            continue
        items = list(visit.checklist.items.order_by("seq"))  # type: ignore[union-attr]
        failed = rng.choice([i for i in items if not i.photo_required] or items)
        answers = []
        for item in items:
            bad = item.pk == failed.pk
            if item.kind == "value":
                lo, hi = item.min_value, item.max_value
                good = lo if lo is not None else (hi if hi is not None else 1)
                value = (
                    (hi + 1 if hi is not None else lo - 1)
                    if bad and (hi is not None or lo is not None)
                    else good
                )
                answers.append(inspections.AnswerInput(item.pk, value=str(value)))
            else:
                answers.append(
                    inspections.AnswerInput(
                        item.pk, "fail" if bad else "pass", remark="需更换" if bad else ""
                    )
                )
        photo_items = [i for i in items if i.photo_required]
        for item in photo_items:  # the demo has no photos: such items are marked not applicable
            answers = [
                a if a.item_id != item.pk else inspections.AnswerInput(item.pk, "na")
                for a in answers
            ]
        inspections.record(actor=tech, visit=visit, answers=answers)
        co = [t.pk for t in techs if t.pk != tech.pk][: max(0, visit.plan.min_engineers - 1)]
        inspections.complete(
            actor=tech,
            visit=visit,
            co_engineer_ids=co,
            signed_by=visit.plan.contact_name,
            signature_png=signature_png(),
            remark="巡检完成，不合格项已生成整改报修单",
        )
