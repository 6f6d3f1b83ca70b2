"""The knowledge base where the work happens: the suggestions panel (htmx, debounced while a
description is typed; on the ticket and technician pages), 「解决了」/「不相关」 feedback, a
case's page with its review actions, and 「保存为案例」 from a resolved ticket's report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.approvals import workflow
from aftersales.core.errors import DomainError, NotFound
from aftersales.core.visibility import visible
from aftersales.installed_base.models import Equipment, ProductCategory
from aftersales.knowledge import selectors
from aftersales.knowledge.models import Case
from aftersales.knowledge.services import entries, feedback, transfer
from aftersales.knowledge.transitions import AUTHORS, EDITORS, FEEDBACK_ROLES, REVIEW

MAX_TEXT = 500


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _category_of(user: Any, request: HttpRequest) -> int | None:
    """The category named, or the one of the equipment picked on the registration form."""
    cat = _int(request.GET.get("category"))
    if cat is not None:
        return cat
    eq_id = _int(request.GET.get("equipment_id"))
    if eq_id is None:
        return None
    eq = visible(Equipment, user).filter(pk=eq_id).select_related("model").first()
    return eq.model.category_id if eq else None


def _panel(request: HttpRequest, text: str, ticket_id: int | None, category: int | None) -> Any:
    found = selectors.similar_cases(request.user, text, category_id=category, ticket_id=ticket_id)
    return {
        "suggestions": found,
        "query": text,
        "ticket_id": ticket_id,
        "may_rate": bool(workflow.actor_roles(request.user) & FEEDBACK_ROLES),
    }


@require_GET
@login_required
def suggest(request: HttpRequest) -> HttpResponse:
    """``?description=…`` (the form field) or ``?text=…``, ``&ticket_id=``, ``&category=``."""
    text = str(request.GET.get("description") or request.GET.get("text") or "")[:MAX_TEXT]
    ticket_id = _int(request.GET.get("ticket_id"))
    ctx = _panel(request, text, ticket_id, _category_of(request.user, request))
    return render(request, "knowledge/_suggestions.html", ctx)


@require_POST
@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = selectors.case_detail(request.user, pk)
        feedback.feedback_record(
            actor=request.user,
            case=case,
            verdict=str(request.POST.get("verdict", ""))[:15],
            ticket_id=_int(request.POST.get("ticket_id")),
            query=str(request.POST.get("query", ""))[:MAX_TEXT],
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return render(
            request,
            "knowledge/_rated.html",
            {"error": exc.message, "case": None},
            status=exc.status,
        )
    return render(
        request,
        "knowledge/_rated.html",
        {"case": case, "verdict": request.POST.get("verdict")},
    )


def _case_or_404(user: Any, pk: int) -> Case:
    try:
        return selectors.case_detail(user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request.user, pk)
    moves = workflow.allowed(case, REVIEW, request.user)
    return render(request, "knowledge/case.html", {"case": case, "moves": moves})


@require_POST
@login_required
def case_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = _case_or_404(request.user, pk)
    try:
        entries.case_move(
            actor=request.user,
            case=case,
            action=action,
            reason=str(request.POST.get("reason", ""))[:500],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "案例状态已更新")
    return redirect("knowledge:case_detail", pk=pk)


def _title(fault_category: str, phenomenon: str) -> str:
    first = phenomenon.strip().splitlines()[0] if phenomenon.strip() else ""
    return (fault_category or first)[:200]


def _from_report(user: Any, report_id: int) -> dict[str, Any]:
    """The case form pre-filled from a report: what was seen, why, what was done."""
    try:
        report = selectors.report_for_case(user, report_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    t = report.ticket
    eq = t.equipment
    phenomenon = report.phenomenon or t.description
    return {
        "report": report,
        "ticket": t,
        "category_id": eq.model.category_id if eq else None,
        "product_model_id": eq.model_id if eq else None,
        "title": _title(report.fault_category, phenomenon),
        "phenomenon": phenomenon[:4000],
        "cause": (report.cause or "")[:4000],
        "solution": (report.actions or "")[:4000],
        "codes": "",
    }


@require_http_methods(["GET", "POST"])
@login_required
def case_from_report(request: HttpRequest, report_id: int) -> HttpResponse:
    if not workflow.actor_roles(request.user) & AUTHORS:
        raise Http404("无权新建案例")
    v = _from_report(request.user, report_id)
    error = ""
    if request.method == "POST":
        for name in ("title", "phenomenon", "cause", "solution", "codes"):
            v[name] = str(request.POST.get(name, ""))
        prefilled_category = v["category_id"]
        v["category_id"] = _int(request.POST.get("category_id"))
        # the equipment's model only while its category is kept
        model_id = v["product_model_id"] if v["category_id"] == prefilled_category else None
        v["is_public"] = request.POST.get("is_public") == "1"
        try:
            case = entries.case_create(
                actor=request.user,
                data=entries.CaseInput(
                    category_id=v["category_id"],
                    product_model_id=model_id,
                    title=v["title"],
                    phenomenon=v["phenomenon"],
                    cause=v["cause"],
                    solution=v["solution"],
                    codes=v["codes"],
                    is_public=v["is_public"],
                    source_report_id=report_id,
                ),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "已保存为案例草稿，审核人审核后发布")
            return redirect(reverse("knowledge:case_detail", args=[case.pk]))
    categories = ProductCategory.objects.active().order_by("code")
    return render(
        request,
        "knowledge/case_from_report.html",
        {"v": v, "error": error, "categories": categories},
    )


MAX_UPLOAD = 5 * 1024 * 1024
PREVIEW_ROWS = 200


def _rows_of(upload: Any) -> Any:
    """The lines of an uploaded JSON-lines or Excel file, as ``transfer`` reads them (the
    rows are read at once, so that a file that is not what it says fails here)."""
    import io
    import zipfile

    name = (upload.name or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        try:
            return list(transfer.read_xlsx(io.BytesIO(data)))
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValueError(_("不是有效的 Excel（.xlsx）文件")) from exc
    if name.endswith((".jsonl", ".json", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(_("文件不是 UTF-8 编码的文本")) from exc
        return list(transfer.read_jsonl(text.splitlines()))
    raise ValueError(_("请上传 .jsonl（每行一个 JSON 对象）或 .xlsx 文件"))


@require_http_methods(["GET", "POST"])
@login_required
def case_import(request: HttpRequest) -> HttpResponse:
    """The web face of ``manage.py kb_import`` for the knowledge editors: 「检查」 shows every
    line that would be imported and names each bad one, writing nothing; 「导入」 writes all
    lines or none (``transfer.import_cases``, each case audited as created by the user)."""
    if not workflow.actor_roles(request.user) & EDITORS:
        raise Http404(_("无权导入案例"))
    ctx: dict[str, Any] = {"publish": False, "problems": [], "preview": None, "error": ""}
    if request.method == "POST":
        ctx["publish"] = request.POST.get("publish") == "1"
        dry_run = request.POST.get("action") != "import"
        upload = request.FILES.get("file")
        try:
            if upload is None or (upload.size or 0) > MAX_UPLOAD:
                raise ValueError(_("请选择不超过 5 MB 的 .jsonl 或 .xlsx 文件"))
            rows = _rows_of(upload)
            ctx["file_name"] = upload.name
            if dry_run:
                good, problems = transfer.check(rows)
                ctx["problems"] = problems
                ctx["preview"] = {
                    "lines": len(good) + len(problems),
                    "good": len(good),
                    "rows": [(n, d) for n, d in good[:PREVIEW_ROWS]],
                    "more": max(len(good) - PREVIEW_ROWS, 0),
                }
            else:
                result = transfer.import_cases(
                    iter(rows), actor=request.user, publish=ctx["publish"]
                )
        except ValueError as exc:
            ctx["error"] = str(exc)
        except transfer.ImportRefused as exc:
            ctx["problems"] = exc.problems
            ctx["error"] = _("导入失败：%(n)s处错误，未导入任何案例") % {"n": len(exc.problems)}
        except DomainError as exc:
            ctx["error"] = exc.message
        else:
            if not dry_run:
                if result.published:
                    messages.success(
                        request, _("已导入%(n)s条案例（已发布）") % {"n": len(result.created)}
                    )
                else:
                    messages.success(
                        request,
                        _("已导入%(n)s条案例（草稿，待审核）") % {"n": len(result.created)},
                    )
                return redirect("knowledge:case_import")
    status = 400 if ctx["error"] or ctx["problems"] else 200
    ctx["categories"] = {c.pk: c.name for c in ProductCategory.objects.all()}
    return render(request, "knowledge/import.html", ctx, status=status)
