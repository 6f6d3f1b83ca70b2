"""Reading a posted form's values, for every screen: text, checkboxes, numbers and local
date-times, with a Chinese field error for a value that is not what the field expects.
(Rows of a multi-line form: ``core.formrows``.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said

TRUE_VALUES = ("1", "on", "true", "yes")


def text(request: HttpRequest, name: str, default: str = "") -> str:
    """A posted text value, stripped ('' or ``default`` when absent)."""
    return str(request.POST.get(name, default) or "").strip()


def flag(request: HttpRequest, name: str) -> bool:
    """A posted checkbox."""
    return request.POST.get(name, "") in TRUE_VALUES


def int_or_none(value: str | None) -> int | None:
    """A choice's id from a select or query string: anything not a number is no choice."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def opt_int(value: Any, label: str, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ValidationFailed(Said("%(label)s应为整数", label=label), field=field) from exc


def int_list(values: list[str], label: str, field: str) -> list[int]:
    out = []
    for v in values:
        n = opt_int(v, label, field)
        if n is not None:
            out.append(n)
    return out


def opt_decimal(value: Any, label: str, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationFailed(Said("%(label)s应为数字", label=label), field=field) from exc


def opt_datetime(value: Any, label: str, field: str) -> dt.datetime | None:
    """A ``datetime-local`` value, read in the current (Asia/Shanghai) time zone."""
    if value in (None, ""):
        return None
    try:
        naive = dt.datetime.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationFailed(Said("%(label)s格式不正确", label=label), field=field) from exc
    if timezone.is_aware(naive):
        return naive
    return timezone.make_aware(naive, timezone.get_current_timezone())


def local_input(value: dt.datetime | None) -> str:
    """An aware datetime as a ``datetime-local`` input value."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
