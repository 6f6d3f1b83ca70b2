"""What the approval engine's outcomes do to returns and credit notes (called inside the
decision's transaction: the only path to these states)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.approvals import workflow
from aftersales.approvals.models import ApprovalRequest
from aftersales.approvals.services.engine import Handler, register_handler
from aftersales.approvals.workflow import Transition
from aftersales.returns.models import CreditNote, ReturnRequest
from aftersales.returns.transitions import CREDIT, RETURN


def _outcome(model: type[Any], table: dict[str, Transition], action: str) -> Any:
    def apply(document: Any, actor: Any, request: ApprovalRequest, now: dt.datetime) -> None:
        from aftersales.returns.services import notices

        locked = workflow.lock(model, document.pk)
        comment = request.tasks.exclude(comment="").order_by("-decided_at").first()
        workflow.move(
            locked,
            table,
            action,
            actor=actor,
            now=now,
            via_engine=True,
            reason=comment.comment if comment else "",
            payload={"approval_request": request.pk, "round": request.round},
        )
        notices.approval_outcome(locked, action, comment.comment if comment else "")

    return apply


def register() -> None:
    register_handler(
        "returns.returnrequest",
        Handler(
            approved=_outcome(ReturnRequest, RETURN, "approve"),
            rejected=_outcome(ReturnRequest, RETURN, "refuse"),
            returned=_outcome(ReturnRequest, RETURN, "return"),
        ),
    )
    register_handler(
        "returns.creditnote",
        Handler(
            approved=_outcome(CreditNote, CREDIT, "approve"),
            rejected=_outcome(CreditNote, CREDIT, "reject"),
            returned=_outcome(CreditNote, CREDIT, "return"),
        ),
    )
