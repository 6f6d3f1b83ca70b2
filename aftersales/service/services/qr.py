"""扫码报修: the QR label on a piece of equipment opens a phone page pre-filled with it, no
login needed. Abuse guard: the reporter's phone must be one registered for that customer,
and a label accepts only a few submissions an hour. An open ticket on the equipment is shown
by its progress; a second one needs the reporter to say what other fault he reports. The
reporter gets a signed tracking link to his ticket's progress."""

from __future__ import annotations

import datetime as dt
import re

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aftersales.core.company import hotline_phrase
from aftersales.core.errors import DomainError, NotFound, PermissionDenied
from aftersales.core.said import Said
from aftersales.customers.models import Contact
from aftersales.installed_base.models import Equipment
from aftersales.service.models import Channel, Ticket
from aftersales.service.selectors import open_tickets_on
from aftersales.service.services.intake import TicketInput, lock_equipment, ticket_create

MAX_PER_HOUR = 3
OPEN_SHOWN = 3
TRACK_SALT = "aftersales.service.track"
TRACK_MAX_AGE = dt.timedelta(days=365)


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"


def equipment_for_token(token: str) -> Equipment:
    eq = (
        Equipment.objects.filter(qr_token=token, archived_at__isnull=True)
        .select_related("model", "site__customer")
        .first()
    )
    if eq is None:
        raise NotFound("二维码无效或设备已停用")
    return eq


def _digits(phone: str) -> str:
    d = re.sub(r"\D", "", phone or "")
    return d[-11:] if len(d) > 11 else d


def phone_matches(equipment: Equipment, phone: str) -> bool:
    wanted = _digits(phone)
    if len(wanted) < 7:
        return False
    customer = equipment.site.customer
    numbers = [customer.phone]
    numbers += [
        n
        for c in Contact.objects.filter(customer=customer, archived_at__isnull=True)
        for n in (c.mobile, c.phone)
    ]
    return any(_digits(n) == wanted for n in numbers if n)


@transaction.atomic
def qr_submit(
    *,
    token: str,
    phone: str,
    contact_name: str,
    description: str,
    severity: str = "normal",
    different_fault: bool = False,
    different_fault_reason: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """``different_fault``: the reporter saw the open ticket's progress and reports another
    fault; ``different_fault_reason`` (what else is broken) is then required."""
    eq = equipment_for_token(token)
    now = now or timezone.now()
    if not phone_matches(eq, phone):
        raise PermissionDenied(
            Said(
                "手机号与该设备登记的联系人不符，请拨打%(hotline_phrase)s报修",
                hotline_phrase=hotline_phrase(),
            ),
            code="phone_check_failed",
        )
    lock_equipment(eq.pk)  # the hourly limit below counts under the registration lock
    recent = Ticket.objects.filter(
        Q(equipment=eq), channel=Channel.QR, received_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= MAX_PER_HOUR:
        raise TooManyRequests(
            Said(
                "提交过于频繁，请稍后再试或拨打%(hotline_phrase)s", hotline_phrase=hotline_phrase()
            )
        )
    return ticket_create(
        actor=None,
        data=TicketInput(
            description=description,
            contact_name=contact_name,
            contact_phone=phone,
            channel=Channel.QR,
            equipment_id=eq.pk,
            severity=severity if severity in ("normal", "low", "urgent") else "normal",
            received_at=now,
            allow_duplicate=different_fault,
            different_fault_reason=different_fault_reason if different_fault else "",
        ),
    )


def open_tickets(equipment: Equipment) -> list[Ticket]:
    """The open tickets of the equipment's customer on it, newest first (their progress is
    shown on the QR page instead of a refusal)."""
    return list(
        open_tickets_on(equipment.pk)
        .filter(customer_id=equipment.site.customer_id)
        .order_by("-received_at", "-id")[:OPEN_SHOWN]
    )


def tracking_token(ticket: Ticket) -> str:
    """A signed, unguessable key to one ticket's customer-facing progress."""
    return signing.dumps(ticket.pk, salt=TRACK_SALT)


def ticket_for_tracking(token: str) -> Ticket:
    try:
        pk = signing.loads(token, salt=TRACK_SALT, max_age=TRACK_MAX_AGE)
    except (signing.BadSignature, ValueError) as exc:
        raise NotFound("跟踪链接无效或已过期") from exc
    ticket = (
        Ticket.objects.select_related("equipment__model").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if ticket is None:
        raise NotFound("跟踪链接无效或已过期")
    return ticket
