"""What the document screens (parts, returns, approvals) share: running a service call from a
form and showing its Chinese error, reading form values, the timeline and deadline rows, an
Excel download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils import timezone

from aftersales.approvals import audience, audit_timeline, selectors
from aftersales.approvals.services import deadlines
from aftersales.approvals.workflow import Transition
from aftersales.core import formvalues
from aftersales.core.errors import DomainError, NotFound
from aftersales.core.said import Said

VERBS = {
    "create": "创建",
    "update": "修改",
    "approval_submitted": "提交审批",
    "approval_approve": "审批同意",
    "approval_reject": "审批驳回",
    "approval_return": "退回修改",
    "approval_cancelled": "撤销审批",
    "receipt_accepted": "入库检查合格",
    "receipt_refused": "入库检查不合格",
    "credit_requested": "提出冲账申请",
    "closing_enforced": "宽限期满判定逾期",
    "deadline_overdue": "时限超时",
}


def run(
    request: HttpRequest, fn: Callable[[], Any], success: str | Callable[[Any], str | None]
) -> Any:
    """Call a service; its ``DomainError`` becomes an error message instead of a crash.

    ``success`` is the message, or a function of the result that gives it (``None``: the
    call went through but did not succeed in the user's sense — the caller says why, 9#9)."""
    try:
        result = fn()
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    text = success(result) if callable(success) else success
    if text is not None:
        messages.success(request, text)
    return result


def or_404(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except NotFound as exc:
        raise Http404(exc.message) from exc


# form values: one home, core.formvalues (``post`` is the document screens' name for text)
post = formvalues.text
flag = formvalues.flag
int_or_none = formvalues.int_or_none


def timeline(
    document: Any, table: dict[str, Transition], states: Any, user: Any = None
) -> list[dict[str, Any]]:
    """The document's history in words; a customer or dealer gets only its customer-facing
    milestones (``audience``), without names, reasons or details."""
    rows = []
    labels = dict(states.choices)
    events = audit_timeline.events(document)
    if user is not None and audience.is_external(user):
        return [
            {"at": e.at, "who": e.actor_repr, "label": e.action, "change": "", "detail": ""}
            for e in audience.for_user(document, events, user)
        ]
    for e in events:
        tr = table.get(e.verb)
        label = tr.label if tr and e.action == "transition" else VERBS.get(e.verb, e.verb)
        change = ""
        if e.from_state or e.to_state:
            change = Said(
                "%(before)s → %(after)s",
                before=labels.get(e.from_state, e.from_state),
                after=labels.get(e.to_state, e.to_state),
            )
        step = (e.payload or {}).get("step", "")
        dept = (e.payload or {}).get("department", "")
        rows.append(
            {
                "at": e.at,
                "who": e.actor_repr,
                "label": label,
                "change": change,
                "detail": f"{step}{f'（{dept}）' if dept else ''}",
                "reason": e.reason,
            }
        )
    return rows


def document_panels(document: Any, user: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """Approval history, the task the user may decide now, and the deadlines."""
    now = now or timezone.now()
    return {
        # approval steps and comments are internal (9#3)
        "approvals": [] if audience.is_external(user) else selectors.history(document),
        "my_task": None
        if audience.is_external(user)
        else selectors.pending_task_for(document, user),
        "deadlines": [
            {
                "d": d,
                "colour": d.colour(now),
                "status": d.status_label(now),
                "overdue": d.is_overdue(now),
            }
            for d in audience.deadlines_for(document, deadlines.of(document), user)
            if d.cancelled_at is None
        ],
    }


def list_deadlines(model: type[Any], rows: Iterable[Any], now: dt.datetime) -> dict[int, Any]:
    ids = [r.pk for r in rows]
    by_doc = selectors.deadlines_by_document(model, ids)
    return {pk: selectors.headline(by_doc.get(pk, []), now) for pk in ids}
