"""What the approval engine's outcomes do to the parts documents (called by the engine
inside the decision's transaction: the only path to these states)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aftersales.approvals import workflow
from aftersales.approvals.models import ApprovalRequest
from aftersales.approvals.services.engine import Handler, register_handler
from aftersales.approvals.workflow import Transition
from aftersales.core.said import Said
from aftersales.parts.models import ClosingRun, LoadingList, MonthlyAnalysis, PartsRequest
from aftersales.parts.services.base import notify_roles
from aftersales.parts.transitions import LOADING_LIST, REQUEST, REVIEW


def _outcome(model: type[Any], table: dict[str, Transition], action: str) -> Any:
    def apply(document: Any, actor: Any, request: ApprovalRequest, now: dt.datetime) -> None:
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
        if model is PartsRequest and action == "approve":
            notify_roles(
                f"parts:{locked.pk}:approved",
                ["agent"],
                Said("【补件已批准】%(number)s", number=locked.number),
                Said(
                    "补件单 %(number)s 已审批通过，请下单补配组/采购部或安排成品仓发货。",
                    number=locked.number,
                ),
                locked.get_absolute_url(),
            )
        if model is ClosingRun and action == "approve":
            notify_roles(
                f"closing:{locked.pk}:approved",
                ["team_leader", "coordinator"],
                Said("【收尾指令】%(number)s", number=locked.number),
                Said(
                    "补件收尾 %(number)s 已审批，请向补配组、采购部下达收尾指令，宽限至 %(localtime)s。",
                    number=locked.number,
                    localtime=format(timezone.localtime(locked.grace_until), "%m-%d %H:%M"),
                ),
                locked.get_absolute_url(),
            )

    return apply


def _handler(model: type[Any], table: dict[str, Transition]) -> Handler:
    return Handler(
        approved=_outcome(model, table, "approve"),
        rejected=_outcome(model, table, "reject"),
        returned=_outcome(model, table, "return"),
    )


def register() -> None:
    register_handler("parts.partsrequest", _handler(PartsRequest, REQUEST))
    register_handler("parts.loadinglist", _handler(LoadingList, LOADING_LIST))
    register_handler("parts.closingrun", _handler(ClosingRun, REVIEW))
    register_handler("parts.monthlyanalysis", _handler(MonthlyAnalysis, REVIEW))
