"""Issue 9 #21 in real Chromium: the label sheet of a site renders one drawn QR code per
equipment with the company name and hotline, and in print it fits an A4 page's width."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aftersales import testing as t
from aftersales.core.models import CompanySettings
from aftersales.service.tests import web_world as w
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

A4_WIDTH_PX = 210 / 25.4 * 96  # CSS pixels
MARGIN_PX = 8 / 25.4 * 96  # the sheet's @page margin


@pytest.fixture
def world() -> dict[str, Any]:
    world = w.build()
    CompanySettings.objects.create(company_name="华光显示科技有限公司", hotline="400-820-1234")
    for i in range(5):
        t.equipment(world["s1"], world["e1"].model, serial_no=f"LED30{i:05d}")
    return world


def test_site_label_sheet_renders_qr_codes_within_a4(page: Any, world: dict[str, Any]) -> None:
    browser_login(page, "agent1")
    page.goto(page.base_url + f"/sites/{world['s1'].pk}/")
    page.click('[data-testid="site-labels"]')
    page.wait_for_selector('[data-testid="label-sheet"]')
    labels = page.locator('[data-testid="sheet-label"]')
    assert labels.count() == 6
    qrs = page.locator('[data-testid="sheet-label"] svg.qr')
    assert qrs.count() == 6
    for i in range(6):
        box = qrs.nth(i).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100  # ~42 mm
        text = labels.nth(i).inner_text()
        assert "华光显示科技有限公司" in text and "400-820-1234" in text
    # printed: an A4 page's width (210 mm) holds the grid, all 6 labels on one page
    page.set_viewport_size({"width": round(A4_WIDTH_PX), "height": 1123})
    page.emulate_media(media="print")
    assert page.locator(".toolbar").is_hidden() and page.locator(".topbar").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= round(A4_WIDTH_PX)
    boxes = [labels.nth(i).bounding_box() for i in range(6)]
    left = min(b["x"] for b in boxes if b)
    right = max(b["x"] + b["width"] for b in boxes if b)
    assert left >= 0 and right - left <= A4_WIDTH_PX - 2 * MARGIN_PX
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
