"""Default permissions of the returns domain per role (added to accounts.roles). Who may do
which step is the transition table (``transitions.py``); these are the view rights."""

from __future__ import annotations

from aftersales.accounts.roles import OFFICE_ROLES, app_perms, extend_role_permissions

MODELS = ["returnrequest", "returnline", "creditnote", "returnrule"]


def register() -> None:
    for role in OFFICE_ROLES:
        extend_role_permissions(role, app_perms("returns", "view", MODELS))
    for role in ("agent", "coordinator"):
        extend_role_permissions(
            role, app_perms("returns", "add,change", ["returnrequest", "returnline"])
        )
    extend_role_permissions("coordinator", app_perms("returns", "add,change", ["creditnote"]))
    extend_role_permissions("admin", app_perms("returns", "add,change", ["returnrule"]))
    for role in ("dealer", "customer"):
        extend_role_permissions(
            role, app_perms("returns", "view,add", ["returnrequest", "returnline"])
        )
        extend_role_permissions(role, app_perms("returns", "view", ["returnrule"]))
