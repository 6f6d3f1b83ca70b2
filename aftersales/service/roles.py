"""Default permissions of the service domain per role (added to accounts.roles)."""

from __future__ import annotations

from aftersales.accounts.roles import app_perms, extend_role_permissions

MODELS = [
    "ticket",
    "workorder",
    "servicereport",
    "quote",
    "callback",
    "warrantyrecord",
    "loanertask",
]


def register() -> None:
    for role in ("agent", "coordinator", "team_leader", "manager", "admin"):
        extend_role_permissions(role, app_perms("service", "view,add,change", MODELS))
    for role in (
        "technician",
        "quality_director",
        "quality_centre_director",
        "warehouse",
        "finance",
    ):
        extend_role_permissions(role, app_perms("service", "view", MODELS))
    extend_role_permissions("technician", app_perms("service", "add,change", ["servicereport"]))
    extend_role_permissions(
        "dealer", app_perms("service", "view", MODELS) + app_perms("service", "add", ["ticket"])
    )
    extend_role_permissions(
        "customer", app_perms("service", "view", MODELS) + app_perms("service", "add", ["ticket"])
    )
