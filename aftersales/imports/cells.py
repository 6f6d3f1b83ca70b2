"""Excel cell values → Python values, strictly. Pure functions, no ORM.

A converter returns the value, ``None`` for an empty cell, or raises ``CellError`` whose
message completes the column header: "验收日期" + "格式应为 YYYY-MM-DD".
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from aftersales.core.said import Said


class CellError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value: Any, *, max_length: int | None = None) -> str:
    """Text as typed; numbers typed into a code column come back without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.strip()
    if max_length is not None and len(text) > max_length:
        raise CellError("too_long", Said("超过%(max_length)s个字符", max_length=max_length))
    return text


_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


def to_date(value: Any) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(str(value).strip()) if isinstance(value, str) else None
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError("bad_date", "格式应为 YYYY-MM-DD")


def to_decimal(
    value: Any, *, places: int = 2, minimum: Any = None, maximum: Any = None
) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("bad_number", "应为数字")
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise CellError("bad_number", "应为数字") from exc
    if not number.is_finite():
        raise CellError("bad_number", "应为数字")
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise CellError(
            "out_of_range",
            Said("应在 %(minimum)s 到 %(maximum)s 之间", minimum=minimum, maximum=maximum),
        )
    return number


def to_int(value: Any, *, minimum: int | None = None) -> int | None:
    if is_blank(value):
        return None
    what = (
        Said("应为不小于%(minimum)s的整数", minimum=minimum) if minimum is not None else "应为整数"
    )
    if isinstance(value, bool):
        raise CellError("bad_integer", what)
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("bad_integer", what)
        number = int(value)
    else:
        try:
            number = int(str(value).strip())
        except ValueError as exc:
            raise CellError("bad_integer", what) from exc
    if minimum is not None and number < minimum:
        raise CellError("bad_integer", what)
    return number


_TRUE = {"是", "y", "yes", "true", "1", "√", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "无"}


def to_bool(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(int(value) if isinstance(value, float) and value.is_integer() else value)
    text = text.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("bad_bool", "应填“是”或“否”")


def to_choice(value: Any, choices: dict[str, str]) -> str | None:
    """Accepts the Chinese label (as exported) or the machine value."""
    if is_blank(value):
        return None
    text = str(value).strip()
    for key, label in choices.items():
        if text == label or text.lower() == key.lower():
            return key
    raise CellError("bad_choice", "应为以下之一：" + "、".join(choices.values()))
