"""Schemas the document APIs share: a deadline row and an audit timeline row."""

import datetime as dt
from typing import Any

from ninja import Schema


class DeadlineOut(Schema):
    step: str
    label: str
    starts_at: dt.datetime
    due_at: dt.datetime
    done_at: dt.datetime | None
    overdue: bool
    status: str
    colour: str


class EventOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    verb: str
    from_state: str
    to_state: str
    reason: str
    payload: dict


def deadline_rows(items: list, now: dt.datetime) -> list[dict]:
    return [
        {
            "step": d.step,
            "label": d.label,
            "starts_at": d.starts_at,
            "due_at": d.due_at,
            "done_at": d.done_at,
            "overdue": d.is_overdue(now),
            "status": d.status_label(now),
            "colour": d.colour(now),
        }
        for d in items
    ]


def event_rows(events: list) -> list[dict]:
    return [
        {
            "at": e.at,
            "actor": e.actor_repr,
            "action": e.action,
            "verb": e.verb,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "reason": e.reason,
            "payload": e.payload or {},
        }
        for e in events
    ]


def for_audience(document: Any, user: Any) -> None:
    """Set ``document.timeline`` for ``user`` and, for a customer or dealer, drop the
    approval steps and internal deadlines already on it (9#3, ``approvals.audience``)."""
    from aftersales.approvals import audience, audit_timeline

    document.timeline = event_rows(
        audience.for_user(document, audit_timeline.events(document), user)
    )
    if audience.is_external(user):
        document.approvals = []
        document.deadlines = audience.deadlines_for(
            document, document.deadlines, user, step=lambda row: row["step"]
        )
