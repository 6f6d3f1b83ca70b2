"""The landing page: the workbench of the user's roles, each panel refreshed on its own by
htmx polling a small fragment (``/workbench/panels/<code>/``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from aftersales.core.errors import DomainError, NotFound
from aftersales.core.exports import XLSX, stream_list
from aftersales.workbench import services
from aftersales.workbench.models import ExportJob
from aftersales.workbench.panels import PANEL_BY_CODE, Panel, panels_for

POLL_SECONDS = 60  # settings.WORKBENCH_POLL_SECONDS overrides


def _view(panel: Panel, user: Any) -> dict[str, Any]:
    poll = int(getattr(settings, "WORKBENCH_POLL_SECONDS", POLL_SECONDS))
    return {"panel": panel, "content": panel.build(user, timezone.now()), "poll": poll}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    panels = [_view(p, request.user) for p in panels_for(request.user)]
    return render(request, "workbench/home.html", {"panels": panels})


@login_required
def panel(request: HttpRequest, code: str) -> HttpResponse:
    """One panel's fragment; a panel not of the user's roles answers 404."""
    found = PANEL_BY_CODE.get(code)
    if found is None or found not in panels_for(request.user):
        raise Http404("工作台面板不存在")
    response = render(request, "workbench/_panel.html", _view(found, request.user))
    response["Cache-Control"] = "no-store"
    return response


# --- list exports -----------------------------------------------------------------------


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The list's rows with the current filters as Excel: streamed at once when short, else a
    background job with progress (its page polls). A bad filter or too many rows: the
    Chinese message on the list page."""
    try:
        spec = services.spec_of(kind)
        rows = services.export_rows(spec, request.user, request.GET)
        if rows.count() <= services.inline_max_rows():
            return stream_list(spec, rows.iterator(chunk_size=services.CHUNK))
        job = services.start_background(
            actor=request.user, kind=kind, query=request.GET.urlencode()
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(spec.list_url)
    return redirect("workbench:export_job", pk=job.pk)


def _job_or_404(request: HttpRequest, pk: int) -> ExportJob:
    try:
        return services.job_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    ctx = {"job": job, "spec": services.spec_of(job.kind)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "workbench/_export_progress.html", ctx)
    return render(request, "workbench/export_job.html", ctx)


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _job_or_404(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("导出尚未完成")
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX
    )
