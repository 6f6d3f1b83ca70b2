"""登记报修: the agent's (or dealer's) intake form with equipment and customer look-ups, the
file check (查卷: warranty status) and the duplicate guard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from aftersales.core.crud import search_q
from aftersales.core.errors import DomainError
from aftersales.core.i18n import translated
from aftersales.core.said import Said
from aftersales.core.visibility import visible
from aftersales.customers.models import Contact, Customer, Site
from aftersales.customers.selectors import CUSTOMER_SEARCH
from aftersales.installed_base.models import Equipment
from aftersales.installed_base.selectors import warranty_status
from aftersales.service.models import Channel, TicketType
from aftersales.service.selectors import duplicate_check
from aftersales.service.services import intake
from aftersales.service.views.common import flag, opt_int, org_kind, text
from aftersales.sla.models import Severity

AGENT_CHANNELS = [
    Channel.PHONE,
    Channel.WALK_IN,
    Channel.LETTER,
    Channel.EMAIL,
    Channel.MONITORING,
    Channel.INSPECTION,
]
FIELDS = (
    "description",
    "contact_name",
    "contact_phone",
    "address",
    "environment",
    "customer_request",
    "fault_category",
    "different_fault_reason",
)
LOOKUP_LIMIT = 10


def _may_register(user: Any) -> None:
    if org_kind(user) == "customer" or not user.has_perm("service.add_ticket"):
        raise Http404("无权登记报修")


def _equipment(user: Any, pk: int | None) -> Equipment | None:
    if pk is None:
        return None
    return (
        visible(Equipment, user)
        .filter(pk=pk, archived_at__isnull=True)
        .select_related("model__category", "site__customer")
        .first()
    )


def _customer(user: Any, pk: int | None) -> Customer | None:
    if pk is None:
        return None
    return visible(Customer, user).filter(pk=pk, archived_at__isnull=True).first()


def picked_context(
    user: Any,
    *,
    equipment_id: int | None = None,
    customer_id: int | None = None,
    site_id: int | None = None,
) -> dict[str, Any]:
    """What the form shows once equipment (or a customer) is chosen: the file, its
    warranty status, the customer's contacts and the open tickets of the equipment."""
    eq = _equipment(user, equipment_id)
    customer = eq.site.customer if eq else _customer(user, customer_id)
    ctx: dict[str, Any] = {"eq": eq, "customer": customer, "site_id": eq.site_id if eq else site_id}
    if eq is not None:
        ctx["warranty"] = warranty_status(eq)
        ctx["duplicates"] = duplicate_check(user, eq.pk)
    if customer is not None:
        ctx["sites"] = list(
            visible(Site, user).filter(customer=customer, archived_at__isnull=True).order_by("code")
        )
        ctx["contacts"] = list(
            visible(Contact, user)
            .filter(customer=customer, archived_at__isnull=True)
            .order_by("-is_primary", "name")
        )
    return ctx


def _form_context(request: HttpRequest, values: dict[str, Any], error: str = "") -> dict[str, Any]:
    user = request.user
    picked = picked_context(
        user,
        equipment_id=opt_int(values.get("equipment_id"), "设备", "equipment_id"),
        customer_id=opt_int(values.get("customer_id"), "客户", "customer_id"),
        site_id=opt_int(values.get("site_id"), "项目", "site_id"),
    )
    dealer = org_kind(user) == "dealer"
    return {
        "v": values,
        "error": error,
        "picked": picked,
        "channels": [] if dealer else [(c.value, c.label) for c in AGENT_CHANNELS],
        "types": translated(TicketType.choices),
        "severities": translated(Severity.choices),
    }


@require_http_methods(["GET", "POST"])
@login_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    _may_register(user)
    if request.method == "GET":
        values: dict[str, Any] = {
            "channel": Channel.PHONE,
            "type": TicketType.REPAIR,
            "severity": Severity.NORMAL,
            "equipment_id": request.GET.get("equipment_id", ""),
            "customer_id": request.GET.get("customer_id", ""),
        }
        try:
            ctx = _form_context(request, values)
        except DomainError:
            ctx = _form_context(request, {**values, "equipment_id": "", "customer_id": ""})
        return render(request, "service/agent/ticket_new.html", ctx)
    values = {
        name: text(request, name)
        for name in (
            *FIELDS,
            "channel",
            "type",
            "severity",
            "equipment_id",
            "customer_id",
            "site_id",
        )
    }
    values["allow_duplicate"] = flag(request, "allow_duplicate")
    try:
        channel = Channel.DEALER if org_kind(user) == "dealer" else values["channel"]
        if channel not in Channel.values or (
            org_kind(user) != "dealer" and channel not in AGENT_CHANNELS
        ):
            channel = "invalid"
        data = intake.TicketInput(
            **{name: values[name] for name in FIELDS},
            channel=channel,
            type=values["type"],
            severity=values["severity"],
            customer_id=opt_int(values["customer_id"], "客户", "customer_id"),
            site_id=opt_int(values["site_id"], "项目", "site_id"),
            equipment_id=opt_int(values["equipment_id"], "设备", "equipment_id"),
            allow_duplicate=values["allow_duplicate"],
        )
        ticket = intake.ticket_create(actor=user, data=data)
    except DomainError as exc:
        try:
            ctx = _form_context(request, values, exc.message)
        except DomainError as inner:
            ctx = _form_context(
                request,
                {**values, "equipment_id": "", "customer_id": "", "site_id": ""},
                inner.message,
            )
        ctx["duplicate_error"] = exc.code == "duplicate_ticket"
        return render(request, "service/agent/ticket_new.html", ctx, status=exc.status)
    messages.success(request, Said("已登记报修单 %(number)s", number=ticket.number))
    return redirect("service:ticket_detail", pk=ticket.pk)


@login_required
def lookup_equipment(request: HttpRequest) -> HttpResponse:
    """Equipment by serial number (or model / customer), for the intake form."""
    _may_register(request.user)
    term = request.GET.get("serial", "").strip()
    found: list[Equipment] = []
    if term:
        found = list(
            visible(Equipment, request.user)
            .filter(archived_at__isnull=True)
            .filter(search_q(term, ["serial_no", "model__code", "site__customer__name"]))
            .select_related("model", "site__customer")
            .order_by("serial_no")[:LOOKUP_LIMIT]
        )
    return render(request, "service/agent/_equipment_results.html", {"found": found, "term": term})


@login_required
def lookup_customer(request: HttpRequest) -> HttpResponse:
    _may_register(request.user)
    term = request.GET.get("customer_q", "").strip()
    found: list[Customer] = []
    if term:
        found = list(
            visible(Customer, request.user)
            .filter(archived_at__isnull=True)
            .filter(search_q(term, CUSTOMER_SEARCH))
            .order_by("code")[:LOOKUP_LIMIT]
        )
    return render(request, "service/agent/_customer_results.html", {"found": found, "term": term})


@login_required
def pick(request: HttpRequest) -> HttpResponse:
    """The chosen equipment or customer: hidden ids, the file and the duplicate guard."""
    _may_register(request.user)
    try:
        picked = picked_context(
            request.user,
            equipment_id=opt_int(request.GET.get("equipment_id"), "设备", "equipment_id"),
            customer_id=opt_int(request.GET.get("customer_id"), "客户", "customer_id"),
        )
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if picked["customer"] is None:
        raise Http404("设备或客户不存在或无权查看")
    return render(request, "service/agent/_picked.html", {"picked": picked, "v": {}})
