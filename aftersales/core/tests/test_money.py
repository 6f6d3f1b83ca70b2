"""Money is Decimal with two places end to end (model, API)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import models
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.catalog.models import Part, PriceList
from aftersales.customers.models import ServiceContract
from aftersales.dealers.models import Dealer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Part, "unit_cost"),
        (Part, "price"),
        (PriceList, "labour_rate_per_hour"),
        (PriceList, "travel_rate_per_km"),
        (Dealer, "receivables"),
        (ServiceContract, "price"),
    ],
)
def test_money_fields_are_decimal_with_two_places(model, field) -> None:  # type: ignore[no-untyped-def]
    f = model._meta.get_field(field)
    assert isinstance(f, models.DecimalField) and f.decimal_places == 2


def test_part_prices_round_trip_as_decimal_through_the_api() -> None:
    admin = t.user("admin")
    _, key = issue_token(user=admin)
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    c = Client()
    resp = c.post(
        "/api/v1/parts",
        {"code": "P-1", "name": "电源模块", "unit_cost": "0.10", "price": "0.20"},
        content_type="application/json",
        **h,
    )
    assert resp.status_code == 201, resp.content
    part = Part.objects.get(code="P-1")
    assert part.unit_cost + part.price == Decimal("0.30")  # a float would give 0.30000000000000004
    assert resp.json()["unit_cost"] == "0.10"
    bad = c.post(
        "/api/v1/parts",
        {"code": "P-2", "name": "x", "unit_cost": "1,000.00", "price": "1"},
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422 and "金额不要带逗号" in bad.json()["message"]
    assert not Part.objects.filter(code="P-2").exists()
