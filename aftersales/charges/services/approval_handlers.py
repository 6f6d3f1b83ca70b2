"""What the approval of an expense claim (flow ``expense_claim``) does to the claim (called by
the engine inside the decision's transaction: the only path to 已批准 / 已驳回). A claim
returned for changes goes back to draft, to be corrected by a new claim or resubmitted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.approvals.models import ApprovalRequest
from aftersales.approvals.services.engine import Handler, register_handler
from aftersales.charges.models import ExpenseClaim, ExpenseState
from aftersales.core import audit


def _outcome(to_state: str) -> Any:
    def apply(document: Any, actor: Any, request: ApprovalRequest, now: dt.datetime) -> None:
        claim = ExpenseClaim.objects.select_for_update().get(pk=document.pk)
        if claim.state != ExpenseState.SUBMITTED:
            return
        claim.state = to_state
        claim.decided_at = now
        claim.save(update_fields=["state", "decided_at", "updated_at"])
        audit.record(
            claim,
            actor=actor,
            action="transition",
            verb="expense_decided",
            from_state=ExpenseState.SUBMITTED,
            to_state=to_state,
            payload={"approval_request": request.pk},
            at=now,
        )

    return apply


def register() -> None:
    register_handler(
        "charges.expenseclaim",
        Handler(
            approved=_outcome(ExpenseState.APPROVED),
            rejected=_outcome(ExpenseState.REJECTED),
            returned=_outcome(ExpenseState.DRAFT),
        ),
    )
