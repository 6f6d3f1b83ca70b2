"""REST: my in-app notifications (list, unread count, mark read)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from aftersales.core.crud import Page
from aftersales.notifications import selectors, services

router = Router(tags=["通知"])


class NotificationOut(Schema):
    id: int
    key: str
    subject: str
    body: str
    link: str
    payload: dict[str, Any]
    created_at: dt.datetime
    occurred_at: dt.datetime
    kind: str
    count: int
    read_at: dt.datetime | None


class UnreadOut(Schema):
    unread: int


class UpdatedOut(Schema):
    updated: int


@router.get("/notifications", response=list[NotificationOut], summary="我的站内通知")
@paginate(Page)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    return selectors.inbox(request.user, unread_only=unread)


@router.get("/notifications/unread-count", response=UnreadOut, summary="未读通知数")
def unread_count(request: HttpRequest) -> UnreadOut:
    return UnreadOut(unread=selectors.unread_count(request.user))


@router.post("/notifications/{int:pk}/read", response=NotificationOut, summary="标为已读")
def mark_read(request: HttpRequest, pk: int) -> Any:
    return services.mark_read(actor=request.user, notification_id=pk)


@router.post("/notifications/read-all", response=UpdatedOut, summary="全部标为已读")
def mark_all_read(request: HttpRequest) -> UpdatedOut:
    return UpdatedOut(updated=services.mark_all_read(actor=request.user))
