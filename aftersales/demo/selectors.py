"""Reads about the demo data: whether the database holds data, and the demo logins."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password

from aftersales.accounts.models import User
from aftersales.accounts.roles import ROLE_BY_NAME, ROLES
from aftersales.customers.models import Customer
from aftersales.demo.data import DEMO_PASSWORD

_ROLE_ORDER = {r.code: i for i, r in enumerate(ROLES)}


def demo_loaded() -> bool:
    """Whether the database already holds master data (demo or real): one cheap query."""
    return Customer.objects.exists()


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role_code: str
    role: str  # Chinese role name(s)
    name: str
    organisation: str


def _natural(text: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _organisation(user: User) -> str:
    if user.dealer_id:
        return str(user.dealer)
    if user.customer_id:
        return str(user.customer)
    parts = [str(x) for x in (user.department, user.region) if x is not None]
    return " · ".join(parts) or "本公司"


def demo_logins() -> list[DemoLogin]:
    """Active users whose password is still ``DEMO_PASSWORD``, by role and username.

    The loader gives every demo user the same password hash, so the slow hash check runs
    once per distinct hash, not once per user."""
    users = (
        User.objects.filter(is_active=True)
        .select_related("department", "region", "dealer", "customer")
        .prefetch_related("groups")
    )
    verdict: dict[str, bool] = {}
    rows: list[DemoLogin] = []
    for user in users:
        if user.password not in verdict:
            verdict[user.password] = check_password(DEMO_PASSWORD, user.password)
        if not verdict[user.password]:
            continue
        roles = sorted(
            (ROLE_BY_NAME[g.name] for g in user.groups.all() if g.name in ROLE_BY_NAME),
            key=lambda r: _ROLE_ORDER[r.code],
        )
        code = roles[0].code if roles else ("admin" if user.is_superuser else "")
        role = "、".join(r.name for r in roles) or ("超级用户" if user.is_superuser else "—")
        rows.append(
            DemoLogin(
                user.username,
                DEMO_PASSWORD,
                code,
                role,
                user.display_name or user.get_full_name(),
                _organisation(user),
            )
        )
    rows.sort(key=lambda r: (_ROLE_ORDER.get(r.role_code, len(_ROLE_ORDER)), _natural(r.username)))
    return rows
