from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales import testing as t
from aftersales.service.tests import web_world
from aftersales.stock.models import LoanerUnit, Warehouse
from aftersales.stock.tests.helpers import StockWorld, build


@pytest.fixture
def s(db) -> StockWorld:  # type: ignore[no-untyped-def]
    return build()


@pytest.fixture
def loaner_world(db):  # type: ignore[no-untyped-def]
    w = web_world.build()
    east = w["c1"].region
    east.centre_lat, east.centre_lng = Decimal("31.2"), Decimal("121.4")
    east.save()
    north = t.region("NORTH", "华北区")
    north.centre_lat, north.centre_lng = Decimal("39.9"), Decimal("116.4")
    north.save()
    south = t.region("SOUTH", "华南区")
    south.centre_lat, south.centre_lng = Decimal("23.1"), Decimal("113.3")
    south.save()
    stores = {
        r.code: Warehouse.objects.create(
            code=f"RG-{r.code}", name=f"{r.name}仓库", kind="regional", region=r
        )
        for r in (east, north, south)
    }
    other_line = t.category("lcd", "液晶拼接屏")

    def unit(code: str, store: str, category=None, state="available"):  # type: ignore[no-untyped-def]
        return LoanerUnit.objects.create(
            code=code,
            serial_no=f"SN-{code}",
            category=category or w["led"],
            warehouse=stores[store],
            state=state,
        )

    w["far"] = unit("LN-SOUTH", "SOUTH")
    w["farther"] = unit("LN-NORTH", "NORTH")
    w["near"] = unit("LN-EAST", "EAST")
    unit("LN-EAST-LCD", "EAST", category=other_line)
    unit("LN-EAST-LENT", "EAST", state="lent")
    w["keeper"] = t.user("warehouse", username="keeper1")
    return w
