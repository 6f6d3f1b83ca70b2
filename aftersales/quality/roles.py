"""Default permissions of the quality domain per role (added to accounts.roles). Who may do
which step is the transition table (``transitions.py``); these are the view rights."""

from __future__ import annotations

from aftersales.accounts.roles import OFFICE_ROLES, app_perms, extend_role_permissions

MODELS = [
    "complaint",
    "qualitywarning",
    "warningthreshold",
    "proactivecheck",
    "warningfault",
    "oldpart",
    "oldpartterm",
]


def register() -> None:
    for role in OFFICE_ROLES:
        extend_role_permissions(role, app_perms("quality", "view", MODELS))
    for role in ("agent", "coordinator", "quality_director"):
        extend_role_permissions(role, app_perms("quality", "add,change", ["complaint"]))
    extend_role_permissions(
        "admin", app_perms("quality", "add,change", ["warningthreshold", "oldpartterm"])
    )
    for role in ("dealer", "customer"):
        extend_role_permissions(role, app_perms("quality", "view,add", ["complaint"]))
    extend_role_permissions("dealer", app_perms("quality", "view", ["oldpart"]))
    extend_role_permissions("technician", app_perms("quality", "view", ["oldpart"]))
