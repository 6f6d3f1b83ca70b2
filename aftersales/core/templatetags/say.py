"""``{{ text|say }}``: a computed text in the user's language (``aftersales.core.said``)."""

from __future__ import annotations

from typing import Any

from django import template

from aftersales.core.said import say as _say

register = template.Library()


@register.filter(name="say")
def say(value: Any) -> Any:
    return _say(value)
