"""The import pages: list with upload form and export links, preview with errors and confirm,
the htmx progress panel that polls only while work is running."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.customers.models import Customer
from aftersales.imports.models import ImportJob

from .helpers import headers, upload_file, xlsx

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_page_has_form_exports_and_nav(world: dict[str, Any]) -> None:
    page = login(world["coordinator"]).get("/imports/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="/imports/"' in html  # the nav entry 导入导出
    assert "上传并预览" in html and 'enctype="multipart/form-data"' in html
    for kind in ("customers", "sites", "equipment"):
        assert f"/imports/export/{kind}/" in html and f"/imports/template/{kind}/" in html
    # a user who may not add records sees exports only
    viewer = login(t.user("team_leader")).get("/imports/").content.decode()
    assert "上传并预览" not in viewer and "/imports/export/customers/" in viewer


def test_upload_preview_confirm_in_the_browser(world: dict[str, Any]) -> None:
    client = login(world["coordinator"])
    rows = [
        ["C500", "杭州客户", "单位", "重点客户", "EAST", "", "", "", ""],
        ["C501", "宁波客户", "", "", "EAST", "", "", "", ""],
    ]
    resp = client.post(
        "/imports/upload/",
        {"kind": "customers", "file": upload_file(xlsx(headers("customers"), rows))},
    )
    job = ImportJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/imports/{job.pk}/"
    html = client.get(resp["Location"]).content.decode()
    assert "预览（试运行，尚未写入）" in html and "确认导入（新建 2，更新 0）" in html
    assert "杭州客户" in html and 'hx-trigger="every 1s"' not in html
    assert not Customer.objects.filter(code__in=["C500", "C501"]).exists()

    done = client.post(f"/imports/{job.pk}/confirm/", follow=True).content.decode()
    assert "导入完成：新建 2 条，更新 0 条" in done
    assert Customer.objects.get(code="C501").tier == "normal"


def test_errors_are_listed_and_only_valid_rows_can_be_chosen(world: dict[str, Any]) -> None:
    client = login(world["coordinator"])
    rows = [
        ["C600", "好客户", "", "", "EAST", "", "", "", ""],
        ["C601", "坏客户", "", "", "MARS", "", "", "", ""],
    ]
    client.post(
        "/imports/upload/",
        {"kind": "customers", "file": upload_file(xlsx(headers("customers"), rows))},
    )
    job = ImportJob.objects.get()
    html = client.get(f"/imports/{job.pk}/").content.decode()
    assert "错误清单（1 条）" in html and "第3行" in html and "片区编码 MARS 不存在" in html
    assert "确认导入（" not in html and "仅导入无错误的 1 行" in html
    refused = client.post(f"/imports/{job.pk}/confirm/", follow=True).content.decode()
    assert "默认全部不导入" in refused
    client.post(f"/imports/{job.pk}/confirm/", {"valid_only": "1"})
    assert (
        Customer.objects.filter(code="C600").exists()
        and not Customer.objects.filter(code="C601").exists()
    )


def test_progress_panel_polls_while_running(world: dict[str, Any]) -> None:
    user = world["coordinator"]
    client = login(user)
    job = ImportJob.objects.create(
        kind="equipment",
        user=user,
        original_name="大文件.xlsx",
        status="importing",
        progress_done=250,
        progress_total=1000,
    )
    panel = client.get(f"/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in panel and "正在导入" in panel and "250 / 1000" in panel
    assert "<html" not in panel
    ImportJob.objects.filter(pk=job.pk).update(
        status="done",
        progress_done=1000,
        created_count=1000,
        message="导入完成：新建 1000 条，更新 0 条",
    )
    panel = client.get(f"/imports/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' not in panel and "导入完成" in panel
    other = login(t.user("coordinator"))
    assert other.get(f"/imports/{job.pk}/").status_code == 404
    assert other.get(f"/imports/{job.pk}/progress/").status_code == 404


def test_upload_errors_come_back_as_messages(world: dict[str, Any]) -> None:
    client = login(t.user("technician"))
    page = client.post(
        "/imports/upload/", {"kind": "equipment", "file": upload_file(b"x", "a.xlsx")}, follow=True
    )
    assert "无权新建设备" in page.content.decode()
    assert not ImportJob.objects.exists()
