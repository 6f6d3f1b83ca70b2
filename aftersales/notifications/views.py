"""My notifications: the in-app inbox (htmx-enhanced), mark read, the unread badge, and my
channel choices per kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.core.errors import NotFound
from aftersales.notifications import preferences, selectors, services


def _is_local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    qs = selectors.inbox(request.user, unread_only=unread_only)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "show": "unread" if unread_only else "all",
        "unread": selectors.unread_count(request.user),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "rows":
        return render(request, "notifications/_rows.html", ctx)
    return render(request, "notifications/list.html", ctx)


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a message's link, marking it read on the way."""
    try:
        row = services.mark_read(actor=request.user, notification_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return redirect(row.link if _is_local(row.link) else "notifications:list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        row = services.mark_read(actor=request.user, notification_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if request.headers.get("HX-Request"):
        response = render(request, "notifications/_row.html", {"n": row})
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=request.user)
    return redirect("notifications:list")


@login_required
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """htmx fragment: ``<span hx-get="/notifications/badge/" hx-trigger="load, every 60s">``."""
    return render(
        request, "notifications/_badge.html", {"unread": selectors.unread_count(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """The logged-in user's own channels per kind (nobody edits anyone else's: the page has
    no user in its address or form)."""
    if request.method == "POST":
        choices = {
            code: preferences.Wants(
                **{s: request.POST.get(f"{code}-{s}") == "on" for s in preferences.SWITCHES}
            )
            for code, _label, _wants in preferences.table(request.user)
        }
        changed = preferences.save_preferences(actor=request.user, choices=choices)
        messages.success(request, _("通知设置已保存（%(count)s 类有变化）") % {"count": changed})
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"rows": preferences.table(request.user), "switches": SWITCH_LABELS},
    )


SWITCH_LABELS = [("email", _("电子邮件")), ("sms", _("短信")), ("robot", _("群机器人"))]
