"""Default permissions of the stock domain per role (added to accounts.roles). The office
sees every store; 仓管 (and 售后组长, admin) post movements and keep warehouses and bins; a
technician sees his own van (visibility) and may return parts from it."""

from __future__ import annotations

from aftersales.accounts.roles import OFFICE_ROLES, app_perms, extend_role_permissions

MODELS = [
    "warehouse",
    "bin",
    "lot",
    "stocklevel",
    "movement",
    "movementline",
    "shortage",
    "loanerunit",
    "loan",
    "stockcount",
    "stockcountline",
    "minstock",
    "stockpolicy",
]


def register() -> None:
    for role in (*OFFICE_ROLES, "technician"):
        extend_role_permissions(role, app_perms("stock", "view", MODELS))
    for role in ("warehouse", "team_leader", "admin"):
        extend_role_permissions(
            role, app_perms("stock", "add,change", ["movement", "shortage", "stockcount"])
        )
    for role in ("warehouse", "admin"):
        extend_role_permissions(
            role,
            app_perms("stock", "add,change,delete", ["warehouse", "bin", "loanerunit", "minstock"]),
        )
    extend_role_permissions("admin", app_perms("stock", "change", ["stockpolicy"]))
    for role in ("warehouse", "coordinator", "team_leader", "admin", "technician"):
        extend_role_permissions(role, app_perms("stock", "add,change", ["loan"]))
