"""What the approval of a quote's manual lines (flow ``quote_manual_line``) does to the quote
(called by the engine inside the decision's transaction: the only path out of 待审批)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.approvals.models import ApprovalRequest
from aftersales.approvals.services.engine import Handler, register_handler
from aftersales.core import audit
from aftersales.service.models import Quote


def _outcome(to_state: str) -> Any:
    def apply(document: Any, actor: Any, request: ApprovalRequest, now: dt.datetime) -> None:
        from aftersales.service.services.warranty import supersede_open

        quote = Quote.objects.select_for_update().get(pk=document.pk)
        if quote.state != Quote.State.APPROVING:
            return
        quote.state = to_state
        quote.save(update_fields=["state", "updated_at"])
        if to_state == Quote.State.SENT:
            supersede_open(quote.ticket, keep=quote)
        audit.record(
            quote,
            actor=actor,
            action="transition",
            verb="quote_manual_approval",
            from_state=Quote.State.APPROVING,
            to_state=to_state,
            payload={"approval_request": request.pk},
            at=now,
        )

    return apply


def register() -> None:
    refused = _outcome(Quote.State.NOT_APPROVED)
    register_handler(
        "service.quote",
        Handler(approved=_outcome(Quote.State.SENT), rejected=refused, returned=refused),
    )
