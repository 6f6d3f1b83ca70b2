"""Row-level visibility, in one place.

Every selector starts from ``visible(Model, user)``. The rule per organisation:

* company staff see everything, except a user whose only company role is 维修工程师
  (technician), who sees the records tied to him (``technician`` lookups, plus any
  extra scopes other apps register, such as work orders assigned to him);
* a company user of a department also sees the records given to his department (a model's
  ``department`` lookup, e.g. the service tasks given to it);
* a dealer user sees the records of the customers that dealer serves;
* a customer user sees only its own customer's records.

A model declares its lookups in ``visibility`` (see ``BusinessModel``); a model without a
``customer`` lookup is reference data, visible to every signed-in user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from aftersales.core.errors import NotFound

M = TypeVar("M", bound=models.Model)

# Roles that see the whole company's data; a company user with none of them is limited.
BROAD_COMPANY_ROLES = frozenset(
    {
        "agent",
        "coordinator",
        "team_leader",
        "quality_director",
        "quality_centre_director",
        "warehouse",
        "finance",
        "manager",
        "sales",
        "admin",
    }
)

# Extra technician scopes: model label → function(user) → Q. Registered by later apps, e.g.
# the service app lets a technician see the sites of the work orders assigned to him.
_technician_scopes: dict[str, list[Callable[[Any], Q]]] = {}


def register_technician_scope(label: str, scope: Callable[[Any], Q]) -> None:
    _technician_scopes.setdefault(label, []).append(scope)


def _path(prefix: str, suffix: str) -> str:
    return suffix if prefix == "pk" else f"{prefix}__{suffix}"


def visibility_q(model: type[models.Model], user: Any) -> Q | None:
    """The filter for ``user`` on ``model``; ``None`` means no restriction."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    lookups: dict[str, str] = getattr(model, "visibility", {})
    customer = lookups.get("customer")
    kind = getattr(user, "org_kind", "company")
    if kind == "dealer":
        dealer_path = lookups.get("dealer") or (customer and _path(customer, "dealer_id"))
        if not dealer_path:
            return None if lookups.get("public") else Q(pk__in=[])
        return Q(**{dealer_path: user.dealer_id})
    if kind == "customer":
        if not customer:
            return None if lookups.get("public") else Q(pk__in=[])
        return Q(**{customer if customer != "pk" else "pk": user.customer_id})
    if user.is_superuser or user.role_codes & BROAD_COMPANY_ROLES:
        return None
    department = lookups.get("department")
    own_department = (
        Q(**{department: user.department_id})
        if department and getattr(user, "department_id", None)
        else None
    )
    if "technician" in user.role_codes:
        if not customer and not lookups.get("technician") and not department:
            return None  # reference data (product models, parts, calendars…)
        q = Q(pk__in=[])
        if lookups.get("technician"):
            q |= Q(**{lookups["technician"]: user.pk})
        if own_department is not None:
            q |= own_department
        for scope in _technician_scopes.get(model._meta.label_lower, []):
            q |= scope(user)
        # several OR-ed joins may repeat rows: filter by primary keys instead
        return Q(pk__in=model._default_manager.filter(q).values("pk"))
    return own_department if own_department is not None else Q(pk__in=[])


def visible(model_or_qs: type[M] | models.QuerySet[M], user: Any) -> models.QuerySet[M]:
    qs = (
        model_or_qs
        if isinstance(model_or_qs, models.QuerySet)
        else model_or_qs._default_manager.all()
    )
    q = visibility_q(qs.model, user)
    return qs if q is None else qs.filter(q)


def get_visible(model_or_qs: type[M] | models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """One record the user may see, or ``NotFound`` (404: we don't reveal that it exists)."""
    try:
        return visible(model_or_qs, user).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
