from __future__ import annotations

from typing import Any

import pytest

from aftersales import testing as t


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    east, west = t.region("EAST", "华东区"), t.region("WEST", "西部区")
    d1, d2 = (
        t.dealer(east, code="DL1", name="甲经销商"),
        t.dealer(east, code="DL2", name="乙经销商"),
    )
    c1 = t.customer(east, d1, code="C001", name="甲客户")
    c2 = t.customer(east, d2, code="C002", name="乙客户")
    c3 = t.customer(west, None, code="C003", name="直销客户")
    s1, s2, s3 = t.site(c1, code="S001"), t.site(c2, code="S002"), t.site(c3, code="S003")
    model = t.product_model(code="LED-P3", name="P3全彩屏")
    return {
        "east": east,
        "west": west,
        "d1": d1,
        "d2": d2,
        "c1": c1,
        "c2": c2,
        "c3": c3,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "model": model,
        "coordinator": t.user("coordinator"),
    }
