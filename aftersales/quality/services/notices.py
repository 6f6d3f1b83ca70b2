"""What the quality domain tells whom, through the notification outbox (inside the event's
transaction; the key makes each message unique). Progress messages to the complainant carry
only customer-facing words: no cause, department, production detail or person."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from aftersales.approvals.documents import users_with_roles
from aftersales.core.said import Said
from aftersales.notifications.services import notify_people
from aftersales.quality.models import Complainant, Complaint


def roles(c: Complaint, event: str, role_codes: list[str], subject: str, body: str) -> int:
    return notify_people(
        f"complaint:{c.pk}:{event}",
        users_with_roles(role_codes),
        subject,
        body,
        c.get_absolute_url(),
    )


def progress(c: Complaint, event: str, body: str) -> int:
    """Tell the complainant how his complaint stands: a dealer's users for a dealer's
    complaint (or one without a customer), otherwise the customer (portal, SMS record)."""
    subject = Said("投诉 %(number)s 处理进展", number=c.number)
    if c.complainant == Complainant.DEALER or c.customer_id is None:
        if c.dealer_id is None:
            return 0
        people = list(
            get_user_model()
            .objects.filter(org_kind="dealer", dealer_id=c.dealer_id, is_active=True)
            .order_by("pk")
        )
        return notify_people(
            f"complaint:{c.pk}:progress:{event}", people, subject, body, c.get_absolute_url()
        )
    from aftersales.notifications.services import notify_customer

    return len(
        notify_customer(
            key=f"complaint:{c.pk}:progress:{event}",
            customer=c.customer,
            customer_contact_name=c.contact_name,
            phone=c.contact_phone,
            email="",
            subject=subject,
            body=body,
            link=c.get_absolute_url(),
        )
    )
