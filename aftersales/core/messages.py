"""The message store says every message in the language of the request that adds it, so a
view's ``messages.success(request, "工单已登记")`` reaches an English user in English."""

from __future__ import annotations

from typing import Any

from django.contrib.messages.storage.fallback import FallbackStorage

from aftersales.core.said import say


class SayingStorage(FallbackStorage):
    def add(self, level: int, message: Any, extra_tags: str | None = "") -> None:
        super().add(level, say(message), extra_tags)
