"""What every service screen shares: running a service call and showing its Chinese error,
parsing form values, role checks, and looking records up through the user's visibility."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext

from aftersales.core import formvalues
from aftersales.core.errors import DomainError, NotFound
from aftersales.core.visibility import BROAD_COMPANY_ROLES, get_visible
from aftersales.service import selectors
from aftersales.service.models import Ticket, WorkOrder
from aftersales.service.services import dispatch

T = TypeVar("T")

STAFF_ROLES = frozenset({"agent", "coordinator", "team_leader", "manager", "admin"})
DISPATCH_ROLES = frozenset({"coordinator", "team_leader", "manager", "admin", "agent"})
OVERRIDE_ROLES = frozenset({"coordinator", "manager", "quality_director"})


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def org_kind(user: Any) -> str:
    return str(getattr(user, "org_kind", "company") or "company")


def roles_of(user: Any) -> frozenset[str]:
    """Role codes plus the organisation kind for dealers and customers (as the transition
    table names them)."""
    roles = frozenset(user.role_codes)
    kind = org_kind(user)
    if kind in ("dealer", "customer"):
        roles = roles | {kind}
    if user.is_superuser:
        roles = roles | STAFF_ROLES
    return roles


def has_any(user: Any, roles: frozenset[str]) -> bool:
    return bool(user.is_superuser or roles_of(user) & roles)


def is_company_staff(user: Any) -> bool:
    return org_kind(user) == "company" and (
        user.is_superuser or bool(user.role_codes & BROAD_COMPANY_ROLES)
    )


def deny(message: str = "无权访问此页面") -> Http404:
    """Pages outside a user's role answer 404, like records outside his visibility."""
    return Http404(message)


def visible_or_404(model_or_qs: Any, user: Any, **lookup: Any) -> Any:
    try:
        return get_visible(model_or_qs, user, **lookup)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def ticket_or_404(user: Any, pk: int) -> Ticket:
    try:
        return selectors.ticket_detail(user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def work_order_or_404(user: Any, pk: int) -> WorkOrder:
    """A work order the user works on (his own, or one offered to him), or any visible one
    for company staff."""
    wo = dispatch.my_work_orders(user).filter(pk=pk).first()
    if wo is not None:
        return wo
    offered = (
        WorkOrder.objects.filter(pk=pk, offers__technician=user)
        .select_related("ticket__customer", "ticket__site", "ticket__equipment__model")
        .first()
    )
    if offered is not None:  # an offer another technician took first: shown, not workable
        return offered
    if is_company_staff(user):
        return visible_or_404(
            WorkOrder.objects.select_related(
                "ticket__customer", "ticket__site", "ticket__equipment__model"
            ),
            user,
            pk=pk,
        )
    raise Http404("派工单不存在或无权查看")


def run(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    back: str,
    done: str | Callable[[T], str] | None = None,
) -> HttpResponse:
    """Call one service. Success: a message and a redirect (``HX-Redirect`` for htmx).
    A ``DomainError``: its Chinese message, as JSON for htmx (app.js shows it) or as a
    message on the page the form came from."""
    try:
        result = call()
    except DomainError as exc:
        if is_htmx(request):
            return JsonResponse(exc.as_dict(), status=exc.status)
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, success(result) if callable(success) else success)
    target = done(result) if callable(done) else (done or back)
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


# --- form values: one home, core.formvalues (names kept for the service screens) -------

text = formvalues.text
flag = formvalues.flag
opt_int = formvalues.opt_int
int_list = formvalues.int_list
opt_decimal = formvalues.opt_decimal
opt_datetime = formvalues.opt_datetime
local_input = formvalues.local_input


def minutes_text(minutes: int) -> str:
    """剩余/超时 time in words: 45分钟, 3小时05分, 2天4小时."""
    m = abs(minutes)
    if m < 60:
        return gettext("%(m)s分钟") % {"m": m}
    if m < 24 * 60:
        return gettext("%(h)s小时%(m)s分") % {"h": m // 60, "m": f"{m % 60:02d}"}
    return gettext("%(d)s天%(h)s小时") % {"d": m // (24 * 60), "h": (m % (24 * 60)) // 60}


def sla_view(ticket: Ticket) -> dict[str, Any] | None:
    """``selectors.next_due`` with the remaining time in words."""
    due = selectors.next_due(ticket)
    if due is None:
        return None
    left = int(due["minutes_left"])
    words = minutes_text(left)
    text = gettext("已超时 %(t)s") if left < 0 else gettext("剩余 %(t)s")
    due["text"] = text % {"t": words}
    if due.get("paused"):
        due["text"] += gettext("（已暂停）")
    return due
