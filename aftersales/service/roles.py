"""Default permissions of the service domain per role (added to accounts.roles)."""

from __future__ import annotations

from aftersales.accounts.roles import extend_role_permissions

MODELS = [
    "ticket",
    "workorder",
    "servicereport",
    "quote",
    "callback",
    "warrantyrecord",
    "loanertask",
]


def _p(actions: str, models: list[str]) -> list[str]:
    return [f"service.{a}_{m}" for m in models for a in actions.split(",")]


def register() -> None:
    for role in ("agent", "coordinator", "team_leader", "manager", "admin"):
        extend_role_permissions(role, _p("view,add,change", MODELS))
    for role in (
        "technician",
        "quality_director",
        "quality_centre_director",
        "warehouse",
        "finance",
    ):
        extend_role_permissions(role, _p("view", MODELS))
    extend_role_permissions("technician", _p("add,change", ["servicereport"]))
    extend_role_permissions("dealer", _p("view", MODELS) + _p("add", ["ticket"]))
    extend_role_permissions("customer", _p("view", MODELS) + _p("add", ["ticket"]))
