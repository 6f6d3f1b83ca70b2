"""``unread_notifications`` for every template (the badge in the top bar).

Lazy: the count is only queried by a template that prints it. Enable with
``"aftersales.notifications.context.unread_notifications"`` in the template context processors.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from aftersales.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
