"""What the approval engine's outcomes do to a complaint's handling form (called inside the
decision's transaction: the only path to these states)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.approvals import workflow
from aftersales.approvals.models import ApprovalRequest
from aftersales.approvals.services.engine import Handler, register_handler
from aftersales.quality.models import Complaint, QualityReview
from aftersales.quality.transitions import COMPLAINT, REVIEW

WORDS = {
    "approve": "处理方案已经公司相关部门批准，我们将按方案为您处理。",
    "reject": "处理方案正在重新研究，我们会尽快与您联系。",
    "return": "处理方案正在完善，我们会尽快与您联系。",
}


def _outcome(action: str) -> Any:
    def apply(document: Any, actor: Any, request: ApprovalRequest, now: dt.datetime) -> None:
        from aftersales.quality.services import notices

        locked = workflow.lock(Complaint, document.pk)
        comment = request.tasks.exclude(comment="").order_by("-decided_at").first()
        workflow.move(
            locked,
            COMPLAINT,
            action,
            actor=actor,
            now=now,
            via_engine=True,
            reason=comment.comment if comment else "",
            payload={"approval_request": request.pk, "round": request.round},
        )
        notices.progress(locked, f"approval:{request.pk}:{action}", WORDS[action])

    return apply


def _review_outcome(action: str) -> Any:
    def apply(document: Any, actor: Any, request: ApprovalRequest, now: dt.datetime) -> None:
        locked = workflow.lock(QualityReview, document.pk)
        comment = request.tasks.exclude(comment="").order_by("-decided_at").first()
        workflow.move(
            locked,
            REVIEW,
            action,
            actor=actor,
            now=now,
            via_engine=True,
            reason=comment.comment if comment else "",
            payload={"approval_request": request.pk, "round": request.round},
            fields={"closed_at": now} if action == "approve" else {},
        )

    return apply


def register() -> None:
    register_handler(
        "quality.complaint",
        Handler(
            approved=_outcome("approve"), rejected=_outcome("reject"), returned=_outcome("return")
        ),
    )
    register_handler(
        "quality.qualityreview",
        Handler(
            approved=_review_outcome("approve"),
            rejected=_review_outcome("reject"),
            returned=_review_outcome("return"),
        ),
    )
