"""Default permissions of the surveys domain: the office reads surveys and their results; the
administrator and the coordinator define and send them (``services.RUNNERS``)."""

from __future__ import annotations

from aftersales.accounts.roles import OFFICE_ROLES, app_perms, extend_role_permissions

MODELS = ["survey", "surveyquestion", "surveyinvitation"]


def register() -> None:
    for role in OFFICE_ROLES:
        extend_role_permissions(role, app_perms("surveys", "view", MODELS))
    for role in ("admin", "coordinator", "manager"):
        extend_role_permissions(role, app_perms("surveys", "add,change", MODELS))
