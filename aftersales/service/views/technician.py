"""The technician's phone screens: my jobs, the work order page with accept / decline /
set out / check-in / start work, the service report, the customer's signature or
confirmation link, submit and resolve."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aftersales.catalog.models import Part
from aftersales.core import listfilters
from aftersales.core.crud import search_q
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.service import notices, selectors
from aftersales.service.models import ServiceReport, WorkOrder, WorkOrderState
from aftersales.service.models.work import LIVE_WO_STATES, LeaveReason
from aftersales.service.services import dispatch, lifecycle, reports, warranty
from aftersales.service.transitions import allowed_actions
from aftersales.service.views import display
from aftersales.service.views.common import (
    flag,
    has_any,
    opt_decimal,
    opt_int,
    roles_of,
    run,
    sla_view,
    text,
    work_order_or_404,
)

REPORT_TEXT = (
    "phenomenon",
    "environment",
    "cause",
    "cause_class",
    "fault_category",
    "component_code",
    "responsibility",
    "actions",
    "customer_opinion",
)
RECENT_DONE = 20
REPORT_STAFF = frozenset({"coordinator", "manager", "admin"})


@login_required
def my_jobs(request: HttpRequest) -> HttpResponse:
    """My work orders; ``?unfiled=1``: those I left or finished whose report is not filed."""
    status = 200
    try:
        unfiled = listfilters.flag(request.GET, "unfiled", "报告未提交")
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        unfiled, status = False, 400
    qs = dispatch.my_work_orders(request.user)
    if unfiled:
        qs = qs.filter(selectors.unfiled_reports_q(request.user))
    wos = list(qs[:200])
    live = [wo for wo in wos if wo.state in LIVE_WO_STATES]
    for wo in wos:
        wo.css = display.WO_STATE_CSS.get(wo.state, "")
        wo.sla = sla_view(wo.ticket) if wo.state in LIVE_WO_STATES else None
    done = [wo for wo in wos if wo.state not in LIVE_WO_STATES]
    ctx = {"live": live, "done": done if unfiled else done[:RECENT_DONE], "unfiled": unfiled}
    return render(request, "service/tech/my_jobs.html", ctx, status=status)


def _report_of(wo: WorkOrder) -> ServiceReport | None:
    try:
        return ServiceReport.objects.prefetch_related("parts__part").get(work_order=wo)
    except ObjectDoesNotExist:
        return None


def _report_values(report: ServiceReport | None) -> dict[str, Any]:
    if report is None:
        return {"parts": [], "minutes_spent": "", "quick_rating": ""}
    values: dict[str, Any] = {name: getattr(report, name) for name in REPORT_TEXT}
    values.update(
        remote=report.remote,
        no_parts_used=report.no_parts_used,
        minutes_spent=report.minutes_spent or "",
        quick_rating=report.quick_rating or "",
    )
    values["parts"] = [
        {"code": p.part.code, "name": p.part.name, "qty": p.quantity, "keep": p.keep_old_part}
        for p in report.parts.all()
    ]
    return values


def _posted_parts(request: HttpRequest) -> list[dict[str, Any]]:
    codes = request.POST.getlist("part_code")
    qtys = request.POST.getlist("part_qty")
    keeps = request.POST.getlist("part_keep")
    rows = []
    for i, code in enumerate(codes):
        if code.strip():
            rows.append(
                {
                    "code": code.strip(),
                    "name": "",
                    "qty": qtys[i] if i < len(qtys) else "1",
                    "keep": (keeps[i] if i < len(keeps) else "1") == "1",
                }
            )
    return rows


def _posted_values(request: HttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {name: text(request, name) for name in REPORT_TEXT}
    values.update(
        remote=flag(request, "remote"),
        no_parts_used=flag(request, "no_parts_used"),
        minutes_spent=text(request, "minutes_spent"),
        quick_rating=text(request, "quick_rating"),
        parts=_posted_parts(request),
    )
    names = dict(
        Part.objects.filter(code__in=[p["code"] for p in values["parts"]]).values_list(
            "code", "name"
        )
    )
    for p in values["parts"]:
        p["name"] = names.get(p["code"], "")
    return values


def _job_context(
    request: HttpRequest, wo: WorkOrder, values: dict[str, Any] | None = None, error: str = ""
) -> dict[str, Any]:
    user: Any = request.user
    ticket = wo.ticket
    report = _report_of(wo)
    mine = wo.technician_id == user.pk
    offered = (
        wo.state == WorkOrderState.OFFERED
        and wo.offers.filter(technician=user, declined_at__isnull=True).exists()
    )
    allowed = {a.action for a in allowed_actions(ticket.state, roles_of(user))}
    confirm_url = (
        request.build_absolute_uri(reverse("service:report_confirm", args=[report.confirm_token]))
        if report is not None and report.confirm_token
        else ""
    )
    return {
        "wo": wo,
        "t": ticket,
        "css": display.WO_STATE_CSS.get(wo.state, ""),
        "ticket_state": display.state_label(ticket.state),
        "sla": sla_view(ticket),
        "mine": mine,
        "can_accept": offered,
        "can_set_out": mine and wo.state == WorkOrderState.ACCEPTED,
        "can_check_in": mine and wo.state == WorkOrderState.ACCEPTED,
        "can_start": mine and wo.state == WorkOrderState.ON_SITE and "start_work" in allowed,
        "start_blocked": warranty.work_may_start(ticket),
        "can_wait": mine and wo.state == WorkOrderState.ON_SITE and "wait_parts" in allowed,
        "can_resume": mine and "resume" in allowed,
        "can_report": (mine or has_any(user, REPORT_STAFF))
        and wo.state in (WorkOrderState.ON_SITE, WorkOrderState.DONE, WorkOrderState.LEFT)
        and (report is None or report.filed_at is None),
        "can_resolve": mine
        and "resolve" in allowed
        and report is not None
        and report.filed_at is not None,
        "can_check_out": mine and wo.state == WorkOrderState.ON_SITE,
        "leave_reasons": translated(LeaveReason.choices),
        "report": report,
        "missing": report.missing_fields()
        if report is not None and report.filed_at is None
        else [],
        "confirm_url": confirm_url,
        "r": values if values is not None else _report_values(report),
        "error": error,
        "warranty": warranty.current(ticket),
        "cause_choices": display.CAUSE_CHOICES,
        "responsibility_choices": display.RESPONSIBILITY_CHOICES,
        "ratings": [5, 4, 3, 2, 1],
    }


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wo = work_order_or_404(request.user, pk)
    return render(request, "service/tech/job.html", _job_context(request, wo))


def _job_url(wo: WorkOrder) -> str:
    return reverse("service:job_detail", args=[wo.pk])


JOB_MESSAGES = {
    "accept": "已接单",
    "decline": "已拒单",
    "set_out": "已出发",
    "check_in": "已到场签到",
    "start_work": "已开始处理",
    "check_out": "已离场",
    "resolve": "已完工，回访任务已生成",
    "wait": "已暂停，等待中",
    "resume": "已恢复处理",
}


def _set_out_message(wo: WorkOrder) -> str:
    """Say what the customer was really sent, per channel — not 「客户已收到通知」."""
    return f"{wo.number}：{JOB_MESSAGES['set_out']}。{notices.on_the_way_summary(wo)}"


@require_POST
@login_required
def job_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    wo = work_order_or_404(user, pk)

    def check_in() -> WorkOrder:
        lat = opt_decimal(request.POST.get("lat"), "纬度", "lat")
        lng = opt_decimal(request.POST.get("lng"), "经度", "lng")
        if lat is not None and lng is not None:
            lat, lng = round(lat, 6), round(lng, 6)
        else:
            lat = lng = None
        return dispatch.check_in(actor=user, work_order=wo, lat=lat, lng=lng)

    calls = {
        "accept": lambda: dispatch.accept(actor=user, work_order=wo),
        "decline": lambda: dispatch.decline(
            actor=user, work_order=wo, reason=text(request, "reason")
        ),
        "set_out": lambda: dispatch.set_out(actor=user, work_order=wo),
        "check_in": check_in,
        "start_work": lambda: dispatch.start_work(actor=user, ticket=wo.ticket),
        "check_out": lambda: dispatch.check_out(
            actor=user, work_order=wo, reason=text(request, "reason"), note=text(request, "note")
        ),
        "resolve": lambda: lifecycle.resolve(actor=user, ticket=wo.ticket),
        "wait": lambda: lifecycle.wait(
            actor=user,
            ticket=wo.ticket,
            for_=text(request, "for") or "parts",
            reason=text(request, "reason"),
        ),
        "resume": lambda: lifecycle.resume(actor=user, ticket=wo.ticket),
    }
    if action not in calls:
        raise Http404("未知操作")
    done = reverse("service:my_jobs") if action == "decline" else _job_url(wo)

    def said(result: object) -> str:
        if action == "set_out":
            return _set_out_message(wo)
        return Said("%(number)s：%(done)s", number=wo.number, done=JOB_MESSAGES[action])

    return run(
        request,
        calls[action],
        success=said,
        back=_job_url(wo),
        done=done,
    )


def _report_input(values: dict[str, Any]) -> reports.ReportInput:
    parts = []
    for p in values["parts"]:
        qty = opt_int(p["qty"], Said("配件 %(code)s 的数量", code=p["code"]), "part_qty")
        parts.append((p["code"], qty if qty is not None else 1, bool(p["keep"])))
    minutes = opt_int(values["minutes_spent"], "耗时", "minutes_spent")
    return reports.ReportInput(
        **{name: values[name] for name in REPORT_TEXT},
        remote=values["remote"],
        no_parts_used=values["no_parts_used"],
        minutes_spent=minutes or 0,
        quick_rating=opt_int(values["quick_rating"], "现场满意度", "quick_rating"),
        parts=parts,
    )


@require_POST
@login_required
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft; on an error the form comes back with what was typed."""
    wo = work_order_or_404(request.user, pk)
    values = _posted_values(request)
    try:
        if values["parts"] and values["no_parts_used"]:
            raise ValidationFailed("已填写更换配件，请取消勾选“未更换配件”", field="no_parts_used")
        with transaction.atomic():
            reports.save(actor=request.user, work_order=wo, data=_report_input(values))
            for photo in request.FILES.getlist("photos"):
                reports.add_photo(actor=request.user, work_order=wo, image=photo)
    except DomainError as exc:
        ctx = _job_context(request, wo, values, exc.message)
        return render(request, "service/tech/job.html", ctx, status=exc.status)
    messages.success(request, "服务报告已保存")
    return redirect(_job_url(wo) + "#report")


@require_POST
@login_required
def report_sign(request: HttpRequest, pk: int) -> HttpResponse:
    wo = work_order_or_404(request.user, pk)
    return run(
        request,
        lambda: reports.sign(
            actor=request.user,
            work_order=wo,
            signature_png=request.POST.get("signature_png", ""),
            signed_by=text(request, "signed_by"),
        ),
        success="客户已签字确认",
        back=_job_url(wo) + "#sign",
        done=_job_url(wo) + "#submit",
    )


@require_POST
@login_required
def report_link(request: HttpRequest, pk: int) -> HttpResponse:
    wo = work_order_or_404(request.user, pk)
    return run(
        request,
        lambda: reports.request_link_confirmation(actor=request.user, work_order=wo),
        success="已生成客户确认链接，请发送给客户",
        back=_job_url(wo) + "#sign",
    )


@require_POST
@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    wo = work_order_or_404(request.user, pk)
    return run(
        request,
        lambda: reports.submit(actor=request.user, work_order=wo),
        success="服务报告已提交",
        back=_job_url(wo) + "#submit",
    )


@login_required
def part_search(request: HttpRequest) -> HttpResponse:
    """Parts from the part master by code, name or pinyin initials (report and quote forms)."""
    term = request.GET.get("part_q", "").strip()
    found: list[Part] = []
    if term:
        found = list(
            visible(Part, request.user)
            .filter(archived_at__isnull=True)
            .filter(search_q(term, ["code", "name", "name_initials", "model"]))
            .order_by("code")[:12]
        )
    return render(request, "service/tech/_part_results.html", {"found": found, "term": term})
