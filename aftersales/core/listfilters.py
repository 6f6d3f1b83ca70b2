"""Reading a list page's filters from its query string, strictly: a value the list does not
know is a Chinese ``ValidationFailed`` naming the filter, never a silently empty list or a 500.
The list shows the message and its unfiltered rows; an export refuses with the message."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import QueryDict

from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said

MAX_FILTER_LENGTH = 100


def flag(g: QueryDict, name: str, label: str) -> bool:
    """A yes/no filter: ``1`` or absent."""
    value = (g.get(name) or "").strip()
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise ValidationFailed(
        Said("筛选条件「%(label)s」的值无效：应为 1 或留空", label=label), field=name
    )


def choice(g: QueryDict, name: str, label: str, allowed: Iterable[Any]) -> str | None:
    """One of ``allowed`` (values of a choices list), or None when absent."""
    value = (g.get(name) or "").strip()
    if not value:
        return None
    if value not in {str(v) for v in allowed}:
        raise ValidationFailed(
            Said("筛选条件「%(label)s」的值无效：%(v3)s", label=label, v3=value[:30]), field=name
        )
    return value


def positive_int(g: QueryDict, name: str, label: str) -> int | None:
    value = (g.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise ValidationFailed(
            Said("筛选条件「%(label)s」应为编号（正整数）", label=label), field=name
        )
    return int(value)


def search(g: QueryDict, name: str = "q") -> str | None:
    return (g.get(name) or "").strip()[:MAX_FILTER_LENGTH] or None
