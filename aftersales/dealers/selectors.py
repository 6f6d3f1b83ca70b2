"""Reads of the dealer domain, all starting from the user's visible rows (a dealer sees only
its own cards, another's are 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from aftersales.core.visibility import get_visible, visible
from aftersales.dealers.models import WarrantyCard
from aftersales.dealers.services.cards import recognition


@dataclass
class CardFilters:
    state: str | None = None  # waiting / in_time / late
    dealer_id: int | None = None
    q: str | None = None


def _cards(user: Any) -> QuerySet[WarrantyCard]:
    return visible(WarrantyCard, user).select_related(
        "dealer",
        "customer",
        "equipment__model__category",
        "equipment__model__warranty_policy",
    )


def card_list(user: Any, f: CardFilters, today: dt.date | None = None) -> list[WarrantyCard]:
    """Cards with their recognition (``card.recognition``) computed for ``today``."""
    today = today or timezone.localdate()
    qs = _cards(user).filter(archived_at__isnull=True)
    if f.dealer_id:
        qs = qs.filter(dealer_id=f.dealer_id)
    if f.q:
        qs = qs.filter(
            Q(card_no__icontains=f.q)
            | Q(equipment__serial_no__icontains=f.q)
            | Q(customer__name__icontains=f.q)
        )
    rows = []
    for card in qs.order_by("-sale_date", "-id")[:2000]:
        card.recognition = recognition(card, today)  # type: ignore[attr-defined]
        if f.state and card.recognition.state.value != f.state:  # type: ignore[attr-defined]
            continue
        rows.append(card)
    return rows


def card_detail(user: Any, pk: int, today: dt.date | None = None) -> WarrantyCard:
    card = get_visible(_cards(user), user, pk=pk)
    card.recognition = recognition(card, today)  # type: ignore[attr-defined]
    return card
