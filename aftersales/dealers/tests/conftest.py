from __future__ import annotations

from types import SimpleNamespace

import pytest

from aftersales import testing as t
from aftersales.approvals.testing import build


@pytest.fixture
def w(db) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    w = build()
    cat = t.category("agri", "农机")
    w.policy = t.policy(cat, months=12)
    w.model = t.product_model(cat, code="TR-50")
    w.site_a = t.site(w.cust_a)
    w.site_b = t.site(w.cust_b)
    w.eq_a = t.equipment(w.site_a, w.model, serial_no="A0001")
    w.eq_a2 = t.equipment(w.site_a, w.model, serial_no="A0002")
    w.eq_b = t.equipment(w.site_b, w.model, serial_no="B0001")
    return w
