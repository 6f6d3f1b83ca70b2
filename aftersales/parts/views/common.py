"""Shared by the parts screens."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from aftersales.core.visibility import BROAD_COMPANY_ROLES


def is_staff(user: Any) -> bool:
    return getattr(user, "org_kind", "company") == "company" and (
        user.is_superuser or bool(user.role_codes & BROAD_COMPANY_ROLES)
    )


def require_staff(user: Any) -> None:
    """Internal pages (ledgers, loading lists, closing runs) answer 404 to others."""
    if not is_staff(user):
        raise Http404("无权访问此页面")


STATE_CSS = {
    "requested": "st-new",
    "analysed": "st-new",
    "confirmed": "st-new",
    "in_review": "st-wait",
    "returned": "st-wait",
    "approved": "st-work",
    "in_production": "st-work",
    "stock_shipment": "st-work",
    "in_store": "st-work",
    "shipped": "st-work",
    "delivered": "st-done",
    "rejected": "st-off",
    "cancelled": "st-off",
}
