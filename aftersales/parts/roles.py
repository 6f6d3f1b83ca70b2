"""Default permissions of the parts domain per role (added to accounts.roles). Who may do
which step is the transition table (``transitions.py``); these are the view rights."""

from __future__ import annotations

from aftersales.accounts.roles import OFFICE_ROLES, app_perms, extend_role_permissions

MODELS = [
    "partsrequest",
    "partsrequestline",
    "loadinglist",
    "packborrowing",
    "partsreceipt",
    "closingrun",
    "monthlyanalysis",
]


def register() -> None:
    for role in OFFICE_ROLES:
        extend_role_permissions(role, app_perms("parts", "view", MODELS))
    for role in ("agent", "coordinator", "team_leader"):
        extend_role_permissions(role, app_perms("parts", "add,change", MODELS))
    for role in ("dealer", "customer"):
        extend_role_permissions(
            role, app_perms("parts", "view,add", ["partsrequest", "partsrequestline"])
        )
