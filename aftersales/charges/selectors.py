"""Reads of the charges domain, always through the user's visibility."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from aftersales.charges.models import ExpenseClaim, ExpenseLine, Receipt
from aftersales.core.visibility import get_visible, visible

RECEIPT_RELATED = ("payment__ticket__customer", "payment__received_by", "reverses", "issued_by")


def receipt_list(user: Any, *, q: str | None = None, kind: str | None = None) -> QuerySet[Receipt]:
    qs = visible(Receipt, user).select_related(*RECEIPT_RELATED)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(payment__ticket__number__icontains=q))
    return qs.order_by("-issued_at", "-id")


def receipt_detail(user: Any, pk: int) -> Receipt:
    return get_visible(Receipt.objects.select_related(*RECEIPT_RELATED), user, pk=pk)


def _claims(user: Any) -> QuerySet[ExpenseClaim]:
    return (
        visible(ExpenseClaim, user)
        .select_related("technician", "work_order__ticket")
        .prefetch_related(
            Prefetch("lines", queryset=ExpenseLine.objects.order_by("spent_on", "id"))
        )
    )


def with_lines(claim: ExpenseClaim) -> ExpenseClaim:
    claim.line_list = list(claim.lines.all())  # type: ignore[attr-defined]
    return claim


def expense_list(user: Any, *, state: str | None = None) -> list[ExpenseClaim]:
    qs = _claims(user)
    if state:
        qs = qs.filter(state=state)
    return [with_lines(c) for c in qs.order_by("-created_at", "-id")[:500]]


def expense_detail(user: Any, pk: int) -> ExpenseClaim:
    return with_lines(get_visible(_claims(user), user, pk=pk))
