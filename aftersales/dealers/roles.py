"""Default permissions of the dealer domain per role (added to accounts.roles). A dealer
registers its cards; the company (agent, coordinator, finance) records their arrival."""

from __future__ import annotations

from aftersales.accounts.roles import OFFICE_ROLES, app_perms, extend_role_permissions

MODELS = [
    "warrantycard",
    "dealertask",
    "warrantyclaim",
    "claimline",
    "settlementnotice",
    "ledgerentry",
    "season",
    "stockingplan",
    "stockingplanline",
    "ratingscheme",
    "ratingperiod",
    "dealerrating",
]


def register() -> None:
    for role in OFFICE_ROLES:
        extend_role_permissions(role, app_perms("dealers", "view", MODELS))
    for role in ("agent", "coordinator", "finance", "admin"):
        extend_role_permissions(role, app_perms("dealers", "add,change", ["warrantycard"]))
    # the rating scheme (weights, period, reward / downgrade lines) is the administrator's
    extend_role_permissions("admin", app_perms("dealers", "add,change", ["ratingscheme"]))
    extend_role_permissions("dealer", app_perms("dealers", "view", MODELS))
    extend_role_permissions(
        "dealer", app_perms("dealers", "add", ["warrantycard", "warrantyclaim"])
    )
    extend_role_permissions("customer", app_perms("dealers", "view", ["warrantycard"]))
