"""Registering a request (受理) from any channel, the duplicate guard, 首问负责 hand-over."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.limits import column_limit
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import visibility_q
from aftersales.customers.models import Customer, ServiceContract, Site
from aftersales.installed_base.models import Equipment
from aftersales.service import duplicates, notices
from aftersales.service.models import Channel, Ticket, TicketType
from aftersales.service.models.ticket import OPEN_STATE_LIST
from aftersales.service.selectors import (
    HIDDEN_DUPLICATE_MESSAGE,
    duplicate_check_of,
    open_tickets_on,
)
from aftersales.service.services import clocks, warranty
from aftersales.service.services.base import lock_ticket, require_visible
from aftersales.sla.models import Severity


@dataclass
class TicketInput:
    description: str
    contact_name: str
    contact_phone: str
    channel: str
    customer_id: int | None = None
    site_id: int | None = None
    equipment_id: int | None = None
    type: str = TicketType.REPAIR
    severity: str = Severity.NORMAL
    address: str = ""
    environment: str = ""
    customer_request: str = ""
    fault_category: str = ""
    received_at: dt.datetime | None = None
    allow_duplicate: bool = False
    # why this is another fault although the equipment has an open ticket (the QR page asks)
    different_fault_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


REASON_MAX = column_limit(Ticket, "different_fault_reason") or 200

RELATED = {
    Equipment: ("model__category", "site__customer"),
    Site: ("customer",),
}


def _get(model: Any, pk: int | None, actor: Any, label: str, field_name: str) -> Any:
    if pk is None:
        return None
    qs = model.objects.filter(archived_at__isnull=True).select_related(*RELATED.get(model, ()))
    q = visibility_q(model, actor) if actor is not None else None
    if q is not None:
        qs = qs.filter(q)
    obj = next(iter(qs.filter(pk=pk)[:1]), None)  # by primary key: no ORDER BY needed
    if obj is None:
        raise NotFound(Said("%(label)s不存在或无权使用", label=label), field=field_name)
    return obj


def _validate(data: TicketInput) -> None:
    errors = {}
    if not data.description.strip():
        errors["description"] = "请填写故障描述"
    if not data.contact_name.strip():
        errors["contact_name"] = "请填写联系人"
    phone = data.contact_phone.strip().replace("-", "").replace(" ", "")
    if not (phone.isdigit() and 7 <= len(phone) <= 13):
        errors["contact_phone"] = "联系电话格式不正确"
    if data.channel not in Channel.values:
        errors["channel"] = "受理渠道无效"
    if data.type not in TicketType.values:
        errors["type"] = "报修类型无效"
    if data.severity not in Severity.values:
        errors["severity"] = "严重程度无效"
    if len(data.different_fault_reason.strip()) > REASON_MAX:
        errors["different_fault_reason"] = Said(
            "新故障说明不能超过 %(REASON_MAX)s 个字", REASON_MAX=REASON_MAX
        )
    if errors:
        name, msg = next(iter(errors.items()))
        raise ValidationFailed(msg, field=name, details=errors)


def active_contract(customer: Customer, site: Site | None, on: dt.date) -> ServiceContract | None:
    qs = ServiceContract.objects.filter(
        customer=customer, archived_at__isnull=True, start_date__lte=on, end_date__gte=on
    )
    if site is not None:
        qs = qs.filter(Q(sites__isnull=True) | Q(sites=site))
    return qs.order_by("-is_7x24", "-start_date").first()


@dataclass(frozen=True)
class _Checked:
    """What registration reads before writing anything: the visible records it refers to."""

    customer: Customer
    site: Site | None
    equipment: Equipment | None


def _check(actor: Any, data: TicketInput) -> _Checked:
    _validate(data)
    if actor is not None and not actor.has_perm("service.add_ticket"):
        raise PermissionDenied("无权登记报修")
    equipment = _get(Equipment, data.equipment_id, actor, "设备", "equipment_id")
    if equipment is not None and data.site_id in (None, equipment.site_id):
        site = equipment.site  # already loaded and visible with the equipment
    else:
        site = _get(Site, data.site_id, actor, "项目", "site_id")
    customer_id = data.customer_id or (site.customer_id if site else None)
    if actor is not None and getattr(actor, "org_kind", "") == "customer":
        customer_id = actor.customer_id
    if customer_id is None:
        raise ValidationFailed("请选择客户、项目或设备", field="customer_id")
    if site is not None and site.customer_id == customer_id:
        customer = site.customer
    else:
        customer = _get(Customer, customer_id, actor, "客户", "customer_id")
    if site is not None and site.customer_id != customer.pk:
        raise ValidationFailed("项目不属于该客户", field="site_id")
    if equipment is not None and site is not None and equipment.site_id != site.pk:
        raise ValidationFailed("设备不在该项目", field="equipment_id")
    checked = _Checked(customer, site, equipment)
    _guard_duplicates(actor, data, checked)  # early: a plain duplicate takes no number
    return checked


# namespace of the per-equipment registration lock (the first key of the two-key form)
EQUIPMENT_LOCK = zlib.crc32(b"service.ticket_create.equipment") & 0x7FFFFFFF


# …and of the per-customer lock, for requests without equipment
CUSTOMER_LOCK = zlib.crc32(b"service.ticket_create.customer") & 0x7FFFFFFF
CUSTOMER_DUPLICATES_SCANNED = 50


def lock_customer(customer_id: int) -> None:
    """Serialise a customer's registrations without equipment until the transaction ends."""
    with transaction.get_connection().cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CUSTOMER_LOCK, customer_id])


def lock_equipment(equipment_id: int) -> None:
    """Serialise registrations for one piece of equipment until the transaction ends."""
    with transaction.get_connection().cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [EQUIPMENT_LOCK, equipment_id])


def _same_fault_tickets(data: TicketInput, checked: _Checked) -> list[Ticket]:
    """Open tickets that are the same fault as ``data`` (``service.duplicates``), newest
    first: on the same equipment; without equipment, of the same customer (and site)."""
    if checked.equipment is not None:
        rows = open_tickets_on(checked.equipment.pk).order_by("-received_at", "-id")
        return [
            t
            for t in rows
            if duplicates.same_fault_on_equipment(data.fault_category, t.fault_category)
        ]
    rows = Ticket.objects.filter(customer=checked.customer, state__in=OPEN_STATE_LIST)
    if checked.site is not None:
        rows = rows.filter(Q(site=checked.site) | Q(site__isnull=True))
    recent = rows.order_by("-received_at", "-id")[:CUSTOMER_DUPLICATES_SCANNED]
    return [
        t
        for t in recent
        if duplicates.same_fault_for_customer(
            data.fault_category, data.description, t.fault_category, t.description
        )
    ]


def _guard_duplicates(actor: Any, data: TicketInput, checked: _Checked) -> Ticket | None:
    """The newest open ticket of the same fault (the new one's ``duplicate_of``); refused
    unless the caller says it is a different fault, and says why."""
    same = _same_fault_tickets(data, checked)
    if not same:
        return None
    if not data.allow_duplicate:
        raise _duplicate_error(actor, same)
    if not data.different_fault_reason.strip():
        raise ValidationFailed(
            "请说明这是什么新故障（与正在处理的报修有何不同）",
            code="different_fault_reason_required",
            field="different_fault_reason",
        )
    return same[0]


def _duplicate_error(actor: Any, same: list[Ticket]) -> Conflict:
    """Numbers of the open tickets the actor may open; of the others only that they exist."""
    check = duplicate_check_of(actor, same)
    numbers = [t.number for t in check.tickets]
    what = "该设备" if same[0].equipment_id else "该客户"
    message = Said("%(what)s已有同一故障未关闭的报修单", what=what) + (
        f"：{'、'.join(numbers)}" if numbers else ""
    )
    if check.hidden:
        message = f"{message}。{HIDDEN_DUPLICATE_MESSAGE}" if numbers else HIDDEN_DUPLICATE_MESSAGE
    return Conflict(message, code="duplicate_ticket", details=numbers)


def ticket_create(*, actor: Any, data: TicketInput) -> Ticket:
    """Register a request. The receiving person owns it until closure (首问负责制).

    Everything is checked before anything is written. Called outside a transaction (an API
    or web request), the number is then taken in its own short transaction, so concurrent
    registrations do not queue behind each other's commit on the day's counter (ADR 0005:
    a registration failing after its checks leaves a gap). Inside a caller's transaction
    the number is part of it and given back on rollback.

    The duplicate guard is race-safe: the writing transaction takes the equipment's advisory
    lock and checks again before inserting, so of concurrent registrations for one piece of
    equipment exactly one passes (API, web form, portal and QR page all come here)."""
    checked = _check(actor, data)
    received = data.received_at or timezone.now()
    number = (
        None if transaction.get_connection().in_atomic_block else next_number("BX", on=received)
    )
    return _register(actor, data, checked, received, number)


@transaction.atomic
def _register(
    actor: Any, data: TicketInput, checked: _Checked, received: dt.datetime, number: str | None
) -> Ticket:
    customer, site, equipment = checked.customer, checked.site, checked.equipment
    if equipment is not None:
        lock_equipment(equipment.pk)
    else:
        lock_customer(customer.pk)
    duplicate_of = _guard_duplicates(actor, data, checked)  # again, under the lock
    company_actor = actor is not None and getattr(actor, "org_kind", "company") == "company"
    ticket = Ticket(
        number=number or next_number("BX", on=received),
        type=data.type,
        channel=data.channel,
        severity=data.severity,
        customer=customer,
        site=site,
        equipment=equipment,
        contact_name=data.contact_name.strip(),
        contact_phone=data.contact_phone.strip(),
        address=data.address or (site.address if site else customer.address),
        description=data.description.strip(),
        environment=data.environment,
        customer_request=data.customer_request,
        fault_category=data.fault_category,
        received_at=received,
        received_by=actor if actor is not None and actor.pk else None,
        owner=actor if company_actor else None,
        dealer=actor.dealer
        if actor is not None and getattr(actor, "org_kind", "") == "dealer"
        else customer.dealer,
        contract=active_contract(customer, site, timezone.localdate(received)),
        duplicate_of=duplicate_of,
        different_fault_reason=data.different_fault_reason.strip() if duplicate_of else "",
    )
    policy, source = clocks.resolve_policy(ticket)
    ticket.sla_policy, ticket.sla_policy_source = policy, source
    ticket.save(force_insert=True)
    audit.record(
        ticket,
        actor=actor,
        action="create",
        verb="ticket_create",
        after=audit.snapshot(ticket),
        to_state=ticket.state,
    )
    if equipment is not None:
        warranty.decide(ticket, actor=None, first=True)
    clocks.start_clocks(ticket)
    notices.ticket_received(ticket)
    return ticket


@transaction.atomic
def ticket_hand_over(*, actor: Any, ticket: Ticket, to_user: Any, reason: str) -> Ticket:
    """Ownership changes only by explicit hand-over with a reason."""
    ticket = lock_ticket(ticket)
    require_visible(ticket, actor)
    if not reason.strip():
        raise ValidationFailed("移交必须填写原因", field="reason")
    if not (
        actor.is_superuser or actor == ticket.owner or actor.has_role("coordinator", "manager")
    ):
        raise PermissionDenied("只有首问负责人或主办可以移交报修单")
    if to_user is None or getattr(to_user, "org_kind", "") != "company" or not to_user.is_active:
        raise ValidationFailed("接收人必须是本公司在职员工", field="to_user_id")
    before = ticket.owner_id
    ticket.owner = to_user
    ticket.save(update_fields=["owner", "updated_at"])
    audit.record(
        ticket,
        actor=actor,
        action="update",
        verb="hand_over",
        before={"owner_id": before},
        after={"owner_id": to_user.pk},
        reason=reason,
    )
    return ticket


@transaction.atomic
def ticket_claim_ownership(*, actor: Any, ticket: Ticket) -> Ticket:
    """A portal / QR / dealer ticket has no company owner yet: the agent who takes it owns it."""
    ticket = lock_ticket(ticket)
    require_visible(ticket, actor)
    if ticket.owner_id is not None:
        raise Conflict(Said("该报修单已由 %(owner)s 负责", owner=ticket.owner))
    if not actor.has_role("agent", "coordinator", "team_leader", "manager", "admin"):
        raise PermissionDenied("无权认领报修单")
    ticket.owner = actor
    ticket.save(update_fields=["owner", "updated_at"])
    audit.record(
        ticket,
        actor=actor,
        action="update",
        verb="claim",
        before={"owner_id": None},
        after={"owner_id": actor.pk},
    )
    return ticket
