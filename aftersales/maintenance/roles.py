"""Default permissions of the maintenance domain per role (added to accounts.roles)."""

from __future__ import annotations

from aftersales.accounts.roles import OFFICE_ROLES, app_perms, extend_role_permissions

MODELS = [
    "maintenanceplan",
    "maintenancevisit",
    "seasonalwindow",
    "checklisttemplate",
    "checklistitem",
    "inspectionresult",
]
# who plans: creates and edits plans, runs generation by hand
PLANNERS = frozenset({"coordinator", "team_leader", "manager", "admin"})


def register() -> None:
    for role in OFFICE_ROLES:
        extend_role_permissions(role, app_perms("maintenance", "view", MODELS))
    for role in PLANNERS:
        extend_role_permissions(
            role, app_perms("maintenance", "add,change", ["maintenanceplan", "maintenancevisit"])
        )
    extend_role_permissions(
        "admin",
        app_perms(
            "maintenance", "add,change", ["seasonalwindow", "checklisttemplate", "checklistitem"]
        ),
    )
    extend_role_permissions(
        "technician",
        app_perms(
            "maintenance", "view", ["maintenancevisit", "checklisttemplate", "checklistitem"]
        ),
    )
    extend_role_permissions("technician", app_perms("maintenance", "change", ["maintenancevisit"]))
    extend_role_permissions("technician", app_perms("maintenance", "add", ["inspectionresult"]))
    extend_role_permissions(
        "customer", app_perms("maintenance", "view", ["maintenanceplan", "maintenancevisit"])
    )
