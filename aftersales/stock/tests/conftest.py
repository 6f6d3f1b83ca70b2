from __future__ import annotations

import pytest

from aftersales.stock.tests.helpers import StockWorld, build


@pytest.fixture
def s(db) -> StockWorld:  # type: ignore[no-untyped-def]
    return build()
