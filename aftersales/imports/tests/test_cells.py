"""Cell conversion rules (pure)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from aftersales.imports import cells


def test_dates_accept_date_cells_and_iso_text_only() -> None:
    assert cells.to_date(dt.datetime(2024, 3, 1, 0, 0)) == dt.date(2024, 3, 1)
    assert cells.to_date("2024-03-01") == dt.date(2024, 3, 1)
    assert cells.to_date(" 2024/3/1 ") == dt.date(2024, 3, 1)
    assert cells.to_date("") is None and cells.to_date(None) is None
    for bad in ("2024-13-01", "01.03.2024", "昨天", 45352):
        with pytest.raises(cells.CellError) as exc:
            cells.to_date(bad)
        assert exc.value.message == "格式应为 YYYY-MM-DD"


def test_text_keeps_codes_typed_as_numbers_without_decimal_point() -> None:
    assert cells.to_text(12345.0) == "12345"
    assert cells.to_text(13800138000) == "13800138000"
    assert cells.to_text("  SN 01 ") == "SN 01"
    with pytest.raises(cells.CellError, match="超过3个字符"):
        cells.to_text("ABCD", max_length=3)


def test_numbers_integers_booleans_choices() -> None:
    assert cells.to_decimal(31.2304, places=6) == Decimal("31.230400")
    assert cells.to_decimal("1,234.5") == Decimal("1234.50")
    with pytest.raises(cells.CellError, match="应在 -90 到 90 之间"):
        cells.to_decimal(91, places=6, minimum=-90, maximum=90)
    with pytest.raises(cells.CellError, match="应为数字"):
        cells.to_decimal("abc")
    assert cells.to_int(3.0, minimum=1) == 3
    for bad in (0, 2.5, "两台"):
        with pytest.raises(cells.CellError, match="应为不小于1的整数"):
            cells.to_int(bad, minimum=1)
    assert (
        cells.to_bool("是") is True and cells.to_bool("N") is False and cells.to_bool(None) is None
    )
    with pytest.raises(cells.CellError):
        cells.to_bool("也许")
    choices = {"key": "重点客户", "normal": "普通客户"}
    assert cells.to_choice("重点客户", choices) == "key"
    assert cells.to_choice("NORMAL", choices) == "normal"
    with pytest.raises(cells.CellError, match="应为以下之一：重点客户、普通客户"):
        cells.to_choice("VIP", choices)
