"""The landing page: the workbench of the user's roles, each panel refreshed on its own by
htmx polling a small fragment (``/workbench/panels/<code>/``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

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
