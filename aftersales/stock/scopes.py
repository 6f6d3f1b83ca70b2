"""A technician sees his van: movements and lines into it (the models' ``technician``
lookup) and out of it (registered here)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from aftersales.core.visibility import register_technician_scope


def register() -> None:
    register_technician_scope("stock.movement", lambda u: Q(from_warehouse__technician=u.pk))
    register_technician_scope(
        "stock.movementline", lambda u: Q(movement__from_warehouse__technician=u.pk)
    )
    # the loans of the tickets he works on
    register_technician_scope("stock.loan", lambda u: Q(ticket__work_orders__technician=u.pk))


__all__: list[Any] = ["register"]
