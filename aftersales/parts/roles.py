"""Default permissions of the parts domain per role (added to accounts.roles). Who may do
which step is the transition table (``transitions.py``); these are the view rights."""

from __future__ import annotations

from aftersales.accounts.roles import extend_role_permissions

MODELS = [
    "partsrequest",
    "partsrequestline",
    "loadinglist",
    "packborrowing",
    "partsreceipt",
    "closingrun",
    "monthlyanalysis",
]
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
    return [f"parts.{a}_{m}" for m in models for a in actions.split(",")]


def register() -> None:
    for role in STAFF:
        extend_role_permissions(role, _p("view", MODELS))
    for role in ("agent", "coordinator", "team_leader"):
        extend_role_permissions(role, _p("add,change", MODELS))
    for role in ("dealer", "customer"):
        extend_role_permissions(role, _p("view,add", ["partsrequest", "partsrequestline"]))
