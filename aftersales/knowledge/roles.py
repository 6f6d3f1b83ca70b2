"""Default permissions of the knowledge base per role (added to accounts.roles). Who may
review, publish or retire is the transition table (``transitions.py``)."""

from __future__ import annotations

from aftersales.accounts.roles import extend_role_permissions

ENTRIES = ["case", "article", "attachment", "feedback"]
VOCABULARY = ["dictionaryword", "synonymgroup"]
STAFF = (
    "agent",
    "coordinator",
    "team_leader",
    "technician",
    "quality_director",
    "quality_centre_director",
    "warehouse",
    "finance",
    "manager",
    "admin",
)


def _p(actions: str, models: list[str]) -> list[str]:
    return [f"knowledge.{a}_{m}" for m in models for a in actions.split(",")]


def register() -> None:
    for role in STAFF:
        extend_role_permissions(role, _p("view", ENTRIES + VOCABULARY))
    for role in ("agent", "coordinator", "team_leader", "technician", "quality_director"):
        extend_role_permissions(role, _p("add,change", ["case", "article", "attachment"]))
        extend_role_permissions(role, _p("add", ["feedback"]))
    for role in ("quality_centre_director", "manager", "admin"):
        extend_role_permissions(role, _p("add,change", ["case", "article", "attachment"]))
    extend_role_permissions("admin", _p("add,change", VOCABULARY))
    for role in ("dealer", "customer"):
        extend_role_permissions(role, _p("view", ["case", "article", "attachment"]))
