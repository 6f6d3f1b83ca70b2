"""Default permissions of the returns domain per role (added to accounts.roles). Who may do
which step is the transition table (``transitions.py``); these are the view rights."""

from __future__ import annotations

from aftersales.accounts.roles import extend_role_permissions

MODELS = ["returnrequest", "returnline", "creditnote", "returnrule"]
STAFF = (
    "agent",
    "coordinator",
    "team_leader",
    "quality_director",
    "quality_centre_director",
    "warehouse",
    "finance",
    "manager",
    "admin",
)


def _p(actions: str, models: list[str]) -> list[str]:
    return [f"returns.{a}_{m}" for m in models for a in actions.split(",")]


def register() -> None:
    for role in STAFF:
        extend_role_permissions(role, _p("view", MODELS))
    for role in ("agent", "coordinator"):
        extend_role_permissions(role, _p("add,change", ["returnrequest", "returnline"]))
    extend_role_permissions("coordinator", _p("add,change", ["creditnote"]))
    extend_role_permissions("admin", _p("add,change", ["returnrule"]))
    for role in ("dealer", "customer"):
        extend_role_permissions(role, _p("view,add", ["returnrequest", "returnline"]))
        extend_role_permissions(role, _p("view", ["returnrule"]))
