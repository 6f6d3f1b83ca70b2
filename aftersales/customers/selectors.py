"""Reads of customers shared by every place that looks one up."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from aftersales.core.crud import SearchField
from aftersales.customers.models import Contact


def contact_match(term: str) -> Q:
    """A customer one of whose current contacts has this name, mobile or phone (9#14: a
    caller gives 「13782833856」 or 「朱强」, not the company name)."""
    contacts = Contact.objects.filter(customer=OuterRef("pk"), archived_at__isnull=True).filter(
        Q(name__icontains=term) | Q(mobile__icontains=term) | Q(phone__icontains=term)
    )
    return Q(Exists(contacts))


# How a customer is found by a typed term: the registration look-up, the customer list,
# the API's ?q= — one list.
CUSTOMER_SEARCH: tuple[SearchField, ...] = ("name", "code", "name_initials", "phone", contact_match)
