"""The cards page: a dealer registers and sees the recognition with its reason, but gets no
received-date form and its post is refused; the company records the date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from aftersales.dealers.models import WarrantyCard

pytestmark = pytest.mark.django_db


def web(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_dealer_registers_on_the_page_and_cannot_date_the_card(w) -> None:  # type: ignore[no-untyped-def]
    dealer = web(w.dealer_user_a)
    form = {
        "customer_code": w.cust_a.code,
        "serial_no": "A0001",
        "sale_date": "2026-03-01",
        "card_no": "K1",
    }
    assert dealer.post("/dealers/cards/register/", form).status_code == 302
    card = WarrantyCard.objects.get(card_no="K1")
    page = dealer.get("/dealers/cards/").content.decode()
    assert 'data-testid="receive"' not in page and "不予认定" in page and "未收到三包回执卡" in page
    resp = dealer.post(
        f"/dealers/cards/{card.pk}/receive/", {"received_date": "2026-03-05"}, follow=True
    )
    assert "只能由公司登记" in resp.content.decode()
    card.refresh_from_db()
    assert card.received_date is None
    assert (
        web(w.dealer_user_b)
        .post(f"/dealers/cards/{card.pk}/receive/", {"received_date": "2026-03-05"})
        .status_code
        == 404
    )
    agent = web(w.agent)
    assert 'data-testid="receive"' in agent.get("/dealers/cards/").content.decode()
    agent.post(f"/dealers/cards/{card.pk}/receive/", {"received_date": "2026-03-21"})
    card.refresh_from_db()
    assert card.received_date == dt.date(2026, 3, 21)
    assert "在 20 天内" in agent.get("/dealers/cards/").content.decode()
    assert agent.get("/dealers/cards/export.xlsx").status_code == 200
