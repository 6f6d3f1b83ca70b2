"""Issue 9 #1 in real Chromium with DEBUG off: the service report shows its photo and the
customer's signature (no broken images)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import testcases

from aftersales.service.tests.uploads_world import report_with_files
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_report_page_shows_photo_and_signature(
    open_page: Any, live_server: Any, world: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.DEBUG = False
    # Django's live server answers /media/ itself from MEDIA_ROOT (like a public directory);
    # switch that off so the page's images come through the application, as under make run
    monkeypatch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)
    report = report_with_files(world)
    page = open_page(phone=True, timeout=20000)
    browser_login(page, world.tech1.username)
    page.goto(f"{live_server.url}/service/my-jobs/{report.work_order.pk}/")
    images = page.locator('[data-testid="photo-list"] img, img.signature-img')
    assert images.count() == 2
    page.wait_for_load_state("load")
    widths = images.evaluate_all("els => els.map(e => e.complete ? e.naturalWidth : -1)")
    assert all(w > 0 for w in widths), widths
