"""9#14: a caller is found by his mobile number or his name (a contact of the customer) in
the registration look-up, the customer list and the API — within what the user may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.accounts.services import issue_token
from aftersales.customers.models import Contact
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return w.build()


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("term", ["13700137000", "王经理", "0137000"])
def test_registration_lookup_finds_the_customer_of_a_contact(world, term) -> None:  # type: ignore[no-untyped-def]
    url = reverse("service:lookup_customer")
    html = _client(world["agent"]).get(url, {"customer_q": term}).content.decode()
    assert "上海浦东会展中心" in html and "杭州西湖医院" not in html


def test_the_list_and_the_api_find_by_contact_once_and_only_what_is_visible(world) -> None:  # type: ignore[no-untyped-def]
    Contact.objects.create(customer=world["c1"], name="王经理助理", mobile="13700137001")
    html = _client(world["agent"]).get("/customers/", {"q": "王经理"}).content.decode()
    assert html.count("上海浦东会展中心") == 1  # two matching contacts, one row
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=world['agent'])[1]}")
    found = api.get("/api/v1/customers", {"q": "1370013700"}).json()["items"]
    names = [c["name"] for c in found]
    assert names == ["上海浦东会展中心"]
    other = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=world['dealer2'])[1]}")
    assert other.get("/api/v1/customers", {"q": "13700137000"}).json()["items"] == []
    html = _client(world["dealer2"]).get("/customers/", {"q": "王经理"}).content.decode()
    assert "上海浦东会展中心" not in html


def test_an_archived_contact_no_longer_finds_the_customer(world) -> None:  # type: ignore[no-untyped-def]
    Contact.objects.filter(customer=world["c1"]).update(archived_at=world["c1"].created_at)
    url = reverse("service:lookup_customer")
    html = _client(world["agent"]).get(url, {"customer_q": "13700137000"}).content.decode()
    assert "上海浦东会展中心" not in html
