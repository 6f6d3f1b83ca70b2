"""Issue 9 #21: an A4 sheet of QR labels for a site's equipment, chosen ids or an
equipment-list search — one label per visible equipment with the company name and hotline
(both from CompanySettings, edited in the back office); other organisations' equipment
is absent or 404, customers get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.core.models import CompanySettings
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db

NAME, HOTLINE = "华光显示科技有限公司", "400-820-1234"


@pytest.fixture
def world() -> dict[str, Any]:
    world = w.build()
    CompanySettings.objects.create(company_name=NAME, hotline=HOTLINE)
    model = world["e1"].model
    world["e3"] = t.equipment(world["s1"], model, serial_no="LED2025003")
    world["gone"] = t.equipment(world["s1"], model, serial_no="LED2025099")
    world["gone"].archived_at = "2026-01-01T00:00+08:00"
    world["gone"].save()
    return world


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def labels(page: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in page.split('data-serial="')[1:]]


def test_site_sheet_has_one_label_per_visible_equipment(world: dict[str, Any]) -> None:
    url = f"/service/equipment/labels/?site={world['s1'].pk}"
    for who in ("agent", "dealer1"):
        resp = login(world[who]).get(url)
        assert resp.status_code == 200
        page = resp.content.decode()
        assert labels(page) == ["LED2025001", "LED2025003"]  # the archived one is not printed
        assert page.count('class="qr"') == 2
        assert page.count(NAME) == 2 and page.count(HOTLINE) == 2
        assert "topbar" not in page and "mainnav" not in page  # no navigation on the sheet
        assert "LED2025002" not in page


def test_foreign_site_customer_and_anonymous_are_refused(world: dict[str, Any]) -> None:
    url = f"/service/equipment/labels/?site={world['s1'].pk}"
    assert Client().get(url)["Location"].startswith("/login/")
    assert login(world["dealer2"]).get(url).status_code == 404  # not the dealer's customer
    assert login(world["cust1"]).get(url).status_code == 404  # customers print no labels
    assert login(world["agent"]).get("/service/equipment/labels/?site=x").status_code == 404
    assert login(world["agent"]).get("/service/equipment/labels/").status_code == 404


def test_chosen_ids_and_search_keep_to_visible_equipment(world: dict[str, Any]) -> None:
    ids = f"id={world['e1'].pk}&id={world['e2'].pk}"
    page = login(world["dealer1"]).get(f"/service/equipment/labels/?{ids}").content.decode()
    assert labels(page) == ["LED2025001"]  # e2 belongs to the other dealer's customer
    page = login(world["agent"]).get(f"/service/equipment/labels/?{ids}").content.decode()
    assert labels(page) == ["LED2025001", "LED2025002"]  # ordered by site name
    page = login(world["dealer2"]).get("/service/equipment/labels/?q=LED20250").content.decode()
    assert labels(page) == ["LED2025002"]


def test_company_name_edited_in_settings_changes_labels_and_public_pages(
    world: dict[str, Any],
) -> None:
    CompanySettings.objects.create(company_name="新名称售后有限公司", hotline="021-5555 0000")
    url = f"/service/equipment/labels/?site={world['s1'].pk}"
    page = login(world["agent"]).get(url).content.decode()
    assert page.count("新名称售后有限公司") == 2 and page.count("021-5555 0000") == 2
    assert NAME not in page
    qr_page = Client().get(f"/q/{world['e1'].qr_token}/").content.decode()
    assert "新名称售后有限公司" in qr_page


def test_site_page_links_to_its_sheet(world: dict[str, Any]) -> None:
    page = login(world["agent"]).get(f"/sites/{world['s1'].pk}/").content.decode()
    assert f"/service/equipment/labels/?site={world['s1'].pk}" in page
