"""Shared by the parts services: locking a request and moving it through its table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.approvals import workflow
from aftersales.parts.models import PartsRequest
from aftersales.parts.transitions import REQUEST


def lock_request(request: PartsRequest | int) -> PartsRequest:
    pk = request.pk if isinstance(request, PartsRequest) else int(request)
    locked: PartsRequest = workflow.lock(PartsRequest, pk)
    return locked


def move(
    request: PartsRequest,
    action: str,
    *,
    actor: Any,
    now: dt.datetime,
    via_engine: bool = False,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
) -> PartsRequest:
    return workflow.move(  # type: ignore[no-any-return]
        request,
        REQUEST,
        action,
        actor=actor,
        now=now,
        via_engine=via_engine,
        reason=reason,
        payload=payload,
        fields=fields,
    )


def notify_roles(key: str, roles: list[str], subject: str, body: str, link: str) -> int:
    from aftersales.approvals.documents import users_with_roles
    from aftersales.notifications.services import notify

    people = users_with_roles(roles)
    if not people:
        return 0
    return len(notify(key=key, recipients=people, subject=subject, body=body, link=link))
