"""Default permissions of the approval engine per role (added to accounts.roles).

Who may *decide* a step is not a Django permission: it is the step's configured roles and
department (``ApprovalStep``), data an administrator edits."""

from __future__ import annotations

from aftersales.accounts.roles import extend_role_permissions

COMPANY = (
    "agent",
    "coordinator",
    "team_leader",
    "technician",
    "quality_director",
    "quality_centre_director",
    "warehouse",
    "finance",
    "manager",
)


def register() -> None:
    for role in COMPANY:
        extend_role_permissions(
            role,
            [
                "approvals.view_approvalflow",
                "approvals.view_approvalstep",
                "approvals.view_approvalrequest",
                "approvals.view_approvaltask",
                "approvals.view_deadline",
                "approvals.view_deadlinerule",
            ],
        )
    extend_role_permissions(
        "admin",
        [
            f"approvals.{a}_{m}"
            for m in ("approvalflow", "approvalstep", "deadlinerule")
            for a in ("view", "add", "change")
        ]
        + [
            "approvals.view_approvalrequest",
            "approvals.view_approvaltask",
            "approvals.view_deadline",
        ],
    )
