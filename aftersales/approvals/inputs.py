"""Input parsing shared by the document apps: money, quantities, dates, part codes — each
refusal a ``ValidationFailed`` with a Chinese message naming the field."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said

_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")


def money(value: Any, *, field: str = "amount", label: str = "金额") -> Decimal:
    """CNY with at most two decimals; "1,000" (a thousands separator) is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationFailed(Said("请填写%(label)s", label=label), field=field)
    if isinstance(value, float):
        raise ValidationFailed(
            Said("%(label)s须为十进制数字字符串，不能用浮点数", label=label), field=field
        )
    text = str(value).strip()
    if "," in text or "，" in text:
        raise ValidationFailed(
            Said(
                "%(label)s格式错误：「%(text)s」含逗号，请直接填写数字，如 1000.00",
                label=label,
                text=text,
            ),
            field=field,
        )
    if isinstance(value, Decimal):
        amount = value
    else:
        if not _MONEY.match(text):
            raise ValidationFailed(
                Said(
                    "%(label)s格式错误：「%(text)s」不是有效金额（最多两位小数）",
                    label=label,
                    text=text,
                ),
                field=field,
            )
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise ValidationFailed(
                Said("%(label)s格式错误：「%(text)s」", label=label, text=text), field=field
            ) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(Said("%(label)s最多两位小数", label=label), field=field)
    if amount < 0:
        raise ValidationFailed(Said("%(label)s不能为负数", label=label), field=field)
    if amount >= Decimal("10000000000"):
        raise ValidationFailed(Said("%(label)s过大", label=label), field=field)
    return amount.quantize(Decimal("0.01"))


def quantity(value: Any, *, field: str = "quantity", label: str = "数量") -> int:
    """A positive whole number."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValidationFailed(Said("请填写%(label)s", label=label), field=field)
    try:
        if isinstance(value, str):
            if not re.fullmatch(r"\s*-?\d+\s*", value):
                raise ValueError(value)
            number = int(value)
        elif isinstance(value, int):
            number = value
        elif isinstance(value, Decimal) and value == value.to_integral_value():
            number = int(value)
        else:
            raise ValueError(value)
    except ValueError as exc:
        raise ValidationFailed(
            Said("%(label)s须为正整数：「%(value)s」", label=label, value=value), field=field
        ) from exc
    if number <= 0:
        raise ValidationFailed(
            Said("%(label)s须为正整数，不能为%(number)s", label=label, number=number), field=field
        )
    if number > 1_000_000:
        raise ValidationFailed(
            Said("%(label)s过大：%(number)s", label=label, number=number), field=field
        )
    return number


def date(value: Any, *, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValidationFailed(
                Said("%(label)s格式应为 YYYY-MM-DD：「%(value)s」", label=label, value=value),
                field=field,
            ) from exc
    raise ValidationFailed(Said("请填写%(label)s", label=label), field=field)


def text(value: Any, *, field: str, label: str, max_length: int = 2000) -> str:
    out = str(value or "").strip()
    if not out:
        raise ValidationFailed(Said("请填写%(label)s", label=label), field=field)
    if len(out) > max_length:
        raise ValidationFailed(
            Said("%(label)s不能超过%(max_length)s字", label=label, max_length=max_length),
            field=field,
        )
    return out
