"""Who sees the reports: management, the quality office, coordinators and team leaders (the
board and the monthly packs); the administrator too."""

from __future__ import annotations

from aftersales.accounts.roles import app_perms, extend_role_permissions

VIEWERS = (
    "manager",
    "quality_centre_director",
    "quality_director",
    "coordinator",
    "team_leader",
    "admin",
)


def register() -> None:
    for role in VIEWERS:
        extend_role_permissions(role, app_perms("reports", "view", ["panelfact", "monthlypack"]))
