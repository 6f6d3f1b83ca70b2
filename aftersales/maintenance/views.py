"""Maintenance screens: the plan list and editor (with a calendar preview of the next
occurrences, re-drawn by htmx as the form changes), the plan page with its visits and
coverage, the month's visits board per region, the inspection page on the technician's
phone (item by item, co-engineers, customer signature) and the inspection report PDF."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.approvals.audience import is_external
from aftersales.approvals.web import int_or_none, or_404, post, run
from aftersales.core.company import company
from aftersales.core.errors import DomainError, PermissionDenied
from aftersales.core.i18n import translated
from aftersales.core.models import Region
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible, visible
from aftersales.customers.models import Customer, ServiceContract, Site
from aftersales.installed_base.models import ProductCategory
from aftersales.maintenance import exports, rules, selectors
from aftersales.maintenance.models import (
    ChecklistTemplate,
    MaintenancePlan,
    MaintenanceVisit,
    PlanKind,
    Recurrence,
    SeasonalWindow,
    VisitState,
)
from aftersales.maintenance.roles import PLANNERS
from aftersales.maintenance.services import generation, inspections, plans
from aftersales.maintenance.services.generation import working_day_test
from aftersales.maintenance.services.inspections import AnswerInput, lead_technician

STATE_CSS: dict[str, str] = {
    VisitState.PLANNED: "st-new",
    VisitState.RELEASED: "st-work",
    VisitState.IN_PROGRESS: "st-wait",
    VisitState.DONE: "st-done",
    VisitState.CANCELLED: "st-off",
}


def _external(user: Any) -> bool:
    """A customer or dealer user: served by the portal's customer-facing pages."""
    return is_external(user)


def _planner(user: Any) -> bool:
    return bool(user.is_superuser or user.role_codes & PLANNERS)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if _external(request.user):
        return redirect("maintenance:portal")
    g = request.GET
    qs = selectors.plan_list(
        request.user,
        customer_id=int_or_none(g.get("customer_id")),
        kind=g.get("kind") or None,
        q=(g.get("q") or "").strip() or None,
    )
    if g.get("export") == "1":
        return exports.plans_xlsx(qs)
    return render(
        request,
        "maintenance/plan_list.html",
        {
            "plans": qs[:200],
            "kinds": translated(PlanKind.choices),
            "f": g,
            "planner": _planner(request.user),
        },
    )


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _time(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _plan_input(request: HttpRequest) -> plans.PlanInput:
    p = request.POST
    return plans.PlanInput(
        name=post(request, "name")[:100],
        kind=post(request, "kind"),
        customer_id=_int(p.get("customer_id", ""), 0),
        recurrence=post(request, "recurrence"),
        start_date=_date(post(request, "start_date")),
        end_date=_date(post(request, "end_date")),
        interval=_int(p.get("interval", ""), 0),
        site_id=int_or_none(p.get("site_id")),
        contract_id=int_or_none(p.get("contract_id")),
        equipment_ids=[i for i in (int_or_none(x) for x in p.getlist("equipment_ids")) if i],
        window_id=int_or_none(p.get("window_id")),
        lead_days=_int(p.get("lead_days", ""), 60),
        release_days=_int(p.get("release_days", ""), 14),
        min_engineers=_int(p.get("min_engineers", ""), 1),
        duration_minutes=_int(p.get("duration_minutes", ""), 120),
        visit_from=_time(post(request, "visit_from")),
        visit_until=_time(post(request, "visit_until")),
        skill_id=int_or_none(p.get("skill_id")),
        checklist_code=post(request, "checklist_code")[:30],
        written_report=p.get("written_report") in ("1", "on"),
        contact_name=post(request, "contact_name")[:50],
        contact_phone=post(request, "contact_phone")[:20],
        note=post(request, "note")[:2000],
    )


def _editor_context(
    request: HttpRequest, plan: MaintenancePlan | None, values: Any
) -> dict[str, Any]:
    return {
        "plan": plan,
        "v": values,
        "kinds": translated(PlanKind.choices),
        "recurrences": translated(Recurrence.choices),
        "windows": SeasonalWindow.objects.active(),
        "customers": visible(Customer, request.user)
        .filter(archived_at__isnull=True)
        .order_by("name")[:500],
        "sites": visible(Site, request.user)
        .filter(archived_at__isnull=True)
        .order_by("name")[:500],
        "contracts": visible(ServiceContract, request.user).filter(archived_at__isnull=True)[:500],
        "skills": ProductCategory.objects.order_by("code"),
        "checklists": ChecklistTemplate.objects.active()
        .order_by("code", "-version")
        .distinct("code"),
    }


def _values_of(plan: MaintenancePlan) -> dict[str, Any]:
    return {
        "name": plan.name,
        "kind": plan.kind,
        "customer_id": plan.customer_id,
        "site_id": plan.site_id,
        "contract_id": plan.contract_id,
        "recurrence": plan.recurrence,
        "interval": plan.interval,
        "window_id": plan.window_id,
        "start_date": plan.start_date.isoformat(),
        "end_date": plan.end_date.isoformat() if plan.end_date else "",
        "lead_days": plan.lead_days,
        "release_days": plan.release_days,
        "min_engineers": plan.min_engineers,
        "duration_minutes": plan.duration_minutes,
        "visit_from": f"{plan.visit_from:%H:%M}" if plan.visit_from else "",
        "visit_until": f"{plan.visit_until:%H:%M}" if plan.visit_until else "",
        "skill_id": plan.skill_id,
        "checklist_code": plan.checklist_code,
        "written_report": plan.written_report,
        "contact_name": plan.contact_name,
        "contact_phone": plan.contact_phone,
        "note": plan.note,
    }


@login_required
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not _planner(request.user):
        raise PermissionDenied("只有售后主办、组长、主管或管理员可以编制巡检计划")
    plan = or_404(lambda: selectors.plan_detail(request.user, pk)) if pk else None
    if request.method == "POST":
        data = _plan_input(request)
        if plan is None:
            saved = run(
                request, lambda: plans.plan_create(actor=request.user, data=data), "巡检计划已创建"
            )
        else:
            saved = run(
                request,
                lambda: plans.plan_update(actor=request.user, plan=plan, data=data),
                "巡检计划已修改：未开始的后续任务已按新计划调整",
            )
        if saved is not None:
            return redirect("maintenance:plan", pk=saved.pk)
        values: Any = request.POST
    else:
        values = (
            _values_of(plan)
            if plan
            else {
                "interval": 1,
                "lead_days": 60,
                "release_days": 14,
                "min_engineers": 1,
                "duration_minutes": 120,
            }
        )
    return render(request, "maintenance/plan_edit.html", _editor_context(request, plan, values))


@login_required
@require_POST
def plan_preview(request: HttpRequest) -> HttpResponse:
    """The next occurrences of the schedule in the editor's form, not saved (htmx)."""
    p = request.POST
    error, found = "", []
    window = SeasonalWindow.objects.active().filter(pk=int_or_none(p.get("window_id"))).first()
    try:
        start = _date(post(request, "start_date"))
        if start is None:
            raise rules.ScheduleError({"start_date": "请填写开始日期"})
        schedule = rules.Schedule(
            rules.Recurrence(post(request, "recurrence") or "monthly"),
            _int(p.get("interval", ""), 0),
            start,
            _date(post(request, "end_date")),
            rules.SeasonWindow(
                window.start_month, window.start_day, window.end_month, window.end_day
            )
            if window
            else None,
        )
        today = timezone.localdate()
        found = rules.occurrences(
            schedule,
            since=max(today, start),
            until=today + dt.timedelta(days=800),
            is_working=working_day_test(),
        )[:12]
    except (rules.ScheduleError, ValueError) as exc:
        error = str(exc)
    return render(request, "maintenance/_preview.html", {"occurrences": found, "error": error})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if _external(request.user):
        return redirect("maintenance:portal_plan", pk=pk)
    plan = or_404(lambda: selectors.plan_detail(request.user, pk))
    visits = selectors.visit_list(request.user, selectors.VisitFilters(plan_id=plan.pk))
    return render(
        request,
        "maintenance/plan_detail.html",
        {
            "plan": plan,
            "visits": [{"v": v, "css": STATE_CSS.get(v.state, "")} for v in visits[:200]],
            "coverage": selectors.coverage(request.user, plan_id=plan.pk),
            "occurrences": selectors.preview(plan),
            "equipment": list(plan.equipment.all()),
            "planner": _planner(request.user),
        },
    )


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    if _external(request.user):
        return redirect("maintenance:portal")
    g = request.GET
    f = selectors.VisitFilters(
        state=g.get("state") or "open", region_id=int_or_none(g.get("region_id"))
    )
    visits = selectors.visit_list(request.user, f)
    return render(
        request,
        "maintenance/visit_list.html",
        {
            "rows": [{"v": v, "css": STATE_CSS.get(v.state, "")} for v in visits[:200]],
            "f": f,
            "states": [
                ("open", _("未完成")),
                ("overdue", _("已逾期")),
                *translated(VisitState.choices),
                ("all", _("全部")),
            ],
        },
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The month's visits per region as a calendar."""
    if _external(request.user):
        return redirect("maintenance:portal")
    g = request.GET
    today = timezone.localdate()
    month = g.get("month") or f"{today:%Y-%m}"
    try:
        first = selectors.month_start(month)
    except DomainError:
        first = today.replace(day=1)
        month = f"{first:%Y-%m}"
    region_id = int_or_none(g.get("region_id"))
    visits = selectors.visit_list(
        request.user, selectors.VisitFilters(state="all", region_id=region_id, month=month)
    )
    by_day: dict[dt.date, list[dict[str, Any]]] = {}
    for v in visits:
        if v.state != VisitState.CANCELLED:
            by_day.setdefault(v.due_date, []).append({"v": v, "css": STATE_CSS.get(v.state, "")})
    weeks = [
        [
            {
                "date": d,
                "in_month": d.month == first.month,
                "visits": by_day.get(d, []),
                "today": d == today,
            }
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    prev_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (first + dt.timedelta(days=32)).strftime("%Y-%m")
    return render(
        request,
        "maintenance/board.html",
        {
            "weeks": weeks,
            "month": month,
            "prev_month": prev_month,
            "next_month": next_month,
            "regions": Region.objects.active(),
            "region_id": region_id,
        },
    )


def _planned_crew(visit: MaintenanceVisit) -> set[int]:
    """The further engineers 智能派工 put on the visit: pre-selected as co-engineers."""
    from aftersales.dispatch.crew_scope import planned_crew

    return set(planned_crew(visit.ticket_id)) if visit.ticket_id else set()


def _visit_context(request: HttpRequest, visit: MaintenanceVisit) -> dict[str, Any]:
    results = {r.item_id: r for r in visit.results.select_related("follow_up")}
    items = list(visit.checklist.items.all()) if visit.checklist_id else []  # type: ignore[union-attr]
    lead = lead_technician(visit)
    user = request.user
    return {
        "visit": visit,
        "plan": visit.plan,
        "css": STATE_CSS.get(visit.state, ""),
        "rows": [{"item": i, "r": results.get(i.pk)} for i in items],
        "lead": lead,
        "is_lead": lead is not None and lead.pk == user.pk,
        "co_engineers": list(visit.co_engineers.all()),
        "technicians": get_user_model()
        .objects.filter(is_active=True, groups__name="维修工程师")
        .exclude(pk=getattr(lead, "pk", 0) or 0)
        .order_by("display_name")[:200],
        "follow_ups": [r.follow_up for r in results.values() if r.follow_up_id],
        "planned_crew": _planned_crew(visit),
        "can_cancel": _planner(user) and generation.cancellable(visit),
        "note_max": generation.NOTE_MAX,
    }


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if _external(request.user):
        return redirect("maintenance:portal_visit", pk=pk)
    visit = or_404(lambda: selectors.visit_detail(request.user, pk))
    return render(request, "maintenance/visit.html", _visit_context(request, visit))


@login_required
@require_POST
def visit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    visit = or_404(lambda: selectors.visit_detail(request.user, pk))
    user = request.user
    if action == "start":
        run(request, lambda: inspections.start(actor=user, visit=visit), "巡检已开始")
    elif action == "cancel":
        run(
            request,
            lambda: generation.cancel_visit(
                actor=user, visit=visit, note=post(request, "cancel_note")
            ),
            _("巡检任务已取消"),
        )
    elif action == "record":
        answers = []
        for item in visit.checklist.items.all() if visit.checklist_id else []:  # type: ignore[union-attr]
            outcome = request.POST.get(f"outcome_{item.pk}", "")
            value = request.POST.get(f"value_{item.pk}", "")
            photo = request.FILES.get(f"photo_{item.pk}")
            if outcome or value.strip() or photo:
                answers.append(
                    AnswerInput(
                        item.pk,
                        outcome,
                        value[:40],
                        request.POST.get(f"remark_{item.pk}", "")[:200],
                        photo,
                    )
                )
        run(
            request,
            lambda: inspections.record(actor=user, visit=visit, answers=answers),
            Said("已保存 %(answers)s 项", answers=len(answers)),
        )
    elif action == "complete":
        ids = [i for i in (int_or_none(x) for x in request.POST.getlist("co_engineer_ids")) if i]
        done = run(
            request,
            lambda: inspections.complete(
                actor=user,
                visit=visit,
                co_engineer_ids=ids,
                signed_by=post(request, "signed_by")[:50],
                signature_png=request.POST.get("signature_png", ""),
                remark=post(request, "remark")[:2000],
            ),
            lambda d: (
                "巡检已完成"
                + (
                    Said("，已生成 %(follow_ups)s 张整改报修单", follow_ups=len(d.follow_ups))
                    if d.follow_ups
                    else ""
                )
            ),
        )
        if done is None:
            messages.info(request, _("巡检尚未完成"))
    return redirect("maintenance:visit", pk=pk)


def report_html(visit: MaintenanceVisit) -> str:
    from aftersales.service.views.pdf import stored_url

    results = list(visit.results.select_related("item", "follow_up").order_by("item__seq"))
    return render_to_string(
        "maintenance/report_pdf.html",
        {
            "visit": visit,
            "plan": visit.plan,
            "results": results,
            "lead": lead_technician(visit),
            "co_engineers": list(visit.co_engineers.all()),
            "signature": stored_url(visit.signature),
            "company": company(),
            "printed_at": timezone.now(),
        },
    )


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from aftersales.service.views.pdf import html_pdf

    visit = or_404(lambda: selectors.visit_detail(request.user, pk))
    if visit.state != VisitState.DONE:
        messages.error(request, "巡检完成后才能打印巡检报告")
        return redirect("maintenance:visit", pk=pk)
    response = HttpResponse(html_pdf(report_html(visit)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="inspection-report-{visit.pk}.pdf"'
    return response


@login_required
def results_export(request: HttpRequest) -> HttpResponse:
    month = request.GET.get("month") or None
    visits = selectors.visit_list(request.user, selectors.VisitFilters(state="done", month=month))
    return exports.results_xlsx(visits)


@login_required
def contract_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    """Coverage of a service contract: planned vs done vs overdue per month, with its plans."""
    if _external(request.user):
        return redirect("maintenance:portal")
    contract = or_404(
        lambda: get_visible(ServiceContract.objects.select_related("customer"), request.user, pk=pk)
    )
    return render(
        request,
        "maintenance/contract_coverage.html",
        {
            "contract": contract,
            "coverage": selectors.coverage(request.user, contract_id=contract.pk),
            "plans": selectors.plan_list(request.user).filter(contract_id=contract.pk),
        },
    )
