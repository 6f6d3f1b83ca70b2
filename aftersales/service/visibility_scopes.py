"""Technicians see the customers, sites and equipment of the work orders assigned to them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from aftersales.core.visibility import register_technician_scope


def register() -> None:
    # a work order offered to several technicians is theirs to see until one accepts
    register_technician_scope(
        "service.workorder", lambda u: Q(offers__technician=u, state="offered")
    )
    register_technician_scope(
        "service.ticket",
        lambda u: Q(work_orders__offers__technician=u, work_orders__state="offered"),
    )
    register_technician_scope("customers.customer", lambda u: Q(tickets__work_orders__technician=u))
    register_technician_scope("customers.site", lambda u: Q(tickets__work_orders__technician=u))
    register_technician_scope(
        "installed_base.equipment", lambda u: Q(tickets__work_orders__technician=u)
    )
    register_technician_scope("customers.contact", _contact_scope)


def _contact_scope(user: Any) -> Q:
    return Q(customer__tickets__work_orders__technician=user)
