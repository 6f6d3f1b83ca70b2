"""Default permissions of the knowledge base per role (added to accounts.roles). Who may
review, publish or retire is the transition table (``transitions.py``)."""

from __future__ import annotations

from aftersales.accounts.roles import STAFF_ROLES, app_perms, extend_role_permissions

ENTRIES = ["case", "article", "attachment", "feedback"]
VOCABULARY = ["dictionaryword", "synonymgroup"]


def register() -> None:
    for role in STAFF_ROLES:
        extend_role_permissions(role, app_perms("knowledge", "view", ENTRIES + VOCABULARY))
    for role in ("agent", "coordinator", "team_leader", "technician", "quality_director"):
        extend_role_permissions(
            role, app_perms("knowledge", "add,change", ["case", "article", "attachment"])
        )
        extend_role_permissions(role, app_perms("knowledge", "add", ["feedback"]))
    for role in ("quality_centre_director", "manager", "admin"):
        extend_role_permissions(
            role, app_perms("knowledge", "add,change", ["case", "article", "attachment"])
        )
    extend_role_permissions("admin", app_perms("knowledge", "add,change", VOCABULARY))
    for role in ("dealer", "customer"):
        extend_role_permissions(
            role, app_perms("knowledge", "view", ["case", "article", "attachment"])
        )
