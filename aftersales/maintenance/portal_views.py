"""The customer portal's maintenance pages: his own sites' plans with their next visits and
his completed (signed) inspection reports — checklist results, failed items and the repair
ticket each raised. A dealer user sees those of the customers it serves. Customer-facing
facts only: no internal notes, coordinator or generation settings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from aftersales.approvals.web import or_404
from aftersales.maintenance import selectors
from aftersales.maintenance.api_schemas import ticket_progress
from aftersales.maintenance.models import MaintenancePlan, MaintenanceVisit, VisitState

STATE_CSS: dict[str, str] = {
    VisitState.PLANNED: "st-new",
    VisitState.RELEASED: "st-work",
    VisitState.IN_PROGRESS: "st-wait",
    VisitState.DONE: "st-done",
    VisitState.CANCELLED: "st-off",
}


def _visit_row(v: MaintenanceVisit) -> dict[str, Any]:
    return {
        "v": v,
        "css": STATE_CSS.get(v.state, ""),
        "label": _(selectors.PORTAL_STATE_LABELS.get(v.state, v.state)),
    }


def _plan_row(p: MaintenancePlan) -> dict[str, Any]:
    return {
        "p": p,
        "next": [
            _visit_row(v) for v in getattr(p, "open_visits", [])[: selectors.PORTAL_NEXT_VISITS]
        ],
        "equipment": list(p.equipment.all()),
    }


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "maintenance/portal/home.html",
        {
            "plans": [_plan_row(p) for p in selectors.portal_plans(user)[:100]],
            "reports": list(selectors.portal_reports(user)[:50]),
        },
    )


@login_required
def portal_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = or_404(lambda: selectors.portal_plan(request.user, pk))
    return render(
        request,
        "maintenance/portal/plan.html",
        {
            "row": _plan_row(plan),
            "plan": plan,
            "reports": list(selectors.portal_reports(request.user, plan_id=plan.pk)[:50]),
        },
    )


@login_required
def portal_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = or_404(lambda: selectors.portal_visit(request.user, pk))
    results = [
        {
            "r": r,
            "progress": ticket_progress(r.follow_up.state) if r.follow_up else "",
        }
        for r in visit.report_results  # type: ignore[attr-defined]
    ]
    return render(
        request,
        "maintenance/portal/visit.html",
        {
            "visit": visit,
            "plan": visit.plan,
            "row": _visit_row(visit),
            "results": results,
            "failed": [x for x in results if x["r"].outcome == "fail"],
        },
    )
