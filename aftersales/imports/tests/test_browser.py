"""The import pages in real headless Chromium on a phone-sized screen: upload, preview, a
background job whose progress the page polls (htmx, every second) until it is done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aftersales import testing as t
from aftersales.installed_base.models import Equipment
from conftest import browser_login

from .helpers import xlsx

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_phone_upload_preview_and_background_import(
    phone_page: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings.IMPORT_INLINE_MAX_ROWS = 5
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the worker reads the file
    reg = t.region("EAST", "华东区")
    t.site(t.customer(reg, code="C001"), code="S001")
    t.product_model(code="LED-P3")
    t.user("coordinator", username="coord1")
    rows = [["LED-P3", f"PH-{i:03d}", 1, "S001", "2024-05-01"] for i in range(12)]
    rows.append(["LED-P3", "PH-999", 1, "S404", "2024-05-01"])
    path = tmp_path / "设备清单.xlsx"
    path.write_bytes(xlsx(["型号", "出厂编号", "数量", "项目编号", "验收日期"], rows))

    page = phone_page
    browser_login(page, "coord1")
    page.goto(page.base_url + "/imports/")
    assert page.locator("h1").inner_text() == "导入导出"
    page.select_option("select[name=kind]", "equipment")
    page.set_input_files("input[name=file]", str(path))
    page.click("text=上传并预览")
    page.wait_for_selector("text=排队等待处理")
    assert page.locator("#job[hx-trigger='every 1s']").count() == 1

    t.run_workers(1)  # the dry run, while the page keeps polling
    page.wait_for_selector("text=错误清单（1 条）")
    assert "第14行" in page.locator("#job").inner_text()
    assert "项目编号 S404 不存在" in page.locator("#job").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('仅导入无错误的 12 行')")
    page.wait_for_selector("text=正在导入…")
    t.run_workers(1)
    page.wait_for_selector("text=已新建")
    assert "导入完成：新建 12 条，更新 0 条，跳过有错误的 1 行" in page.locator("#job").inner_text()
    assert Equipment.objects.filter(serial_no__startswith="PH-").count() == 12
    page.goto(page.base_url + "/imports/")
    assert "设备清单.xlsx" in page.locator("table.list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
