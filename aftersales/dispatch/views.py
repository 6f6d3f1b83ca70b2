"""The dispatcher's screen (智能派工): choose a day and region, solve, look at the plan as
a timeline per technician and as a route plot, move visits (drag and drop or a select per
visit), publish, re-plan. Every write is one service call; errors come back in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aftersales.core.errors import DomainError, NotFound, ValidationFailed
from aftersales.core.models import Region
from aftersales.core.said import Said
from aftersales.dispatch import selectors, services
from aftersales.dispatch.building import day_origin
from aftersales.dispatch.conf import planner_config
from aftersales.dispatch.models import DispatchPlan


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _planner(request: HttpRequest) -> Any:
    if not services.is_planner(request.user):
        raise Http404("无权访问此页面")
    return request.user


def _plan(request: HttpRequest, pk: int) -> DispatchPlan:
    try:
        return selectors.plan_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _day(text: str | None, default: dt.date) -> dt.date:
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationFailed("日期格式不正确", field="day") from exc


def _region(text: str | None) -> Region | None:
    if not text:
        return None
    region = Region.objects.active().filter(pk=text).first() if text.isdigit() else None
    if region is None:
        raise ValidationFailed("片区不存在", field="region")
    return region


def _page_url(plan: DispatchPlan) -> str:
    query = {"day": plan.day.isoformat(), "plan": plan.pk}
    if plan.region_id:
        query["region"] = plan.region_id
    return f"{reverse('dispatch:plan')}?{urlencode(query)}"


def _body(request: HttpRequest, plan: DispatchPlan) -> HttpResponse:
    return render(request, "dispatch/_plan_body.html", _context(plan))


def _context(plan: DispatchPlan | None) -> dict[str, Any]:
    if plan is None:
        return {"plan": None}
    view = selectors.plan_view(plan)
    return {"plan": plan, "view": view, "chart": view.chart}


@login_required
def plan_page(request: HttpRequest) -> HttpResponse:
    _planner(request)
    default_day = selectors.default_day(timezone.localtime())
    try:
        day = _day(request.GET.get("day"), default_day)
        region = _region(request.GET.get("region"))
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("dispatch:plan")
    plan = None
    if request.GET.get("plan", "").isdigit():
        plan = _plan(request, int(request.GET["plan"]))
        day, region = plan.day, plan.region
    else:
        plan = selectors.current_plan(request.user, day, region)
    ctx = {
        **_context(plan),
        "day": day,
        "region": region,
        "regions": Region.objects.active().order_by("code"),
        "config": planner_config(),
        "history": selectors.plans(request.user).filter(day=day, region=region)[:10],
        "now": timezone.localtime(),
    }
    return render(request, "dispatch/plan.html", ctx)


def _run(
    request: HttpRequest,
    call: Callable[[], DispatchPlan],
    *,
    success: str | Callable[[DispatchPlan], str],
    back: str,
) -> HttpResponse:
    try:
        plan = call()
    except DomainError as exc:
        if _is_htmx(request):
            return JsonResponse(exc.as_dict(), status=exc.status)
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, success if isinstance(success, str) else success(plan))
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _page_url(plan)
        return response
    return redirect(_page_url(plan))


@login_required
@require_POST
def plan_solve(request: HttpRequest) -> HttpResponse:
    actor = _planner(request)
    back = reverse("dispatch:plan")

    def call() -> DispatchPlan:
        day = _day(request.POST.get("day"), timezone.localdate())
        return services.plan_day(actor=actor, day=day, region=_region(request.POST.get("region")))

    return _run(request, call, success="方案已生成", back=back)


@login_required
def plan_body(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's body (polled while a background worker solves it)."""
    _planner(request)
    return _body(request, _plan(request, pk))


@login_required
@require_POST
def plan_move(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _planner(request)
    plan = _plan(request, pk)
    position_text = request.POST.get("position", "").strip()
    technician = request.POST.get("technician", "")
    try:
        if not technician.isdigit():
            raise ValidationFailed("请选择工程师", field="technician")
        position = None
        if position_text:
            if not position_text.isdigit() or int(position_text) < 1:
                raise ValidationFailed("顺序须为正整数", field="position")
            position = int(position_text) - 1
        if request.POST.get("index", "").isdigit():
            position = int(request.POST["index"])
        item = services.move_item(
            actor=actor,
            plan=plan,
            job_id=request.POST.get("job_id", ""),
            technician=int(technician),
            position=position,
        )
    except DomainError as exc:
        if _is_htmx(request):
            return JsonResponse(exc.as_dict(), status=exc.status)
        messages.error(request, exc.message)
        return redirect(_page_url(plan))
    plan.refresh_from_db()
    if _is_htmx(request):
        return _body(request, plan)
    messages.success(
        request,
        Said(
            "已将 %(number)s 调整给 %(technician)s",
            number=item.ticket.number,
            technician=item.technician,
        ),
    )
    return redirect(_page_url(plan))


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _planner(request)
    plan = _plan(request, pk)
    return _run(
        request,
        lambda: services.publish(actor=actor, plan=plan),
        success=services.published_summary,
        back=_page_url(plan),
    )


@login_required
@require_POST
def plan_replan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _planner(request)
    plan = _plan(request, pk)
    now = max(timezone.now(), day_origin(plan.day))
    return _run(
        request,
        lambda: services.replan(actor=actor, plan=plan, now=now),
        success="已重新规划（已开始与已固定的行程保持不变）",
        back=_page_url(plan),
    )
