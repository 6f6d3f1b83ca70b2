"""Web pages: login, dashboard and the master-data lists and records (htmx-enhanced)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from aftersales.accounts.services import login_check
from aftersales.core import listfilters
from aftersales.core.crud import SearchField, search_q
from aftersales.core.errors import DomainError, NotFound, ValidationFailed
from aftersales.core.visibility import get_visible, visible
from aftersales.customers.models import Customer, Site
from aftersales.customers.selectors import CUSTOMER_SEARCH
from aftersales.installed_base.expiry import announced_units
from aftersales.installed_base.models import Equipment
from aftersales.installed_base.selectors import EQUIPMENT_SEARCH, supply_of, warranty_status
from aftersales.web import history


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            user = login_check(
                username=request.POST.get("username", ""),
                password=request.POST.get("password", ""),
                ip=request.META.get("REMOTE_ADDR"),
                channel="web",
                request=request,
            )
        except DomainError as exc:
            error = exc.message
        else:
            login(request, user, backend="aftersales.accounts.backends.CachedGroupsModelBackend")
            nxt = request.POST.get("next") or request.GET.get("next") or "/"
            return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else "/")
    return render(request, "web/login.html", {"error": error, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


def _list(
    request: HttpRequest,
    qs: Any,
    search: Sequence[SearchField],
    template: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    term = request.GET.get("q", "").strip()
    if term:
        qs = qs.filter(search_q(term, search))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    ctx = {"page": page, "q": term, **(extra or {})}
    if request.headers.get("HX-Request"):
        return render(request, f"web/{template}_rows.html", ctx)
    return render(request, f"web/{template}.html", ctx)


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    qs = (
        visible(Customer, request.user)
        .filter(archived_at__isnull=True)
        .select_related("region", "dealer")
    )
    if tier := request.GET.get("tier"):
        qs = qs.filter(tier=tier)
    return _list(
        request,
        qs.order_by("code"),
        CUSTOMER_SEARCH,
        "customer_list",
        {"tier": request.GET.get("tier", "")},
    )


@login_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _get(Customer, request, pk)
    sites = visible(Site, request.user).filter(customer=customer).select_related("region")
    return render(
        request,
        "web/customer_detail.html",
        {
            "obj": customer,
            "sites": sites,
            "contacts": customer.contacts.filter(archived_at__isnull=True),
            "history": history.rows(customer),
        },
    )


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    qs = (
        visible(Site, request.user)
        .filter(archived_at__isnull=True)
        .select_related("customer", "region")
    )
    return _list(
        request, qs.order_by("code"), ["name", "code", "address", "customer__name"], "site_list"
    )


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = _get(Site, request, pk)
    equipment = visible(Equipment, request.user).filter(site=site).select_related("model")
    return render(
        request,
        "web/site_detail.html",
        {
            "obj": site,
            "equipment": equipment,
            "documents": site.documents.filter(archived_at__isnull=True),
            "history": history.rows(site),
        },
    )


@login_required
def equipment_list(request: HttpRequest) -> HttpResponse:
    """The installed base; ``?warranty=expiring``: the units announced to me as ending their
    warranty soon (the 销售 workbench's count)."""
    qs = (
        visible(Equipment, request.user)
        .filter(archived_at__isnull=True)
        .select_related("model__category", "site__customer")
    )
    status, warranty = 200, None
    try:
        warranty = listfilters.choice(request.GET, "warranty", "保修", ("expiring",))
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        status = 400
    if warranty == "expiring":
        qs = qs.filter(pk__in=announced_units(request.user))
    response = _list(
        request,
        qs.order_by("site__customer__code", "serial_no"),
        EQUIPMENT_SEARCH,
        "equipment_list",
        {"warranty": warranty or ""},
    )
    response.status_code = status
    return response


@login_required
def equipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    eq = _get(Equipment, request, pk, related=["model__category", "site__customer", "dealer"])
    return render(
        request,
        "web/equipment_detail.html",
        {
            "obj": eq,
            "warranty": warranty_status(eq),
            "parts_supply": supply_of(eq.model),
            "components": eq.components.filter(archived_at__isnull=True),
            "history": history.rows(eq),
        },
    )


def _get(model: Any, request: HttpRequest, pk: int, related: list[str] | None = None) -> Any:
    qs = model.objects.all()
    if related:
        qs = qs.select_related(*related)
    try:
        return get_visible(qs, request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
