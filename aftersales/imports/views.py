"""Web pages: the list of one's imports with the upload form and the export links, and one
import's preview / progress page (htmx polls it every second while work is running)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from aftersales.core.errors import DomainError, NotFound
from aftersales.core.exports import download
from aftersales.imports import selectors, services
from aftersales.imports.columns import SPECS
from aftersales.imports.models import ImportJob


def _kinds(user: Any) -> list[dict[str, Any]]:
    out = []
    for spec in SPECS.values():
        opts = spec.model._meta
        out.append(
            {
                "kind": spec.kind,
                "label": spec.label,
                "can_import": user.has_perm(f"{opts.app_label}.add_{opts.model_name}"),
                "can_export": user.has_perm(f"{opts.app_label}.view_{opts.model_name}"),
            }
        )
    return out


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    jobs = selectors.jobs_for(request.user).order_by("-created_at", "-id")
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    kinds = _kinds(request.user)
    return render(
        request,
        "imports/import_list.html",
        {
            "page": page,
            "kinds": kinds,
            "importable": [k for k in kinds if k["can_import"]],
            "inline_max": services.inline_max_rows(),
        },
    )


@login_required
@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的 Excel 文件")
        return redirect("imports:list")
    try:
        job = services.upload_import(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            file=upload,
            name=upload.name or "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("imports:list")
    return redirect("imports:detail", pk=job.pk)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    try:
        return selectors.get_job(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _job_context(job: ImportJob) -> dict[str, Any]:
    return {
        "job": job,
        "can_confirm": job.can_confirm(),
        "can_confirm_valid_only": job.error_rows > 0 and job.can_confirm(valid_only=True),
        "row_errors": [e for e in job.errors if e.get("row")],
        "file_errors": job.file_errors,
    }


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "imports/import_detail.html", _job_context(_job(request, pk)))


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job panel alone, for htmx polling; it stops polling once the work has stopped."""
    return render(request, "imports/_job.html", _job_context(_job(request, pk)))


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    valid_only = request.POST.get("valid_only") == "1"
    try:
        job = services.confirm_import(actor=request.user, job_id=pk, valid_only=valid_only)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("imports:detail", pk=pk)
    if job.status == ImportJob.Status.DONE:
        messages.success(request, job.message)
    elif job.status == ImportJob.Status.FAILED:
        messages.error(request, job.message)
    return redirect("imports:detail", pk=pk)


def _download(name: str, content: bytes) -> HttpResponse:
    return download(content, name)


@login_required
@require_GET
def export_download(request: HttpRequest, kind: str) -> HttpResponseBase:
    try:
        name, content = selectors.export_file(kind, actor=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("imports:list")
    return _download(name, content)


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponseBase:
    try:
        name, content = selectors.template_file(kind, actor=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("imports:list")
    return _download(name, content)
